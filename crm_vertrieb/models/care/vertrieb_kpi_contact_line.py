from odoo import api, models


class VertriebKpiContactLine(models.Model):
    _inherit = "vertrieb.kpi.contact.line"

    @api.model
    def _vertrieb_synced(self, partner_ids):
        """Keep the customers' contact rhythm in step with the ledger: the customers of the changed
        rows are marked for a refresh (once per transaction, set-based); after a full sync, every
        customer is refreshed at once."""
        res = super()._vertrieb_synced(partner_ids)
        Care = self.env["vertrieb.customer.care"].sudo()
        if partner_ids is None:
            Care._vertrieb_refresh()
        else:
            Care._vertrieb_touch(partner_ids)
        return res
