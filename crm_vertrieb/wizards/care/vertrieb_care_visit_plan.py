from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError


class VertriebCareVisitPlan(models.TransientModel):
    """Visit plan (Besuchsplan): the customers of a salesperson's territories that are due in a
    date range, ordered by ZIP and city (a route), turned into meetings in one step and printable."""

    _name = "vertrieb.care.visit.plan"
    _description = "Visit Plan"

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    date_from = fields.Date("From", required=True, default=fields.Date.context_today)
    date_to = fields.Date("To", required=True, default=lambda self: fields.Date.context_today(self) + timedelta(days=4))
    visits_per_day = fields.Integer("Visits per Day", default=4)
    line_ids = fields.One2many("vertrieb.care.visit.plan.line", "plan_id", string="Visits")

    @api.constrains("date_from", "date_to", "visits_per_day")
    def _check_plan(self):
        for plan in self:
            if plan.date_to < plan.date_from:
                raise UserError(self.env._("The visit plan ends before it starts."))
            if plan.visits_per_day <= 0:
                raise UserError(self.env._("Plan at least one visit per day."))

    def _vertrieb_due_customers(self):
        """The due customers (due by the end of the range, nothing planned) of the territories the
        salesperson is responsible for, else of their own customers; under the reader's rules."""
        self.ensure_one()
        territories = self.env["vertrieb.territory"].search([("user_id", "=", self.user_id.id)])
        where = [("territory_id", "in", territories.ids)] if territories else [("user_id", "=", self.user_id.id)]
        rows = self.env["vertrieb.customer.care"].search(
            [*where, ("next_contact_due", "<=", self.date_to), ("care_allowed", "=", True)]
        )
        return rows.sorted(lambda row: (row.partner_id.zip or "", row.partner_id.city or "", row.partner_id.name or ""))

    def action_load(self):
        """Fill the plan: the due customers in route order, spread over the days of the range."""
        self.ensure_one()
        days = self._vertrieb_working_days()
        customers = self._vertrieb_due_customers()
        self.line_ids = [(5, 0, 0)] + [
            (
                0,
                0,
                {
                    "sequence": index,
                    "care_id": care.id,
                    "date": days[min(index // self.visits_per_day, len(days) - 1)],
                },
            )
            for index, care in enumerate(customers)
        ]
        return self._vertrieb_reopen()

    def _vertrieb_working_days(self):
        day, days = self.date_from, []
        while day <= self.date_to:
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
        return days or [self.date_from]

    def action_create_meetings(self):
        """One meeting per visit, with the customer as attendee, hour by hour from 9:00 local time."""
        self.ensure_one()
        lines = self.line_ids.filtered("care_id")
        if not lines:
            raise UserError(self.env._("The visit plan has no visits: load the due customers first."))
        tz = pytz.timezone(self.user_id.tz or self.env.user.tz or "Europe/Berlin")
        slot = {}
        vals_list = []
        for line in lines.sorted("sequence"):
            hour = 9 + slot.get(line.date, 0)
            slot[line.date] = slot.get(line.date, 0) + 1
            start = tz.localize(datetime.combine(line.date, time(hour))).astimezone(pytz.utc).replace(tzinfo=None)
            partner = line.care_id.partner_id
            vals_list.append(
                {
                    "name": self.env._("Visit: %(customer)s", customer=partner.name),
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": self.user_id.id,
                    "location": ", ".join(
                        filter(None, [partner.street, f"{partner.zip or ''} {partner.city or ''}".strip()])
                    ),
                    "partner_ids": [(6, 0, [self.user_id.partner_id.id, partner.id])],
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": partner.id,
                }
            )
        events = self.env["calendar.event"].with_context(no_mail_to_attendees=True).create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visits"),
            "res_model": "calendar.event",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", events.ids)],
        }

    def action_print(self):
        self.ensure_one()
        return self.env.ref("crm_vertrieb.vertrieb_care_visit_plan_report").report_action(self)

    def _vertrieb_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
        }


class VertriebCareVisitPlanLine(models.TransientModel):
    _name = "vertrieb.care.visit.plan.line"
    _description = "Visit Plan Line"
    _order = "date, sequence, id"

    plan_id = fields.Many2one("vertrieb.care.visit.plan", required=True, ondelete="cascade")
    sequence = fields.Integer()
    date = fields.Date(required=True)
    care_id = fields.Many2one("vertrieb.customer.care", string="Customer Rhythm", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="care_id.partner_id", string="Customer")
    zip = fields.Char(related="care_id.partner_id.zip", string="ZIP")
    city = fields.Char(related="care_id.partner_id.city")
    street = fields.Char(related="care_id.partner_id.street")
    abc_class = fields.Selection(related="care_id.abc_class")
    last_contact_date = fields.Date(related="care_id.last_contact_date")
    next_contact_due = fields.Date(related="care_id.next_contact_due")
