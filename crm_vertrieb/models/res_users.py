from odoo import models

# fields of a user that decide to whom, on which local date and for which team contacts count
KPI_USER_FIELDS = {"partner_id", "company_id", "tz", "groups_id", "share"}


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        res = super().write(vals)
        if KPI_USER_FIELDS & vals.keys():
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(user_ids=self.ids)
        return res
