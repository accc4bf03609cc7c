from odoo import fields, models


class VertriebPrivacyRestrictWizard(models.TransientModel):
    """Art. 18 GDPR: restrict processing of a partner, with a reason."""

    _name = "vertrieb.privacy.restrict.wizard"
    _description = "Restriction of Processing (Art. 18 GDPR)"

    partner_id = fields.Many2one("res.partner", string="Data Subject", required=True)
    request_id = fields.Many2one("vertrieb.privacy.request", string="Request")
    reason = fields.Text(required=True)

    def action_restrict(self):
        self.ensure_one()
        self.partner_id._vertrieb_privacy_restrict(self.reason)
        if self.request_id:
            self.request_id.message_post(body=self.env._("Processing restricted."))
        return {"type": "ir.actions.act_window_close"}
