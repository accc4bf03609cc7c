from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    vertrieb_quality_weight_completeness = fields.Integer(string="Weight: Completeness", default=30)
    vertrieb_quality_weight_validity = fields.Integer(string="Weight: Validity", default=30)
    vertrieb_quality_weight_consistency = fields.Integer(string="Weight: Consistency", default=10)
    vertrieb_quality_weight_uniqueness = fields.Integer(string="Weight: Uniqueness", default=15)
    vertrieb_quality_weight_timeliness = fields.Integer(string="Weight: Timeliness", default=15)
    vertrieb_quality_verify_days = fields.Integer(
        string="Verification Valid (Days)",
        default=365,
        help="Data verified longer ago than this counts as outdated.",
    )
    vertrieb_invoice_address_guard = fields.Selection(
        [("off", "Off"), ("warn", "Warn"), ("block", "Block")],
        string="Invoice Address Check",
        default="warn",
        help="What happens when a customer invoice is posted to an incomplete invoice address.",
    )
    vertrieb_revenue_factor = fields.Float(
        string="Revenue Plausibility Factor",
        default=100.0,
        help="An expected revenue more than this factor above the median of the team's won deals " "must be confirmed.",
    )

    @api.constrains(
        "vertrieb_quality_weight_completeness",
        "vertrieb_quality_weight_validity",
        "vertrieb_quality_weight_consistency",
        "vertrieb_quality_weight_uniqueness",
        "vertrieb_quality_weight_timeliness",
        "vertrieb_revenue_factor",
        "vertrieb_quality_verify_days",
    )
    def _check_vertrieb_quality_settings(self):
        for company in self:
            weights = [
                company.vertrieb_quality_weight_completeness,
                company.vertrieb_quality_weight_validity,
                company.vertrieb_quality_weight_consistency,
                company.vertrieb_quality_weight_uniqueness,
                company.vertrieb_quality_weight_timeliness,
            ]
            if min(weights) < 0 or not sum(weights):
                raise ValidationError(
                    self.env._("Quality weights cannot be negative and at least one must be above zero.")
                )
            if company.vertrieb_revenue_factor < 0:
                raise ValidationError(self.env._("The revenue plausibility factor cannot be negative."))
            if company.vertrieb_quality_verify_days <= 0:
                raise ValidationError(self.env._("The verification age must be at least one day."))
