from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import drop_index, index_exists


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def init(self):
        res = super().init()
        # 18.0.1.2.0 read every lead for the cockpit's conversion per stage through a covering
        # index; the stored conversion rows replaced that scan, the index only slowed the writes
        drop_index(self.env.cr, "crm_lead_vertrieb_stage_rates_index", self._table)
        # deals won this month (cockpit) by the closing date, read from the index alone (the
        # plain index of 18.0.1.3.0 read 6,000 pages of leads for a month of 300,000 leads);
        # the cockpit's pipeline of one sales team (also Odoo's pipeline grouped by stage): the
        # opportunities of the team by stage with their revenue, read from the index alone
        # (130 ms scanning every lead -> 11 ms for the 25,000 of the acquisition pipeline)
        drop_index(self.env.cr, "crm_lead_vertrieb_date_closed_index", self._table)
        for name, key, include, where in (
            ("closed", "date_closed", "stage_id, company_id, user_id, team_id", "active"),
            (
                "pipeline",
                "team_id, stage_id",
                "expected_revenue, company_id, user_id",
                "active AND type = 'opportunity'",
            ),
        ):
            index = f"crm_lead_vertrieb_{name}_cover_index"
            if not index_exists(self.env.cr, index):
                self.env.cr.execute(
                    SQL(
                        "CREATE INDEX %s ON crm_lead (%s) INCLUDE (%s) WHERE %s",
                        SQL.identifier(index),
                        SQL(key),
                        SQL(include),
                        SQL(where),
                    )
                )
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
