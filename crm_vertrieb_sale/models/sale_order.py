from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _prepare_invoice(self):
        """Invoices of a quotation made from an opportunity belong to that opportunity."""
        values = super()._prepare_invoice()
        lead = self.opportunity_id
        if lead and (not lead.company_id or lead.company_id == self.company_id):
            values["vertrieb_lead_id"] = lead.id
            # the sale order itself is the evidence that a different invoice address belongs to the deal
            if lead.partner_id.commercial_partner_id != self.partner_invoice_id.commercial_partner_id:
                values["vertrieb_lead_partner_confirmed"] = True
        return values
