from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

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
        # seam to the privacy feature (its purpose API); without it every partner may be scored
        domain = partners._vertrieb_purpose_domain("customer_care") if "vertrieb.privacy.purpose" in self.env else []
        return partners._search(domain).select()

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
