from odoo import api, models

# fields of a meeting that make it a planned contact of its attendees' customers, or no longer
_PLANNED_FIELDS = {"start", "stop", "start_date", "stop_date", "allday", "active", "partner_ids"}


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._vertrieb_care_touch()
        return events

    def write(self, vals):
        if not _PLANNED_FIELDS & vals.keys():
            return super().write(vals)
        if "partner_ids" in vals:
            self._vertrieb_care_touch()  # the attendees it loses
        res = super().write(vals)
        # moved, archived or restored
        self._vertrieb_care_touch()
        return res

    def unlink(self):
        self._vertrieb_care_touch()
        return super().unlink()

    def _vertrieb_care_touch(self):
        """Mark the customers of these meetings' attendees for a refresh of their rhythm (once per
        transaction)."""
        if partner_ids := self.sudo().with_context(active_test=False).partner_ids.ids:
            self.env["vertrieb.customer.care"].sudo()._vertrieb_touch(partner_ids)
