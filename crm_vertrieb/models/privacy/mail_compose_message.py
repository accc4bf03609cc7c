from odoo import api, fields, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    vertrieb_purpose_warning = fields.Char(compute="_compute_vertrieb_purpose_warning")

    @api.depends("template_id", "partner_ids")
    def _compute_vertrieb_purpose_warning(self):
        for composer in self:
            purpose = composer.template_id.sudo().vertrieb_purpose_id
            partners = composer.partner_ids._origin
            refused = (
                partners - partners._vertrieb_filter_purpose(purpose.code)
                if purpose and partners
                else partners.browse()
            )
            composer.vertrieb_purpose_warning = (
                self.env._(
                    "Purpose limitation: %(partners)s may not receive “%(purpose)s” (no granted consent or "
                    "processing restricted).",
                    partners=", ".join(refused.mapped("display_name")),
                    purpose=purpose.name,
                )
                if refused
                else False
            )
