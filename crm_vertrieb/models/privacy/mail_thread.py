from odoo import models

from .common import server_flag, server_flag_set

# automatic sends (templates posted by the server, rating requests) leave a restricted contact out
# instead of refusing the whole operation; the mark lives on the cursor, not in the client's context
SKIP_KEY = "outbound_skip"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def message_post_with_source(self, source_ref, **kwargs):
        with server_flag(self.env, SKIP_KEY):
            return super().message_post_with_source(source_ref, **kwargs)

    def rating_send_request(self, template, lang=False, force_send=True):
        """A rating request is an automatic send: a restricted contact (Art. 18 GDPR) gets none."""
        allowed = self.filtered(lambda record: not record._rating_get_partner().sudo().vertrieb_privacy_restricted)
        with server_flag(self.env, SKIP_KEY):
            return super(MailThread, allowed).rating_send_request(template, lang=lang, force_send=force_send)

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """Art. 18 GDPR: nothing goes out to a contact whose processing is restricted, whatever the
        path (chatter post or reply, follower notification, template, acknowledgement, rating request,
        scheduled message). A user's post is refused with a message naming the contact; server code
        and automatic sends leave the contact out."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        partner_ids = [data["id"] for data in recipients if data.get("id")]
        if not partner_ids:
            return recipients
        restricted = self.env["res.partner"]._vertrieb_privacy_restricted_of(partner_ids)
        if not restricted:
            return recipients
        if not (self.env.su or server_flag_set(self.env, SKIP_KEY)):
            restricted._vertrieb_privacy_check_outbound()
        return [data for data in recipients if data.get("id") not in restricted.ids]
