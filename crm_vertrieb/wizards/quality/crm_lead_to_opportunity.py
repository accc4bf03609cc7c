from odoo import api, fields, models


class CrmLead2OpportunityPartner(models.TransientModel):
    _inherit = "crm.lead2opportunity.partner"

    # QUALITY: likely duplicate customers shown before a lead creates a new one
    vertrieb_duplicate_partner_ids = fields.Many2many(
        "res.partner",
        string="Likely Existing Customers",
        compute="_compute_vertrieb_duplicate_partner_ids",
        help="Existing contacts that look like the customer this lead would create.",
    )

    @api.depends("lead_id", "action")
    def _compute_vertrieb_duplicate_partner_ids(self):
        Partner = self.env["res.partner"]
        Pair = self.env["vertrieb.partner.duplicate"]
        for wizard in self:
            lead = wizard.lead_id
            found = Partner
            if lead and wizard.action == "create":
                keys = Partner._vertrieb_keys_from_values(
                    lead.partner_name or lead.contact_name,
                    lead.email_from,
                    lead.phone,
                    False,
                    lead.website,
                    lead.zip,
                    lead.street,
                    lead.country_id.code,
                )
                keys.update(zip=lead.zip, city=lead.city, id=0, is_company=bool(lead.partner_name))
                found = Partner.browse([pid for pid, _score, _flags in Pair._vertrieb_find_candidates(keys, limit=5)])
            wizard.vertrieb_duplicate_partner_ids = found
