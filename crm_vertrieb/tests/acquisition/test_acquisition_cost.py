from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionCost(AcquisitionCommon):
    def _cost(self, lead, amount, user=None, **vals):
        Cost = self.env["vertrieb.acquisition.cost"].with_user(user or self.user_sales_1)
        return Cost.create({"lead_id": lead.id, "name": "Messe", "cost_type": "trade_fair", "amount": amount, **vals})

    def _budget_activities(self, lead):
        budget_type = self.env.ref("crm_vertrieb.mail_activity_type_budget_exceeded")
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id), ("activity_type_id", "=", budget_type.id)]
        )

    def test_actual_cost_budget_warning_once(self):
        lead = self._lead("needs", vertrieb_budget=1000)
        first = self._cost(lead, 600)
        self.assertEqual(first.step_id, self.steps["needs"], "the step defaults to the lead's current step")
        self.assertEqual(first.company_id, lead.company_id)
        self.assertEqual(lead.vertrieb_actual_cost, 600)
        self.assertFalse(lead.vertrieb_budget_exceeded)
        self.assertFalse(self._budget_activities(lead))
        self._cost(lead, 500, cost_type="travel")
        self.assertEqual(lead.vertrieb_actual_cost, 1100)
        self.assertTrue(lead.vertrieb_budget_exceeded)
        activity = self._budget_activities(lead)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_sales_1)
        self._cost(lead, 100)
        self.assertEqual(len(self._budget_activities(lead)), 1, "not twice")
        self.assertIn(
            lead, self.env["crm.lead"].search([("vertrieb_budget_exceeded", "=", True), ("id", "=", lead.id)])
        )

    def test_negative_cost_refused(self):
        lead = self._lead("research")
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._cost(lead, -10)
        self.assertFalse(lead.vertrieb_cost_ids)
        self.assertEqual(lead.vertrieb_actual_cost, 0)

    def test_cost_on_other_company_lead_refused(self):
        other_company = self.env["res.company"].create({"name": "Tochter AG"})
        lead = self.env["crm.lead"].create(
            {"name": "Fremde Firma", "type": "opportunity", "company_id": other_company.id, "user_id": False}
        )
        Cost = self.env["vertrieb.acquisition.cost"].with_context(allowed_company_ids=self.company.ids)
        with self.assertRefused(ValidationError, "the opportunity Fremde Firma belongs to Tochter AG"):
            Cost.create({"lead_id": lead.id, "name": "Reise", "amount": 50, "company_id": self.company.id})
        self.assertFalse(lead.vertrieb_cost_ids)

    def test_access_salespeople_own_accountant_reads(self):
        mine = self._lead("research")
        theirs = self._lead("research", user=self.user_sales_2, name="Nicht meins")
        cost = self._cost(mine, 200)
        other_cost = self._cost(theirs, 300, user=self.user_sales_2)
        Cost = self.env["vertrieb.acquisition.cost"]
        self.assertEqual(Cost.with_user(self.user_sales_1).search([("id", "in", (cost | other_cost).ids)]), cost)
        with self.assertRaises(AccessError):
            other_cost.with_user(self.user_sales_1).read(["amount"])
        with self.assertRaises(AccessError):
            self._cost(theirs, 10)
        self.assertEqual(len(Cost.with_user(self.user_accountant).search([("id", "in", (cost | other_cost).ids)])), 2)
        with self.assertRaises(AccessError):
            cost.with_user(self.user_accountant).write({"amount": 1})
        with self.assertRaises(AccessError):
            self._cost(mine, 10, user=self.user_accountant)
        self.assertTrue(self.env["vertrieb.acquisition.cost.report"].with_user(self.user_accountant).search([]))

    def test_cost_per_won_customer_and_return(self):
        """Hand-computed: costs 1,000 (won) + 500 (lost) = 1,500 for one won customer; the customer's
        net invoices in the 12 months from closing: 12,000 - 2,000 credit note = 10,000 (the invoice
        before the closing does not count) -> return 10,000 / 1,500 = 6.67."""
        won = self._lead("research", partner_id=self.customer.id, name="Gewonnen")
        lost = self._lead("research", name="Verloren")
        self._cost(won, 1000)
        self._cost(lost, 500)
        won_stage = self.env["crm.stage"].create({"name": "Gewonnen (Test)", "is_won": True, "team_id": self.team.id})
        won.sudo()._vertrieb_override_gate(won_stage.id, "Test")
        closed = fields.Datetime.now() - relativedelta(months=6)
        won.date_closed = closed
        lost.action_set_lost()
        today = fields.Date.today()
        self._invoice(won, amount=12000, invoice_date=today - relativedelta(months=5))
        credit = self._invoice(
            won, amount=2000, move_type="out_refund", invoice_date=today - relativedelta(months=4), post=False
        )
        credit.action_post()
        self._invoice(won, amount=9999, invoice_date=today - relativedelta(months=7))
        self.env.flush_all()
        Report = self.env["vertrieb.acquisition.cost.report"].with_user(self.user_manager)
        domain = [("lead_id", "in", (won | lost).ids)]
        [total] = Report.read_group(
            domain, ["cost:sum", "won_count:sum", "revenue_12m:sum", "cost_per_won", "return_on_cost"], []
        )
        self.assertEqual(total["cost"], 1500)
        self.assertEqual(total["won_count"], 1)
        self.assertEqual(total["revenue_12m"], 10000)
        self.assertEqual(total["cost_per_won"], 1500)
        self.assertAlmostEqual(total["return_on_cost"], 6.67, places=2)
        by_user = Report.read_group(domain, ["cost:sum"], ["user_id"])
        self.assertEqual(by_user[0]["cost"], 1500)
        by_step = self.env["vertrieb.acquisition.cost"].read_group(domain, ["amount:sum"], ["step_id"])
        self.assertEqual([(g["step_id"][0], g["amount"]) for g in by_step], [(self.steps["research"].id, 1500)])
