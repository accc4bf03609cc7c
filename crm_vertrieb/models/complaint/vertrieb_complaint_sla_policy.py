from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VertriebComplaintSlaPolicy(models.Model):
    """Service-level policy: acknowledgement and resolution deadline per category and severity."""

    _name = "vertrieb.complaint.sla.policy"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, string="Company")
    category_id = fields.Many2one(
        "vertrieb.complaint.category", help="Leave empty to apply the policy to every category."
    )
    severity = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Critical")],
        help="Leave empty to apply the policy to every severity.",
    )
    time_unit = fields.Selection(
        [("hours", "Working Hours"), ("days", "Working Days")],
        required=True,
        default="days",
        help="Deadlines are counted on the working time of the company calendar.",
    )
    ack_time = fields.Float(string="Acknowledgement Within", required=True, default=1.0)
    resolve_time = fields.Float(string="Resolution Within", required=True, default=10.0)
    reminder_hours = fields.Float(
        string="Reminder (Hours Before)",
        default=24.0,
        help="The complaint is 'at risk' and the responsible gets a reminder activity this many hours "
        "before a deadline.",
    )

    @api.constrains("ack_time", "resolve_time", "reminder_hours")
    def _check_times(self):
        for policy in self:
            if policy.ack_time <= 0 or policy.resolve_time <= 0:
                raise ValidationError(self.env._("The deadlines of an SLA policy must be greater than zero."))
            if policy.resolve_time < policy.ack_time:
                raise ValidationError(
                    self.env._("The resolution deadline cannot be shorter than the acknowledgement deadline.")
                )
            if policy.reminder_hours < 0:
                raise ValidationError(self.env._("The reminder cannot be negative."))

    def _find_policy(self, company, category, severity):
        """Most specific active policy of ``company`` for ``category`` and ``severity`` (or empty)."""
        policies = self.search(
            [
                ("company_id", "=", company.id),
                ("category_id", "in", [category.id, False] if category else [False]),
                ("severity", "in", [severity, False] if severity else [False]),
            ]
        )
        if not policies:
            return self.browse()
        return policies.sorted(lambda p: (not p.category_id, not p.severity, p.sequence, p.id))[0]

    def _deadline(self, start, amount):
        """Deadline ``amount`` working hours/days after ``start`` (naive UTC) on the company calendar."""
        self.ensure_one()
        calendar = self.company_id.resource_calendar_id
        if not calendar:
            unit = timedelta(hours=amount) if self.time_unit == "hours" else timedelta(days=amount)
            return start + unit
        if self.time_unit == "hours":
            return calendar.plan_hours(amount, start, compute_leaves=True)
        # working days: end of the n-th working day after the day of receipt (calendar time zone)
        tz = pytz.timezone(calendar.tz or "UTC")
        local = pytz.utc.localize(start).astimezone(tz)
        next_day = tz.localize(datetime.combine(local.date() + timedelta(days=1), time.min))
        days = max(int(round(amount)), 1)
        end = calendar.plan_days(days, next_day, compute_leaves=True)
        if not end:
            return False
        # plan_days stops at the end of the first interval of that day: go to the end of the day
        end_local = end.astimezone(tz)
        day_end = tz.localize(datetime.combine(end_local.date(), time.max))
        intervals = list(calendar._work_intervals_batch(end_local, day_end)[False])
        if intervals:
            end = max(stop for _start, stop, _meta in intervals)
        return end.astimezone(pytz.utc).replace(tzinfo=None)
