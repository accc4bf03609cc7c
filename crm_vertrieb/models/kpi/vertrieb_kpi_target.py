from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, date_utils, format_date

KPIS = [
    ("contacts", "Customer contacts (all types)"),
    ("contacts_call", "Calls"),
    ("contacts_meeting", "Meetings / visits"),
    ("contacts_email", "Emails"),
    ("offers", "Offers"),
    ("new_leads", "New leads"),
    ("won_deals", "Won deals"),
    ("revenue", "Revenue"),
]
# KPIs counted from customer contacts -> the contact type they count (None: every type)
CONTACT_KPIS = {
    "contacts": None,
    "contacts_call": "call",
    "contacts_meeting": "meeting",
    "contacts_email": "email",
    "offers": "offer",
}
PERIODS = [("week", "Week"), ("month", "Month"), ("quarter", "Quarter")]


def contact_type_sql(kpi):
    """SQL: the contact type that the KPI (an SQL expression) of a contacts target counts."""
    whens = SQL(" ").join(SQL("WHEN %s THEN %s", key, value) for key, value in CONTACT_KPIS.items() if value)
    return SQL("(CASE %s %s END)::varchar", kpi, whens)


TRAFFIC_LIGHTS = [("none", "No target"), ("red", "Red"), ("yellow", "Yellow"), ("green", "Green")]


