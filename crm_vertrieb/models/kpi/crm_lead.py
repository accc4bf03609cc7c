from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def write(self, vals):
        res = super().write(vals)
        # counted contacts carry the lead's customer and company: keep the ledger in step
        if self and {"partner_id", "company_id"} & vals.keys():
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(lead_ids=self.ids)
        return res

    def unlink(self):
        # meetings on the deleted leads lose their link: they may still count (customer attending)
        events = self.env["calendar.event"].sudo().search([("opportunity_id", "in", self.ids)])
        res = super().unlink()
        if events:
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(event_ids=events.ids)
        return res
