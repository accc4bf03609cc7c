from odoo import api, models


class MailBlacklist(models.Model):
    _inherit = "mail.blacklist"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.filtered("active")._vertrieb_privacy_withdraw_marketing()
        return records

    def write(self, vals):
        activated = self.filtered(lambda r: not r.active) if vals.get("active") else self.browse()
        res = super().write(vals)
        activated._vertrieb_privacy_withdraw_marketing()
        return res

    def _vertrieb_privacy_withdraw_marketing(self):
        """A blacklisted address withdraws the granted email-marketing purposes tied to it (logged)."""
        # the consent sync (running as superuser) marks its own blacklist changes; a client's context
        # key alone changes nothing
        if not self or (self.env.su and self.env.context.get("vertrieb_privacy_from_consent")):
            return
        emails = [email for email in self.mapped("email") if email]
        if not emails:
            return
        partners = (
            self.env["res.partner"].sudo().with_context(active_test=False).search([("email_normalized", "in", emails)])
        )
        consents = (
            self.env["vertrieb.privacy.consent"]
            .sudo()
            .search(
                [
                    ("state", "=", "granted"),
                    ("purpose_id.marketing_medium", "=", "email"),
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("contact_value", "in", emails),
                ]
            )
        )
        if not consents:
            return
        consents.with_context(
            vertrieb_privacy_from_blacklist=True,
            vertrieb_privacy_reason=self.env._("Address blacklisted (objection to email marketing)"),
        ).write({"state": "withdrawn"})
        self.env["vertrieb.privacy.audit"]._vertrieb_log(
            consents.partner_id,
            "withdraw",
            self.env._("Email-marketing purposes withdrawn because the address was blacklisted."),
        )
