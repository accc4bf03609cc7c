from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """Art. 18 GDPR: nothing goes out to a contact whose processing is restricted, whatever the
        path (chatter post or reply, follower notification, template, acknowledgement, rating request,
        scheduled message). A user's call is refused with a message naming the contact; server code
        running as superuser leaves the contact out."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        partner_ids = [data["id"] for data in recipients if data.get("id")]
        if not partner_ids:
            return recipients
        restricted = self.env["res.partner"]._vertrieb_privacy_restricted_of(partner_ids)
        if not restricted:
            return recipients
        if not self.env.su:
            restricted._vertrieb_privacy_check_outbound()
        return [data for data in recipients if data.get("id") not in restricted.ids]
