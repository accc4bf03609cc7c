import logging
import time
from datetime import datetime

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..base.reader_lang import reader_env

_logger = logging.getLogger(__name__)

# columns written by the refresh, in this order (an unchanged row is not rewritten)
CARE_COLUMNS = (
    "user_id",
    "team_id",
    "company_id",
    "abc_class",
    "territory_id",
    "last_contact_date",
    "contacts_90d",
    "contacts_365d",
    "next_planned_date",
    "contact_interval",
    "next_contact_due",
    "is_overdue",
    "coverage",
    "care_allowed",
    "revenue_12m",
    "revenue_prev_12m",
    "last_invoice_date",
    "churn_risk",
)
# the partner's view of its row (models/care/res_partner.py)
CARE_PARTNER_FIELDS = [
    "vertrieb_care_id",
    "vertrieb_last_contact_date",
    "vertrieb_contact_interval",
    "vertrieb_next_contact_due",
    "vertrieb_contact_overdue",
    "vertrieb_contacts_90d",
    "vertrieb_contacts_365d",
    "vertrieb_next_planned_contact",
    "vertrieb_territory_id",
    "vertrieb_churn_risk",
]
# customers marked in this transaction for a refresh of their rhythm (``_vertrieb_touch``)
PENDING = "vertrieb.customer.care.pending"


