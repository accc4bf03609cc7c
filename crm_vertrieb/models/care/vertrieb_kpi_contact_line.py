from odoo import api, models


class VertriebKpiContactLine(models.Model):
    _inherit = "vertrieb.kpi.contact.line"

    @api.model
    def _vertrieb_synced(self, partner_ids):
        """Keep the customers' contact rhythm in step with the ledger: the customers of the changed
        rows are refreshed (set-based); after a full sync, every customer."""
        res = super()._vertrieb_synced(partner_ids)
        self.env["vertrieb.customer.care"].sudo()._vertrieb_refresh(partner_ids)
        return res
