from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, Query


class ResPartner(models.Model):
    _inherit = "res.partner"

    # the values live in their own narrow table (see vertrieb.customer.value), one row per company:
    # the partner shows the row of the current company (the related fields depend on it, so they are
    # cached per company); the nightly recompute writes only that table
    vertrieb_value_id = fields.Many2one(
        "vertrieb.customer.value",
        string="Customer Value",
        compute="_compute_vertrieb_value_id",
        search="_search_vertrieb_value_id",
    )
    vertrieb_revenue_12m = fields.Monetary(
        "Revenue (12 Months)",
        related="vertrieb_value_id.revenue_12m",
        depends_context=("company",),
        currency_field="currency_id",
        help="Customer value: posted customer invoices minus credit notes of the last 12 months, in company "
        "currency, over the commercial partner and its contacts, from the invoices of the current company. "
        "Recomputed nightly and on demand.",
    )
    vertrieb_revenue_total = fields.Monetary(
        "Lifetime Revenue",
        related="vertrieb_value_id.revenue_total",
        depends_context=("company",),
        currency_field="currency_id",
        help="Customer value: all posted customer invoices minus credit notes, in company currency.",
    )
    vertrieb_abc_class = fields.Selection(
        related="vertrieb_value_id.abc_class",
        depends_context=("company",),
        string="ABC Class",
        help="A: the customers making up the first 80% of the revenue of the last 12 months, B: the next 15%, "
        "C: the rest (thresholds in the settings). Empty for partners never invoiced.",
    )
    vertrieb_value_date = fields.Datetime(
        "Customer Value Computed On", related="vertrieb_value_id.value_date", depends_context=("company",)
    )

    @api.depends_context("company")
    def _compute_vertrieb_value_id(self):
        values = (
            self.env["vertrieb.customer.value"]
            .sudo()
            .search_fetch(
                [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
                ["partner_id"],
            )
        )
        by_partner = {value.partner_id.id: value.id for value in values}
        for partner in self:
            partner.vertrieb_value_id = by_partner.get(partner.id, False)

    def _search_vertrieb_value_id(self, operator, value):
        """Search by the value row of the current company (``in`` a list or query of rows, with
        ``False`` for partners without a row in that company)."""
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        Value = self.env["vertrieb.customer.value"].sudo()
        company_domain = [("company_id", "=", self.env.company.id)]
        if isinstance(value, Query):
            row_ids, without_row = value, False
        else:
            row_ids, without_row = [row for row in value if row], False in value or None in value
        with_row = Value._search([*company_domain, ("id", "in", row_ids)])
        domain = [("id", "in", with_row.subselect(SQL.identifier(with_row.table, "partner_id")))]
        if without_row:
            in_company = Value._search(company_domain)
            partner_ids = in_company.subselect(SQL.identifier(in_company.table, "partner_id"))
            domain = ["|", *domain, ("id", "not in", partner_ids)]
        return domain if operator == "in" else ["!", *domain]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # the value row of the current company as an SQL expression: the related fields (revenue,
        # ABC class) can then be sorted and grouped like stored ones (the unique key makes it one row)
        if fname == "vertrieb_value_id":
            return SQL(
                "(SELECT v.id FROM vertrieb_customer_value v WHERE v.partner_id = %s AND v.company_id = %s)",
                SQL.identifier(alias, "id"),
                self.env.company.id,
            )
        return super()._field_to_sql(alias, fname, query=query, flush=flush)

    def _vertrieb_customer_value_query(self):
        """One SQL aggregate: revenue (12 months, lifetime) and ABC class per commercial partner in
        the current company (its invoices only, in its currency; the ABC thresholds of that
        company), for every partner whose stored values differ from the fresh ones (with its value
        row of that company, if any)."""
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
                   AND m.company_id = %(company)s
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
                   COALESCE(c.revenue_total, 0) AS revenue_total, s.abc_class, v.id AS value_id
              FROM res_partner p
              LEFT JOIN classified c ON c.partner_id = p.id
              LEFT JOIN vertrieb_customer_value v ON v.partner_id = p.id AND v.company_id = %(company)s
              -- the ABC class is scoring: only for partners allowed for customer care (Zweckbindung);
              -- a join, not "p.id IN (…)" per row: PostgreSQL hashes such a subquery only while
              -- it fits in work_mem, else it scans it once per partner (hours on 1,000,000)
              LEFT JOIN (%(allowed)s) ok ON ok.id = p.id
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN ok.id IS NOT NULL THEN c.abc_class END AS abc_class
              ) s
             WHERE (c.partner_id IS NOT NULL OR v.id IS NOT NULL)
               AND (v.id IS NULL
                    OR v.revenue_12m IS DISTINCT FROM COALESCE(c.revenue_12m, 0)
                    OR v.revenue_total IS DISTINCT FROM COALESCE(c.revenue_total, 0)
                    OR v.abc_class IS DISTINCT FROM s.abc_class)
             ORDER BY p.id
            """,
            allowed=self._vertrieb_scoring_allowed_query(),
            since=since,
            company=company.id,
            a_share=company.vertrieb_abc_a_share / 100.0,
            ab_share=(company.vertrieb_abc_a_share + company.vertrieb_abc_b_share) / 100.0,
        )

    @api.model
    def _vertrieb_scoring_allowed_query(self):
        """SQL selecting the partners whose data may be used for scoring (ABC class): purpose
        "customer_care" (Kundenbetreuung, Art. 6(1)(f)) — not restricted, not anonymised, no objection."""
        partners = self.sudo().with_context(active_test=False)
        # seam to the privacy feature (its purpose API); without it every partner may be scored
        domain = partners._vertrieb_purpose_domain("customer_care") if "vertrieb.privacy.purpose" in self.env else []
        return partners._search(domain).select()

    @api.model
    def _vertrieb_recompute_customer_value(self, batch_size=10000, commit=False, companies=None):
        """Recompute customer value and ABC class of all customers in ``companies`` (default:
        every company), each from its own invoices. Returns the number of value rows that changed."""
        for model in ("account.move", "account.move.line", "res.partner", "vertrieb.customer.value"):
            self.env[model].flush_model()
        total = 0
        for company in companies or self.env["res.company"].sudo().search([]):
            total += self.sudo().with_company(company)._vertrieb_recompute_customer_value_company(batch_size, commit)
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

    def _vertrieb_recompute_customer_value_company(self, batch_size, commit):
        """The values of the current company: one aggregate query into a temporary table, then the
        changed values are written in batches into ``vertrieb.customer.value`` (progress reported
        to the cron, committed per batch when ``commit``); nothing is written into ``res_partner``."""
        cr = self.env.cr
        company = self.env.company
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
                    )
                    INSERT INTO vertrieb_customer_value
                           (partner_id, company_id, revenue_12m, revenue_total, abc_class, value_date)
                    SELECT partner_id, %(company)s, revenue_12m, revenue_total, abc_class, %(now)s
                      FROM batch WHERE value_id IS NULL
                    """,
                    fresh=fresh,
                    start=start,
                    end=end,
                    now=now,
                    company=company.id,
                )
            )
            self.env["ir.cron"]._notify_progress(done=end, remaining=total - end)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        cr.execute(SQL("DROP TABLE %s", fresh))
        return total

    @api.model
    def _cron_vertrieb_customer_value(self):
        self._vertrieb_recompute_customer_value(commit=True)

    def action_vertrieb_recompute_customer_value(self):
        """On demand (sales managers): the ABC class depends on all customers of a company, so all
        customers of the manager's companies are recomputed."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers can recompute the customer values."))
        count = self._vertrieb_recompute_customer_value(companies=self.env.companies)
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