class VertriebCustomerCare(models.Model):
    """Contact rhythm (Kontaktrhythmus) of one commercial partner: when it was last contacted,
    when it is due again, how it is doing (churn warning).

    A narrow table of its own, like ``vertrieb.customer.value``: the refresh rewrites the rows of
    many customers at once (nightly, after a ledger rebuild), which would be slow on ``res_partner``
    (some forty indexes). The rows are written only by :meth:`_vertrieb_refresh` (set-based SQL
    reading the contact ledger ``vertrieb.kpi.contact.line``, activities, meetings and invoices);
    the work list (Kundenpflege) is a list of these rows, so it filters, sorts and groups on stored
    columns of one small table.
    """

    _name = "vertrieb.customer.care"
    _description = "Customer Care Rhythm"
    _rec_name = "partner_id"
    _order = "abc_class, next_contact_due, id"
    _log_access = False

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index="btree_not_null")
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    abc_class = fields.Selection([("a", "A"), ("b", "B"), ("c", "C")], string="ABC Class", readonly=True)
    territory_id = fields.Many2one("vertrieb.territory", string="Sales Territory", readonly=True)
    city = fields.Char(related="partner_id.city")
    zip = fields.Char(related="partner_id.zip", string="ZIP")
    phone = fields.Char(related="partner_id.phone")
    last_contact_date = fields.Date(
        "Last Contact",
        readonly=True,
        help="The last counted contact (done call, visit, meeting, email to the customer) with the customer or any "
        "of its contacts, by any salesperson. Internal notes do not count.",
    )
    contacts_90d = fields.Integer("Contacts (90 Days)", readonly=True)
    contacts_365d = fields.Integer("Contacts (365 Days)", readonly=True)
    next_planned_date = fields.Date(
        "Next Planned Contact", readonly=True, help="The earliest open activity or future meeting with the customer."
    )
    contact_interval = fields.Integer(
        "Contact Rhythm (Days)",
        readonly=True,
        aggregator="avg",
        help="Target interval between two contacts: the customer's own rhythm, else the one of its ABC class.",
    )
    next_contact_due = fields.Date(readonly=True, help="Last contact plus the rhythm; today when never contacted.")
    is_overdue = fields.Boolean("Overdue", readonly=True)
    days_overdue = fields.Integer(compute="_compute_days_overdue")
    coverage = fields.Float(
        "Care Coverage (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a customer contacted within its rhythm, 0 for one that is not; averaged in the reports.",
    )
    care_allowed = fields.Boolean(
        "Customer Care Allowed", readonly=True, help="Data protection: the purpose customer care allows contacting."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    revenue_12m = fields.Monetary("Revenue (12 Months)", readonly=True)
    revenue_prev_12m = fields.Monetary("Revenue (Previous 12 Months)", readonly=True)
    last_invoice_date = fields.Date("Last Invoice", readonly=True)
    churn_risk = fields.Boolean(
        readonly=True,
        help="Revenue of the last 12 months fell by more than the set share against the 12 months before, or "
        "invoiced in the previous year but not for the set number of months.",
    )
    churn_notified = fields.Boolean("Churn Warning Planned", readonly=True)
    refreshed_on = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("partner_unique", "UNIQUE(partner_id)", "A customer has one contact rhythm."),
    ]

    @api.depends("next_contact_due")
    @api.depends_context("tz")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for care in self:
            due = care.next_contact_due
            care.days_overdue = (today - due).days if due and due < today else 0

    # ------------------------------------------------------------------------------------------
    # REFRESH (set-based)
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_allowed_query(self):
        """SQL selecting the partners that customer care may process (privacy purpose
        "customer_care"); every partner without the privacy feature."""
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        # seam to the privacy feature (its purpose API)
        domain = partners._vertrieb_purpose_domain("customer_care") if "vertrieb.privacy.purpose" in self.env else []
        return partners._search(domain).select()

    @api.model
    def _vertrieb_scope_query(self, partner_ids, lead_ids=()):
        """SQL selecting the commercial partners of the contacts ``partner_ids`` and of the
        customers of the leads ``lead_ids``."""
        scope = SQL("SELECT commercial_partner_id FROM res_partner WHERE id = ANY(%s)", list(partner_ids))
        if not lead_ids:
            return scope
        return SQL(
            """%s UNION SELECT p.commercial_partner_id FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
                    WHERE l.id = ANY(%s)""",
            scope,
            list(lead_ids),
        )

    @api.model
    def _vertrieb_fresh_query(self, partner_ids=None, lead_ids=()):
        """One SQL query: the rhythm, planning and churn values of the customers (active commercial
        partners that are customers or companies, not companies of the database nor users), all of
        them or those of ``partner_ids`` (any contacts: their commercial partners are taken) and of
        the leads ``lead_ids``."""
        today = fields.Date.context_today(self)
        if partner_ids is None:
            scope = SQL("TRUE")
            # all customers: the aggregates read their whole tables by hash joins (an IN filter on
            # the customers made PostgreSQL walk the ledger index once per contact: 11 s of 18 s
            # on 100,000 customers); the join on the customers drops the rest
            within = SQL("TRUE")
            materialized = SQL()
        else:
            scope = SQL("p.id IN (%s)", self._vertrieb_scope_query(partner_ids, lead_ids))
            within = None
            # the customers of a save: each part planned on its own (planning the whole query as
            # one took longer than running it)
            materialized = SQL("MATERIALIZED")
        return SQL(
            """
            WITH cust AS MATERIALIZED (
                SELECT p.id, p.user_id, p.company_id, p.country_id, tm.crm_team_id AS team_id,
                       regexp_replace(COALESCE(p.zip, ''), '\\D', '', 'g') AS zip_key,
                       p.vertrieb_care_interval_custom AS custom, p.vertrieb_care_interval_days AS days
                  FROM res_partner p
                  -- the salesperson's first team (one lookup per salesperson, not per customer)
                  LEFT JOIN (SELECT DISTINCT ON (user_id) user_id, crm_team_id FROM crm_team_member
                              WHERE active ORDER BY user_id, create_date, id) tm ON tm.user_id = p.user_id
                 WHERE p.active AND p.commercial_partner_id = p.id
                   AND (p.customer_rank > 0 OR p.is_company)
                   AND NOT EXISTS (SELECT 1 FROM res_company co WHERE co.partner_id = p.id)
                   AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id)
                   AND (%(scope)s)
            ),
            contacts AS %(materialized)s (
                SELECT cp.commercial_partner_id AS partner_id, MAX(l.date) AS last_contact,
                       COUNT(*) FILTER (WHERE l.date > %(d90)s) AS c90,
                       COUNT(*) FILTER (WHERE l.date > %(d365)s) AS c365
                  FROM vertrieb_kpi_contact_line l
                  JOIN res_partner cp ON cp.id = l.partner_id
                 WHERE %(within)s
                 GROUP BY cp.commercial_partner_id
            ),
            planned AS %(materialized)s (
                -- the customers' filter stands in each branch: PostgreSQL does not push a filter
                -- with a subquery into a UNION, and a scoped refresh would read every open
                -- activity and future meeting (a scan of all meetings per save)
                SELECT partner_id, MIN(day) AS next_planned FROM (
                    SELECT cp.commercial_partner_id AS partner_id, a.date_deadline AS day
                      FROM mail_activity a
                      JOIN res_partner cp ON a.res_model = 'res.partner' AND cp.id = a.res_id
                     WHERE a.active AND %(within)s
                     UNION ALL
                    SELECT cp.commercial_partner_id, a.date_deadline
                      FROM mail_activity a
                      JOIN crm_lead ld ON a.res_model = 'crm.lead' AND ld.id = a.res_id AND ld.active
                      JOIN res_partner cp ON cp.id = ld.partner_id
                     WHERE a.active AND %(within)s
                     UNION ALL
                    SELECT cp.commercial_partner_id, (e.start AT TIME ZONE 'UTC')::date
                      FROM calendar_event e
                      JOIN calendar_event_res_partner_rel r ON r.calendar_event_id = e.id
                      JOIN res_partner cp ON cp.id = r.res_partner_id
                     WHERE e.active AND e.start >= now() AT TIME ZONE 'UTC' AND %(within)s
                ) x
                 GROUP BY partner_id
            ),
            revenue AS %(materialized)s (
                SELECT m.commercial_partner_id AS partner_id,
                       SUM(-l.balance) FILTER (WHERE m.invoice_date > %(d12m)s) AS cur,
                       SUM(-l.balance) FILTER (WHERE m.invoice_date > %(d24m)s AND m.invoice_date <= %(d12m)s) AS prev,
                       MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_invoice,
                       BOOL_OR(m.move_type = 'out_invoice' AND m.invoice_date BETWEEN %(py_from)s AND %(py_to)s)
                           AS invoiced_prev_year
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND l.display_type = 'product'
                   AND %(revenue_within)s
                 GROUP BY m.commercial_partner_id
            ),
            territory AS %(materialized)s (%(territory)s),
            -- the purpose check of the customers in scope only (not of every partner)
            allowed AS MATERIALIZED (SELECT a.id FROM (%(allowed)s) a WHERE a.id IN (SELECT id FROM cust))
            SELECT c.id AS partner_id, c.user_id, c.team_id, c.company_id, v.abc_class, tr.territory_id,
                   ct.last_contact AS last_contact_date, COALESCE(ct.c90, 0) AS contacts_90d,
                   COALESCE(ct.c365, 0) AS contacts_365d, pl.next_planned AS next_planned_date,
                   iv.contact_interval, due.next_contact_due,
                   COALESCE(due.next_contact_due < %(today)s, FALSE) AS is_overdue,
                   CASE WHEN iv.contact_interval IS NULL THEN NULL
                        WHEN ct.last_contact + iv.contact_interval >= %(today)s THEN 100.0
                        ELSE 0.0 END AS coverage,
                   al.care_allowed,
                   COALESCE(rv.cur, 0) AS revenue_12m, COALESCE(rv.prev, 0) AS revenue_prev_12m,
                   rv.last_invoice AS last_invoice_date,
                   COALESCE(al.care_allowed AND (
                       (rv.prev > 0 AND COALESCE(rv.cur, 0) < rv.prev * (1 - co.vertrieb_churn_drop_share / 100.0))
                       OR (rv.invoiced_prev_year
                           AND rv.last_invoice
                               <= (%(today)s - make_interval(months => co.vertrieb_churn_silent_months))::date)
                   ), FALSE) AS churn_risk
              FROM cust c
              JOIN res_company co ON co.id = COALESCE(c.company_id, %(company)s)
              LEFT JOIN vertrieb_customer_value v ON v.partner_id = c.id AND v.company_id = co.id
              LEFT JOIN contacts ct ON ct.partner_id = c.id
              LEFT JOIN planned pl ON pl.partner_id = c.id
              LEFT JOIN revenue rv ON rv.partner_id = c.id
              LEFT JOIN territory tr ON tr.partner_id = c.id
              -- a join, not "c.id IN (…)" per row: PostgreSQL hashes such a subquery only while it
              -- fits in work_mem, else it scans it once per customer
              LEFT JOIN allowed ok ON ok.id = c.id
              CROSS JOIN LATERAL (SELECT ok.id IS NOT NULL AS care_allowed) al
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN c.custom AND c.days > 0 THEN c.days
                              WHEN v.abc_class = 'a' THEN co.vertrieb_care_interval_a
                              WHEN v.abc_class = 'b' THEN co.vertrieb_care_interval_b
                              WHEN v.abc_class = 'c' THEN co.vertrieb_care_interval_c END AS contact_interval
              ) iv
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN iv.contact_interval IS NULL THEN NULL
                              WHEN ct.last_contact IS NULL THEN %(today)s::date
                              ELSE ct.last_contact + iv.contact_interval END AS next_contact_due
              ) due
            """,
            scope=scope,
            within=within or SQL("cp.commercial_partner_id IN (SELECT id FROM cust)"),
            materialized=materialized,
            revenue_within=within or SQL("m.commercial_partner_id IN (SELECT id FROM cust)"),
            today=today,
            d90=today - relativedelta(days=90),
            d365=today - relativedelta(days=365),
            d12m=today - relativedelta(months=12),
            d24m=today - relativedelta(months=24),
            py_from=today.replace(year=today.year - 1, month=1, day=1),
            py_to=today.replace(year=today.year - 1, month=12, day=31),
            company=self.env.company.id,
            territory=self.env["vertrieb.territory"]._vertrieb_match_query(
                SQL("SELECT id, zip_key, country_id, company_id FROM cust")
            ),
            allowed=self._vertrieb_allowed_query(),
        )

    @api.model
    def _vertrieb_touch(self, partner_ids=(), lead_ids=()):
        """Mark the customers of the contacts ``partner_ids`` and of the leads ``lead_ids`` (their
        activities, meetings or contacts changed): their rhythm is refreshed once, in one
        statement, before rows are read in this transaction and at the latest when it commits
        (a logged call refreshes its customer once, after its activity is gone)."""
        data = self.env.cr.precommit.data
        pending = data.get(PENDING)
        if pending is None:
            pending = data[PENDING] = {"partners": set(), "leads": set()}
            env = self.env
            self.env.cr.precommit.add(lambda: env["vertrieb.customer.care"].sudo()._vertrieb_apply())
        pending["partners"].update(i for i in partner_ids if isinstance(i, int))
        pending["leads"].update(i for i in lead_ids if isinstance(i, int))
        # the rows in the cache are stale: the next read fetches them, after the refresh
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(CARE_PARTNER_FIELDS)

    @api.model
    def _vertrieb_apply(self):
        """Refresh the customers marked by ``_vertrieb_touch`` in this transaction."""
        pending = self.env.cr.precommit.data.pop(PENDING, None)
        if pending:
            self._vertrieb_refresh(sorted(pending["partners"]), sorted(pending["leads"]))

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # the customers marked in this transaction are refreshed before their rows are read
        if self.env.cr.precommit.data.get(PENDING):
            self.sudo()._vertrieb_apply()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def fetch(self, field_names):
        # records read by id (a row in the cache invalidated by ``_vertrieb_touch``)
        if self.env.cr.precommit.data.get(PENDING):
            self.sudo()._vertrieb_apply()
        return super().fetch(field_names)

    @api.model
    def _vertrieb_refresh(self, partner_ids=None, lead_ids=(), batch_size=20000, commit=False):
        """Bring the rows of the customers (all, or those of the contacts ``partner_ids`` and of
        the leads ``lead_ids``) in step: rows whose values did not change are not rewritten; rows of
        partners that are no customers anymore are deleted. The customers of a save in one
        statement; all customers through a temporary table, upserted in batches (progress reported
        to the cron, committed per batch when ``commit``). Returns the number of customers
        refreshed."""
        if partner_ids is None:
            # every customer: nothing left to refresh for the marked ones
            self.env.cr.precommit.data.pop(PENDING, None)
        elif not partner_ids and not lead_ids:
            return 0
        for model in (
            "res.partner",
            "vertrieb.kpi.contact.line",
            "vertrieb.customer.value",
            "mail.activity",
            "calendar.event",
            "crm.lead",
            "crm.team.member",
            "account.move",
            "account.move.line",
            "vertrieb.territory",
            "vertrieb.territory.range",
            "res.company",
            "vertrieb.customer.care",
        ):
            self.env[model].flush_model()
        if partner_ids is None:
            total = self._vertrieb_refresh_all(batch_size, commit)
        else:
            # a save refreshes a customer or two: one statement (a temporary table, its catalog
            # rows and four more round trips cost more than the query itself)
            partner_ids = [i for i in partner_ids if isinstance(i, int)]
            lead_ids = [i for i in lead_ids if isinstance(i, int)]
            [(total,)] = self.env.execute_query(
                SQL(
                    """
                    WITH fresh AS MATERIALIZED (%(fresh)s),
                    gone AS (%(delete)s),
                    upserted AS (%(upsert)s)
                    SELECT COUNT(*) FROM fresh
                    """,
                    fresh=self._vertrieb_fresh_query(partner_ids, lead_ids),
                    delete=self._vertrieb_delete_query(
                        SQL("fresh"), SQL("c.partner_id IN (%s)", self._vertrieb_scope_query(partner_ids, lead_ids))
                    ),
                    upsert=self._vertrieb_upsert_query(SQL("fresh"), SQL("TRUE")),
                )
            )
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(CARE_PARTNER_FIELDS)
        return total

    @api.model
    def _vertrieb_refresh_all(self, batch_size, commit):
        cr = self.env.cr
        fresh = SQL.identifier("vertrieb_customer_care_fresh")
        started = time.monotonic()
        cr.execute(SQL("DROP TABLE IF EXISTS %s", fresh))
        cr.execute(SQL("SET LOCAL jit = off"))
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE %s AS SELECT row_number() OVER (ORDER BY q.partner_id) AS rn, q.* FROM (%s) q",
                fresh,
                self._vertrieb_fresh_query(),
            )
        )
        total = cr.rowcount
        cr.execute(SQL("ANALYZE %s", fresh))
        cr.execute(self._vertrieb_delete_query(fresh, SQL("TRUE")))
        for start in range(0, total, batch_size):
            end = min(start + batch_size, total)
            cr.execute(self._vertrieb_upsert_query(fresh, SQL("rn > %s AND rn <= %s", start, end)))
            self.env["ir.cron"]._notify_progress(done=end, remaining=total - end)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        cr.execute(SQL("DROP TABLE %s", fresh))
        _logger.info("Customer care: rhythm of %s customers refreshed (%.0fs)", total, time.monotonic() - started)
        return total

    @api.model
    def _vertrieb_delete_query(self, fresh, stale):
        """The rows of ``stale`` customers that are not in ``fresh`` (no customers anymore)."""
        return SQL(
            "DELETE FROM vertrieb_customer_care c"
            " WHERE (%s) AND NOT EXISTS (SELECT 1 FROM %s f WHERE f.partner_id = c.partner_id)",
            stale,
            fresh,
        )

    @api.model
    def _vertrieb_upsert_query(self, fresh, where):
        """The rows of ``fresh`` (filtered by ``where``) written where their values changed."""
        columns = SQL(", ").join(SQL.identifier(col) for col in CARE_COLUMNS)
        return SQL(
            """
            INSERT INTO vertrieb_customer_care AS c (partner_id, %(columns)s, churn_notified, refreshed_on)
            SELECT partner_id, %(columns)s, FALSE, %(now)s FROM %(fresh)s WHERE %(where)s
            ON CONFLICT (partner_id) DO UPDATE
               SET (%(columns)s) = (%(excluded)s),
                   churn_notified = c.churn_notified AND excluded.churn_risk,
                   refreshed_on = excluded.refreshed_on
             WHERE (%(stored)s) IS DISTINCT FROM (%(excluded)s)
            """,
            columns=columns,
            stored=SQL(", ").join(SQL.identifier("c", col) for col in CARE_COLUMNS),
            excluded=SQL(", ").join(SQL.identifier("excluded", col) for col in CARE_COLUMNS),
            fresh=fresh,
            where=where,
            now=fields.Datetime.now(),
        )

    @api.model
    def _vertrieb_refresh_territories(self):
        """The territories changed: match every customer again (one statement)."""
        for model in ("res.partner", "vertrieb.territory", "vertrieb.territory.range", "vertrieb.customer.care"):
            self.env[model].flush_model()
        self.env.execute_query(
            SQL(
                """
                WITH matched AS (%(match)s)
                UPDATE vertrieb_customer_care c SET territory_id = m.territory_id
                  FROM vertrieb_customer_care c2
                  LEFT JOIN matched m ON m.partner_id = c2.partner_id
                 WHERE c.id = c2.id AND c.territory_id IS DISTINCT FROM m.territory_id
                """,
                match=self.env["vertrieb.territory"]._vertrieb_match_query(
                    SQL(
                        """SELECT p.id, regexp_replace(COALESCE(p.zip, ''), '\\D', '', 'g') AS zip_key,
                                  p.country_id, p.company_id
                             FROM res_partner p JOIN vertrieb_customer_care c ON c.partner_id = p.id"""
                    )
                ),
            )
        )
        self.invalidate_model(["territory_id"])

    # ------------------------------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_vertrieb_care(self):
        """Nightly: refresh every customer's rhythm, then plan the contact-due and churn activities
        of the companies that asked for them."""
        self._vertrieb_refresh(commit=True)
        self._vertrieb_plan_due_activities()
        self._vertrieb_plan_churn_activities()

    @api.model
    def _vertrieb_plan_due_activities(self):
        """Plan a call "contact due" for the responsible salesperson of each due customer that has
        nothing planned, at most the company's cap per salesperson and day (counting the ones
        created today already), A customers and the most overdue first; never for customers that
        customer care may not process (restriction, objection). Returns the activities created."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("mail.mail_activity_data_call")
        Activity = self.env["mail.activity"].sudo()
        created = Activity
        for company in self.env["res.company"].sudo().search([("vertrieb_care_auto_activity", "=", True)]):
            candidates = (
                self.sudo()
                .search(
                    [
                        ("company_id", "in", [company.id, False]),
                        ("next_contact_due", "<=", today),
                        ("next_planned_date", "=", False),
                        ("care_allowed", "=", True),
                        ("user_id", "!=", False),
                        ("user_id.active", "=", True),
                    ]
                )
                .sorted(lambda c: (c.abc_class or "z", c.next_contact_due, c.id))
            )
            # enforcement, not only the stored flag: the purpose as it is now
            allowed = self._vertrieb_filter_allowed(candidates.partner_id)
            # the start of that local day in UTC, as create_date is stored (an unknown time zone
            # counts as UTC, as for context_today)
            try:
                tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
            except pytz.UnknownTimeZoneError:
                tz = pytz.utc
            start_today = tz.localize(datetime.combine(today, datetime.min.time())).astimezone(pytz.utc)
            start_today = start_today.replace(tzinfo=None)
            done_today = dict(
                Activity._read_group(
                    [
                        ("activity_type_id", "=", activity_type.id),
                        ("res_model", "=", "res.partner"),
                        ("automated", "=", True),
                        ("create_date", ">=", start_today),
                        ("user_id", "in", candidates.user_id.ids),
                    ],
                    ["user_id"],
                    ["__count"],
                )
            )
            counts = {user: done_today.get(user, 0) for user in candidates.user_id}
            vals_list = []
            for care in candidates:
                if care.partner_id not in allowed or counts[care.user_id] >= company.vertrieb_care_daily_cap:
                    continue
                counts[care.user_id] += 1
                summary = reader_env(self.env, care.user_id)._("Contact due")
                vals_list.append(care._vertrieb_activity_vals(activity_type, care.user_id, summary))
            if vals_list:
                created |= Activity.with_context(mail_activity_quick_update=True).create(vals_list)
        return created

    @api.model
    def _vertrieb_plan_churn_activities(self):
        """A to-do "churn risk" for the responsible salesperson of each customer newly at risk, in
        the companies that asked for it (once per risk: again only after the risk went away)."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        companies = self.env["res.company"].sudo().search([("vertrieb_churn_activity", "=", True)])
        if not companies:
            return self.env["mail.activity"]
        risks = self.sudo().search(
            [
                ("company_id", "in", [*companies.ids, False]),
                ("churn_risk", "=", True),
                ("churn_notified", "=", False),
                ("user_id", "!=", False),
            ]
        )
        allowed = self._vertrieb_filter_allowed(risks.partner_id)
        risks = risks.filtered(lambda care: care.partner_id in allowed)
        vals_list = [
            care._vertrieb_activity_vals(
                activity_type, care.user_id, reader_env(self.env, care.user_id)._("Churn risk: revenue dropped"), today
            )
            for care in risks
        ]
        activities = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        risks.sudo()._vertrieb_mark_churn_notified()
        return activities

    def _vertrieb_mark_churn_notified(self):
        self.env.execute_query(
            SQL("UPDATE vertrieb_customer_care SET churn_notified = TRUE WHERE id = ANY(%s)", self.ids)
        )
        self.invalidate_recordset(["churn_notified"])

    @api.model
    def _vertrieb_filter_allowed(self, partners):
        if "vertrieb.privacy.purpose" not in self.env:
            return partners
        return partners._vertrieb_filter_purpose("customer_care")

    def _vertrieb_activity_vals(self, activity_type, user, summary, deadline=None):
        self.ensure_one()
        return {
            "activity_type_id": activity_type.id,
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.partner_id.id,
            "user_id": user.id,
            "summary": summary,
            "date_deadline": deadline or fields.Date.context_today(self),
            "automated": True,
        }

    # ------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------

    def action_open_partner(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [(False, "form")],
        }

    def action_plan_call(self):
        return self._vertrieb_plan_contact("mail.mail_activity_data_call", self.env._("Call customer"))

    def action_plan_visit(self):
        return self._vertrieb_plan_contact("mail.mail_activity_data_meeting", self.env._("Visit customer"))

    def _vertrieb_plan_contact(self, activity_xmlid, summary):
        """One click in the work list: an activity of a contact type, due today, for the current
        user, on each customer of ``self`` (read under the user's record rules)."""
        self.check_access("read")
        refused = self.partner_id - self._vertrieb_filter_allowed(self.partner_id)
        if refused:
            raise UserError(
                self.env._(
                    "Data protection: customer care may not contact %(customers)s (restricted or objected).",
                    customers=", ".join(refused.mapped("display_name")),
                )
            )
        activity_type = self.env.ref(activity_xmlid)
        vals_list = []
        for care in self:
            vals = care._vertrieb_activity_vals(activity_type, self.env.user, summary)
            vals["automated"] = False
            vals_list.append(vals)
        # the new activities mark their customers for a refresh (models/care/mail_activity.py)
        self.env["mail.activity"].create(vals_list)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s contacts planned for today.", count=len(vals_list)),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_vertrieb_refresh(self):
        """Refresh the rhythm of the customers shown (any salesperson, under their record rules)."""
        self.check_access("read")
        self.sudo()._vertrieb_refresh(self.partner_id.ids)
        return {"type": "ir.actions.client", "tag": "soft_reload"}
