from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's own contact merge, made safe for ``vertrieb.customer.value``.

    Odoo moves every foreign key to the surviving partner with one UPDATE per column; when that
    UPDATE violates a unique constraint it DELETES all rows of the merged partners in that table.
    One customer value row remains per customer.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        self.env["vertrieb.customer.value"].sudo()._vertrieb_merge_partners(src_partners, dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)
