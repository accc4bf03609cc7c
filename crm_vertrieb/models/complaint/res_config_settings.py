from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    vertrieb_complaint_send_ack = fields.Boolean(related="company_id.vertrieb_complaint_send_ack", readonly=False)
    vertrieb_complaint_rating_request = fields.Boolean(
        related="company_id.vertrieb_complaint_rating_request", readonly=False
    )
    vertrieb_complaint_claim_requires_analysis = fields.Boolean(
        related="company_id.vertrieb_complaint_claim_requires_analysis", readonly=False
    )
    vertrieb_complaint_requires_resolution = fields.Boolean(
        related="company_id.vertrieb_complaint_requires_resolution", readonly=False
    )
    vertrieb_complaint_reject_requires_reason = fields.Boolean(
        related="company_id.vertrieb_complaint_reject_requires_reason", readonly=False
    )
