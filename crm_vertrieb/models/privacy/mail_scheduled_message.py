from odoo import api, models


class MailScheduledMessage(models.Model):
    _inherit = "mail.scheduled.message"

    @api.model_create_multi
    def create(self, vals_list):
        """A message scheduled for a restricted contact (Art. 18 GDPR) is refused when it is scheduled;
        when it is posted later, the check of the notification refuses it again."""
        Partner = self.env["res.partner"]
        for vals in vals_list:
            partner_ids = Partner._vertrieb_privacy_command_ids(vals.get("partner_ids"))
            Partner._vertrieb_privacy_restricted_of(partner_ids)._vertrieb_privacy_check_outbound()
        return super().create(vals_list)
