from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    vertrieb_privacy_auto_anonymise = fields.Boolean(
        related="company_id.vertrieb_privacy_auto_anonymise", readonly=False
    )
