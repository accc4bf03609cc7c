from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    vertrieb_quality_weight_completeness = fields.Integer(
        related="company_id.vertrieb_quality_weight_completeness", readonly=False
    )
    vertrieb_quality_weight_validity = fields.Integer(
        related="company_id.vertrieb_quality_weight_validity", readonly=False
    )
    vertrieb_quality_weight_consistency = fields.Integer(
        related="company_id.vertrieb_quality_weight_consistency", readonly=False
    )
    vertrieb_quality_weight_uniqueness = fields.Integer(
        related="company_id.vertrieb_quality_weight_uniqueness", readonly=False
    )
    vertrieb_quality_weight_timeliness = fields.Integer(
        related="company_id.vertrieb_quality_weight_timeliness", readonly=False
    )
    vertrieb_quality_verify_days = fields.Integer(related="company_id.vertrieb_quality_verify_days", readonly=False)
    vertrieb_invoice_address_guard = fields.Selection(
        related="company_id.vertrieb_invoice_address_guard", readonly=False
    )
    vertrieb_revenue_factor = fields.Float(related="company_id.vertrieb_revenue_factor", readonly=False)
