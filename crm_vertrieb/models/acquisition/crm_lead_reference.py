from odoo import api, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    """Reference customers: the flag computed from the customer's consent (purpose record
    "Reference customer" of the privacy feature) and the button that opens it."""

    _inherit = "crm.lead"

    @api.depends("partner_id")
    @api.depends_context("company")
    def _compute_vertrieb_reference_granted(self):
        partners = self.partner_id | self.partner_id.commercial_partner_id
        granted = self.env["res.partner"]._vertrieb_reference_consented(partners)
        for lead in self:
            lead.vertrieb_reference_granted = bool(
                lead.partner_id and (lead.partner_id | lead.partner_id.commercial_partner_id) & granted
            )

    def _search_vertrieb_reference_granted(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the reference flag."))
        consented = self.env["res.partner"]._vertrieb_reference_consent_domain()
        partners = self.env["res.partner"].sudo().with_context(active_test=False)._search(consented)
        domain = [
            "|",
            ("partner_id", "in", partners),
            ("partner_id.commercial_partner_id", "in", partners),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    def action_vertrieb_reference_consent(self):
        """The customer's purpose record "Reference customer": record, grant or withdraw the consent
        to be named there (the privacy feature keeps its evidence and history)."""
        self.ensure_one()
        if "vertrieb.privacy.purpose" not in self.env:  # seam: the privacy feature owns the consent
            return False
        customer = self.partner_id.commercial_partner_id
        if not customer:
            raise UserError(self.env._("%(lead)s has no customer to be named as a reference.", lead=self.display_name))
        purpose = self.env["vertrieb.privacy.purpose"]._vertrieb_get("reference_customer")
        consent = self.env["vertrieb.privacy.consent"].search(
            [
                ("partner_id", "=", customer.id),
                ("purpose_id", "=", purpose.id),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consent to Be Named as a Reference"),
            "res_model": "vertrieb.privacy.consent",
            "view_mode": "form",
            "res_id": consent.id,
            "context": {"default_partner_id": customer.id, "default_purpose_id": purpose.id},
        }
