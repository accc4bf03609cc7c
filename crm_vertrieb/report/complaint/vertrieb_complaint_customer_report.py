from odoo import fields, models, tools
from odoo.tools import SQL


class VertriebComplaintCustomerReport(models.Model):
    """Complaint rate per customer: complaints per posted customer invoice, and their cost."""

    _name = "vertrieb.complaint.customer.report"
    _description = "Complaint Rate per Customer"
    _auto = False
    _order = "complaint_rate desc"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    complaint_rate = fields.Float(
        string="Complaint Rate (%)", readonly=True, aggregator="avg", help="Complaints per 100 posted invoices."
    )
    credited_amount = fields.Monetary(string="Cost of Complaints", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    WITH complaints AS (
                        SELECT partner_id, company_id, count(*) AS n,
                               sum(coalesce(credited_amount, 0)) AS cost
                          FROM vertrieb_complaint
                         WHERE active
                      GROUP BY partner_id, company_id
                    ), invoices AS (
                        SELECT commercial_partner_id AS partner_id, company_id, count(*) AS n
                          FROM account_move
                         WHERE move_type = 'out_invoice' AND state = 'posted'
                           AND commercial_partner_id IS NOT NULL
                      GROUP BY commercial_partner_id, company_id
                    )
                    SELECT row_number() OVER (ORDER BY coalesce(c.partner_id, i.partner_id),
                                              coalesce(c.company_id, i.company_id)) AS id,
                           coalesce(c.partner_id, i.partner_id) AS partner_id,
                           coalesce(c.company_id, i.company_id) AS company_id,
                           coalesce(c.n, 0) AS complaint_count,
                           coalesce(i.n, 0) AS invoice_count,
                           CASE WHEN coalesce(i.n, 0) > 0
                                THEN 100.0 * coalesce(c.n, 0) / i.n ELSE 0 END AS complaint_rate,
                           coalesce(c.cost, 0) AS credited_amount
                      FROM complaints c
                 FULL JOIN invoices i ON i.partner_id = c.partner_id AND i.company_id = c.company_id
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
