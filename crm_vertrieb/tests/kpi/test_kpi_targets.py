from datetime import date, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import VertriebKpiCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiTargets(VertriebKpiCommon):
    def _target(self, **vals):
        values = {
            "user_id": self.user_sales_1.id,
            "kpi": "contacts",
            "period": "week",
            "date_from": self.week_start,
            "target_value": 4,
        }
        values.update(vals)
        return self.env["vertrieb.kpi.target"].create(values)

    def test_period_end_and_achievement(self):
        target = self._target()
        self.assertEqual(target.date_to, self.week_end)
        self.assertEqual(target.actual_value, 6)
        self.assertEqual(target.achievement, 150)
        self.assertEqual(target.traffic_light, "green")
        calls = self._target(kpi="contacts_call", target_value=4)
        self.assertEqual((calls.actual_value, calls.achievement, calls.traffic_light), (2, 50, "red"))
        meetings = self._target(kpi="contacts_meeting", target_value=2.5)
        self.assertEqual((meetings.actual_value, meetings.traffic_light), (2, "yellow"))
        offers = self._target(kpi="offers", target_value=1)
        self.assertEqual((offers.actual_value, offers.traffic_light), (1, "green"))
        month = self._target(period="month", date_from=date(2026, 2, 1), target_value=10)
        self.assertEqual(month.date_to, date(2026, 2, 28))
        quarter = self._target(period="quarter", date_from=date(2026, 4, 1), target_value=10)
        self.assertEqual(quarter.date_to, date(2026, 6, 30))

    def test_team_target_and_no_target(self):
        team = self._target(scope="team", user_id=False, team_id=self.team_2.id, target_value=2)
        self.assertEqual((team.actual_value, team.achievement), (1, 50))
        zero = self._target(user_id=self.user_sales_2.id, target_value=0)
        self.assertEqual(zero.traffic_light, "none")

    def test_target_batch_queries_bounded(self):
        targets = self._target() | self._target(kpi="contacts_call") | self._target(kpi="won_deals")
        targets |= self._target(kpi="revenue") | self._target(kpi="new_leads")
        targets |= self._target(user_id=self.user_sales_2.id)
        targets.invalidate_recordset()
        with self.assertQueryCount(__system__=12):
            targets.mapped("achievement")

    def test_new_leads_won_and_revenue(self):
        new_leads = self._target(kpi="new_leads", date_from=self.env.cr.now().date(), target_value=1)
        self.assertEqual(new_leads.actual_value, 1)  # lead_1 created today
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.lead_1.stage_id = won_stage
        won = self._target(kpi="won_deals", date_from=self.env.cr.now().date(), target_value=2)
        self.assertEqual((won.actual_value, won.achievement), (1, 50))

    def test_bad_input(self):
        with self.assertRaises(ValidationError) as error:
            self._target(date_to=self.week_start - timedelta(days=1))
        self.assertIn("before its start", str(error.exception))
        with self.assertRaises(ValidationError) as error:
            self._target(target_value=-1)
        self.assertIn("cannot be negative", str(error.exception))
        with self.assertRaises(ValidationError) as error:
            self._target(period="day")
        self.assertIn("Unknown value", str(error.exception))
        with self.assertRaises(ValidationError) as error:
            self._target(user_id=False)
        self.assertIn("needs a salesperson", str(error.exception))
        self._target()
        with self.assertRaises(ValidationError) as error:
            self._target(date_from=self.week_start + timedelta(days=3), target_value=8)
        self.assertIn("overlaps", str(error.exception))
        # another period type or another salesperson does not overlap
        self._target(period="month", date_from=self.week_start.replace(day=1))
        self._target(user_id=self.user_sales_2.id)

    def test_access(self):
        own = self._target()
        other = self._target(user_id=self.user_sales_2.id)
        Target = self.env["vertrieb.kpi.target"]
        self.assertEqual(Target.with_user(self.user_sales_1).search([("id", "in", (own | other).ids)]), own)
        self.assertEqual(Target.with_user(self.user_leader_2).search([("id", "in", (own | other).ids)]), other)
        with self.assertRaises(AccessError):
            own.with_user(self.user_sales_1).target_value = 1
        own.with_user(self.user_manager).target_value = 6
        self.assertEqual(own.achievement, 100)

    def test_targets_in_activity_rate_report(self):
        self._target(target_value=5)
        groups = self.env["vertrieb.kpi.contact"]._read_group(
            [("user_id", "=", self.user_sales_1.id), ("date", ">=", self.week_start), ("date", "<=", self.week_end)],
            ["date:week"],
            ["contact_count:sum", "target_value:sum"],
        )
        self.assertEqual([(count, target) for _week, count, target in groups], [(6, 5.0)])
