from odoo import fields, models
from odoo.tools import SQL

OUTCOMES = [("won", "Won"), ("lost", "Lost"), ("open", "Open")]


class VertriebCompetitorReport(models.Model):
    """Won and lost opportunities against each competitor (Wettbewerbsanalyse).

    One row per opportunity and competitor met in it (its competitors and the one it was lost to).
    The hit rate is the average of 100 (won) and 0 (lost) over the decided opportunities.
    The rows are stored (``vertrieb_competitor_report_row``) and kept in step with the leads and
    their competitors: the report reads a narrow table instead of every opportunity.
    """

    _name = "vertrieb.competitor.report"
    _inherit = "vertrieb.acquisition.report.rows"
    _description = "Competitor Analysis"
    _auto = False
    _order = "date desc, id desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    competitor_id = fields.Many2one("vertrieb.competitor", string="Competitor", readonly=True)
    is_main = fields.Boolean(string="Main Competitor", readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    date = fields.Date(string="Closed On", readonly=True, help="Closing date, else creation date of the opportunity.")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    channel_id = fields.Many2one("vertrieb.sales.channel", string="Sales Channel", readonly=True)
    product_category_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", string="Lost Reason", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    lost_to_count = fields.Integer(string="Lost to the Competitor", readonly=True)
    hit_rate = fields.Float(string="Hit Rate (%)", readonly=True, aggregator="avg", digits=(16, 1))
    won_revenue = fields.Monetary(readonly=True)
    lost_revenue = fields.Monetary(
        string="Revenue Lost to the Competitor", readonly=True, help="Expected revenue of the deals lost to it."
    )

    _rows_table = "vertrieb_competitor_report_row"
    _rows_columns = {
        "id": "bigint PRIMARY KEY",
        "lead_id": "integer NOT NULL REFERENCES crm_lead (id) ON DELETE CASCADE",
        "competitor_id": "integer NOT NULL REFERENCES vertrieb_competitor (id) ON DELETE CASCADE",
        "is_main": "boolean",
        "outcome": "varchar",
        "date": "date",
        "user_id": "integer REFERENCES res_users (id) ON DELETE SET NULL",
        "team_id": "integer REFERENCES crm_team (id) ON DELETE SET NULL",
        "channel_id": "integer REFERENCES vertrieb_sales_channel (id) ON DELETE SET NULL",
        "product_category_id": "integer REFERENCES product_category (id) ON DELETE SET NULL",
        "lost_reason_id": "integer REFERENCES crm_lost_reason (id) ON DELETE SET NULL",
        "company_id": "integer REFERENCES res_company (id) ON DELETE SET NULL",
        "won_count": "integer",
        "lost_count": "integer",
        "lost_to_count": "integer",
        "hit_rate": "double precision",
        "won_revenue": "double precision",
        "lost_revenue": "double precision",
    }
    _rows_indexes = ("lead_id", "competitor_id")
    _rows_lead_fields = frozenset(
        {
            "type",
            "active",
            "stage_id",
            "probability",
            "date_closed",
            "user_id",
            "team_id",
            "partner_id",
            "company_id",
            "vertrieb_channel_id",
            "vertrieb_product_category_id",
            "lost_reason_id",
            "expected_revenue",
            "vertrieb_competitor_ids",
            "vertrieb_main_competitor_id",
            "vertrieb_lost_to_id",
        }
    )
    _rows_models = ("crm.lead", "crm.stage", "vertrieb.competitor")

    def _rows_query(self, lead_ids):
        """One row per opportunity and competitor met in it: its competitors and the one it was lost to."""
        links_scope, leads_scope = self._rows_scopes(lead_ids, "rel.lead_id", "lead.id")
        return SQL(
            """
            WITH links AS (
                SELECT rel.lead_id, rel.competitor_id FROM crm_lead_vertrieb_competitor_rel rel WHERE %(links_scope)s
                 UNION
                SELECT lead.id, lead.vertrieb_lost_to_id FROM crm_lead lead
                 WHERE lead.vertrieb_lost_to_id IS NOT NULL AND %(leads_scope)s
            )
            SELECT l.lead_id::bigint * 1000000 + l.competitor_id, l.lead_id, l.competitor_id,
                   coalesce(lead.vertrieb_main_competitor_id = l.competitor_id, FALSE),
                   outcome.outcome,
                   coalesce(lead.date_closed, lead.create_date)::date,
                   lead.user_id, lead.team_id, lead.vertrieb_channel_id, lead.vertrieb_product_category_id,
                   lead.lost_reason_id, lead.company_id,
                   (outcome.outcome = 'won')::int,
                   (outcome.outcome = 'lost')::int,
                   (outcome.outcome = 'lost' AND lead.vertrieb_lost_to_id = l.competitor_id)::int,
                   CASE outcome.outcome WHEN 'won' THEN 100.0 WHEN 'lost' THEN 0.0 END,
                   CASE WHEN outcome.outcome = 'won' THEN coalesce(lead.expected_revenue, 0) ELSE 0 END,
                   CASE WHEN outcome.outcome = 'lost' AND lead.vertrieb_lost_to_id = l.competitor_id
                        THEN coalesce(lead.expected_revenue, 0) ELSE 0 END
              FROM links l
              JOIN crm_lead lead ON lead.id = l.lead_id
         LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
             CROSS JOIN LATERAL (
                SELECT CASE WHEN lead.active AND stage.is_won THEN 'won'
                            WHEN NOT lead.active AND lead.probability = 0 THEN 'lost'
                            ELSE 'open' END AS outcome
             ) outcome
             WHERE lead.type = 'opportunity'
            """,
            links_scope=links_scope,
            leads_scope=leads_scope,
        )
