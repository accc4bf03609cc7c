from odoo import api, models


class CrmLead(models.Model):
    """The stored rows of the competitor and cost analyses: a new or changed lead marks its rows
    for the rebuild (``vertrieb.acquisition.report.rows``)."""

    _inherit = "crm.lead"

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        self.env["vertrieb.acquisition.report.rows"]._vertrieb_rows_touch_leads(leads.ids)
        return leads

    def write(self, vals):
        res = super().write(vals)
        self.env["vertrieb.acquisition.report.rows"]._vertrieb_rows_touch_leads(self.ids, vals)
        return res
