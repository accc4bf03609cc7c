from datetime import datetime, time, timedelta
from itertools import pairwise

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VertriebLeadStepPlan(models.Model):
    """Planned end date of one acquisition step for one lead (Zeitplan)."""

    _name = "vertrieb.lead.step.plan"
    _description = "Acquisition Schedule"
    _order = "step_sequence, id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, index=True, ondelete="cascade")
    step_id = fields.Many2one("vertrieb.acquisition.step", string="Step", required=True, ondelete="restrict")
    step_sequence = fields.Integer(related="step_id.sequence", store=True, string="Step Sequence")
    date_planned = fields.Date(string="Planned Until", required=True)
    target_days = fields.Integer(related="step_id.target_days", string="Target Duration (Days)")
    company_id = fields.Many2one(related="lead_id.company_id", store=True, string="Company")

    _sql_constraints = [
        ("lead_step_uniq", "unique (lead_id, step_id)", "Each step can be planned only once per opportunity."),
    ]

    @api.constrains("date_planned", "step_id", "lead_id")
    def _check_date_order(self):
        for lead in self.lead_id:
            plans = lead.vertrieb_plan_ids.sorted(lambda p: (p.step_id.sequence, p.step_id.id))
            for previous, plan in pairwise(plans):
                if plan.date_planned < previous.date_planned:
                    raise ValidationError(
                        self.env._(
                            "The schedule of %(lead)s is out of order: %(step)s is planned on %(date)s, before "
                            "the earlier step %(previous)s (%(previous_date)s).",
                            lead=lead.display_name,
                            step=plan.step_id.name,
                            date=plan.date_planned,
                            previous=previous.step_id.name,
                            previous_date=previous.date_planned,
                        )
                    )

    @api.model
    def _vertrieb_propose(self, leads):
        """Propose the schedule of ``leads`` entering the acquisition pipeline (leads without a plan).

        From today, each step from the lead's current one ends after its standard duration in
        working days of the company calendar (weekends and public holidays skipped). Adjustable.
        """
        leads = leads.filtered(lambda lead: lead.vertrieb_step_id and not lead.vertrieb_plan_ids)
        if not leads:
            return self
        steps = self.env["vertrieb.acquisition.step"].sudo().search([])
        today = fields.Date.context_today(self)
        schedules = {}  # (calendar, step): [(step, date)], the same for every lead of a batch
        values = []
        for lead in leads:
            calendar = (lead.company_id or self.env.company).resource_calendar_id
            key = (calendar, lead.vertrieb_step_id)
            if key not in schedules:
                schedules[key] = self._vertrieb_schedule(calendar, steps, lead.vertrieb_step_id, today)
            values += [{"lead_id": lead.id, "step_id": step.id, "date_planned": date} for step, date in schedules[key]]
        return self.sudo().create(values)

    @api.model
    def _vertrieb_schedule(self, calendar, steps, current, start):
        """[(step, planned end date)] from ``current`` on: each step's duration in working days,
        counted from the day after ``start`` (a date), then from the day after the previous step's end."""
        day = start
        schedule = []
        for step in steps.filtered(lambda s: (s.sequence, s.id) >= (current.sequence, current.id)):
            if step.target_days and calendar:
                end = calendar.plan_days(
                    step.target_days, self._vertrieb_end_of_day(calendar, day), compute_leaves=True
                )
                day = end.date() if end else day + timedelta(days=step.target_days)
            elif step.target_days:
                day += timedelta(days=step.target_days)
            schedule.append((step, day))
        return schedule

    @api.model
    def _vertrieb_end_of_day(self, calendar, day):
        """The last minute of ``day`` in the calendar's time zone, as naive UTC (what plan_days expects)."""
        tz = pytz.timezone(calendar.tz or "UTC")
        local = tz.localize(datetime.combine(day, time(23, 59)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)
