from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionHistory(AcquisitionCommon):
    def test_history_and_durations(self):
        with freeze_time("2026-03-02 08:00:00"):
            lead = self._lead("research")
            self._fill(lead, "needs")
        with freeze_time("2026-03-05 20:00:00"):
            lead.write({"stage_id": self.stages["identification"].id})
        with freeze_time("2026-03-07 08:00:00"):
            lead.write({"stage_id": self.stages["contact"].id})
        history = lead.vertrieb_step_history_ids.sorted("date_enter")
        self.assertEqual(history.mapped("step_id.code"), ["research", "identification", "contact"])
        self.assertAlmostEqual(history[0].duration_days, 3.5)
        self.assertAlmostEqual(history[1].duration_days, 1.5)
        self.assertEqual(history[1].date_leave, datetime(2026, 3, 7, 8, 0))
        self.assertFalse(history[2].date_leave)
        self.assertTrue(history[2].is_current)
        self.assertEqual(history.mapped("overridden"), [False, False, False])
        self.assertEqual(lead.vertrieb_step_date_enter, datetime(2026, 3, 7, 8, 0))
        # moving back records a new stay
        with freeze_time("2026-03-08 08:00:00"):
            lead.write({"stage_id": self.stages["research"].id})
        self.assertEqual(len(lead.vertrieb_step_history_ids), 4)
        self.assertEqual(lead.vertrieb_step_history_ids.filtered("is_current").step_id, self.steps["research"])

    def test_leaving_the_pipeline_closes_history(self):
        lead = self._lead("research")
        other_stage = self.env["crm.stage"].create({"name": "Sonstiges"})
        lead.write({"stage_id": other_stage.id})
        self.assertFalse(lead.vertrieb_step_id)
        self.assertTrue(lead.vertrieb_step_history_ids.date_leave)

    def test_deadline_overdue_and_schedule(self):
        with freeze_time("2026-03-02 08:00:00"):
            lead = self._lead("research")
            # the proposed schedule: 14 working days from Tuesday 3 March
            self.assertEqual(str(lead.vertrieb_step_deadline), "2026-03-20")
            lead.vertrieb_plan_ids.unlink()
            self.assertEqual(str(lead.vertrieb_step_deadline), "2026-03-16")  # without plan: 14 target days
        with freeze_time("2026-03-20 08:00:00"):
            lead.invalidate_recordset(["vertrieb_step_overdue"])
            self.assertTrue(lead.vertrieb_step_overdue)
            self.assertIn(lead, self.env["crm.lead"].search([("vertrieb_step_overdue", "=", True)]))
            lead.write(
                {"vertrieb_plan_ids": [(0, 0, {"step_id": self.steps["research"].id, "date_planned": "2026-03-31"})]}
            )
            self.assertEqual(str(lead.vertrieb_step_deadline), "2026-03-31")
            lead.invalidate_recordset(["vertrieb_step_overdue"])
            self.assertFalse(lead.vertrieb_step_overdue)
            self.assertNotIn(lead, self.env["crm.lead"].search([("vertrieb_step_overdue", "=", True)]))

    def test_schedule_out_of_order(self):
        lead = self._lead("research")
        lead.vertrieb_plan_ids.unlink()
        with self.assertRaises(ValidationError):
            lead.write(
                {
                    "vertrieb_plan_ids": [
                        (0, 0, {"step_id": self.steps["research"].id, "date_planned": "2026-04-01"}),
                        (0, 0, {"step_id": self.steps["identification"].id, "date_planned": "2026-03-01"}),
                    ]
                }
            )
        self.assertFalse(lead.vertrieb_plan_ids)

    def test_bad_amounts_and_decision_maker(self):
        lead = self._lead("research")
        for field in ("vertrieb_budget", "vertrieb_offer_amount"):
            with self.assertRefused(ValidationError, "cannot be negative"):
                lead.write({field: -1})
        lead.write({"vertrieb_budget": 5000})
        stranger = self.env["res.partner"].create(
            {
                "name": "Fremder Einkäufer",
                "parent_id": self.env["res.partner"].create({"name": "Konkurrenz AG", "is_company": True}).id,
            }
        )
        with self.assertRaises(ValidationError):
            lead.write({"partner_id": self.customer.id, "vertrieb_decision_maker_id": stranger.id})
        self.assertFalse(lead.vertrieb_decision_maker_id)

    def test_salesperson_sees_own_history_only(self):
        own = self._lead("research", user=self.user_sales_1)
        other = self._lead("research", user=self.user_sales_2, team_id=self.team.id)
        History = self.env["vertrieb.lead.step.history"].with_user(self.user_sales_1)
        visible = History.search([("lead_id", "in", (own | other).ids)])
        self.assertEqual(visible.lead_id, own)
        with self.assertRaises(AccessError):
            visible.write({"overridden": True})
        self.assertEqual(
            self.env["vertrieb.lead.step.history"]
            .with_user(self.user_manager)
            .search_count([("lead_id", "in", (own | other).ids)]),
            2,
        )

    def test_history_written_by_the_module_only(self):
        """Issue #12: the step history and the step entry date are audit data: no user writes them."""
        lead = self._lead("research", user=self.user_sales_1)
        history = lead.vertrieb_step_history_ids
        self.assertEqual(len(history), 1)
        for user in (self.user_manager, self.user_sales_1):
            with self.assertRaises(AccessError):
                history.with_user(user).write({"date_enter": "2020-01-01 00:00:00"})
            with self.assertRaises(AccessError):
                history.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env["vertrieb.lead.step.history"].with_user(user).create(
                    {"lead_id": lead.id, "step_id": self.steps["closing"].id}
                )
            with self.assertRaisesRegex(AccessError, "set by CRM Vertrieb itself"):
                lead.with_user(user).write({"vertrieb_step_date_enter": "2020-01-01 00:00:00", "name": "X"})
        # even a user with full rights on the model (a setup mistake) is refused in the code
        self.env["ir.model.access"].create(
            {
                "name": "too generous",
                "model_id": self.env["ir.model"]._get_id("vertrieb.lead.step.history"),
                "group_id": self.env.ref("sales_team.group_sale_manager").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
            }
        )
        with self.assertRaisesRegex(AccessError, "set by CRM Vertrieb itself"):
            history.with_user(self.user_manager).write({"date_enter": "2020-01-01 00:00:00"})
        self.assertNotEqual(lead.name, "X")
        self.assertNotEqual(str(history.date_enter)[:4], "2020")

    def test_lead_time_report(self):
        with freeze_time(datetime.now() - timedelta(days=4)):
            leads = self._lead("research") | self._lead("research", name="Zweite")
            self._fill(leads, "identification")
        leads.write({"stage_id": self.stages["identification"].id})
        groups = self.env["vertrieb.lead.step.history"]._read_group(
            [("lead_id", "in", leads.ids), ("is_current", "=", False)], ["step_id"], ["duration_days:avg"]
        )
        self.assertEqual(len(groups), 1)
        self.assertAlmostEqual(groups[0][1], 4.0, places=2)
