from odoo import api, fields, models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    @api.model_create_multi
    def create(self, vals_list):
        attendees = super().create(vals_list)
        attendees._vertrieb_kpi_sync()
        return attendees

    def write(self, vals):
        res = super().write(vals)
        if {"state", "partner_id", "event_id"} & vals.keys():
            self._vertrieb_kpi_sync()
        return res

    def _vertrieb_kpi_sync(self):
        """An attendee of an ended meeting accepting, declining or being added changes who held it."""
        now = fields.Datetime.now()
        events = self.sudo().event_id.filtered(lambda e: e.stop and e.stop < now)
        if events:
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(event_ids=events.ids)
