from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


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

    # ------------------------------------------------------------------------------------------
    # QUALITY: Information quality (Informationsqualität)
    # ------------------------------------------------------------------------------------------

    # ------------------------------------------------------------------------------------------
    # PRIVACY: Data protection by purpose (Zweckbindung)
    # ------------------------------------------------------------------------------------------
