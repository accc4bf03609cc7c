from odoo import api, models
from odoo.fields import Command
from odoo.tools.mail import email_normalize_all


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model_create_multi
    def create(self, vals_list):
        """Outgoing emails created directly (templates, mass mailings): a restricted contact (Art. 18
        GDPR) is refused for a user's call; server code running as superuser leaves it out, and an
        email left without recipients is cancelled, never sent. One query for the whole batch."""
        Partner = self.env["res.partner"]
        ids_by_vals = [Partner._vertrieb_privacy_command_ids(vals.get("recipient_ids")) for vals in vals_list]
        emails = ", ".join(vals["email_to"] for vals in vals_list if vals.get("email_to"))
        restricted = Partner._vertrieb_privacy_restricted_of([pid for ids in ids_by_vals for pid in ids], emails)
        if not restricted:
            return super().create(vals_list)
        if not self.env.su:
            restricted._vertrieb_privacy_check_outbound()
        blocked_emails = set(restricted.mapped("email_normalized"))
        for vals, partner_ids in zip(vals_list, ids_by_vals, strict=True):
            hit = set(partner_ids) & set(restricted.ids)
            if vals.get("email_to") and blocked_emails.intersection(email_normalize_all(vals["email_to"])):
                vals["email_to"] = Partner._vertrieb_privacy_strip_emails(vals["email_to"], restricted)
                hit.add(0)
            if not hit:
                continue
            kept = [pid for pid in partner_ids if pid not in restricted.ids]
            if partner_ids:
                vals["recipient_ids"] = [Command.set(kept)]
            if not kept and not vals.get("email_to") and not vals.get("email_cc"):
                vals["state"] = "cancel"
                vals["failure_reason"] = self.env._(
                    "Not sent: processing of the recipient is restricted (Art. 18 GDPR)."
                )
        return super().create(vals_list)
