from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    vertrieb_purpose_id = fields.Many2one(
        "vertrieb.privacy.purpose",
        string="Processing Purpose",
        default=lambda self: self._default_vertrieb_purpose_id(),
        domain=[("is_marketing", "=", True)],
        help="Only recipients allowed for this purpose receive the mailing (purpose limitation, "
        "Art. 5(1)(b) GDPR). Recipients without a granted consent are excluded.",
    )

    @api.model
    def _default_vertrieb_purpose_id(self):
        return self.env["vertrieb.privacy.purpose"]._vertrieb_get("email_marketing")

    def _get_recipients_domain(self):
        domain = super()._get_recipients_domain()
        purpose_domain = self._vertrieb_purpose_recipient_domain()
        return expression.AND([domain, purpose_domain]) if purpose_domain else domain

    def _vertrieb_purpose_recipient_domain(self):
        """Domain on the mailing's model keeping only recipients allowed for the mailing's purpose."""
        self.ensure_one()
        purpose = self.vertrieb_purpose_id
        if not purpose or self.mailing_type != "mail":
            return []
        Partner = self.env["res.partner"]
        model = self.env[self.mailing_model_real]
        partner_domain = Partner._vertrieb_purpose_domain(purpose.code)
        if model._name == "res.partner":
            return partner_domain
        field = model._fields.get("partner_id")
        if field and field.type == "many2one" and field.comodel_name == "res.partner":
            return [("partner_id", "any", partner_domain)]
        if "email_normalized" in model._fields:
            # lists without a partner (mailing contacts): exclude the addresses of partners that are
            # restricted or withdrew/objected to the purpose
            blocked = (
                Partner.sudo()
                .with_context(active_test=False)
                ._search(
                    [("email_normalized", "!=", False), "!", *expression.normalize_domain(partner_domain)]
                    if not purpose.consent_required
                    else [
                        ("email_normalized", "!=", False),
                        "|",
                        ("vertrieb_privacy_restricted", "=", True),
                        ("vertrieb_consent_ids", "any", [("purpose_id", "=", purpose.id), ("state", "=", "withdrawn")]),
                    ]
                )
            )
            return [
                ("email_normalized", "not in", blocked.subselect(SQL.identifier("res_partner", "email_normalized")))
            ]
        return []
