from odoo import models
from odoo.tools import SQL


class CrmTeam(models.Model):
    _inherit = "crm.team"

    def unlink(self):
        # contacts carry the salesperson's team: re-attribute those of the deleted teams
        user_ids = [
            uid
            for (uid,) in self.env.execute_query(
                SQL("SELECT DISTINCT user_id FROM vertrieb_kpi_contact_line WHERE team_id = ANY(%s)", self.ids)
            )
        ]
        # the conversion rows carry the lead's team: rebuilt for the leads of the deleted teams
        lead_ids = [
            lid for (lid,) in self.env.execute_query(SQL("SELECT id FROM crm_lead WHERE team_id = ANY(%s)", self.ids))
        ]
        res = super().unlink()
        self.env["vertrieb.kpi.conversion"]._vertrieb_conversion_touch(lead_ids=lead_ids)
        if user_ids:
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(user_ids=user_ids)
        return res
