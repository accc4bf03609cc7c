from odoo import api, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members._vertrieb_kpi_sync(members.user_id.ids)
        return members

    def write(self, vals):
        user_ids = self.user_id.ids
        res = super().write(vals)
        if {"user_id", "crm_team_id", "active"} & vals.keys():
            self._vertrieb_kpi_sync(user_ids + self.user_id.ids)
        return res

    def unlink(self):
        user_ids = self.user_id.ids
        res = super().unlink()
        self._vertrieb_kpi_sync(user_ids)
        return res

    def _vertrieb_kpi_sync(self, user_ids):
        """Counted contacts carry the salesperson's (first) sales team: keep the ledger in step."""
        if user_ids:
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(user_ids=list(set(user_ids)))
