from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import create_index, index_exists


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def init(self):
        res = super().init()
        # the cockpit's conversion per stage reads these columns of every lead: an index-only scan
        # of a narrow index instead of the whole (wide) table
        if not index_exists(self.env.cr, "crm_lead_vertrieb_stage_rates_index"):
            self.env.execute_query(
                SQL(
                    "CREATE INDEX crm_lead_vertrieb_stage_rates_index ON crm_lead (stage_id, team_id)"
                    " INCLUDE (id, active, probability, company_id)"
                )
            )
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
