from odoo import fields, models
from odoo.tools import SQL


class VertriebKpiSales(models.Model):
    """Sales performance from posted customer invoice lines (credit notes subtract), by product,
    sales channel (Vertriebsweg), customer and salesperson, in company currency."""

    _name = "vertrieb.kpi.sales"
    _inherit = "vertrieb.kpi.report.mixin"
    _description = "Sales Performance (Invoiced)"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"
    _depends = {
        "account.move": [
            "state",
            "move_type",
            "invoice_date",
            "commercial_partner_id",
            "invoice_user_id",
            "vertrieb_channel_id",
            "company_id",
        ],
        "account.move.line": ["move_id", "balance", "quantity", "product_id", "display_type"],
        "vertrieb.customer.value": ["partner_id", "company_id", "abc_class"],
        "crm.team.member": ["user_id", "crm_team_id", "active"],
    }

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Customer Invoice"), ("out_refund", "Customer Credit Note")], string="Type", readonly=True
    )
    date = fields.Date("Invoice Date", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    abc_class = fields.Selection([("a", "A"), ("b", "B"), ("c", "C")], string="ABC Class", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    channel_id = fields.Many2one("vertrieb.sales.channel", string="Sales Channel", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    quantity = fields.Float(readonly=True, aggregator="sum")
    amount = fields.Monetary("Revenue", readonly=True, aggregator="sum", currency_field="currency_id")

    def _view_query(self):
        return SQL(
            """
            WITH membership AS (
                SELECT DISTINCT ON (tm.user_id) tm.user_id, tm.crm_team_id
                  FROM crm_team_member tm
                 WHERE tm.active
                 ORDER BY tm.user_id, tm.create_date, tm.id)
            SELECT l.id, l.move_id, m.move_type, m.invoice_date AS date, l.product_id,
                   pt.categ_id AS product_categ_id, m.commercial_partner_id AS partner_id,
                   cv.abc_class AS abc_class, m.invoice_user_id AS user_id, mb.crm_team_id AS team_id,
                   m.vertrieb_channel_id AS channel_id, m.company_id, c.currency_id,
                   CASE WHEN m.move_type = 'out_refund' THEN -l.quantity ELSE l.quantity END AS quantity,
                   -l.balance AS amount
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              JOIN res_company c ON c.id = m.company_id
              LEFT JOIN vertrieb_customer_value cv
                     ON cv.partner_id = m.commercial_partner_id AND cv.company_id = m.company_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN membership mb ON mb.user_id = m.invoice_user_id
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND l.display_type = 'product'
            """
        )

    def action_open_document(self):
        self.ensure_one()
        return self._vertrieb_open_form(self.move_id)
