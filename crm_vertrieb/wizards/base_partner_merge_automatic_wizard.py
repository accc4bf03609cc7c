from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's own contact merge, made safe for the tables of crm_vertrieb with a unique key per
    partner.

    Odoo moves every foreign key to the surviving partner with one UPDATE per column; when that
    UPDATE violates a unique constraint it DELETES all rows of the merged partners in that table.
    For purpose records (consent evidence), duplicate decisions and customer values that would
    lose data, so the conflicts are resolved first: afterwards Odoo's UPDATE moves everything.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        self.env["vertrieb.privacy.consent"].sudo()._vertrieb_merge_partners(src_partners, dst_partner)
        self.env["vertrieb.partner.duplicate"].sudo()._vertrieb_merge_partners(src_partners, dst_partner)
        self.env["vertrieb.customer.value"].sudo()._vertrieb_merge_partners(src_partners, dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)
