from collections import deque

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CompetitorDealsCommon

COMPETITOR_MEASURES = ["won_count:sum", "lost_count:sum", "lost_to_count:sum", "lost_revenue:sum"]
COST_MEASURES = ["cost:sum", "won_count:sum", "revenue_12m:sum", "cost_per_won", "return_on_cost"]


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionReportRows(CompetitorDealsCommon):
    """The competitor and cost analyses read stored rows: after each kind of change the figures are
    the hand-computed ones, and the stored rows equal a full rebuild."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.won_stage = cls.env["crm.stage"].create({"name": "Gewonnen (Test)", "is_won": True, "team_id": cls.team.id})
        cls.open_stage = cls.env["crm.stage"].create({"name": "Offen (Test)", "team_id": cls.team_1.id})

    def assertRowsInStep(self):
        """The rows kept in step equal a full rebuild: rebuilding all of them changes nothing."""
        for name in ("vertrieb.competitor.report", "vertrieb.acquisition.cost.report"):
            Report = self.env[name].sudo()
            Report._vertrieb_rows_apply()
            self.assertEqual(Report._vertrieb_rows_refresh(), (0, 0), f"{name}: stored rows differ from a rebuild")

    # ------------------------------------------------------------------
    # Competitor analysis
    # ------------------------------------------------------------------
    def _competitors(self, leads):
        """(won, lost, lost to it, revenue lost to it, rows) per competitor, as the manager reads them."""
        Report = self.env["vertrieb.competitor.report"].with_user(self.user_manager)
        groups = Report.read_group([("lead_id", "in", leads.ids)], COMPETITOR_MEASURES, ["competitor_id"])
        return {
            group["competitor_id"][0]: (
                group["won_count"],
                group["lost_count"],
                group["lost_to_count"],
                group["lost_revenue"],
                group["competitor_id_count"],
            )
            for group in groups
        }

    def test_competitor_rows_follow_every_change(self):
        won = self._deal("Gewinn", 10000, self.alpha | self.beta, main=self.alpha)
        lost = self._deal("Verlust", 5000, self.alpha)
        other = self._deal("Andere", 3000, self.beta)
        leads = won | lost | other
        alpha, beta = self.alpha.id, self.beta.id
        self.assertEqual(self._competitors(leads), {alpha: (0, 0, 0, 0, 2), beta: (0, 0, 0, 0, 2)})
        won.action_set_won()
        self.assertEqual(self._competitors(leads), {alpha: (1, 0, 0, 0, 2), beta: (1, 0, 0, 0, 2)})
        self._lose(lost, self.alpha)
        self.assertEqual(self._competitors(leads), {alpha: (1, 1, 1, 5000, 2), beta: (1, 0, 0, 0, 2)})
        # lost to a competitor not listed on the deal: a row of its own
        self._lose(other, self.alpha)
        self.assertEqual(self._competitors(leads), {alpha: (1, 2, 2, 8000, 3), beta: (1, 1, 0, 0, 2)})
        # reopened: open again (still with the competitor it had been lost to)
        other.toggle_active()
        self.assertEqual(self._competitors(leads), {alpha: (1, 1, 1, 5000, 3), beta: (1, 0, 0, 0, 2)})
        # competitor removed from a deal (on the deal) and added to one (on the competitor)
        won.write({"vertrieb_competitor_ids": [Command.unlink(beta)]})
        self.beta.write({"lead_ids": [Command.link(lost.id)]})
        self.assertEqual(self._competitors(leads), {alpha: (1, 1, 1, 5000, 3), beta: (0, 1, 0, 0, 2)})
        # the won deal is reopened (back to an open stage), its revenue changed on the lost one
        won.write({"stage_id": self.open_stage.id})
        lost.write({"expected_revenue": 6000})
        self.assertEqual(self._competitors(leads), {alpha: (0, 1, 1, 6000, 3), beta: (0, 1, 0, 0, 2)})
        self.assertRowsInStep()

    def test_competitor_rows_go_with_the_competitor_and_the_lead(self):
        lead = self._deal("Verlust", 5000, self.alpha | self.beta)
        kept = self._deal("Bleibt", 1000, self.beta)
        self._lose(lead, self.alpha)
        alpha, beta = self.alpha.id, self.beta.id
        self.assertEqual(self._competitors(lead | kept), {alpha: (0, 1, 1, 5000, 1), beta: (0, 1, 0, 0, 2)})
        self.alpha.unlink()
        self.assertEqual(self._competitors(lead | kept), {beta: (0, 1, 0, 0, 2)})
        lead.unlink()
        self.assertEqual(self._competitors(kept), {beta: (0, 0, 0, 0, 1)})
        self.assertRowsInStep()

    def test_won_stage_flag_changes_the_outcome(self):
        lead = self._deal("Gewinn", 10000, self.alpha)
        lead.sudo()._vertrieb_override_gate(self.won_stage.id, "Test")
        self.assertEqual(self._competitors(lead)[self.alpha.id][0], 1)
        self.won_stage.is_won = False
        self.assertEqual(self._competitors(lead)[self.alpha.id][0], 0)
        self.assertRowsInStep()

    # ------------------------------------------------------------------
    # Acquisition cost analysis
    # ------------------------------------------------------------------
    def _cost(self, lead, amount):
        return (
            self.env["vertrieb.acquisition.cost"]
            .with_user(self.user_sales_1)
            .create({"lead_id": lead.id, "name": "Messe", "cost_type": "trade_fair", "amount": amount})
        )

    def _totals(self, leads):
        """(cost, won customers, revenue of the first 12 months, cost per won customer, return)."""
        Report = self.env["vertrieb.acquisition.cost.report"].with_user(self.user_manager)
        [total] = Report.read_group([("lead_id", "in", leads.ids)], COST_MEASURES, [])
        return (
            total["cost"],
            total["won_count"],
            total["revenue_12m"],
            total["cost_per_won"],
            round(total["return_on_cost"], 2),
        )

    def _win(self, lead, months_ago=6):
        lead.sudo()._vertrieb_override_gate(self.won_stage.id, "Test")
        lead.date_closed = fields.Datetime.now() - relativedelta(months=months_ago)

    def test_cost_rows_follow_costs_stages_and_invoices(self):
        """Hand-computed: costs 1,000 (to be won) + 500 (to be lost); invoices of the customer in
        the 12 months from closing 6 months ago: 12,000, a credit note of 2,000."""
        won = self._lead("research", partner_id=self.customer.id, name="Gewonnen")
        lost = self._lead("research", name="Verloren")
        leads = won | lost
        self._cost(won, 1000)
        lost_cost = self._cost(lost, 500)
        self.assertEqual(self._totals(leads), (1500, 0, 0, 0, 0))
        self._win(won)
        self.assertEqual(self._totals(leads), (1500, 1, 0, 1500, 0))
        today = fields.Date.today()
        invoice = self._invoice(won, amount=12000, invoice_date=today - relativedelta(months=5))
        self.assertEqual(self._totals(leads), (1500, 1, 12000, 1500, 8.0))
        credit = self._invoice(won, amount=2000, move_type="out_refund", invoice_date=today - relativedelta(months=4))
        self.assertEqual(self._totals(leads), (1500, 1, 10000, 1500, 6.67))
        # before the closing: not counted; a draft: not counted
        self._invoice(won, amount=9999, invoice_date=today - relativedelta(months=7))
        self._invoice(won, amount=7777, invoice_date=today - relativedelta(months=3), post=False)
        self.assertEqual(self._totals(leads), (1500, 1, 10000, 1500, 6.67))
        credit.button_draft()
        credit.button_cancel()
        self.assertEqual(self._totals(leads), (1500, 1, 12000, 1500, 8.0))
        invoice.button_draft()
        self.assertEqual(self._totals(leads), (1500, 1, 0, 1500, 0))
        invoice.action_post()
        # cost removed, cost added
        lost_cost.unlink()
        self.assertEqual(self._totals(leads), (1000, 1, 12000, 1000, 12.0))
        self._cost(won, 500)
        self.assertEqual(self._totals(leads), (1500, 1, 12000, 1500, 8.0))
        lost.action_set_lost()
        self.assertEqual(self._totals(leads), (1500, 1, 12000, 1500, 8.0))
        # reopened (back to an open stage): no won customer, no revenue
        won.sudo()._vertrieb_override_gate(self.stages["needs"].id, "Test")
        self.assertEqual(self._totals(leads), (1500, 0, 0, 0, 0))
        self._win(won)
        self.assertEqual(self._totals(leads), (1500, 1, 12000, 1500, 8.0))
        self.won_stage.is_won = False
        self.assertEqual(self._totals(leads), (1500, 0, 0, 0, 0))
        self.assertRowsInStep()

    def test_revenue_follows_the_customer_company(self):
        """A contact's invoices count for its company's won opportunity once it joins the company,
        a merged customer's invoices once the contacts are merged."""
        won = self._lead("research", partner_id=self.customer.id, name="Gewonnen")
        self._cost(won, 1000)
        self._win(won)
        today = fields.Date.today()
        self._invoice(won, amount=12000, invoice_date=today - relativedelta(months=5))
        contact = self.env["res.partner"].create({"name": "Jana Klein"})
        self._invoice(partner=contact, amount=3000, invoice_date=today - relativedelta(months=2))
        twin = self.env["res.partner"].create({"name": "Müller Bau GmbH & Co. KG", "is_company": True})
        self._invoice(partner=twin, amount=4000, invoice_date=today - relativedelta(months=1))
        self.assertEqual(self._totals(won), (1000, 1, 12000, 1000, 12.0))
        contact.parent_id = self.customer
        self.assertEqual(self._totals(won), (1000, 1, 15000, 1000, 15.0))
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(twin | self.customer).ids)
            .create({})
        )
        wizard.dst_partner_id = self.customer
        wizard.action_merge()
        self.assertFalse(twin.exists())
        self.assertEqual(self._totals(won), (1000, 1, 19000, 1000, 19.0))
        contact.parent_id = False
        self.assertEqual(self._totals(won), (1000, 1, 16000, 1000, 16.0))
        # a contact of the customer won an opportunity of its own, then is deleted: no customer, no revenue
        buyer = self.env["res.partner"].create({"name": "Petra Einkauf", "parent_id": self.customer.id})
        second = self._lead("research", partner_id=buyer.id, name="Zweiter Auftrag")
        self._cost(second, 100)
        self._win(second)
        self.assertEqual(self._totals(second), (100, 1, 16000, 100, 160.0))
        buyer.unlink()
        self.assertEqual(self._totals(second), (100, 1, 0, 100, 0))
        self.assertRowsInStep()

    def test_rows_are_built_for_existing_data(self):
        """A database updated to the stored rows gets them built from its leads, costs and invoices
        (also over a table of another layout); the typed costs migrated from 18.0.1.1.0 are in them."""
        lead = self._lead("research", partner_id=self.customer.id, name="Bestand")
        self._cost(lead, 800)
        deal = self._deal("Wettbewerb", 2000, self.alpha, main=self.alpha)
        Costs = self.env["vertrieb.acquisition.cost.report"].sudo()
        Competitors = self.env["vertrieb.competitor.report"].sudo()
        Costs._vertrieb_rows_apply()
        Competitors._vertrieb_rows_apply()
        self.env.cr.execute("DELETE FROM vertrieb_acquisition_cost_report_row")
        # the table of another version (its layout in the comment)
        self.env.cr.execute("ALTER TABLE vertrieb_competitor_report_row DROP COLUMN is_main CASCADE")
        self.env.cr.execute("COMMENT ON TABLE vertrieb_competitor_report_row IS 'an older layout'")
        registry = self.env.registry
        registry._post_init_queue = deque()  # as the update runs init()
        try:
            Competitors.init()
            while registry._post_init_queue:
                registry._post_init_queue.popleft()()
        finally:
            del registry._post_init_queue
        self.assertEqual(Costs._vertrieb_rows_refresh()[1], Costs.search_count([]))
        self.assertEqual(self._competitors(deal), {self.alpha.id: (0, 0, 0, 0, 1)})
        self.assertTrue(Competitors.search([("lead_id", "=", deal.id)]).is_main)
        self.assertEqual(self._totals(lead), (800, 0, 0, 0, 0))
        typed = self._lead("research", name="Alte Kosten")
        self.env.cr.execute(
            "CREATE TABLE vertrieb_migration_actual_cost AS SELECT %s::int AS lead_id, 300::numeric AS amount",
            [typed.id],
        )
        self.env["vertrieb.acquisition.cost"]._vertrieb_migrate_typed_costs()
        self.assertEqual(self._totals(typed), (300, 0, 0, 0, 0))
        self.assertRowsInStep()
