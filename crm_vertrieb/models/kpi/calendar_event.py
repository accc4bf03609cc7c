from odoo import api, fields, models

# fields of a meeting that the counting rules of the activity rate read
KPI_EVENT_FIELDS = {
    "start",
    "stop",
    "start_date",
    "allday",
    "active",
    "user_id",
    "opportunity_id",
    "res_model",
    "res_model_id",
    "res_id",
    "partner_ids",
    "attendee_ids",
}


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        # meetings count once they have ended (the hourly cron picks up the others then)
        now = fields.Datetime.now()
        ended = events.filtered(lambda e: e.stop and e.stop < now)
        ended._vertrieb_kpi_sync()
        return events

    def write(self, vals):
        if not (KPI_EVENT_FIELDS & vals.keys()):
            return super().write(vals)
        lead_ids = self._vertrieb_kpi_lead_ids()
        res = super().write(vals)
        self._vertrieb_kpi_sync(lead_ids)
        return res

    def unlink(self):
        lead_ids = self._vertrieb_kpi_lead_ids()
        res = super().unlink()
        # the attendees' rows are gone (foreign key); a done meeting activity the same day may count again
        if lead_ids:
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(lead_ids=lead_ids)
        return res

    def _vertrieb_kpi_lead_ids(self):
        return [
            lead_id
            for event in self.with_context(active_test=False).sudo()
            if (lead_id := event.opportunity_id.id or (event.res_model == "crm.lead" and event.res_id))
        ]

    def _vertrieb_kpi_sync(self, lead_ids=()):
        """Keep the customer contact ledger in step with these meetings (and the leads they are or
        were on: a held meeting replaces a done meeting activity of the same day)."""
        if self:
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(
                event_ids=self.ids, lead_ids=list(set(lead_ids) | set(self._vertrieb_kpi_lead_ids()))
            )
