from odoo import api, models

# the fields of an invoice line stored in the rows of the sales performance report
SALES_FIELDS = frozenset({"move_id", "product_id", "quantity", "balance", "debit", "credit", "display_type"})


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # a line added to a posted invoice (deleted lines take their rows with them)
        self.env["vertrieb.kpi.sales"]._vertrieb_sales_touch(lines.move_id.ids)
        return lines

    def write(self, vals):
        relevant = SALES_FIELDS.intersection(vals)
        moves = self.move_id
        res = super().write(vals)
        if relevant:
            self.env["vertrieb.kpi.sales"]._vertrieb_sales_touch((moves | self.move_id).ids)
        return res
