import logging
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models, modules
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL

from . import quality_tools as qt

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------------------------------
    # ACQUISITION: Acquisition process (Neukundengewinnung)
    # ------------------------------------------------------------------------------------------

    # ------------------------------------------------------------------------------------------
    # KPI: Activity-rate KPIs, customer value (Schlagzahl-Management)
    # ------------------------------------------------------------------------------------------

    # the values live in their own narrow table (see vertrieb.customer.value): the partner links
    # to its row once, the nightly recompute writes only that table
    vertrieb_value_id = fields.Many2one(
        "vertrieb.customer.value", string="Customer Value", readonly=True, copy=False, index="btree_not_null"
    )
    vertrieb_revenue_12m = fields.Monetary(
        "Revenue (12 Months)",
        related="vertrieb_value_id.revenue_12m",
        currency_field="currency_id",
        help="Customer value: posted customer invoices minus credit notes of the last 12 months, in company "
        "currency, over the commercial partner and its contacts. Recomputed nightly and on demand.",
    )
    vertrieb_revenue_total = fields.Monetary(
        "Lifetime Revenue",
        related="vertrieb_value_id.revenue_total",
        currency_field="currency_id",
        help="Customer value: all posted customer invoices minus credit notes, in company currency.",
    )
    vertrieb_abc_class = fields.Selection(
        related="vertrieb_value_id.abc_class",
        string="ABC Class",
        help="A: the customers making up the first 80% of the revenue of the last 12 months, B: the next 15%, "
        "C: the rest (thresholds in the settings). Empty for partners never invoiced.",
    )
    vertrieb_value_date = fields.Datetime("Customer Value Computed On", related="vertrieb_value_id.value_date")

    def _vertrieb_customer_value_query(self):
        """One SQL aggregate: revenue (12 months, lifetime) and ABC class per commercial partner, for
        every partner whose stored values differ from the fresh ones (with its value row, if any,
        and whether the partner still has to be linked to it)."""
        company = self.env.company
        since = fields.Date.context_today(self) - relativedelta(months=12)
        return SQL(
            """
            WITH revenue AS (
                SELECT m.commercial_partner_id AS partner_id,
                       COALESCE(SUM(-l.balance) FILTER (WHERE m.invoice_date > %(since)s), 0) AS revenue_12m,
                       SUM(-l.balance) AS revenue_total
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND l.display_type = 'product'
                   AND m.commercial_partner_id IS NOT NULL
                 GROUP BY m.commercial_partner_id
            ),
            ranked AS (
                SELECT partner_id, revenue_12m, revenue_total,
                       SUM(GREATEST(revenue_12m, 0)) OVER (
                           ORDER BY revenue_12m DESC, partner_id ROWS UNBOUNDED PRECEDING
                       ) - GREATEST(revenue_12m, 0) AS revenue_before,
                       SUM(GREATEST(revenue_12m, 0)) OVER () AS revenue_all
                  FROM revenue
            ),
            classified AS (
                SELECT partner_id, revenue_12m, revenue_total,
                       CASE WHEN revenue_12m <= 0 THEN 'c'
                            WHEN revenue_before < revenue_all * %(a_share)s THEN 'a'
                            WHEN revenue_before < revenue_all * %(ab_share)s THEN 'b'
                            ELSE 'c' END AS abc_class
                  FROM ranked
            )
            SELECT p.id AS partner_id, COALESCE(c.revenue_12m, 0) AS revenue_12m,
                   COALESCE(c.revenue_total, 0) AS revenue_total, s.abc_class, v.id AS value_id,
                   p.vertrieb_value_id IS DISTINCT FROM v.id AS unlinked
              FROM res_partner p
              LEFT JOIN classified c ON c.partner_id = p.id
              LEFT JOIN vertrieb_customer_value v ON v.partner_id = p.id
              -- the ABC class is scoring: only for partners allowed for customer care (Zweckbindung)
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN p.id IN (%(allowed)s) THEN c.abc_class END AS abc_class
              ) s
             WHERE (c.partner_id IS NOT NULL OR v.id IS NOT NULL)
               AND (v.id IS NULL OR p.vertrieb_value_id IS DISTINCT FROM v.id
                    OR v.revenue_12m IS DISTINCT FROM COALESCE(c.revenue_12m, 0)
                    OR v.revenue_total IS DISTINCT FROM COALESCE(c.revenue_total, 0)
                    OR v.abc_class IS DISTINCT FROM s.abc_class)
             ORDER BY p.id
            """,
            allowed=self._vertrieb_scoring_allowed_query(),
            since=since,
            a_share=company.vertrieb_abc_a_share / 100.0,
            ab_share=(company.vertrieb_abc_a_share + company.vertrieb_abc_b_share) / 100.0,
        )

    @api.model
    def _vertrieb_scoring_allowed_query(self):
        """SQL selecting the partners whose data may be used for scoring (ABC class): purpose
        "customer_care" (Kundenbetreuung, Art. 6(1)(f)) — not restricted, not anonymised, no objection."""
        partners = self.sudo().with_context(active_test=False)
        return partners._search(partners._vertrieb_purpose_domain("customer_care")).select()

    @api.model
    def _vertrieb_recompute_customer_value(self, batch_size=10000, commit=False):
        """Recompute customer value and ABC class of all customers: one aggregate query into a
        temporary table, then the changed values are written in batches into
        ``vertrieb.customer.value`` (progress reported to the cron, committed per batch when
        ``commit``). A customer valued for the first time gets its row and is linked to it: the
        only write into ``res_partner``. Returns the number of customers whose values changed."""
        for model in ("account.move", "account.move.line", "res.partner", "vertrieb.customer.value"):
            self.env[model].flush_model()
        cr = self.env.cr
        fresh = SQL.identifier("vertrieb_customer_value_fresh")
        cr.execute(SQL("DROP TABLE IF EXISTS %s", fresh))
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE %s AS SELECT row_number() OVER (ORDER BY q.partner_id) AS rn, q.* FROM (%s) q",
                fresh,
                self._vertrieb_customer_value_query(),
            )
        )
        total = cr.rowcount
        cr.execute(SQL("ANALYZE %s", fresh))
        now = fields.Datetime.now()
        for start in range(0, total, batch_size):
            end = min(start + batch_size, total)
            self.env.execute_query(
                SQL(
                    """
                    WITH batch AS (
                        SELECT * FROM %(fresh)s WHERE rn > %(start)s AND rn <= %(end)s
                    ), updated AS (
                        UPDATE vertrieb_customer_value v
                           SET revenue_12m = b.revenue_12m, revenue_total = b.revenue_total,
                               abc_class = b.abc_class, value_date = %(now)s
                          FROM batch b
                         WHERE v.id = b.value_id
                    ), inserted AS (
                        INSERT INTO vertrieb_customer_value AS v
                               (partner_id, revenue_12m, revenue_total, abc_class, value_date)
                        SELECT partner_id, revenue_12m, revenue_total, abc_class, %(now)s
                          FROM batch WHERE value_id IS NULL
                        RETURNING v.id, v.partner_id
                    ), links AS (
                        SELECT id, partner_id FROM inserted
                         UNION ALL
                        SELECT value_id, partner_id FROM batch WHERE value_id IS NOT NULL AND unlinked
                    )
                    UPDATE res_partner p SET vertrieb_value_id = l.id FROM links l WHERE p.id = l.partner_id
                    """,
                    fresh=fresh,
                    start=start,
                    end=end,
                    now=now,
                )
            )
            self.env["ir.cron"]._notify_progress(done=end, remaining=total - end)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        cr.execute(SQL("DROP TABLE %s", fresh))
        self.env["vertrieb.customer.value"].invalidate_model()
        self.invalidate_model(
            [
                "vertrieb_value_id",
                "vertrieb_revenue_12m",
                "vertrieb_revenue_total",
                "vertrieb_abc_class",
                "vertrieb_value_date",
            ]
        )
        return total

    @api.model
    def _cron_vertrieb_customer_value(self):
        self._vertrieb_recompute_customer_value(commit=True)

    def action_vertrieb_recompute_customer_value(self):
        """On demand (sales managers): the ABC class depends on all customers, so all are recomputed."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers can recompute the customer values."))
        count = self._vertrieb_recompute_customer_value()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Customer values recomputed: %(count)s partners updated.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_vertrieb_open_invoiced_sales(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_vertrieb.vertrieb_kpi_sales_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    # ------------------------------------------------------------------------------------------
    # COMPLAINT: Complaints (Beschwerde- und Reklamationsmanagement)
    # ------------------------------------------------------------------------------------------

    complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_complaint_count",
        help="Complaints and claims of this customer (its commercial partner) visible to you.",
    )

    def _compute_complaint_count(self):
        counts = {}
        complaint_model = self.env["vertrieb.complaint"]
        if self.ids and complaint_model.has_access("read"):
            counts = dict(
                complaint_model._read_group(
                    [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return self.env["vertrieb.complaint"]._action_for_domain(
            [("partner_id", "=", partner.id)], {"default_partner_id": partner.id}
        )

    # ------------------------------------------------------------------------------------------
    # QUALITY: Information quality (Informationsqualität)
    # ------------------------------------------------------------------------------------------

    # Keys of the duplicate detection (stored, indexed; filled by the ORM on create/write)
    vertrieb_name_key = fields.Char(
        string="Name Key",
        compute="_compute_vertrieb_dup_keys",
        store=True,
        index="trigram",
        help="Normalised name (umlauts spelled out, legal forms and punctuation removed) "
        "compared by trigram similarity.",
    )
    vertrieb_phonetic_key = fields.Char(
        string="Phonetic Key",
        compute="_compute_vertrieb_dup_keys",
        store=True,
        index="btree_not_null",
        help="Kölner Phonetik codes of the name's words, sorted.",
    )
    vertrieb_email_key = fields.Char(
        string="E-mail Key", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_email_domain = fields.Char(
        string="E-mail Domain", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_phone_key = fields.Char(
        string="Phone Key", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_vat_key = fields.Char(
        string="VAT Key", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_website_domain = fields.Char(
        string="Website Domain", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_zip_area = fields.Char(
        string="ZIP Area", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_street_key = fields.Char(string="Street Key", compute="_compute_vertrieb_dup_keys", store=True)
    # Quality score
    vertrieb_quality_score = fields.Integer(
        string="Quality Score",
        compute="_compute_vertrieb_quality",
        store=True,
        aggregator="avg",
        help="Information quality 0-100 from completeness, validity, consistency, uniqueness and "
        "timeliness, weighted as configured in the settings.",
    )
    vertrieb_quality_problem_count = fields.Integer(
        string="Quality Problems", compute="_compute_vertrieb_quality", store=True, aggregator="sum"
    )
    vertrieb_quality_level = fields.Selection(
        [("good", "Good"), ("fair", "Fair"), ("poor", "Poor")],
        string="Quality Level",
        compute="_compute_vertrieb_quality",
        store=True,
    )
    vertrieb_quality_parts = fields.Char(
        string="Quality Data Parts",
        compute="_compute_vertrieb_quality",
        store=True,
        help="Technical: completeness, validity and consistency of the data and their problem count, "
        "kept so that the daily recompute only applies uniqueness, timeliness and the weights again.",
    )
    vertrieb_quality_date = fields.Date(
        string="Score Changed On",
        compute="_compute_vertrieb_quality",
        store=True,
        help="When the score last changed, or the data it is computed from. The daily recompute "
        "leaves unchanged scores (and this date) alone.",
    )
    vertrieb_quality_problems = fields.Html(
        string="Quality Problems List", compute="_compute_vertrieb_quality_problems", sanitize=False
    )
    vertrieb_verified_date = fields.Datetime(
        string="Verified On", readonly=True, copy=False, tracking=True, help="When the data was last confirmed."
    )
    vertrieb_verified_by_id = fields.Many2one("res.users", string="Verified By", readonly=True, copy=False)
    vertrieb_duplicate_hint_ids = fields.Many2many(
        "res.partner",
        string="Likely Duplicates",
        compute="_compute_vertrieb_duplicate_hint_ids",
        help="Existing contacts that look like this new one (shown before saving).",
    )

    _VERTRIEB_KEY_FIELDS = (
        "vertrieb_name_key",
        "vertrieb_phonetic_key",
        "vertrieb_email_key",
        "vertrieb_email_domain",
        "vertrieb_phone_key",
        "vertrieb_vat_key",
        "vertrieb_website_domain",
        "vertrieb_zip_area",
        "vertrieb_street_key",
    )
    # what the quality score depends on (ORM recompute on write) and the stored results
    _VERTRIEB_QUALITY_DEPENDS_COLUMNS = (
        "name",
        "is_company",
        "type",
        "parent_id",
        "street",
        "zip",
        "city",
        "country_id",
        "vat",
        "email",
        "phone",
        "mobile",
        "function",
        "vertrieb_verified_date",
    )
    _VERTRIEB_QUALITY_DEPENDS = (*_VERTRIEB_QUALITY_DEPENDS_COLUMNS, "bank_ids.acc_number")
    _VERTRIEB_QUALITY_FIELDS = (
        "vertrieb_quality_parts",
        "vertrieb_quality_score",
        "vertrieb_quality_problem_count",
        "vertrieb_quality_level",
        "vertrieb_quality_date",
    )

    @api.model
    def _vertrieb_keys_from_values(self, name, email, phone, vat, website, zip_code, street, country_code):
        return {
            "vertrieb_name_key": qt.name_key(name),
            "vertrieb_phonetic_key": qt.phonetic_key(name),
            "vertrieb_email_key": qt.email_key(email),
            "vertrieb_email_domain": qt.email_domain(email),
            "vertrieb_phone_key": qt.phone_key(phone, country_code),
            "vertrieb_vat_key": qt.vat_key(vat),
            "vertrieb_website_domain": qt.website_domain(website),
            "vertrieb_zip_area": qt.zip_area(zip_code, country_code),
            "vertrieb_street_key": qt.street_key(street),
        }

    def _vertrieb_keys(self):
        """The duplicate keys of one partner, from its current (possibly unsaved) values."""
        self.ensure_one()
        return self._vertrieb_keys_from_values(
            self.name,
            self.email,
            self.phone or self.mobile,
            self.vat,
            self.website,
            self.zip,
            self.street,
            self.country_id.code,
        )

    @api.depends("name", "email", "phone", "mobile", "vat", "website", "zip", "street", "country_id")
    def _compute_vertrieb_dup_keys(self):
        for partner in self:
            partner.update(partner._vertrieb_keys())

    @api.depends(*_VERTRIEB_QUALITY_DEPENDS)
    def _compute_vertrieb_quality(self):
        """Score of partners whose data changed (ORM, on create/write); the cron uses the faster
        ``_vertrieb_quality_refresh``. Both evaluate with ``_vertrieb_quality_scores``."""
        results = self._vertrieb_quality_evaluate()
        today = fields.Date.context_today(self)
        for partner in self:
            score, problems, parts = results[partner.id]
            partner.vertrieb_quality_parts = parts
            partner.vertrieb_quality_score = score
            partner.vertrieb_quality_problem_count = len(problems)
            partner.vertrieb_quality_level = self._vertrieb_quality_level(score)
            partner.vertrieb_quality_date = today

    @api.depends_context("lang")
    @api.depends("vertrieb_quality_score")
    def _compute_vertrieb_quality_problems(self):
        results = self._vertrieb_quality_evaluate()
        for partner in self:
            problems = results[partner.id][1]
            partner.vertrieb_quality_problems = (
                Markup("<ul class='mb-0'>%s</ul>") % Markup().join(Markup("<li>%s</li>") % escape(p) for p in problems)
                if problems
                else False
            )

    @api.model
    def _vertrieb_quality_level(self, score):
        return "good" if score >= 80 else "fair" if score >= 50 else "poor"

    def _vertrieb_open_duplicate_counts(self):
        """Open duplicate candidates per partner id (one grouped query for the whole batch)."""
        ids = [pid for pid in self.ids if isinstance(pid, int)]
        counts = dict.fromkeys(ids, 0)
        if not ids:
            return counts
        self.env["vertrieb.partner.duplicate"].flush_model(["partner_a_id", "partner_b_id", "state"])
        rows = self.env.execute_query(
            SQL(
                """SELECT pid, count(*) FROM (
                       SELECT partner_a_id AS pid FROM vertrieb_partner_duplicate
                        WHERE state = 'open' AND partner_a_id = ANY(%(ids)s)
                       UNION ALL
                       SELECT partner_b_id FROM vertrieb_partner_duplicate
                        WHERE state = 'open' AND partner_b_id = ANY(%(ids)s)) d
                 GROUP BY pid""",
                ids=ids,
            )
        )
        counts.update(rows)
        return counts

    def _vertrieb_quality_facts(self):
        """What the score is computed from, as plain values (also for unsaved records)."""
        return [
            {
                "id": partner.id,
                "name": partner.name,
                "is_company": partner.is_company,
                "type": partner.type,
                "parent_id": partner.parent_id.id,
                "street": partner.street,
                "zip": partner.zip,
                "city": partner.city,
                "country_id": partner.country_id.id,
                "country_code": partner.country_id.code or False,
                "vat": partner.vat,
                "email": partner.email,
                "phone": partner.phone,
                "mobile": partner.mobile,
                "function": partner.function,
                "verified": partner.vertrieb_verified_date,
                "ibans": partner.bank_ids.mapped("acc_number"),
            }
            for partner in self
        ]

    @api.model
    def _vertrieb_quality_settings(self):
        """Weights, verification age, EU countries and the fixed messages, once per evaluation."""
        company = self.env.company
        weights = {
            "completeness": max(company.vertrieb_quality_weight_completeness, 0),
            "validity": max(company.vertrieb_quality_weight_validity, 0),
            "consistency": max(company.vertrieb_quality_weight_consistency, 0),
            "uniqueness": max(company.vertrieb_quality_weight_uniqueness, 0),
            "timeliness": max(company.vertrieb_quality_weight_timeliness, 0),
        }
        max_age = company.vertrieb_quality_verify_days or 365
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        _ = self.env._
        return {
            "weights": weights,
            "total_weight": sum(weights.values()) or 1,
            "max_age": max_age,
            "limit": fields.Datetime.now() - timedelta(days=max_age),
            "eu_codes": set(europe.country_ids.mapped("code")) if europe else set(),
            "missing": {
                "name": _("Name missing"),
                "function": _("Job position missing"),
                "contact": _("E-mail or phone missing"),
                "street": _("Street missing"),
                "zip": _("ZIP code missing"),
                "city": _("City missing"),
                "country": _("Country missing"),
                "vat": _("VAT number missing (needed for B2B customers in the EU)"),
            },
            "never_verified": _("Never verified"),
        }

    @api.model
    def _vertrieb_quality_completeness(self, facts, settings):
        """Share of the fields the partner's role needs that are filled, and what is missing."""
        has_contact = facts["email"] or facts["phone"] or facts["mobile"]
        if facts["type"] == "contact" and facts["parent_id"] and not facts["is_company"]:
            required = [(facts["name"], "name"), (facts["function"], "function"), (has_contact, "contact")]
        else:
            required = [
                (facts["name"] or facts["type"] != "contact", "name"),
                (facts["street"], "street"),
                (facts["zip"], "zip"),
                (facts["city"], "city"),
                (facts["country_id"], "country"),
            ]
            if facts["is_company"] and facts["country_code"] in settings["eu_codes"]:
                required.append((facts["vat"], "vat"))
            if facts["type"] == "contact" and not facts["is_company"]:
                required.append((has_contact, "contact"))
        missing = [what for present, what in required if not present]
        if not missing:
            return 1, []
        return 1 - len(missing) / len(required), [settings["missing"][what] for what in missing]

    @api.model
    def _vertrieb_quality_validity(self, facts, cache):
        """Share of the filled values that are valid, and the reasons of the invalid ones.
        ``cache`` keeps the validators' answers per distinct value (ZIPs, domains, VATs repeat)."""
        code = facts["country_code"]
        env = self.env
        checks = []
        for kind, value, func in (
            ("email", facts["email"], lambda v: qt.check_email(env, v)),
            ("phone", facts["phone"], lambda v: self._vertrieb_phone_facts(v, code, cache)[0]),
            ("phone", facts["mobile"], lambda v: self._vertrieb_phone_facts(v, code, cache)[0]),
            ("vat", facts["vat"], lambda v: qt.check_vat(env, v, code)),
            *(("iban", acc, lambda v: qt.check_iban(env, v)) for acc in facts["ibans"] if acc),
            ("zip", facts["zip"], lambda v: qt.check_zip(env, v, code)),
        ):
            if not value:
                continue
            key = (kind, value, code)
            if key not in cache:
                cache[key] = func(value)
            checks.append(cache[key])
        invalid = [reason for reason in checks if reason]
        return (1 - len(invalid) / len(checks) if checks else 1), invalid

    @api.model
    def _vertrieb_phone_facts(self, number, code, cache):
        """``(invalid reason, region of an international number)``, parsed once per number."""
        key = ("phone_facts", number, code)
        if key not in cache:
            cache[key] = qt.check_phone_region(self.env, number, code)
        return cache[key]

    @api.model
    def _vertrieb_quality_consistency(self, facts, cache):
        """Phone prefixes and VAT prefix against the country."""
        code = facts["country_code"]
        if not code:
            return 1, []
        problems, checks = [], 0
        for number in (facts["phone"], facts["mobile"]):
            if not number:
                continue
            region = self._vertrieb_phone_facts(number, code, cache)[1]
            if region:
                checks += 1
                if region != code:
                    problems.append(
                        self.env._(
                            "Phone prefix of %(number)s belongs to %(region)s, the country is %(code)s",
                            number=number[:40],
                            region=region,
                            code=code,
                        )
                    )
        vat_code = qt.vat_country(facts["vat"])
        if vat_code:
            checks += 1
            if vat_code != code:
                problems.append(
                    self.env._(
                        "VAT number prefix %(prefix)s does not match the country %(code)s",
                        prefix=vat_code,
                        code=code,
                    )
                )
        return (1 - len(problems) / checks if checks else 1), problems

    @api.model
    def _vertrieb_quality_data_parts(self, facts, settings, cache):
        """The dimensions that only change with the partner's data: ``(parts, problems)`` with
        ``parts`` = (completeness, validity, consistency) in 0..1."""
        parts, problems = [], []
        for value, reasons in (
            self._vertrieb_quality_completeness(facts, settings),
            self._vertrieb_quality_validity(facts, cache),
            self._vertrieb_quality_consistency(facts, cache),
        ):
            parts.append(value)
            problems += reasons
        return tuple(parts), problems

    @api.model
    def _vertrieb_quality_combine(self, settings, parts, open_dups, verified):
        """Score 0-100 from the data parts, the open duplicate count and the verification date."""
        weights = settings["weights"]
        fresh = bool(verified and verified >= settings["limit"])
        values = (*parts, 0 if open_dups else 1, 1 if fresh else 0)
        score = sum(
            weights[dimension] * value
            for dimension, value in zip(
                ("completeness", "validity", "consistency", "uniqueness", "timeliness"), values, strict=True
            )
        )
        return round(score / settings["total_weight"] * 100), fresh

    @api.model
    def _vertrieb_quality_parts_string(self, parts, problem_count):
        """Stored form of the data parts (exact float round trip) and their problem count."""
        return ";".join([*(repr(value) for value in parts), str(problem_count)])

    @api.model
    def _vertrieb_quality_scores(self, facts_list, dup_counts, cache=None):
        """Score, German problem list and stored data parts per partner:
        ``{id: (score, [reasons], parts string)}``.

        ``facts_list``: dicts of ``_vertrieb_quality_facts``; ``dup_counts``: open duplicate
        candidates per id; ``cache``: validator answers per distinct value, may be shared by batches.
        """
        settings = self._vertrieb_quality_settings()
        cache = {} if cache is None else cache
        results = {}
        for facts in facts_list:
            parts, problems = self._vertrieb_quality_data_parts(facts, settings, cache)
            parts_string = self._vertrieb_quality_parts_string(parts, len(problems))
            open_dups = dup_counts.get(facts["id"], 0)
            verified = facts["verified"]
            score, fresh = self._vertrieb_quality_combine(settings, parts, open_dups, verified)
            if open_dups:
                problems.append(self.env._("%(count)s possible duplicate(s) not yet checked", count=open_dups))
            if not verified:
                problems.append(settings["never_verified"])
            elif not fresh:
                problems.append(
                    self.env._(
                        "Last verified on %(date)s, more than %(days)s days ago",
                        date=fields.Date.to_string(verified.date()),
                        days=settings["max_age"],
                    )
                )
            results[facts["id"]] = (score, problems, parts_string)
        return results

    def _vertrieb_quality_evaluate(self):
        """Score and problem list per partner of this recordset (see ``_vertrieb_quality_scores``)."""
        return self._vertrieb_quality_scores(self._vertrieb_quality_facts(), self._vertrieb_open_duplicate_counts())

    def _vertrieb_quality_refresh(self, cache=None, full=False):
        """Recompute the stored score of these (saved) partners from the database and write only
        the rows whose score, problem count or level changed, in one UPDATE. Returns that count.

        Faster than the ORM recompute for many partners: one narrow SELECT instead of prefetching
        all partner columns, no UPDATE for unchanged rows (the daily cron mostly finds the same
        score) and no per-value-group UPDATEs. The dimensions that only change with the partner's
        data (completeness, validity, consistency) are stored as ``vertrieb_quality_parts`` when
        the data changes; here they are reused, so only uniqueness, timeliness and the weights are
        applied again. ``full`` (or missing parts) runs the validators, cached per distinct value."""
        ids = [pid for pid in self.ids if isinstance(pid, int)]
        if not ids:
            return 0
        self.flush_model([*self._VERTRIEB_QUALITY_DEPENDS_COLUMNS, *self._VERTRIEB_QUALITY_FIELDS])
        self.env["res.partner.bank"].flush_model(["partner_id", "acc_number", "active"])
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, p.vertrieb_verified_date, p.vertrieb_quality_parts,
                          p.vertrieb_quality_score, p.vertrieb_quality_problem_count, p.vertrieb_quality_level
                     FROM res_partner p
                    WHERE p.id = ANY(%s)""",
                ids,
            )
        )
        settings = self._vertrieb_quality_settings()
        dup_counts = self._vertrieb_open_duplicate_counts()
        stale = [row[0] for row in rows if full or not row[2]]
        evaluated = self.browse(stale)._vertrieb_quality_scores_from_db(dup_counts, cache) if stale else {}
        changed = []
        for pid, verified, old_parts, *old in rows:
            parts_string = old_parts
            if pid in evaluated:
                score, problems, parts_string = evaluated[pid]
                problem_count = len(problems)
            else:
                *parts, data_problems = parts_string.split(";")
                open_dups = dup_counts.get(pid, 0)
                score, fresh = self._vertrieb_quality_combine(settings, [float(p) for p in parts], open_dups, verified)
                problem_count = int(data_problems) + bool(open_dups) + (not fresh)
            new = (score, problem_count, self._vertrieb_quality_level(score))
            if (*new, parts_string) != (*old, old_parts):
                changed.append((pid, *new, parts_string))
        for start in range(0, len(changed), 5000):
            self.env.execute_query(
                SQL(
                    """UPDATE res_partner p
                          SET vertrieb_quality_score = v.score, vertrieb_quality_problem_count = v.problem_count,
                              vertrieb_quality_level = v.level, vertrieb_quality_parts = v.parts,
                              vertrieb_quality_date = CASE
                                  WHEN (p.vertrieb_quality_score, p.vertrieb_quality_problem_count,
                                        p.vertrieb_quality_level)
                                       IS NOT DISTINCT FROM (v.score, v.problem_count, v.level)
                                  THEN p.vertrieb_quality_date ELSE %s END
                         FROM (VALUES %s) AS v(id, score, problem_count, level, parts)
                        WHERE p.id = v.id""",
                    fields.Date.context_today(self),
                    SQL(", ").join(SQL("(%s, %s, %s, %s, %s)", *values) for values in changed[start : start + 5000]),
                )
            )
        if changed:
            self.browse([values[0] for values in changed]).invalidate_recordset(
                [*self._VERTRIEB_QUALITY_FIELDS, "vertrieb_quality_problems"]
            )
        return len(changed)

    def _vertrieb_quality_scores_from_db(self, dup_counts, cache=None):
        """``_vertrieb_quality_scores`` of these partners, their facts read in one narrow SELECT."""
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, p.name, p.is_company, p.type, p.parent_id, p.street, p.zip, p.city,
                          p.country_id, c.code, p.vat, p.email, p.phone, p.mobile, p.function,
                          p.vertrieb_verified_date,
                          ARRAY(SELECT b.acc_number FROM res_partner_bank b
                                 WHERE b.partner_id = p.id AND b.active ORDER BY b.id)
                     FROM res_partner p
                LEFT JOIN res_country c ON c.id = p.country_id
                    WHERE p.id = ANY(%s)""",
                self.ids,
            )
        )
        keys = (
            "id name is_company type parent_id street zip city country_id country_code vat email phone "
            "mobile function verified ibans"
        ).split()
        return self._vertrieb_quality_scores([dict(zip(keys, row, strict=True)) for row in rows], dup_counts, cache)

    def _vertrieb_quality_recompute(self):
        """Recompute the stored score of these partners now (duplicate pairs changed)."""
        self.invalidate_recordset(["vertrieb_quality_problems"])
        return self._vertrieb_quality_refresh()

    @api.model
    def _cron_vertrieb_quality_recompute(self, batch_size=2000):
        """Daily pass over all partners in id order, ``batch_size`` per call (the cron runner calls
        again while ``_notify_progress`` reports some remaining and commits in between).

        Scores change without a write on the partner when a verification ages or the settings
        change; only changed rows are written. The pass position (day, last id, remaining count) is
        kept in the system parameter ``crm_vertrieb.quality_cron_position``; a new day starts a new
        pass."""
        params = self.env["ir.config_parameter"].sudo()
        today = fields.Date.to_string(fields.Date.context_today(self))
        position = (params.get_param("crm_vertrieb.quality_cron_position") or "").split(":")
        Partner = self.with_context(active_test=False)
        if len(position) == 3 and position[0] == today and position[1].isdigit() and position[2].isdigit():
            last_id, remaining = int(position[1]), int(position[2])
        else:  # a new pass: count once, then count down (a count per batch costs more than the batch)
            last_id, remaining = 0, Partner.search_count([])
        partners = Partner.search([("id", ">", last_id)], limit=batch_size, order="id")
        if partners:
            partners._vertrieb_quality_refresh()
            last_id = partners[-1].id
        remaining = max(remaining - len(partners), 0) if len(partners) == batch_size else 0
        params.set_param("crm_vertrieb.quality_cron_position", f"{today}:{last_id}:{remaining}")
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        return len(partners)

    @api.depends("name", "email", "phone", "mobile", "vat", "website", "zip", "street", "country_id")
    def _compute_vertrieb_duplicate_hint_ids(self):
        Pair = self.env["vertrieb.partner.duplicate"]
        for partner in self:
            hints = self.browse()
            if not partner._origin.id and (partner.name or partner.email or partner.vat):
                keys = partner._vertrieb_keys()
                keys.update(
                    zip=partner.zip,
                    city=partner.city,
                    id=0,
                    is_company=partner.is_company,
                    parent_id=partner.parent_id.id,
                )
                found = Pair._vertrieb_find_candidates(keys, limit=5)
                hints = self.browse([pid for pid, _score, _flags in found])
            partner.vertrieb_duplicate_hint_ids = hints

    def action_vertrieb_verify(self):
        """Confirm the data as checked now (timeliness)."""
        self.check_access("write")
        self.write({"vertrieb_verified_date": fields.Datetime.now(), "vertrieb_verified_by_id": self.env.uid})
        return True

    def action_vertrieb_find_duplicates(self):
        """Search and store duplicate candidates of these partners, then show them."""
        self.check_access("read")
        self.env["vertrieb.partner.duplicate"].sudo()._vertrieb_scan_partners(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_vertrieb.vertrieb_partner_duplicate_action")
        action["domain"] = ["|", ("partner_a_id", "in", self.ids), ("partner_b_id", "in", self.ids)]
        action["context"] = {"search_default_open": 1}
        return action

    # ------------------------------------------------------------------------------------------
    # PRIVACY: Data protection by purpose (Zweckbindung)
    # ------------------------------------------------------------------------------------------
    vertrieb_consent_ids = fields.One2many("vertrieb.privacy.consent", "partner_id", string="Purpose Records")
    vertrieb_granted_purpose_ids = fields.Many2many(
        "vertrieb.privacy.purpose",
        string="Granted Purposes",
        compute="_compute_vertrieb_granted_purpose_ids",
        help="Purposes with a granted purpose record in the current company.",
    )
    vertrieb_allowed_purpose = fields.Char(
        string="Allowed Purpose (code)",
        compute="_compute_vertrieb_allowed_purpose",
        search="_search_vertrieb_allowed_purpose",
        help="Search only: ('vertrieb_allowed_purpose', '=', code) selects the partners whose data may be "
        "processed for the purpose with this code.",
    )
    vertrieb_privacy_restricted = fields.Boolean(
        string="Processing Restricted", tracking=True, copy=False, index=True, help="Art. 18 GDPR."
    )
    vertrieb_restriction_kind = fields.Selection(
        [("request", "Restriction request (Art. 18)"), ("retention", "Kept for legal retention (Art. 17(3)(b))")],
        string="Restriction Kind",
        copy=False,
    )
    vertrieb_restriction_reason = fields.Text(string="Restriction Reason", copy=False)
    vertrieb_restriction_date = fields.Date(string="Restricted Since", copy=False)
    vertrieb_legal_hold = fields.Boolean(
        string="Legal Hold", copy=False, tracking=True, help="Never erase or anonymise while set (litigation, audit)."
    )
    vertrieb_relationship_end = fields.Date(
        string="End of Relationship", copy=False, help="Retention periods of the purposes run from this date."
    )
    vertrieb_retention_until = fields.Date(string="Kept Until", copy=False, readonly=True)
    vertrieb_erasure_state = fields.Selection(
        [("restricted", "Erased, kept for retention"), ("anonymised", "Anonymised")],
        string="Erasure",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    vertrieb_anonymised_date = fields.Date(string="Anonymised On", copy=False, readonly=True)
    vertrieb_privacy_review = fields.Boolean(
        string="Retention Review", copy=False, help="Proposed to the data-protection officer for erasure."
    )

    def _compute_vertrieb_granted_purpose_ids(self):
        groups = (
            self.env["vertrieb.privacy.consent"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "=", "granted"),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["purpose_id:recordset"],
            )
        )
        granted = {partner.id: purposes for partner, purposes in groups}
        empty = self.env["vertrieb.privacy.purpose"]
        for partner in self:
            partner.vertrieb_granted_purpose_ids = granted.get(partner._origin.id, empty).sudo(False)

    def _compute_vertrieb_allowed_purpose(self):
        self.vertrieb_allowed_purpose = False

    def _search_vertrieb_allowed_purpose(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, str):
            raise UserError(self.env._("Search the allowed purpose with = or != and a purpose code."))
        domain = self._vertrieb_purpose_domain(value)
        return domain if operator == "=" else ["!", *expression.normalize_domain(domain)]

    @api.model
    def _vertrieb_purpose_domain(self, code):
        """Domain on res.partner: partners whose data may be processed for purpose ``code``.

        Allowed = not anonymised, not restricted (unless the purpose is a legal obligation, Art. 6(1)(c))
        and, for consent-based purposes, a granted purpose record in the current company; for the
        other purposes, no objection (withdrawn record). One SQL sub-query, no per-record work.
        """
        purpose = self.env["vertrieb.privacy.purpose"]._vertrieb_get(code)
        if not purpose:
            return expression.FALSE_DOMAIN
        consents = self.env["vertrieb.privacy.consent"].sudo().with_context(active_test=False)
        base = [("company_id", "=", self.env.company.id), ("purpose_id", "=", purpose.id)]
        domain = [("vertrieb_erasure_state", "!=", "anonymised")]
        if purpose.legal_basis != "c":
            domain.append(("vertrieb_privacy_restricted", "=", False))
        column = SQL.identifier(consents._table, "partner_id")
        if purpose.consent_required:
            query = consents._search([*base, ("state", "=", "granted")])
            domain.append(("id", "in", query.subselect(column)))
        else:
            query = consents._search([*base, ("state", "=", "withdrawn")])
            domain.append(("id", "not in", query.subselect(column)))
        return domain

    def _vertrieb_filter_purpose(self, code):
        """Public enforcement filter: the partners of ``self`` that may be processed for ``code``.

        One query for the purpose and one for the partners, whatever the size of ``self``.
        """
        if not self:
            return self
        allowed = (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "in", self.ids), *self._vertrieb_purpose_domain(code)])
        )
        return self.browse(allowed.ids)

    def _vertrieb_check_purpose(self, code):
        """Public enforcement check: raise a UserError unless every partner of ``self`` may be processed
        for the purpose ``code``."""
        purpose = self.env["vertrieb.privacy.purpose"]._vertrieb_get(code)
        if not purpose:
            raise UserError(self.env._("Unknown processing purpose “%(code)s”.", code=code))
        refused = self - self._vertrieb_filter_purpose(code)
        if refused:
            names = ", ".join(refused[:5].mapped("display_name"))
            if all(p.vertrieb_privacy_restricted or p.vertrieb_erasure_state for p in refused):
                reason = self.env._("processing is restricted (Art. 18 GDPR)")
            elif purpose.consent_required:
                reason = self.env._("there is no granted consent")
            else:
                reason = self.env._("the person objected (Art. 21 GDPR)")
            raise UserError(
                self.env._(
                    "Purpose limitation: %(partners)s may not be processed for “%(purpose)s”: %(reason)s.",
                    partners=names,
                    purpose=purpose.name,
                    reason=reason,
                )
            )
        return True

    @api.model
    def _vertrieb_privacy_personal_fields(self):
        """Fields holding personal data: blocked for restricted partners, cleared by anonymisation."""
        return {
            "name",
            "email",
            "phone",
            "mobile",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "country_id",
            "vat",
            "website",
            "function",
            "title",
            "comment",
            "ref",
            "image_1920",
            "category_id",
            "parent_id",
            "lang",
            "user_id",
            "bank_ids",
            "child_ids",
        }

    def _vertrieb_privacy_check_write(self, vals):
        if self.env.su or self.env.context.get("vertrieb_privacy_bypass"):
            return
        if self.env.user.has_group("crm_vertrieb.group_dpo"):
            return
        officer_fields = {
            "vertrieb_privacy_restricted",
            "vertrieb_restriction_kind",
            "vertrieb_restriction_reason",
            "vertrieb_restriction_date",
            "vertrieb_legal_hold",
            "vertrieb_privacy_review",
        }
        if officer_fields.intersection(vals):
            raise UserError(self.env._("Only the data-protection officer may restrict processing or set a legal hold."))
        if self._vertrieb_privacy_personal_fields().intersection(vals) and any(
            partner.vertrieb_privacy_restricted for partner in self
        ):
            raise UserError(
                self.env._(
                    "Processing of %(partner)s is restricted (Art. 18 GDPR): only the data-protection officer "
                    "may edit it.",
                    partner=self.filtered("vertrieb_privacy_restricted")[:1].display_name,
                )
            )

    def write(self, vals):
        self._vertrieb_privacy_check_write(vals)
        return super().write(vals)

    # Rights of the data subject -----------------------------------------------------------------
    def _vertrieb_privacy_check_officer(self):
        if not (self.env.su or self.env.user.has_group("crm_vertrieb.group_dpo")):
            raise AccessError(self.env._("Only the data-protection officer may do this."))
        for partner in self:
            if partner.company_id and partner.company_id not in self.env.companies:
                raise UserError(
                    self.env._(
                        "%(partner)s belongs to another company; switch to that company first.",
                        partner=partner.display_name,
                    )
                )

    def _vertrieb_privacy_scope(self):
        """The partner with all its contacts (archived included): the data subject's records."""
        return self.with_context(active_test=False).search([("id", "child_of", self.ids)])

    def _vertrieb_privacy_moves(self, scope=None):
        scope = scope or self._vertrieb_privacy_scope()
        return self.env["account.move"].sudo().search([("partner_id", "in", scope.ids)])

    def _vertrieb_privacy_open_moves(self, scope=None):
        moves = self._vertrieb_privacy_moves(scope)
        return moves.filtered(
            lambda m: m.state == "draft"
            or (m.state == "posted" and m.is_invoice(True) and m.payment_state in ("not_paid", "partial", "in_payment"))
        )

    def _vertrieb_privacy_erasure_plan(self):
        """Dry run of the erasure: what goes now, what is kept (restricted) until which date."""
        self.ensure_one()
        scope = self._vertrieb_privacy_scope()
        moves = self._vertrieb_privacy_moves(scope).filtered(lambda m: m.state == "posted")
        documented = moves.partner_id
        last_date = max(moves.mapped("date"), default=False)
        retention_until = self.env["vertrieb.privacy.retention.rule"]._vertrieb_retention_end(last_date)
        consents = self.env["vertrieb.privacy.consent"].sudo().search([("partner_id", "in", scope.ids)])
        kept_consents = consents.filtered(
            lambda c: (c._vertrieb_evidence_keep_until() or date.min) > fields.Date.context_today(self)
        )
        return {
            "scope": scope,
            "open_moves": self._vertrieb_privacy_open_moves(scope),
            "posted_moves": moves,
            "documented_partners": documented,
            "anonymise_now": scope - documented,
            "retention_until": retention_until,
            "leads": self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", scope.ids)]),
            "messages": self.env["mail.message"]
            .sudo()
            .search(
                [
                    "|",
                    "&",
                    ("model", "=", "res.partner"),
                    ("res_id", "in", scope.ids),
                    "&",
                    ("author_id", "in", scope.ids),
                    ("model", "not in", ("account.move", "account.payment")),
                ]
            ),
            "activities": self.env["mail.activity"]
            .sudo()
            .search([("res_model", "=", "res.partner"), ("res_id", "in", scope.ids)]),
            "attachments": self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "res.partner"), ("res_id", "in", scope.ids)]),
            "consents": consents - kept_consents,
            "kept_consents": kept_consents,
        }

    def _vertrieb_privacy_erase(self, reason=False):
        """Art. 17 erasure, stage 1: erase at once what no law requires; keep and restrict what must be kept
        (the addressee of posted invoices) until the retention ends. All or nothing per partner."""
        self._vertrieb_privacy_check_officer()
        for partner in self:
            plan = partner._vertrieb_privacy_erasure_plan()
            partner._vertrieb_privacy_check_erasable(plan)
            with self.env.cr.savepoint():
                partner._vertrieb_privacy_do_erase(plan, reason)
        return True

    def _vertrieb_privacy_check_erasable(self, plan):
        self.ensure_one()
        if self.vertrieb_legal_hold:
            raise UserError(
                self.env._("%(partner)s is under legal hold and cannot be erased.", partner=self.display_name)
            )
        if plan["open_moves"]:
            raise UserError(
                self.env._(
                    "%(partner)s cannot be erased: %(count)s invoice(s) or entries are still open or in draft "
                    "(%(refs)s). Settle them first.",
                    partner=self.display_name,
                    count=len(plan["open_moves"]),
                    refs=", ".join(plan["open_moves"][:5].mapped("display_name")),
                )
            )
        if plan["scope"].sudo().user_ids:
            raise UserError(
                self.env._(
                    "%(partner)s is linked to a user account; archive the user first.", partner=self.display_name
                )
            )

    def _vertrieb_privacy_do_erase(self, plan, reason):
        self.ensure_one()
        bypass = {"vertrieb_privacy_bypass": True, "tracking_disable": True, "mail_notrack": True}
        counts = {
            "leads": len(plan["leads"]),
            "messages": len(plan["messages"]),
            "activities": len(plan["activities"]),
            "attachments": len(plan["attachments"]),
            "purpose_records": len(plan["consents"]),
        }
        plan["activities"].with_context(**bypass).unlink()
        plan["leads"].with_context(**bypass).unlink()
        plan["messages"].exists().with_context(**bypass).unlink()
        plan["attachments"].exists().with_context(**bypass).unlink()
        plan["consents"].with_context(**bypass).unlink()
        plan["kept_consents"].filtered(lambda c: c.state != "withdrawn").with_context(
            vertrieb_privacy_reason=self.env._("Erasure request (Art. 17 GDPR)"), **bypass
        ).write({"state": "withdrawn"})
        documented = plan["documented_partners"]
        (plan["anonymise_now"])._vertrieb_privacy_anonymise_records()
        if documented:
            documented.sudo().with_context(**bypass).write(
                {
                    "email": False,
                    "phone": False,
                    "mobile": False,
                    "website": False,
                    "function": False,
                    "comment": False,
                    "image_1920": False,
                    "category_id": [Command.clear()],
                    "vertrieb_privacy_restricted": True,
                    "vertrieb_restriction_kind": "retention",
                    "vertrieb_restriction_reason": reason
                    or self.env._("Erased except the data on accounting documents (Art. 17(3)(b) GDPR)"),
                    "vertrieb_restriction_date": fields.Date.context_today(self),
                    "vertrieb_retention_until": plan["retention_until"],
                    "vertrieb_erasure_state": "restricted",
                    "vertrieb_privacy_review": False,
                }
            )
            documented.sudo().message_follower_ids.unlink()
        summary = self.env._(
            "Erased: %(leads)s leads, %(messages)s messages, %(activities)s activities, %(attachments)s "
            "attachments, %(purpose_records)s purpose records; %(anonymised)s contacts anonymised, "
            "%(kept)s kept for retention until %(until)s.",
            anonymised=len(plan["anonymise_now"]),
            kept=len(documented),
            until=plan["retention_until"] or "-",
            **counts,
        )
        self.env["vertrieb.privacy.audit"]._vertrieb_log(self, "erasure", summary)
        return summary

    def _vertrieb_privacy_anonymise_records(self):
        """Stage 2: anonymise the partners for good (batch). Posted moves keep amounts; their printed
        addressee is replaced only now that the retention has ended."""
        if not self:
            return self
        bypass = {"vertrieb_privacy_bypass": True, "tracking_disable": True, "mail_notrack": True, "active_test": False}
        partners = self.sudo().with_context(**bypass)
        ids = partners.ids
        label = self.env._("Anonymised contact")
        self.env["mail.message"].sudo().search([("model", "=", "res.partner"), ("res_id", "in", ids)]).unlink()
        self.env["mail.activity"].sudo().search([("res_model", "=", "res.partner"), ("res_id", "in", ids)]).unlink()
        self.env["ir.attachment"].sudo().search([("res_model", "=", "res.partner"), ("res_id", "in", ids)]).unlink()
        self.env["mail.followers"].sudo().search([("res_model", "=", "res.partner"), ("res_id", "in", ids)]).unlink()
        consents = self.env["vertrieb.privacy.consent"].sudo().search([("partner_id", "in", ids)])
        today = fields.Date.context_today(self)
        consents.filtered(lambda c: (c._vertrieb_evidence_keep_until() or date.min) <= today).with_context(
            **bypass
        ).unlink()
        partners.bank_ids.unlink()
        # field attachments (image, resized images) go with the partner's personal data
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "res.partner"), ("res_id", "in", ids), ("res_field", "!=", False)]
        ).unlink()
        # One UPDATE for the batch (res.partner.write syncs addresses record by record, far too slow for
        # thousands of partners); modified() then recomputes every stored field depending on these
        # columns (complete name, normalised email, commercial names of contacts ...).
        partners.flush_recordset()
        cleared = [
            "email",
            "phone",
            "mobile",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "vat",
            "website",
            "function",
            "title",
            "comment",
            "ref",
            "vertrieb_restriction_reason",
            "vertrieb_retention_until",
        ]
        cleared = [name for name in cleared if name in self._fields and self._fields[name].store]
        assignments = SQL(", ").join(SQL("%s = NULL", SQL.identifier(name)) for name in cleared)
        self.env.execute_query(
            SQL(
                """UPDATE res_partner
                      SET name = %(label)s, active = FALSE, %(assignments)s,
                          vertrieb_privacy_restricted = TRUE, vertrieb_restriction_kind = 'retention',
                          vertrieb_erasure_state = 'anonymised', vertrieb_anonymised_date = %(today)s,
                          vertrieb_privacy_review = FALSE, write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                    WHERE id = ANY(%(ids)s)""",
                label=label,
                assignments=assignments,
                today=today,
                uid=self.env.uid,
                ids=ids,
            )
        )
        category = self._fields["category_id"]
        self.env.execute_query(
            SQL(
                "DELETE FROM %s WHERE %s = ANY(%s)",
                SQL.identifier(category.relation),
                SQL.identifier(category.column1),
                ids,
            )
        )
        changed = ["name", "active", "category_id", *cleared]
        partners.invalidate_recordset()
        partners.modified(changed)
        partners.flush_recordset()
        moves = self.env["account.move"].sudo().search([("partner_id", "in", ids)])
        if moves:
            moves.flush_model(["invoice_partner_display_name"])
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET invoice_partner_display_name = %s WHERE id = ANY(%s)",
                    label,
                    moves.ids,
                )
            )
            moves.invalidate_recordset(["invoice_partner_display_name"])
        return partners

    def _vertrieb_privacy_anonymise(self):
        """Anonymise after the retention (called by the cron or the officer); all or nothing per batch."""
        self._vertrieb_privacy_check_officer()
        today = fields.Date.context_today(self)
        todo = self.filtered(
            lambda p: p.vertrieb_erasure_state != "anonymised"
            and not p.vertrieb_legal_hold
            and (not p.vertrieb_retention_until or p.vertrieb_retention_until <= today)
        )
        with self.env.cr.savepoint():
            todo._vertrieb_privacy_anonymise_records()
            self.env["vertrieb.privacy.audit"]._vertrieb_log(
                todo, "anonymise", self.env._("Anonymised after the end of the retention period.")
            )
        return todo

    def _vertrieb_privacy_restrict(self, reason):
        self._vertrieb_privacy_check_officer()
        if not (reason or "").strip():
            raise UserError(self.env._("A restriction needs a reason."))
        self.with_context(vertrieb_privacy_bypass=True).write(
            {
                "vertrieb_privacy_restricted": True,
                "vertrieb_restriction_kind": "request",
                "vertrieb_restriction_reason": reason,
                "vertrieb_restriction_date": fields.Date.context_today(self),
            }
        )
        self.env["vertrieb.privacy.audit"]._vertrieb_log(self, "restrict", self.env._("Processing restricted."))

    def action_vertrieb_lift_restriction(self):
        self._vertrieb_privacy_check_officer()
        if any(p.vertrieb_erasure_state for p in self):
            raise UserError(self.env._("An erased partner stays restricted until it is anonymised."))
        self.with_context(vertrieb_privacy_bypass=True).write(
            {
                "vertrieb_privacy_restricted": False,
                "vertrieb_restriction_kind": False,
                "vertrieb_restriction_reason": False,
                "vertrieb_restriction_date": False,
            }
        )
        self.env["vertrieb.privacy.audit"]._vertrieb_log(self, "lift", self.env._("Restriction lifted."))

    def _vertrieb_privacy_wizard(self, model):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_vertrieb_privacy_export(self):
        return self._vertrieb_privacy_wizard("vertrieb.privacy.export.wizard")

    def action_vertrieb_privacy_erase(self):
        return self._vertrieb_privacy_wizard("vertrieb.privacy.erasure.wizard")

    def action_vertrieb_privacy_restrict(self):
        return self._vertrieb_privacy_wizard("vertrieb.privacy.restrict.wizard")

    # Retention cron ------------------------------------------------------------------------------
    @api.model
    def _cron_vertrieb_privacy_retention(self, batch_size=500):
        """Daily: expire consents, anonymise erased partners whose retention ended, propose (or erase,
        if the company chose so) partners whose purposes all ended. Batched, idempotent, and safe to run
        twice at once (rows are locked with SKIP LOCKED)."""
        self.env["vertrieb.privacy.consent"]._cron_vertrieb_expire()
        today = fields.Date.context_today(self)
        due = self.with_context(active_test=False).search(
            [
                ("vertrieb_erasure_state", "=", "restricted"),
                ("vertrieb_retention_until", "<=", today),
                ("vertrieb_legal_hold", "=", False),
            ],
            order="id",
        )
        candidates = self._vertrieb_privacy_retention_candidates()
        total = len(due) + len(candidates)
        done = 0
        cron = self.env["ir.cron"]
        for start in range(0, len(due), batch_size):
            batch = self._vertrieb_privacy_lock(due[start : start + batch_size])
            batch = batch.filtered(lambda p: p.vertrieb_erasure_state == "restricted")
            try:
                batch._vertrieb_privacy_anonymise()
            except Exception:
                # the batch savepoint rolled back: retry one by one, each all or nothing
                for partner in batch:
                    try:
                        partner._vertrieb_privacy_anonymise()
                    except Exception:
                        _logger.exception("Anonymising partner %s failed; retried on the next run.", partner.id)
            done += batch_size
            cron._notify_progress(done=min(done, total), remaining=max(total - done, 0))
            self._vertrieb_privacy_commit()
        for start in range(0, len(candidates), batch_size):
            batch = self._vertrieb_privacy_lock(candidates[start : start + batch_size])
            for partner in batch:
                company = partner.company_id or self.env.company
                if company.vertrieb_privacy_auto_anonymise and not partner._vertrieb_privacy_open_moves():
                    partner._vertrieb_privacy_erase(self.env._("Retention of all purposes ended"))
                elif not partner.vertrieb_privacy_review:
                    partner.with_context(vertrieb_privacy_bypass=True).vertrieb_privacy_review = True
                    self.env["vertrieb.privacy.audit"]._vertrieb_log(
                        partner, "review", self.env._("All purposes ended; proposed for erasure.")
                    )
            done += batch_size
            cron._notify_progress(done=min(done, total), remaining=max(total - done, 0))
            self._vertrieb_privacy_commit()
        return total

    def _vertrieb_privacy_commit(self):
        if not modules.module.current_test and not self.env.context.get("vertrieb_privacy_no_commit"):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _vertrieb_privacy_lock(self, partners):
        """Lock the rows of ``partners``; rows locked by a concurrent run are skipped."""
        if not partners:
            return partners
        rows = self.env.execute_query(
            SQL("SELECT id FROM res_partner WHERE id = ANY(%s) FOR UPDATE SKIP LOCKED", partners.ids)
        )
        partners.invalidate_recordset()
        return partners.browse([row[0] for row in rows])

    @api.model
    def _vertrieb_privacy_retention_candidates(self):
        """Partners whose relationship ended and whose purposes' retention periods have all passed."""
        today = fields.Date.context_today(self)
        partners = self.with_context(active_test=False).search(
            [
                ("vertrieb_relationship_end", "!=", False),
                ("vertrieb_relationship_end", "<", today),
                ("vertrieb_erasure_state", "=", False),
                ("vertrieb_legal_hold", "=", False),
                ("vertrieb_privacy_review", "=", False),
            ]
        )
        if not partners:
            return partners
        consents = self.env["vertrieb.privacy.consent"].sudo()
        alive = {
            partner.id
            for [partner] in consents._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "=", "granted"),
                    ("purpose_id.consent_required", "=", True),
                ],
                ["partner_id"],
            )
        }
        months_by_partner = {
            partner.id: max(purposes.mapped("retention_months"), default=0)
            for partner, purposes in consents._read_group(
                [("partner_id", "in", partners.ids)], ["partner_id"], ["purpose_id:recordset"]
            )
        }
        result = [
            partner.id
            for partner in partners
            if partner.id not in alive
            and partner.vertrieb_relationship_end + relativedelta(months=months_by_partner.get(partner.id, 0)) <= today
        ]
        return self.browse(result)
