from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's own contact merge moves the opportunities and invoices of the merged partners to the
    surviving one with SQL: the revenue of their won opportunities in the cost analysis is rebuilt."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        customers = (src_partners | dst_partner).commercial_partner_id | dst_partner
        res = super()._update_foreign_keys(src_partners, dst_partner)
        self.env["vertrieb.acquisition.cost.report"]._vertrieb_rows_touch(partner_ids=customers.ids)
        return res
