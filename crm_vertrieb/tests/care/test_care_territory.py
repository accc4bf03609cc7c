# pylint: disable=translation-required
from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import VertriebCareCommon


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCareTerritory(VertriebCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo territories are out of the way
        cls.env["vertrieb.territory"].search([]).active = False
        cls.de = cls.env.ref("base.de")
        cls.at = cls.env.ref("base.at")
        cls.territory = cls.env["vertrieb.territory"].create(
            {
                "name": "Bayern",
                "user_id": cls.user_sales_1.id,
                "team_id": cls.team_1.id,
                "range_ids": [(0, 0, {"country_id": cls.de.id, "zip_from": "80000", "zip_to": "80331"})],
            }
        )
        cls.territory_at = cls.env["vertrieb.territory"].create(
            {"name": "Österreich", "range_ids": [(0, 0, {"country_id": cls.at.id})]}
        )

    def test_matching_at_range_edges(self):
        # customer_b's ZIP 80331 is the range's last ZIP
        self.assertEqual(self._care(self.customer_b).territory_id, self.territory)
        self.customer_b.zip = "80332"
        self.assertFalse(self.customer_b.vertrieb_territory_id)
        self.customer_b.zip = "80000"
        self.assertEqual(self.customer_b.vertrieb_territory_id, self.territory)
        self.customer_b.zip = "7999"  # four digits: not a German ZIP of the range
        self.assertFalse(self.customer_b.vertrieb_territory_id)
        # a whole country
        self.customer_c.write({"country_id": self.at.id, "zip": "1010"})
        self.assertEqual(self.customer_c.vertrieb_territory_id, self.territory_at)
        # a new range matches the existing customers at once
        self.territory.range_ids = [(0, 0, {"country_id": self.de.id, "zip_from": "20000", "zip_to": "29999"})]
        self.assertEqual(self.customer.vertrieb_territory_id, self.env["vertrieb.territory"])  # 70565
        self.customer.zip = "20000"
        self.assertEqual(self.customer.vertrieb_territory_id, self.territory)

    def test_bad_ranges(self):
        Range = self.env["vertrieb.territory.range"]
        with self.assertRaisesRegex(ValidationError, "ends \\(79999\\) before it starts \\(80000\\)"):
            Range.create(
                {"territory_id": self.territory.id, "country_id": self.de.id, "zip_from": "80000", "zip_to": "79999"}
            )
        with self.assertRaisesRegex(ValidationError, "have 4 digits"):
            Range.create(
                {"territory_id": self.territory_at.id, "country_id": self.at.id, "zip_from": "10000", "zip_to": "10100"}
            )
        with self.assertRaisesRegex(ValidationError, "overlaps the range DE 80000-80331 of territory Bayern"):
            self.env["vertrieb.territory"].create(
                {
                    "name": "München",
                    "range_ids": [(0, 0, {"country_id": self.de.id, "zip_from": "80331", "zip_to": "81999"})],
                }
            )
        with self.assertRaisesRegex(ValidationError, "overlaps"):
            self.env["vertrieb.territory"].create({"name": "Alpen", "range_ids": [(0, 0, {"country_id": self.at.id})]})

    def test_visit_plan(self):
        self._set_class(self.customer_b, "b")  # overdue, in Bayern
        self._set_class(self.customer, "a")  # due in 10 days, not in the territory
        self.Care._vertrieb_refresh()
        Plan = self.env["vertrieb.care.visit.plan"].with_user(self.user_sales_1)
        # from tomorrow: the meetings lie in the future (planned contacts)
        plan = Plan.create({"date_from": self.today + timedelta(days=1), "date_to": self.today + timedelta(days=14)})
        with self.assertRaisesRegex(UserError, "load the due customers first"):
            plan.action_create_meetings()
        plan.action_load()
        self.assertEqual(plan.line_ids.partner_id, self.customer_b)
        action = plan.action_create_meetings()
        event = self.env["calendar.event"].search(action["domain"])
        self.assertIn(self.customer_b, event.partner_ids)
        self.assertEqual(self._care(self.customer_b).next_planned_date, event.start.date())
        with self.assertRaisesRegex(UserError, "ends before it starts"):
            Plan.create({"date_from": self.today, "date_to": self.today - timedelta(days=1)})
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "crm_vertrieb.vertrieb_care_visit_plan_report", plan.ids
        )
        self.assertTrue(pdf)

    def test_lead_territory_fills_research_text(self):
        lead = self.env["crm.lead"].with_user(self.user_sales_1).new({"name": "Neukunde Bayern"})
        lead.vertrieb_territory_id = self.territory
        lead._onchange_vertrieb_territory_id()
        self.assertEqual(lead.vertrieb_territory, "Bayern")
