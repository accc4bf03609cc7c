from odoo import api, models
from odoo.exceptions import UserError

from .common import guard_lifted


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # privacy is imported last, so its create/write run first: a restricted partner's lead is
    # refused before any other feature acts on it
    @api.model_create_multi
    def create(self, vals_list):
        partner_ids = [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        self._vertrieb_privacy_check_partners(self.env["res.partner"].browse(partner_ids))
        return super().create(vals_list)

    def write(self, vals):
        if not guard_lifted(self.env):
            partners = self.partner_id
            if vals.get("partner_id"):
                partners |= self.env["res.partner"].browse(vals["partner_id"])
            self._vertrieb_privacy_check_partners(partners)
        return super().write(vals)

    @api.model
    def _vertrieb_privacy_check_partners(self, partners):
        """No new leads and no lead edits for partners whose processing is restricted (Art. 18 GDPR)."""
        if guard_lifted(self.env):
            return
        restricted = partners.sudo().filtered("vertrieb_privacy_restricted")
        if restricted:
            raise UserError(
                self.env._(
                    "Processing of %(partner)s is restricted (Art. 18 GDPR): no leads may be created or "
                    "changed for it.",
                    partner=restricted[:1].display_name,
                )
            )