class VertriebKpiTarget(models.Model):
    """Target (Sollwert) of a KPI for a salesperson or a sales team over a week, month or quarter."""

    _name = "vertrieb.kpi.target"
    _description = "Sales KPI Target"
    _inherit = ["mail.thread"]
    _order = "date_from desc, kpi, id desc"
    _check_company_auto = True
    _rec_names_search = ["user_id", "team_id"]

    # in the reader's language (not stored: a stored name kept the language of whoever created it)
    name = fields.Char(compute="_compute_name")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, tracking=True)
    scope = fields.Selection(
        [("user", "Salesperson"), ("team", "Sales Team")], required=True, default="user", tracking=True
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", index=True, tracking=True, domain=[("share", "=", False)]
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, tracking=True, check_company=True)
    kpi = fields.Selection(KPIS, string="KPI", required=True, default="contacts", tracking=True)
    period = fields.Selection(PERIODS, required=True, default="week", tracking=True)
    date_from = fields.Date("Start", required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(
        "End", compute="_compute_date_to", store=True, readonly=False, required=True, precompute=True, tracking=True
    )
    target_value = fields.Float("Target", required=True, tracking=True, help="Target value (Sollwert) of the period.")
    actual_value = fields.Float("Actual", compute="_compute_achievement")
    achievement = fields.Float("Achievement (%)", compute="_compute_achievement", aggregator="avg")
    traffic_light = fields.Selection(TRAFFIC_LIGHTS, compute="_compute_achievement")

    # ------------------------------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------------------------------

    @api.depends("scope", "user_id", "team_id", "kpi", "period", "date_from")
    @api.depends_context("lang")
    def _compute_name(self):
        kpis = dict(self._fields["kpi"]._description_selection(self.env))
        for target in self:
            who = target.user_id.name if target.scope == "user" else target.team_id.name
            start = format_date(self.env, target.date_from) if target.date_from else ""
            target.name = " / ".join(filter(None, [who, kpis.get(target.kpi), start]))

    @api.depends("period", "date_from")
    def _compute_date_to(self):
        for target in self:
            if not target.date_from or target.period not in dict(PERIODS):
                continue
            target.date_to = date_utils.end_of(target.date_from, target.period)

    def _compute_achievement(self):
        actuals = self._vertrieb_actual_values()
        company = self.env.company
        green = company.vertrieb_kpi_green_threshold
        yellow = company.vertrieb_kpi_yellow_threshold
        for target in self:
            actual = actuals.get(target.id, 0.0)
            target.actual_value = actual
            if not target.target_value:
                target.achievement = 0.0
                target.traffic_light = "none"
                continue
            achievement = 100.0 * actual / target.target_value
            target.achievement = achievement
            target.traffic_light = "green" if achievement >= green else "yellow" if achievement >= yellow else "red"

    # ------------------------------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for target in self:
            if target.date_to < target.date_from:
                raise ValidationError(
                    self.env._(
                        "The end of the target period (%(end)s) lies before its start (%(start)s).",
                        end=target.date_to,
                        start=target.date_from,
                    )
                )

    @api.constrains("target_value")
    def _check_target_value(self):
        for target in self:
            if target.target_value < 0:
                raise ValidationError(self.env._("A target cannot be negative (%(value)s).", value=target.target_value))

    @api.constrains("scope", "user_id", "team_id")
    def _check_assignee(self):
        for target in self:
            if target.scope == "user" and not target.user_id:
                raise ValidationError(self.env._("A salesperson target needs a salesperson."))
            if target.scope == "team" and not target.team_id:
                raise ValidationError(self.env._("A sales team target needs a sales team."))

    @api.constrains("scope", "user_id", "team_id", "kpi", "period", "date_from", "date_to", "company_id", "active")
    def _check_overlap(self):
        for target in self.filtered("active"):
            domain = [
                ("id", "!=", target.id),
                ("scope", "=", target.scope),
                ("kpi", "=", target.kpi),
                ("period", "=", target.period),
                ("company_id", "=", target.company_id.id),
                ("date_from", "<=", target.date_to),
                ("date_to", ">=", target.date_from),
            ]
            if target.scope == "user":
                domain.append(("user_id", "=", target.user_id.id))
            else:
                domain.append(("team_id", "=", target.team_id.id))
            other = self.sudo().search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "The target overlaps with the target “%(other)s” for the same salesperson or team, "
                        "KPI and period (%(start)s to %(end)s).",
                        other=other.name,
                        start=other.date_from,
                        end=other.date_to,
                    )
                )

    # ------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------

    def _vertrieb_check_selection_values(self, vals):
        """Refuse unknown periods / KPIs with a clear message instead of a technical error."""
        for fname in ("period", "kpi", "scope"):
            if fname in vals and vals[fname] and vals[fname] not in dict(self._fields[fname].selection):
                raise ValidationError(
                    self.env._(
                        "Unknown value “%(value)s” for %(field)s. Allowed: %(allowed)s.",
                        value=vals[fname],
                        field=self._fields[fname]._description_string(self.env),
                        allowed=", ".join(dict(self._fields[fname]._description_selection(self.env)).values()),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._vertrieb_check_selection_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._vertrieb_check_selection_values(vals)
        return super().write(vals)

    # ------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------

    def _vertrieb_actual_values(self):
        """Actual value of each target of ``self``: a bounded number of SQL queries (one per KPI
        family), never one per target. Returns ``{target_id: value}``."""
        ids = [tid for tid in self.ids if tid]
        if not ids:
            return {}
        self.env["vertrieb.kpi.target"].flush_model()
        # the revenue reads the stored rows of the sales report: invoices posted in this
        # transaction are in them first
        self.env["vertrieb.kpi.sales"].sudo()._vertrieb_sales_apply()
        for model in (
            "crm.lead",
            "mail.message",
            "calendar.event",
            "calendar.attendee",
            "account.move",
            "account.move.line",
            "crm.team.member",
            "res.users",
            "mail.activity.type",
        ):
            self.env[model].flush_model()
        result = {}
        assignee = SQL("((t.scope = 'user' AND x.user_id = t.user_id) OR (t.scope = 'team' AND x.team_id = t.team_id))")
        queries = [
            # customer contacts, all types or one type (the view's own target rows excluded)
            SQL(
                """
                SELECT t.id, COUNT(x.id)
                  FROM vertrieb_kpi_target t
                  JOIN vertrieb_kpi_contact x
                    ON x.source != 'target' AND x.date BETWEEN t.date_from AND t.date_to
                   AND x.company_id = t.company_id AND %(assignee)s
                   AND (t.kpi = 'contacts' OR x.contact_type = %(contact_type)s)
                 WHERE t.id = ANY(%(ids)s)
                   AND t.kpi = ANY(%(contact_kpis)s)
                 GROUP BY t.id
                """,
                assignee=assignee,
                ids=ids,
                contact_type=contact_type_sql(SQL("t.kpi")),
                contact_kpis=list(CONTACT_KPIS),
            ),
            # new leads created in the period, won deals closed in the period
            SQL(
                """
                SELECT t.id, COUNT(x.id)
                  FROM vertrieb_kpi_target t
                  JOIN crm_lead x ON (x.company_id = t.company_id OR x.company_id IS NULL) AND %(assignee)s
                  LEFT JOIN crm_stage st ON st.id = x.stage_id
                 WHERE t.id = ANY(%(ids)s)
                   AND ((t.kpi = 'new_leads' AND x.create_date::date BETWEEN t.date_from AND t.date_to)
                     OR (t.kpi = 'won_deals' AND x.active AND st.is_won
                         AND x.date_closed::date BETWEEN t.date_from AND t.date_to))
                 GROUP BY t.id
                """,
                assignee=assignee,
                ids=ids,
            ),
            # revenue from posted invoice lines (credit notes subtract)
            SQL(
                """
                SELECT t.id, SUM(x.amount)
                  FROM vertrieb_kpi_target t
                  JOIN vertrieb_kpi_sales x ON x.company_id = t.company_id AND %(assignee)s
                   AND x.date BETWEEN t.date_from AND t.date_to
                 WHERE t.id = ANY(%(ids)s) AND t.kpi = 'revenue'
                 GROUP BY t.id
                """,
                assignee=assignee,
                ids=ids,
            ),
        ]
        for query in queries:
            for target_id, value in self.env.execute_query(query):
                result[target_id] = float(value or 0.0)
        return result

    @api.model
    def _vertrieb_period_bounds(self, period, day=None):
        day = day or fields.Date.context_today(self)
        return date_utils.start_of(day, period), date_utils.end_of(day, period)

    # ------------------------------------------------------------------------------------------
    # COCKPIT
    # ------------------------------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_cockpit_data(self):
        """Data of the sales cockpit (Vertriebscockpit), read with the user's record rules:
        a salesperson gets their own numbers, a team leader their team's, a manager everybody's."""
        today = fields.Date.context_today(self)
        week = self._vertrieb_period_bounds("week", today)
        month = self._vertrieb_period_bounds("month", today)
        # the contacts summed per day (the report's rules apply to the sums as to the ledger)
        ContactDay = self.env["vertrieb.kpi.contact.day"]
        contact_domain = [("company_id", "in", self.env.companies.ids)]

        def contact_counts(bounds):
            return dict(
                ContactDay._read_group(
                    [*contact_domain, ("date", ">=", bounds[0]), ("date", "<=", bounds[1])],
                    ["user_id"],
                    ["contact_count:sum"],
                )
            )

        week_counts = contact_counts(week)
        month_counts = contact_counts(month)
        targets = self.search(
            [
                ("scope", "=", "user"),
                ("kpi", "=", "contacts"),
                ("company_id", "in", self.env.companies.ids),
                "|",
                "&",
                ("period", "=", "week"),
                ("date_from", "=", week[0]),
                "&",
                ("period", "=", "month"),
                ("date_from", "=", month[0]),
            ]
        )
        target_by_key = {(t.user_id, t.period): t for t in targets}
        users = set(week_counts) | set(month_counts) | set(targets.user_id)
        if self.env.user._is_internal() and self.env.user.has_group("sales_team.group_sale_salesman"):
            users.add(self.env.user)
        lead_model = self.env["crm.lead"]
        visible_teams = self.env["crm.team"].search([("user_id", "=", self.env.user.id)])
        if self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            users |= set(self.env["crm.team.member"].search([]).user_id)
        elif visible_teams:
            users |= set(visible_teams.member_ids)
        # only salespeople working in one of the current companies (a team without a company
        # would bring in every company's members)
        companies = self.env.companies
        users = self.env["res.users"].browse(u.id for u in users if u).sudo()
        users = users.filtered(lambda u: u.company_ids & companies)
        # a sales manager or team leader is a row when selling: as a team member or with a target
        users -= self._vertrieb_cockpit_leaders(users) - targets.user_id
        users = users.sudo(False).sorted("name")

        def cell(user, period, bounds, counts):
            target = target_by_key.get((user, period))
            actual = counts.get(user, 0)
            return {
                "actual": actual,
                "target": target.target_value if target else None,
                "achievement": round(target.achievement) if target and target.target_value else None,
                "light": target.traffic_light if target else "none",
                "target_id": target.id if target else False,
                "domain": [
                    ("source", "!=", "target"),
                    ("user_id", "=", user.id),
                    ("date", ">=", fields.Date.to_string(bounds[0])),
                    ("date", "<=", fields.Date.to_string(bounds[1])),
                ],
            }

        rows = [
            {
                "user_id": user.id,
                "name": user.name,
                "week": cell(user, "week", week, week_counts),
                "month": cell(user, "month", month, month_counts),
            }
            for user in users
        ]
        offers = ContactDay._read_group(
            [*contact_domain, ("contact_type", "=", "offer"), ("date", ">=", month[0]), ("date", "<=", month[1])],
            [],
            ["contact_count:sum"],
        )[0][0]
        won = lead_model.search_count(
            [
                ("stage_id.is_won", "=", True),
                ("date_closed", ">=", fields.Datetime.to_string(month[0])),
                ("date_closed", "<", fields.Datetime.to_string(month[1] + timedelta(days=1))),
            ]
        )
        complaints = self._vertrieb_cockpit_open_complaints(users)
        # the pipeline's steps come with the trend (get_cockpit_trend), one pipeline at a time
        hit = self.env["vertrieb.kpi.conversion.stage"]._vertrieb_hit_rate()
        return {
            "week_label": f"{week[0].isocalendar()[1]:02d}/{week[0].year}",
            "month_label": month[0].strftime("%m/%Y"),
            "week_start": fields.Date.to_string(week[0]),
            "month_start": fields.Date.to_string(month[0]),
            "rows": rows,
            "offers_month": offers or 0,
            "won_month": won,
            "hit_rate": None if hit is None else round(hit),
            "month_from": fields.Datetime.to_string(month[0]),
            "month_to": fields.Datetime.to_string(month[1] + relativedelta(days=1)),
            "complaints": complaints,
        }

    @api.model
    def _vertrieb_cockpit_leaders(self, users):
        """Those of ``users`` who lead rather than sell: sales managers and team leaders that are no
        member of a sales team. The cockpit shows them as a salesperson only when they have a target
        of their own this week or month (their own contacts still count in the reports)."""
        users = users.sudo()
        members = self.env["crm.team.member"].sudo().search([("user_id", "in", users.ids)]).user_id
        leaders = self.env["crm.team"].sudo().search([("user_id", "in", users.ids)]).user_id
        managers = users.filtered(lambda u: u.has_group("sales_team.group_sale_manager"))
        return (leaders | managers) - members

    @api.model
    def _vertrieb_cockpit_open_complaints(self, users):
        """Open complaints (neither closed nor rejected) about the customers of ``users``, under the
        reader's record rules; ``None`` hides the tile for users who may not read complaints."""
        # seam to the complaint feature: no tile without it
        if "vertrieb.complaint" not in self.env:
            return None
        Complaint = self.env["vertrieb.complaint"]
        if not Complaint.has_access("read"):
            return None
        domain = [
            ("is_closed", "=", False),
            ("stage_id.is_rejected", "=", False),
            "|",
            ("user_id", "in", users.ids),
            ("partner_id.user_id", "in", users.ids),
        ]
        return {"total": Complaint.search_count(domain), "domain": domain}

    # ------------------------------------------------------------------------------------------
    # COCKPIT: TREND, PIPELINES, TO-DOS
    # ------------------------------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_cockpit_trend(self, user_ids, team_id=None, weeks=12):
        """What the cockpit shows besides :meth:`get_cockpit_data`, read with the reader's record
        rules: per salesperson of ``user_ids`` the weekly customer contacts of the last ``weeks``
        weeks (this one included) against the weekly target; the pipelines to choose from and the
        steps of the chosen one (``team_id``, by default the acquisition pipeline) with their
        conversion; whether any target exists; the to-dos of the reader's roles."""
        weeks = max(1, min(int(weeks), 52))
        today = fields.Date.context_today(self)
        starts = [date_utils.start_of(today, "week") - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
        users = self.env["res.users"].browse([uid for uid in user_ids if isinstance(uid, int)]).exists()
        companies = self.env.companies.ids
        # per day, summed into ISO weeks here: "date:week" follows the language's first day of the week
        counts = defaultdict(int)
        for user, day, count in self.env["vertrieb.kpi.contact.day"]._read_group(
            [
                ("company_id", "in", companies),
                ("user_id", "in", users.ids),
                ("date", ">=", starts[0]),
                ("date", "<=", today),
            ],
            ["user_id", "date:day"],
            ["contact_count:sum"],
        ):
            counts[(user.id, date_utils.start_of(day, "week"))] += count
        targets = {
            (user.id, date_from): value
            for user, date_from, value in self._read_group(
                [
                    ("scope", "=", "user"),
                    ("kpi", "=", "contacts"),
                    ("period", "=", "week"),
                    ("company_id", "in", companies),
                    ("user_id", "in", users.ids),
                    ("date_from", "in", starts),
                ],
                ["user_id", "date_from:day"],
                ["target_value:sum"],
            )
        }
        week_numbers = [str(start.isocalendar()[1]).zfill(2) for start in starts]
        trend = [
            {
                "user_id": user.id,
                "name": user.name,
                "actual": [counts.get((user.id, start), 0) for start in starts],
                "target": [targets.get((user.id, start)) for start in starts],
            }
            for user in users
        ]
        return {
            "weeks": [self.env._("Wk %(week)s", week=number) for number in week_numbers],
            "week_from": fields.Date.to_string(starts[0]),
            "trend": trend,
            "has_targets": bool(self.search_count([("company_id", "in", companies)], limit=1)),
            "may_create_targets": self.has_access("create"),
            **self._vertrieb_cockpit_pipeline(team_id),
            "todos": self._vertrieb_cockpit_todos(users),
        }

    @api.model
    def _vertrieb_cockpit_pipeline(self, team_id):
        """The pipelines (sales teams with opportunities) and the steps of the chosen one: the
        acquisition pipeline unless another team is asked for; never several mixed."""
        teams = self.env["crm.team"].search([("use_opportunities", "=", True)])
        acquisition = self.env.ref("crm_vertrieb.team_acquisition", raise_if_not_found=False)
        team = teams.filtered(lambda t: t.id == team_id)[:1] or (acquisition if acquisition in teams else teams[:1])
        lead_domain = [("type", "=", "opportunity"), ("team_id", "=", team.id)]
        counts = {
            stage: (count, revenue)
            for stage, count, revenue in self.env["crm.lead"]._read_group(
                [*lead_domain, ("stage_id", "!=", False)], ["stage_id"], ["__count", "expected_revenue:sum"]
            )
        }
        stages = self.env["crm.stage"].search([("team_id", "=", team.id)]) if team else self.env["crm.stage"]
        stages = (stages | self.env["crm.stage"].union(*counts)).sorted(lambda s: (s.sequence, s.id))
        # the report's averages, from its rows summed per stage
        rates = self.env["vertrieb.kpi.conversion.stage"]._vertrieb_rates(
            [("stage_id", "in", stages.ids)], ["stage_id"]
        )
        most = max([count for count, _revenue in counts.values()] or [1])
        return {
            "pipelines": [{"id": t.id, "name": t.name} for t in teams],
            "pipeline_id": team.id,
            "pipeline_stages": [
                {
                    "stage_id": stage.id,
                    "name": stage.name,
                    "count": counts.get(stage, (0, 0))[0],
                    "revenue": counts.get(stage, (0, 0))[1],
                    "bar": round(100.0 * counts.get(stage, (0, 0))[0] / most),
                    "conversion": None if rates.get(stage, (None,))[0] is None else round(rates[stage][0]),
                    "hit_rate": None if rates.get(stage, (None, None))[1] is None else round(rates[stage][1]),
                    "domain": [*lead_domain, ("stage_id", "=", stage.id)],
                }
                for stage in stages
            ],
        }

    @api.model
    def _vertrieb_cockpit_todos(self, users):
        """To-dos of the reader's roles, each with the domain of its records: overdue complaints,
        duplicates to check, customers of ``users`` with poor data, open data-subject requests.
        A tile appears only where its feature is installed and the reader may read its records (the
        customers' data quality: for salespeople)."""
        now = fields.Datetime.now()
        todos = []
        # seams to the complaint, quality and privacy features
        candidates = [
            (
                "vertrieb.complaint",
                "complaints_overdue",
                self.env._("Overdue complaints"),
                [("is_closed", "=", False), ("sla_deadline", "!=", False), ("sla_deadline", "<", now)],
            ),
            (
                "vertrieb.partner.duplicate",
                "duplicates",
                self.env._("Duplicates to check"),
                [("state", "=", "open")],
            ),
            (
                "res.partner",
                "quality_poor",
                self.env._("Customers with poor data"),
                [("vertrieb_quality_level", "=", "poor"), ("user_id", "in", users.ids)]
                if "vertrieb_quality_level" in self.env["res.partner"]._fields
                and self.env.user.has_group("sales_team.group_sale_salesman")
                else None,
            ),
            (
                "vertrieb.privacy.request",
                "privacy_requests",
                self.env._("Data-subject requests due within 7 days"),
                [("state", "in", ("new", "in_progress")), ("deadline", "<=", date_utils.add(now.date(), days=7))],
            ),
        ]
        for model, key, name, domain in candidates:
            if model not in self.env or domain is None or not self.env[model].has_access("read"):
                continue
            todos.append(
                {
                    "key": key,
                    "name": name,
                    "model": model,
                    "domain": domain,
                    "count": self.env[model].search_count(domain),
                }
            )
        return todos
