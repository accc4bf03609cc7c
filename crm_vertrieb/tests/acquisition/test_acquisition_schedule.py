from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionSchedule(AcquisitionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "Europe/Berlin"
        # Friday 1 May 2026: public holiday (Tag der Arbeit) in the company calendar
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Tag der Arbeit",
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2026, 4, 30, 22, 0),
                "date_to": datetime(2026, 5, 1, 21, 59),
            }
        )
        cls.steps["research"].target_days = 2
        cls.steps["identification"].target_days = 1
        cls.steps["contact"].target_days = 3

    @freeze_time("2026-04-30 10:00:00")
    def test_schedule_proposed_in_working_days(self):
        """Entered on Thursday 30 April: Friday is a holiday, Saturday and Sunday are off."""
        lead = self._lead("research")
        plan = {line.step_id.code: line.date_planned for line in lead.vertrieb_plan_ids}
        self.assertEqual(set(plan), set(self.steps), "every step is planned")
        self.assertEqual(plan["research"], date(2026, 5, 5), "Mon 4 and Tue 5 May are the two working days")
        self.assertEqual(plan["identification"], date(2026, 5, 6))
        self.assertEqual(plan["contact"], date(2026, 5, 11), "Thu 7, Fri 8, (weekend), Mon 11")
        for planned in plan.values():
            self.assertLess(planned.weekday(), 5, "never on a weekend")
            self.assertNotEqual(planned, date(2026, 5, 1))
        self.assertEqual(lead.vertrieb_step_deadline, date(2026, 5, 5), "the deadline follows the plan")
        # adjustable: the salesperson moves a date; a lead that leaves and re-enters keeps its plan
        research_plan = lead.vertrieb_plan_ids.filtered(lambda p: p.step_id == self.steps["research"])
        research_plan.with_user(self.user_sales_1).date_planned = date(2026, 5, 6)
        self.assertEqual(lead.vertrieb_step_deadline, date(2026, 5, 6))

    def test_lateness_against_plan_in_lead_time_report(self):
        with freeze_time("2026-04-30 10:00:00"):
            lead = self._lead("research")
        with freeze_time("2026-05-08 10:00:00"):
            lead.write(dict(self._step_values("research", lead), stage_id=self.stages["identification"].id))
        line = lead.vertrieb_step_history_ids.filtered(lambda h: h.step_id == self.steps["research"])
        self.assertEqual(line.date_planned, date(2026, 5, 5))
        self.assertEqual(line.delay_days, 3)
        [group] = self.env["vertrieb.lead.step.history"].read_group(
            [("lead_id", "=", lead.id), ("step_id", "=", self.steps["research"].id)], ["delay_days:avg"], []
        )
        self.assertEqual(group["delay_days"], 3)

    def test_no_plan_outside_acquisition(self):
        other = self.env["crm.lead"].create({"name": "Ohne Prozess", "type": "opportunity", "team_id": self.team_1.id})
        self.assertFalse(other.vertrieb_plan_ids)
