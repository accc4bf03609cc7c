from odoo import api, fields, models
from odoo.tools import SQL


class VertriebAcquisitionCostReport(models.Model):
    """Acquisition cost per opportunity against its budget, and what the won customer brought.

    Return on acquisition = invoiced net revenue of the won customer in the 12 months from the
    closing date / acquisition cost. Cost per won customer and the return are ratios of sums in
    every group (computed in ``read_group``), not averages of per-opportunity ratios.

    The rows are stored (``vertrieb_acquisition_cost_report_row``) with the revenue of the first
    12 months, and kept in step with the leads, their costs, the stages and the customers' invoices
    (posted, reset to draft, cancelled) and companies: the report reads a narrow table instead of
    joining every won opportunity with the invoices.
    """

    _name = "vertrieb.acquisition.cost.report"
    _inherit = "vertrieb.acquisition.report.rows"
    _description = "Acquisition Cost Analysis"
    _auto = False
    _order = "date desc, id desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    date = fields.Date(string="Closed On", readonly=True, help="Closing date, else creation date of the opportunity.")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    channel_id = fields.Many2one("vertrieb.sales.channel", string="Sales Channel", readonly=True)
    step_id = fields.Many2one("vertrieb.acquisition.step", string="Current Step", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    won = fields.Boolean(readonly=True)
    won_count = fields.Integer(string="Won Customers", readonly=True)
    cost = fields.Monetary(string="Acquisition Cost", readonly=True)
    budget = fields.Monetary(string="Acquisition Budget", readonly=True)
    budget_exceeded = fields.Boolean(readonly=True)
    revenue_12m = fields.Monetary(string="Revenue First 12 Months", readonly=True)
    cost_per_won = fields.Monetary(string="Cost per Won Customer", readonly=True, aggregator="sum")
    return_on_cost = fields.Float(
        string="Return on Acquisition", readonly=True, aggregator="sum", digits=(16, 2), help="Revenue / cost."
    )

    _rows_table = "vertrieb_acquisition_cost_report_row"
    _rows_columns = {
        "id": "integer PRIMARY KEY",
        "lead_id": "integer NOT NULL REFERENCES crm_lead (id) ON DELETE CASCADE",
        "date": "date",
        "user_id": "integer REFERENCES res_users (id) ON DELETE SET NULL",
        "team_id": "integer REFERENCES crm_team (id) ON DELETE SET NULL",
        "channel_id": "integer REFERENCES vertrieb_sales_channel (id) ON DELETE SET NULL",
        "step_id": "integer REFERENCES vertrieb_acquisition_step (id) ON DELETE SET NULL",
        "company_id": "integer REFERENCES res_company (id) ON DELETE SET NULL",
        "won": "boolean",
        "won_count": "integer",
        "cost": "double precision",
        "budget": "double precision",
        "budget_exceeded": "boolean",
        "revenue_12m": "double precision",
        "cost_per_won": "double precision",
        "return_on_cost": "double precision",
    }
    _rows_lead_fields = frozenset(
        {
            "type",
            "active",
            "stage_id",
            "date_closed",
            "user_id",
            "team_id",
            "partner_id",
            "company_id",
            "vertrieb_channel_id",
            "vertrieb_budget",
        }
    )
    _rows_stage_fields = frozenset({"is_won", "vertrieb_step_id"})
    _rows_models = ("crm.lead", "crm.stage", "vertrieb.acquisition.cost", "account.move", "res.partner")

    def _rows_query(self, lead_ids):
        """One row per opportunity in the acquisition process or with costs; the revenue of a won
        one: net invoices of its customer in the 12 months from closing (one join of the won leads
        with the customer invoices, not a look-up per lead)."""
        costs_scope, leads_scope = self._rows_scopes(lead_ids, "cost.lead_id", "lead.id")
        return SQL(
            """
            WITH costs AS (
                SELECT cost.lead_id, sum(cost.amount) AS cost FROM vertrieb_acquisition_cost cost
                 WHERE %(costs_scope)s GROUP BY cost.lead_id
            ), leads AS MATERIALIZED (
                SELECT lead.id, lead.user_id, lead.team_id, lead.vertrieb_channel_id, lead.vertrieb_step_id,
                       lead.company_id, lead.partner_id, lead.date_closed, lead.create_date,
                       coalesce(lead.vertrieb_budget, 0) AS budget, coalesce(costs.cost, 0) AS cost,
                       coalesce(lead.active AND stage.is_won, FALSE) AS won
                  FROM crm_lead lead
             LEFT JOIN costs ON costs.lead_id = lead.id
             LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                 WHERE lead.type = 'opportunity' AND %(leads_scope)s
                   AND (lead.vertrieb_step_id IS NOT NULL OR costs.lead_id IS NOT NULL)
            ), revenue AS (
                SELECT lead.id AS lead_id, sum(move.amount_untaxed_signed) AS amount
                  FROM leads lead
                  JOIN res_partner partner ON partner.id = lead.partner_id
                  JOIN account_move move
                    ON move.commercial_partner_id = partner.commercial_partner_id
                   AND move.company_id = lead.company_id
                 WHERE lead.won AND lead.date_closed IS NOT NULL
                   AND move.state = 'posted' AND move.move_type IN ('out_invoice', 'out_refund')
                   AND move.invoice_date >= lead.date_closed::date
                   AND move.invoice_date < (lead.date_closed + interval '12 months')::date
                 GROUP BY lead.id
            )
            SELECT lead.id, lead.id, coalesce(lead.date_closed, lead.create_date)::date,
                   lead.user_id, lead.team_id, lead.vertrieb_channel_id, lead.vertrieb_step_id, lead.company_id,
                   lead.won, lead.won::int, lead.cost, lead.budget, lead.budget > 0 AND lead.cost > lead.budget,
                   coalesce(revenue.amount, 0),
                   CASE WHEN lead.won THEN lead.cost ELSE 0 END,
                   CASE WHEN lead.cost > 0 THEN coalesce(revenue.amount, 0) / lead.cost ELSE 0 END
              FROM leads lead
         LEFT JOIN revenue ON revenue.lead_id = lead.id
            """,
            costs_scope=costs_scope,
            leads_scope=leads_scope,
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Cost per won customer and return on acquisition as ratios of the group's sums."""
        names = {spec.split(":")[0] for spec in fields}
        ratios = names & {"cost_per_won", "return_on_cost"}
        if ratios:
            fields = [spec for spec in fields if spec.split(":")[0] not in ratios]
            fields = list(dict.fromkeys([*fields, "cost:sum", "won_count:sum", "revenue_12m:sum"]))
        groups = super().read_group(domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        if ratios:
            for group in groups:
                cost, won, revenue = (
                    group.get("cost") or 0.0,
                    group.get("won_count") or 0,
                    group.get("revenue_12m") or 0.0,
                )
                group["cost_per_won"] = cost / won if won else 0.0
                group["return_on_cost"] = revenue / cost if cost else 0.0
        return groups
