from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    vertrieb_kpi_green_threshold = fields.Float(
        "Traffic Light Green from (%)",
        default=100.0,
        help="A target achieved at least this much shows green.",
    )
    vertrieb_kpi_yellow_threshold = fields.Float(
        "Traffic Light Yellow from (%)",
        default=80.0,
        help="A target achieved at least this much (but below green) shows yellow; below it shows red.",
    )
    vertrieb_abc_a_share = fields.Float(
        "ABC: Share of Class A (%)",
        default=80.0,
        help="Class A: the customers making up the first part of the revenue of the last 12 months.",
    )
    vertrieb_abc_b_share = fields.Float(
        "ABC: Share of Class B (%)",
        default=15.0,
        help="Class B: the customers making up the next part of the revenue; class C: the rest.",
    )

    @api.constrains(
        "vertrieb_kpi_green_threshold", "vertrieb_kpi_yellow_threshold", "vertrieb_abc_a_share", "vertrieb_abc_b_share"
    )
    def _check_vertrieb_kpi_thresholds(self):
        for company in self:
            if not 0 <= company.vertrieb_kpi_yellow_threshold <= company.vertrieb_kpi_green_threshold:
                raise ValidationError(self.env._("The yellow threshold must lie between 0 and the green threshold."))
            if (
                company.vertrieb_abc_a_share <= 0
                or company.vertrieb_abc_b_share < 0
                or company.vertrieb_abc_a_share + company.vertrieb_abc_b_share > 100
            ):
                raise ValidationError(self.env._("The ABC shares must be positive and add up to at most 100%."))
