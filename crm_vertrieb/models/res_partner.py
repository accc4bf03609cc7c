from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from . import quality_tools as qt


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------------------------------
    # ACQUISITION: Acquisition process (Neukundengewinnung)
    # ------------------------------------------------------------------------------------------

    # ------------------------------------------------------------------------------------------
    # KPI: Activity-rate KPIs, customer value (Schlagzahl-Management)
    # ------------------------------------------------------------------------------------------

    vertrieb_revenue_12m = fields.Monetary(
        "Revenue (12 Months)",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="Customer value: posted customer invoices minus credit notes of the last 12 months, in company "
        "currency, over the commercial partner and its contacts. Recomputed nightly and on demand.",
    )
    vertrieb_revenue_total = fields.Monetary(
        "Lifetime Revenue",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="Customer value: all posted customer invoices minus credit notes, in company currency.",
    )
    vertrieb_abc_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")],
        string="ABC Class",
        readonly=True,
        copy=False,
        index=True,
        help="A: the customers making up the first 80% of the revenue of the last 12 months, B: the next 15%, "
        "C: the rest (thresholds in the settings). Empty for partners never invoiced.",
    )
    vertrieb_value_date = fields.Datetime("Customer Value Computed On", readonly=True, copy=False)

    def _vertrieb_customer_value_query(self):
        """One SQL aggregate: revenue (12 months, lifetime) and ABC class per commercial partner, for
        every partner whose stored values differ from the fresh ones."""
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
            SELECT p.id, COALESCE(c.revenue_12m, 0), COALESCE(c.revenue_total, 0), c.abc_class
              FROM res_partner p
              LEFT JOIN classified c ON c.partner_id = p.id
             WHERE (c.partner_id IS NOT NULL OR p.vertrieb_abc_class IS NOT NULL
                    OR COALESCE(p.vertrieb_revenue_total, 0) != 0 OR COALESCE(p.vertrieb_revenue_12m, 0) != 0)
               AND (p.vertrieb_revenue_12m IS DISTINCT FROM COALESCE(c.revenue_12m, 0)
                    OR p.vertrieb_revenue_total IS DISTINCT FROM COALESCE(c.revenue_total, 0)
                    OR p.vertrieb_abc_class IS DISTINCT FROM c.abc_class)
             ORDER BY p.id
            """,
            since=since,
            a_share=company.vertrieb_abc_a_share / 100.0,
            ab_share=(company.vertrieb_abc_a_share + company.vertrieb_abc_b_share) / 100.0,
        )

    @api.model
    def _vertrieb_recompute_customer_value(self, batch_size=10000, commit=False):
        """Recompute customer value and ABC class of all customers: one aggregate query, then the
        changed partners are written in batches (progress reported to the cron, committed per batch
        when ``commit``). Returns the number of partners updated."""
        for model in ("account.move", "account.move.line", "res.partner"):
            self.env[model].flush_model()
        rows = self.env.execute_query(self._vertrieb_customer_value_query())
        now = fields.Datetime.now()
        total = len(rows)
        for start in range(0, total, batch_size):
            batch = rows[start : start + batch_size]
            ids, revenue_12m, revenue_total, classes = (list(col) for col in zip(*batch, strict=True))
            self.env.execute_query(
                SQL(
                    """
                    UPDATE res_partner p
                       SET vertrieb_revenue_12m = v.revenue_12m, vertrieb_revenue_total = v.revenue_total,
                           vertrieb_abc_class = v.abc_class, vertrieb_value_date = %(now)s
                      FROM (SELECT UNNEST(%(ids)s::integer[]) AS id,
                                   UNNEST(%(r12)s::numeric[]) AS revenue_12m,
                                   UNNEST(%(rtotal)s::numeric[]) AS revenue_total,
                                   UNNEST(%(classes)s::varchar[]) AS abc_class) v
                     WHERE p.id = v.id
                    """,
                    now=now,
                    ids=ids,
                    r12=revenue_12m,
                    rtotal=revenue_total,
                    classes=classes,
                )
            )
            done = start + len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.invalidate_model(
            ["vertrieb_revenue_12m", "vertrieb_revenue_total", "vertrieb_abc_class", "vertrieb_value_date"]
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
    vertrieb_quality_date = fields.Date(
        string="Quality Checked On", compute="_compute_vertrieb_quality", store=True, index=True
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

    @api.depends("name", "email", "phone", "mobile", "vat", "website", "zip", "street", "country_id")
    def _compute_vertrieb_dup_keys(self):
        for partner in self:
            keys = self._vertrieb_keys_from_values(
                partner.name,
                partner.email,
                partner.phone or partner.mobile,
                partner.vat,
                partner.website,
                partner.zip,
                partner.street,
                partner.country_id.code,
            )
            partner.update(keys)

    @api.depends(
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
        "bank_ids.acc_number",
        "vertrieb_verified_date",
    )
    def _compute_vertrieb_quality(self):
        results = self._vertrieb_quality_evaluate()
        today = fields.Date.context_today(self)
        for partner in self:
            score, problems = results[partner.id]
            partner.vertrieb_quality_score = score
            partner.vertrieb_quality_problem_count = len(problems)
            partner.vertrieb_quality_level = "good" if score >= 80 else "fair" if score >= 50 else "poor"
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

    def _vertrieb_open_duplicate_counts(self):
        """Open duplicate candidates per partner id (two grouped queries for the whole batch)."""
        ids = [pid for pid in self.ids if isinstance(pid, int)]
        counts = dict.fromkeys(ids, 0)
        if not ids:
            return counts
        Pair = self.env["vertrieb.partner.duplicate"].sudo()
        for fname in ("partner_a_id", "partner_b_id"):
            for partner, count in Pair._read_group([(fname, "in", ids), ("state", "=", "open")], [fname], ["__count"]):
                counts[partner.id] += count
        return counts

    def _vertrieb_quality_completeness(self, eu_codes):
        """Share of the fields the partner's role needs that are filled, and what is missing."""
        self.ensure_one()
        has_contact = self.email or self.phone or self.mobile
        if self.type == "contact" and self.parent_id and not self.is_company:
            required = [(self.name, "name"), (self.function, "function"), (has_contact, "contact")]
        else:
            required = [
                (self.name or self.type != "contact", "name"),
                (self.street, "street"),
                (self.zip, "zip"),
                (self.city, "city"),
                (self.country_id, "country"),
            ]
            if self.is_company and self.country_id.code in eu_codes:
                required.append((self.vat, "vat"))
            if self.type == "contact" and not self.is_company:
                required.append((has_contact, "contact"))
        missing = [what for present, what in required if not present]
        if not missing:
            return 1, []
        _ = self.env._
        messages = {
            "name": _("Name missing"),
            "function": _("Job position missing"),
            "contact": _("E-mail or phone missing"),
            "street": _("Street missing"),
            "zip": _("ZIP code missing"),
            "city": _("City missing"),
            "country": _("Country missing"),
            "vat": _("VAT number missing (needed for B2B customers in the EU)"),
        }
        return 1 - len(missing) / len(required), [messages[what] for what in missing]

    def _vertrieb_quality_validity(self):
        """Share of the filled values that are valid, and the reasons of the invalid ones."""
        self.ensure_one()
        code = self.country_id.code or False
        checks = [qt.check_email(self.env, self.email)] if self.email else []
        checks += [qt.check_phone(self.env, number, code) for number in (self.phone, self.mobile) if number]
        if self.vat:
            checks.append(qt.check_vat(self.env, self.vat, code))
        checks += [qt.check_iban(self.env, bank.acc_number) for bank in self.bank_ids]
        if self.zip:
            checks.append(qt.check_zip(self.env, self.zip, code))
        invalid = [reason for reason in checks if reason]
        return (1 - len(invalid) / len(checks) if checks else 1), invalid

    def _vertrieb_quality_consistency(self):
        """Phone prefixes and VAT prefix against the country."""
        self.ensure_one()
        code = self.country_id.code
        if not code:
            return 1, []
        problems, checks = [], 0
        for number in (self.phone, self.mobile):
            region = qt.phone_country(number)
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
        vat_code = qt.vat_country(self.vat)
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

    def _vertrieb_quality_evaluate(self):
        """Score and problem list per partner: ``{id: (score, [German reasons])}`` for the batch."""
        company = self.env.company
        weights = {
            "completeness": company.vertrieb_quality_weight_completeness,
            "validity": company.vertrieb_quality_weight_validity,
            "consistency": company.vertrieb_quality_weight_consistency,
            "uniqueness": company.vertrieb_quality_weight_uniqueness,
            "timeliness": company.vertrieb_quality_weight_timeliness,
        }
        total_weight = sum(max(w, 0) for w in weights.values()) or 1
        max_age = company.vertrieb_quality_verify_days or 365
        limit = fields.Datetime.now() - timedelta(days=max_age)
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        eu_codes = set(europe.country_ids.mapped("code")) if europe else set()
        dup_counts = self._vertrieb_open_duplicate_counts()
        results = {}
        for partner in self:
            parts, problems = {}, []
            for dimension, (value, reasons) in (
                ("completeness", partner._vertrieb_quality_completeness(eu_codes)),
                ("validity", partner._vertrieb_quality_validity()),
                ("consistency", partner._vertrieb_quality_consistency()),
            ):
                parts[dimension] = value
                problems += reasons
            open_dups = dup_counts.get(partner.id, 0)
            if open_dups:
                problems.append(self.env._("%(count)s possible duplicate(s) not yet checked", count=open_dups))
            parts["uniqueness"] = 0 if open_dups else 1
            verified = partner.vertrieb_verified_date
            if not verified:
                problems.append(self.env._("Never verified"))
            elif verified < limit:
                problems.append(
                    self.env._(
                        "Last verified on %(date)s, more than %(days)s days ago",
                        date=fields.Date.to_string(verified.date()),
                        days=max_age,
                    )
                )
            parts["timeliness"] = 1 if verified and verified >= limit else 0
            score = sum(max(weights[k], 0) * v for k, v in parts.items()) / total_weight * 100
            results[partner.id] = (round(score), problems)
        return results

    def _vertrieb_quality_recompute(self):
        """Recompute the stored score of these partners now (batched by the ORM)."""
        for fname in ("vertrieb_quality_score",):
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset(["vertrieb_quality_score", "vertrieb_quality_date"])
        self.invalidate_recordset(["vertrieb_quality_problems"])

    @api.model
    def _cron_vertrieb_quality_recompute(self, batch_size=2000):
        """Daily: recompute scores not computed today (timeliness ages, duplicates change)."""
        today = fields.Date.context_today(self)
        domain = ["|", ("vertrieb_quality_date", "=", False), ("vertrieb_quality_date", "<", today)]
        partners = self.with_context(active_test=False).search(domain, limit=batch_size, order="id")
        partners._vertrieb_quality_recompute()
        remaining = self.with_context(active_test=False).search_count(domain) if partners else 0
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        return len(partners)

    @api.depends("name", "email", "phone", "mobile", "vat", "website", "zip", "street", "country_id")
    def _compute_vertrieb_duplicate_hint_ids(self):
        Pair = self.env["vertrieb.partner.duplicate"]
        for partner in self:
            hints = self.browse()
            if not partner._origin.id and (partner.name or partner.email or partner.vat):
                keys = self._vertrieb_keys_from_values(
                    partner.name,
                    partner.email,
                    partner.phone or partner.mobile,
                    partner.vat,
                    partner.website,
                    partner.zip,
                    partner.street,
                    partner.country_id.code,
                )
                keys.update(zip=partner.zip, city=partner.city, id=0)
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
