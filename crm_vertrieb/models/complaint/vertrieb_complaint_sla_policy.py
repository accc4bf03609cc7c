import math
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# how far ahead a deadline is looked for (Odoo's plan_days and plan_hours: 100 times 14 days)
MAX_SPAN = timedelta(days=1400)


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

    @api.model
    def _deadlines(self, requests):
        """The deadlines of ``requests``, triples ``(policy, start, amount)`` (start naive UTC;
        amount: the policy's working hours or days), in their order: naive UTC, False when the
        calendar has no working time within ~4 years.

        Hours are counted from ``start`` on the working time of the policy company's calendar (its
        leaves taken out); n working days end at the end of the n-th working day after the day of
        receipt (calendar time zone). The working time of each calendar is read once for all the
        deadlines of the batch (an attendance and a leave read), not once per deadline."""
        results = [False] * len(requests)
        by_calendar = defaultdict(list)
        for index, (policy, start, amount) in enumerate(requests):
            calendar = policy.company_id.resource_calendar_id
            if not calendar:
                unit = timedelta(hours=amount) if policy.time_unit == "hours" else timedelta(days=amount)
                results[index] = start + unit
                continue
            tz = pytz.timezone(calendar.tz or "UTC")
            local = pytz.utc.localize(start).astimezone(tz)
            if policy.time_unit == "hours":
                item = (index, "hours", local, amount, amount / max(calendar.hours_per_day or 8.0, 1.0))
            else:
                days = max(int(round(amount)), 1)
                next_day = tz.localize(datetime.combine(local.date() + timedelta(days=1), time.min))
                item = (index, "days", next_day, days, days)
            by_calendar[calendar].append(item)
        for calendar, calendar_items in by_calendar.items():
            items = calendar_items
            first = min(item[2] for item in items)
            last = max(item[2] for item in items)
            # working days fill at most five of seven days, fewer with holidays: a wide window
            # first, twice as wide for the deadlines it does not hold
            span = timedelta(days=14 + 2 * math.ceil(max(item[4] for item in items)))
            while items and span <= MAX_SPAN:
                intervals = list(calendar._work_intervals_batch(first, last + span)[False])
                unresolved = []
                for item in items:
                    index, unit, begin, amount, _days = item
                    found = self._deadline_in(intervals, unit, begin, amount)
                    if found is None:
                        unresolved.append(item)
                    else:
                        results[index] = found.astimezone(pytz.utc).replace(tzinfo=None)
                items = unresolved
                span *= 2
        return results

    @api.model
    def _deadline_in(self, intervals, unit, begin, amount):
        """The deadline ``amount`` working hours or days after ``begin`` in the working
        ``intervals`` (sorted, aware), or None when they end before it."""
        if unit == "hours":
            left = amount
            for start, stop, _meta in intervals:
                if stop <= begin:
                    continue
                since = max(start, begin)
                hours = (stop - since).total_seconds() / 3600
                if left <= hours:
                    return since + timedelta(hours=left)
                left -= hours
            return None
        day, count, end = None, 0, None
        for start, stop, _meta in intervals:
            if start < begin:
                continue
            if start.date() != day:
                if count == amount:
                    return end
                day, count, end = start.date(), count + 1, stop
            else:
                end = max(end, stop)
        return None
