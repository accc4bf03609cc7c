from odoo import models

# fields of a user that decide on which local date, for which company and team contacts count
KPI_USER_FIELDS = {"partner_id", "company_id", "tz"}


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        # group changes are frequent, but matter only when they make a user internal or not
        share_before = {user.id: user.share for user in self} if {"groups_id", "share"} & vals.keys() else {}
        res = super().write(vals)
        users = (
            self
            if KPI_USER_FIELDS & vals.keys()
            else self.filtered(lambda u: share_before.get(u.id, u.share) != u.share)
        )
        if users:
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(user_ids=users.ids)
        return res
