# pylint: disable=translation-required
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import VertriebCareCommon


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCareRhythm(VertriebCareCommon):
    def test_last_contact_and_due_dates(self):
        self._set_class(self.customer, "a")  # A: 30 days
        self._set_class(self.customer_b, "b")  # B: 60 days
        care = self._care(self.customer)
        # sales2's call counts for sales1's customer; the internal note 5 days ago does not
        self.assertEqual(care.last_contact_date, self.today - timedelta(days=20))
        self.assertEqual(care.contact_interval, 30)
        self.assertEqual(care.next_contact_due, self.today + timedelta(days=10))
        self.assertFalse(care.is_overdue)
        self.assertEqual((care.contacts_90d, care.contacts_365d), (2, 2))
        self.assertEqual(care.coverage, 100.0)
        # the call on the contact person counts for the company: 70 days ago + 60 = 10 days overdue
        care_b = self._care(self.customer_b)
        self.assertEqual(care_b.last_contact_date, self.today - timedelta(days=70))
        self.assertEqual(care_b.next_contact_due, self.today - timedelta(days=10))
        self.assertTrue(care_b.is_overdue)
        self.assertEqual(care_b.days_overdue, 10)
        self.assertEqual(care_b.coverage, 0.0)
        self.assertTrue(self.customer_b.vertrieb_contact_overdue)
        self.assertTrue(self.contact_b.vertrieb_contact_overdue)
        overdue = self.env["res.partner"].search([("vertrieb_contact_overdue", "=", True)])
        self.assertIn(self.customer_b, overdue)
        self.assertNotIn(self.customer, overdue)

    def test_class_default_and_override(self):
        care_c = self._care(self.customer_c)
        # unclassified: no rhythm, nothing due
        self.assertFalse(care_c.contact_interval)
        self.assertFalse(care_c.next_contact_due)
        self._set_class(self.customer_c, "c")
        self.company.vertrieb_care_interval_c = 100
        care_c = self._care(self.customer_c)
        # never contacted: due today
        self.assertEqual((care_c.contact_interval, care_c.next_contact_due), (100, self.today))
        self.customer_c.write({"vertrieb_care_interval_custom": True, "vertrieb_care_interval_days": 7})
        # the partner's write refreshes its row at once
        self.assertEqual(care_c.contact_interval, 7)
        self.assertEqual(self.customer_c.vertrieb_contact_interval, 7)

    def test_bad_intervals(self):
        with self.assertRaisesRegex(ValidationError, "must be at least one day"):
            self.customer_c.write({"vertrieb_care_interval_custom": True, "vertrieb_care_interval_days": 0})
        with self.assertRaisesRegex(ValidationError, "A contact rhythm must be at least one day"):
            self.company.vertrieb_care_interval_b = -5

    def test_ledger_sync_keeps_rhythm_in_step(self):
        self._set_class(self.customer_c, "c")
        self.Care._vertrieb_refresh()
        self._done_call(self.customer_c, self.user_sales_2, 3)
        care_c = self.Care.search([("partner_id", "=", self.customer_c.id)])
        self.assertEqual(care_c.last_contact_date, self.today - timedelta(days=3))

    def test_next_planned_contact(self):
        self.customer_b.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=self.today + timedelta(days=4), user_id=self.user_sales_1.id
        )
        self.assertEqual(self._care(self.customer_b).next_planned_date, self.today + timedelta(days=4))

    def test_record_rules(self):
        self.Care._vertrieb_refresh()
        partners = self.customer | self.customer_b | self.customer_c
        seen = {
            user.login: set(self.Care.with_user(user).search([("partner_id", "in", partners.ids)]).partner_id.ids)
            for user in (self.user_sales_1, self.user_sales_2, self.user_manager)
        }
        self.assertEqual(seen["cv_sales1"], {self.customer.id, self.customer_b.id})
        self.assertEqual(seen["cv_sales2"], {self.customer_c.id})
        # the manager leads team 1 and is a sales manager: all
        self.assertEqual(seen["cv_manager"], set(partners.ids))
        # a team leader without the manager's rights: the customers of their team's salespeople
        leader = new_test_user(self.env, "cv_leader2", groups="sales_team.group_sale_salesman", name="Jan Nord")
        self.team_2.user_id = leader
        self.Care._vertrieb_refresh()
        self.assertEqual(
            self.Care.with_user(leader).search([("partner_id", "in", partners.ids)]).partner_id, self.customer_c
        )
        # another company's customer: not even for the manager outside that company
        other = self.env["res.company"].create({"name": "Vertrieb Schweiz AG"})
        self.customer_c.company_id = other
        self.assertFalse(self.Care.with_user(self.user_manager).search([("partner_id", "=", self.customer_c.id)]))
        self.assertEqual(self.Care.search([("partner_id", "=", self.customer_c.id)]).company_id, other)
        with self.assertRaises(AccessError):
            self._care(self.customer_c).with_user(self.user_sales_1).action_plan_call()

    def test_plan_call_from_work_list(self):
        self._set_class(self.customer_b, "b")
        care_b = self._care(self.customer_b).with_user(self.user_sales_1)
        care_b.action_plan_call()
        activity = self.customer_b.activity_ids
        self.assertEqual(activity.activity_type_id, self.type_call)
        self.assertEqual(activity.date_deadline, fields.Date.context_today(activity))
        self.assertEqual(activity.user_id, self.user_sales_1)
        self.assertEqual(care_b.next_planned_date, self.today)

    def test_plan_refused_for_restricted_customer(self):
        self._set_class(self.customer_b, "b")
        care_b = self._care(self.customer_b)
        self.customer_b.sudo()._vertrieb_privacy_restrict("Bestreitet die Richtigkeit")
        with self.assertRaisesRegex(UserError, "customer care may not contact Becker Elektro KG"):
            care_b.with_user(self.user_sales_1).action_plan_call()

    def test_cron_daily_cap_restrictions_purposes(self):
        self.company.write({"vertrieb_care_auto_activity": True, "vertrieb_care_daily_cap": 2})
        customers = self.env["res.partner"].create(
            [
                {"name": f"Kunde {i}", "is_company": True, "customer_rank": 1, "user_id": self.user_sales_2.id}
                for i in range(4)
            ]
        )
        for customer in customers:
            self._set_class(customer, "c")
        self._set_class(self.customer_b, "b")
        restricted, objected = customers[:2]
        restricted.sudo()._vertrieb_privacy_restrict("Bestreitet die Richtigkeit")
        self.env["vertrieb.privacy.consent"].create(
            {
                "partner_id": objected.id,
                "purpose_id": self.env.ref("crm_vertrieb.privacy_purpose_customer_care").id,
                "state": "withdrawn",
            }
        )
        self.Care._vertrieb_refresh()
        created = self.Care._vertrieb_plan_due_activities()
        by_user = {user: created.filtered(lambda a, u=user: a.user_id == u) for user in created.user_id}
        # sales2: four due customers, two not allowed: two calls; sales1: customer_b (overdue)
        self.assertEqual(set(by_user[self.user_sales_2].mapped("res_id")), set(customers[2:].ids))
        self.assertEqual(by_user[self.user_sales_1].res_id, self.customer_b.id)
        # the cap per salesperson and day: a second run adds nothing (planned), a new due customer
        # of sales2 is beyond the cap of 2 created today
        more = self.env["res.partner"].create(
            {"name": "Kunde 5", "is_company": True, "customer_rank": 1, "user_id": self.user_sales_2.id}
        )
        self._set_class(more, "c")
        self.Care._vertrieb_refresh()
        self.assertFalse(self.Care._vertrieb_plan_due_activities())
        self.company.vertrieb_care_daily_cap = 3
        self.assertEqual(self.Care._vertrieb_plan_due_activities().res_id, more.id)

    def test_cron_off_by_default(self):
        self._set_class(self.customer_b, "b")
        self.Care._vertrieb_refresh()
        self.assertFalse(self.company.vertrieb_care_auto_activity)
        self.assertFalse(self.Care._vertrieb_plan_due_activities())

    def test_churn_thresholds(self):
        self.company.write({"vertrieb_churn_drop_share": 30.0, "vertrieb_churn_silent_months": 6})
        today = self.today
        # customer: 1000 the year before, 700 now: a drop of exactly 30% is not more than 30%
        self._invoice(self.customer, 1000.0, today - timedelta(days=500))
        self._invoice(self.customer, 700.0, today - timedelta(days=30))
        # customer_b: 1000 before, 690 now: more than 30%
        self._invoice(self.customer_b, 1000.0, today - timedelta(days=500))
        self._invoice(self.customer_b, 690.0, today - timedelta(days=30))
        self.Care._vertrieb_refresh()
        self.assertFalse(self._care(self.customer).churn_risk)
        self.assertTrue(self._care(self.customer_b).churn_risk)
        self.assertIn(self.customer_b, self.env["res.partner"].search([("vertrieb_churn_risk", "=", True)]))
        # customer_c: invoiced in the previous year, not for 6 months
        last_year = today.replace(year=today.year - 1, month=6, day=15)
        self._invoice(self.customer_c, 500.0, last_year)
        self.assertTrue(self._care(self.customer_c).churn_risk)  # 6 months and more ago
        # neither silent long enough (24 months) nor dropped by more than the share (100%: never)
        self.company.write({"vertrieb_churn_silent_months": 24, "vertrieb_churn_drop_share": 100.0})
        self.assertFalse(self._care(self.customer_c).churn_risk)
        self.company.write({"vertrieb_churn_silent_months": 6, "vertrieb_churn_drop_share": 30.0})
        self.Care._vertrieb_refresh()
        # the warning activity once per risk
        self.company.vertrieb_churn_activity = True
        first = self.Care._vertrieb_plan_churn_activities()
        self.assertIn(self.customer_b.id, first.mapped("res_id"))
        self.assertFalse(self.Care._vertrieb_plan_churn_activities())

    def test_cockpit_and_digest(self):
        self._set_class(self.customer, "a")
        self._set_class(self.customer_b, "b")
        self.Care._vertrieb_refresh()
        data = self.env["vertrieb.kpi.target"].with_user(self.user_sales_1).get_cockpit_data()
        [row] = data["care"]["rows"]
        self.assertEqual((row["user_id"], row["overdue"], row["coverage"]), (self.user_sales_1.id, 1, 50))
        digest = self.env["digest.digest"].create({"name": "Woche", "company_id": self.company.id})
        self.assertEqual(digest.with_user(self.user_sales_1).kpi_vertrieb_care_coverage_value, 50)

    @classmethod
    def _invoice(cls, partner, amount, date):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "date": date,
                "invoice_line_ids": [(0, 0, {"name": "Wartung", "quantity": 1, "price_unit": amount, "tax_ids": []})],
            }
        )
        move.action_post()
        return move


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCareRefreshPlan(VertriebCareCommon):
    def test_purpose_check_is_not_a_subquery_per_customer(self):
        """A full refresh reads every customer: the purpose check is joined, not a subquery
        PostgreSQL scans again for every customer once the allowed ones outgrow work_mem."""
        query = self.env["vertrieb.customer.care"]._vertrieb_fresh_query()
        self.assertEqual(self.per_row_subplans(query), [])
