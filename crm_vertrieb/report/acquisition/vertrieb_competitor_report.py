from odoo import fields, models, tools
from odoo.tools import SQL

OUTCOMES = [("won", "Won"), ("lost", "Lost"), ("open", "Open")]


class VertriebCompetitorReport(models.Model):
    """Won and lost opportunities against each competitor (Wettbewerbsanalyse).

    One row per opportunity and competitor met in it (its competitors and the one it was lost to).
    The hit rate is the average of 100 (won) and 0 (lost) over the decided opportunities.
    """

    _name = "vertrieb.competitor.report"
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

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    WITH links AS (
                        SELECT lead_id, competitor_id FROM crm_lead_vertrieb_competitor_rel
                         UNION
                        SELECT id, vertrieb_lost_to_id FROM crm_lead WHERE vertrieb_lost_to_id IS NOT NULL
                    )
                    -- no window function for the id: filters of the pivot reach the tables
                    SELECT l.lead_id::bigint * 1000000 + l.competitor_id AS id,
                           l.lead_id, l.competitor_id,
                           coalesce(lead.vertrieb_main_competitor_id = l.competitor_id, FALSE) AS is_main,
                           outcome.outcome,
                           coalesce(lead.date_closed, lead.create_date)::date AS date,
                           lead.user_id, lead.team_id, lead.vertrieb_channel_id AS channel_id,
                           lead.vertrieb_product_category_id AS product_category_id,
                           lead.lost_reason_id, lead.company_id,
                           (outcome.outcome = 'won')::int AS won_count,
                           (outcome.outcome = 'lost')::int AS lost_count,
                           (outcome.outcome = 'lost' AND lead.vertrieb_lost_to_id = l.competitor_id)::int
                               AS lost_to_count,
                           CASE outcome.outcome WHEN 'won' THEN 100.0 WHEN 'lost' THEN 0.0 END AS hit_rate,
                           CASE WHEN outcome.outcome = 'won' THEN coalesce(lead.expected_revenue, 0) ELSE 0 END
                               AS won_revenue,
                           CASE WHEN outcome.outcome = 'lost' AND lead.vertrieb_lost_to_id = l.competitor_id
                                THEN coalesce(lead.expected_revenue, 0) ELSE 0 END AS lost_revenue
                      FROM links l
                      JOIN crm_lead lead ON lead.id = l.lead_id
                 LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                     CROSS JOIN LATERAL (
                        SELECT CASE WHEN lead.active AND stage.is_won THEN 'won'
                                    WHEN NOT lead.active AND lead.probability = 0 THEN 'lost'
                                    ELSE 'open' END AS outcome
                     ) outcome
                     WHERE lead.type = 'opportunity'
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
