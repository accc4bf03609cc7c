from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    vertrieb_kpi_green_threshold = fields.Float(related="company_id.vertrieb_kpi_green_threshold", readonly=False)
    vertrieb_kpi_yellow_threshold = fields.Float(related="company_id.vertrieb_kpi_yellow_threshold", readonly=False)
    vertrieb_abc_a_share = fields.Float(related="company_id.vertrieb_abc_a_share", readonly=False)
    vertrieb_abc_b_share = fields.Float(related="company_id.vertrieb_abc_b_share", readonly=False)

    def action_vertrieb_recompute_customer_value(self):
        self.env["res.partner"]._vertrieb_recompute_customer_value(companies=self.company_id)
