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

    def _action_send_mail(self, auto_commit=False):
        """Art. 18 GDPR: a user's mass email to records of restricted contacts is refused, naming them
        (the single-record mode posts a message and is checked by the notification)."""
        if not self.env.su:
            Partner = self.env["res.partner"]
            for composer in self.filtered(lambda c: c.composition_mode == "mass_mail" and c.model):
                records = self.env[composer.model].browse(composer._evaluate_res_ids())
                if composer.model == "res.partner":
                    partners = records
                elif isinstance(records._fields.get("partner_id"), fields.Many2one):
                    partners = records.sudo().partner_id
                else:
                    partners = Partner
                ids = [*partners.ids, *composer.partner_ids.ids]
                Partner._vertrieb_privacy_restricted_of(ids)._vertrieb_privacy_check_outbound()
        return super()._action_send_mail(auto_commit=auto_commit)
