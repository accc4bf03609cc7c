from odoo import api, models
from odoo.tools.sql import create_index, drop_index


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def init(self):
        res = super().init()
        # 18.0.1.2.0 read every lead for the cockpit's conversion per stage through a covering
        # index; the stored conversion rows replaced that scan, the index only slowed the writes
        drop_index(self.env.cr, "crm_lead_vertrieb_stage_rates_index", self._table)
        # deals won this month (cockpit) by the closing date
        create_index(self.env.cr, "crm_lead_vertrieb_date_closed_index", self._table, ["date_closed"])
        return res

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        self.env["vertrieb.kpi.conversion"]._vertrieb_conversion_touch(lead_ids=leads.ids)
        return leads

    def write(self, vals):
        res = super().write(vals)
        # the conversion rows are made of the lead fields the report depends on (the stage changes
        # also come with the tracking)
        Conversion = self.env["vertrieb.kpi.conversion"]
        if self and set(Conversion._depends["crm.lead"]) & vals.keys():
            Conversion._vertrieb_conversion_touch(lead_ids=self.ids)
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
