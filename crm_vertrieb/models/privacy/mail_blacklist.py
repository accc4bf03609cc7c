from odoo import api, models

from .common import server_flag, server_flag_set


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
        # the consent sync marks its own blacklist changes on the cursor (no client can set that mark)
        if not self or server_flag_set(self.env, "from_consent"):
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
        # written for the data-protection officer (an unsubscribing visitor may cause it)
        Audit = self.env["vertrieb.privacy.audit"]
        env = Audit._vertrieb_officer_env(consents[:1].company_id or self.env.company)
        with server_flag(self.env, "from_blacklist"):
            consents._vertrieb_set_state("withdrawn", env._("Address blacklisted (objection to email marketing)"))
        Audit._vertrieb_log(
            consents.partner_id,
            "withdraw",
            env._("Email-marketing purposes withdrawn because the address was blacklisted."),
        )
