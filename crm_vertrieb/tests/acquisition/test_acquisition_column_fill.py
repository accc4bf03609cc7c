from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionColumnFill(AcquisitionCommon):
    """Installed into a database with leads, the stored acquisition fields are filled by one SQL
    statement (``_vertrieb_fill_acquisition_columns``), not by the ORM: both give the same values."""

    def test_fill_equals_orm_compute(self):
        Lead = self.env["crm.lead"]
        Cost = self.env["vertrieb.acquisition.cost"]
        over_budget = self._lead("needs", vertrieb_budget=1000)
        Cost.create({"lead_id": over_budget.id, "name": "Messe", "cost_type": "trade_fair", "amount": 600})
        Cost.create({"lead_id": over_budget.id, "name": "Reise", "cost_type": "travel", "amount": 500.5})
        within_budget = self._lead("research", vertrieb_budget=5000)
        Cost.create({"lead_id": within_budget.id, "name": "Muster", "cost_type": "samples", "amount": 80})
        paid = self._lead("closing", partner_id=self.customer.id)
        self._pay(self._invoice(paid, amount=1200))
        unpaid = self._lead("closing", partner_id=self.customer.id, name="Zweiter Auftrag")
        self._pay(self._invoice(unpaid, amount=300))
        self._invoice(unpaid, amount=700)
        # without a schedule the deadline is the entry date plus the step's target days
        unplanned = self._lead("argumentation", name="Ohne Plan")
        unplanned.vertrieb_plan_ids.unlink()
        outside = Lead.create({"name": "Anfrage ohne Akquiseprozess", "type": "lead", "team_id": self.team_2.id})
        leads = over_budget | within_budget | paid | unpaid | unplanned | outside
        self.assertTrue(over_budget.vertrieb_budget_exceeded and paid.vertrieb_payment_received)
        self.assertFalse(unplanned.vertrieb_plan_ids)
        self.assertTrue(unplanned.vertrieb_step_deadline)
        self.assertFalse(outside.vertrieb_step_id)
        fnames = list(Lead._VERTRIEB_FILLED)
        self.assertFillEqualsCompute(leads, fnames, lambda ids: Lead._vertrieb_fill_acquisition_columns(fnames, ids))
