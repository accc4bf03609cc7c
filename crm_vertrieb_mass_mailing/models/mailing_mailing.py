from odoo import api, fields, models
from odoo.exceptions import ValidationError
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
            partners = Partner.sudo().with_context(active_test=False)
            column = SQL.identifier("res_partner", "email_normalized")
            if purpose.consent_required:
                # lists without a partner (mailing contacts): only the addresses of partners with a
                # granted consent for the purpose, none of a restricted partner
                allowed = partners._search([("email_normalized", "!=", False), *partner_domain])
                blocked = partners._search(
                    [("email_normalized", "!=", False), ("vertrieb_privacy_restricted", "=", True)]
                )
                return [
                    ("email_normalized", "in", allowed.subselect(column)),
                    ("email_normalized", "not in", blocked.subselect(column)),
                ]
            # other purposes: exclude the addresses of partners that are restricted or objected
            blocked = partners._search(
                [("email_normalized", "!=", False), "!", *expression.normalize_domain(partner_domain)]
            )
            return [("email_normalized", "not in", blocked.subselect(column))]
        return []

    @api.constrains("vertrieb_purpose_id", "state", "mailing_type")
    def _check_vertrieb_purpose(self):
        for mailing in self:
            if mailing.mailing_type == "mail" and mailing.state != "draft" and not mailing.vertrieb_purpose_id:
                raise ValidationError(
                    self.env._(
                        "The mailing “%(subject)s” must name its processing purpose (purpose limitation, "
                        "Art. 5(1)(b) GDPR) before it is sent.",
                        subject=mailing.subject,
                    )
                )
