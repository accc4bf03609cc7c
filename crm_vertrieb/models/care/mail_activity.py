from odoo import api, models

# fields of an activity that make it a planned contact of a customer, or no longer
_PLANNED_FIELDS = {"date_deadline", "active", "res_model_id", "res_model", "res_id"}
_TARGET_FIELDS = {"res_model_id", "res_model", "res_id"}


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._vertrieb_care_touch()
        return activities

    def write(self, vals):
        if not _PLANNED_FIELDS & vals.keys():
            return super().write(vals)
        if _TARGET_FIELDS & vals.keys():
            self._vertrieb_care_touch()  # the customer it leaves
        res = super().write(vals)
        # a date moved, an activity done and kept (archived) or restored
        self._vertrieb_care_touch()
        return res

    def unlink(self):
        # done (action_feedback, action_done) or cancelled: its customers' next planned contact
        # is the next remaining one, refreshed after the activity is gone
        self._vertrieb_care_touch()
        return super().unlink()

    def _vertrieb_care_touch(self):
        """Mark the customers of these activities (on a contact or an opportunity) for a refresh
        of their rhythm (once per transaction)."""
        partner_ids, lead_ids = [], []
        for activity in self.sudo():
            if activity.res_model == "res.partner":
                partner_ids.append(activity.res_id)
            elif activity.res_model == "crm.lead":
                lead_ids.append(activity.res_id)
        if partner_ids or lead_ids:
            self.env["vertrieb.customer.care"].sudo()._vertrieb_touch(partner_ids, lead_ids)
