from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionInvoice(AcquisitionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls._lead("closing", partner_id=cls.customer.id)

    def test_payment_received_from_paid_invoice_and_reset(self):
        invoice = self._invoice(self.lead, amount=1000)
        self.assertFalse(self.lead.vertrieb_payment_received)
        self.assertEqual(self.lead.vertrieb_invoice_count, 1)
        self.assertAlmostEqual(self.lead.vertrieb_amount_open, invoice.amount_total_signed)
        payment = self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(self.lead.vertrieb_payment_received)
        self.lead.invalidate_recordset()
        self.assertAlmostEqual(self.lead.vertrieb_amount_paid, invoice.amount_total_signed)
        self.assertAlmostEqual(self.lead.vertrieb_amount_open, 0.0)
        # revert the payment: not received any more
        payment.action_draft()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertFalse(self.lead.vertrieb_payment_received)
        self.lead.invalidate_recordset()
        self.assertAlmostEqual(self.lead.vertrieb_amount_paid, 0.0)

    def test_credit_note_keeps_opportunity(self):
        invoice = self._invoice(self.lead, amount=1000)
        self._pay(invoice)
        self.assertTrue(self.lead.vertrieb_payment_received)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Storno"})
        )
        reversal.refund_moves()
        credit_note = self.lead.vertrieb_invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(len(credit_note), 1, "the credit note is linked to the opportunity")
        credit_note.action_post()
        self.lead.invalidate_recordset()
        self.assertAlmostEqual(self.lead.vertrieb_amount_invoiced, 0.0)

    def test_draft_or_partly_paid_is_not_received(self):
        self._invoice(self.lead, post=False)
        self.assertFalse(self.lead.vertrieb_payment_received)
        self.assertEqual(self.lead.vertrieb_invoice_count, 0)
        paid = self._invoice(self.lead, amount=500)
        self._invoice(self.lead, amount=700)
        self._pay(paid)
        self.assertFalse(self.lead.vertrieb_payment_received, "one posted invoice is still unpaid")

    def test_payment_opens_closing_gate(self):
        self.lead.vertrieb_contract_signed_date = "2026-02-01"
        invoice = self._invoice(self.lead)
        with self.assertRaises(UserError):
            self.lead.write({"stage_id": self.stages["feedback"].id})
        self._pay(invoice)
        self.lead.write({"stage_id": self.stages["feedback"].id})
        self.assertEqual(self.lead.vertrieb_step_id, self.steps["feedback"])

    def test_action_view_invoices(self):
        invoice = self._invoice(self.lead)
        action = self.lead.action_vertrieb_view_invoices()
        self.assertEqual(self.env["account.move"].search(action["domain"]), invoice)

    def test_link_rules(self):
        with self.assertRaises(ValidationError):
            self._invoice(self.lead, move_type="in_invoice", post=False)
        other_customer = self.env["res.partner"].create({"name": "Schulze Handel GmbH", "is_company": True})
        with self.assertRaises(ValidationError):
            self._invoice(self.lead, partner=other_customer, post=False)
        confirmed = self._invoice(self.lead, partner=other_customer, post=False, vertrieb_lead_partner_confirmed=True)
        self.assertEqual(confirmed.vertrieb_lead_id, self.lead)
        # an invoice to a contact of the customer belongs to the customer
        self._invoice(self.lead, partner=self.decision_maker, post=False)
        credit_note = self._invoice(self.lead, move_type="out_refund", amount=100)
        self.assertEqual(credit_note.vertrieb_lead_id, self.lead)

    def test_other_company_invoice_refused(self):
        other_company = self.env["res.company"].create({"name": "Tochter GmbH"})
        foreign_lead = self.env["crm.lead"].create(
            {"name": "Fremd", "partner_id": self.customer.id, "company_id": other_company.id, "user_id": False}
        )
        invoice = self._invoice(post=False)
        with self.assertRaises(UserError):
            invoice.vertrieb_lead_id = foreign_lead
        self.assertFalse(invoice.vertrieb_lead_id)

    def test_accountant_links_but_cannot_move_steps(self):
        invoice = self._invoice(post=False)
        accountant_invoice = invoice.with_user(self.user_accountant)
        accountant_invoice.vertrieb_lead_id = self.lead
        self.assertEqual(invoice.vertrieb_lead_id, self.lead)
        # the invoice shows the opportunity's name (as Odoo shows many2one values), nothing more
        self.assertEqual(accountant_invoice.read(["vertrieb_lead_id"])[0]["vertrieb_lead_id"][1], self.lead.name)
        lead = self.lead.with_user(self.user_accountant)
        with self.assertRaises(AccessError):
            lead.read(["vertrieb_step_id"])
        with self.assertRaises(AccessError):
            lead.write({"stage_id": self.stages["research"].id})

    def test_invoicing_user_picks_opportunities_of_the_invoice_customer_only(self):
        """Issue #12: invoicing users read no lead and no chatter; the opportunity field of an
        invoice offers the opportunities of the invoice's customer."""
        other_customer = self.env["res.partner"].create({"name": "Andere GmbH", "is_company": True})
        other_lead = self._lead("research", partner_id=other_customer.id, name="Anderes Projekt")
        self._invoice(post=False)  # the accountant invoices self.customer
        Lead = self.env["crm.lead"].with_user(self.user_accountant)
        with self.assertRaises(AccessError):
            Lead.search([("id", "=", self.lead.id)])
        note = "Interne Notiz zum Angebot"
        self.lead.message_post(body=note)
        self.assertFalse(
            self.env["mail.message"]
            .with_user(self.user_accountant)
            .search([("model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]),
            "no chatter of the lead",
        )
        invoice = self._invoice(post=False).with_user(self.user_accountant)
        # the form's domain: the opportunities of the invoice's customer, computed on the server
        self.assertEqual(invoice.vertrieb_lead_candidate_ids.ids, [self.lead.id])
        picked = Lead.name_search("", args=[("id", "in", invoice.vertrieb_lead_candidate_ids.ids)])
        self.assertEqual([lead_id for lead_id, _name in picked], [self.lead.id])
        # another customer's pipeline stays closed, whatever the client sends: a crafted domain
        # naming their opportunity, the context key of the previous version, no domain at all
        self.assertFalse(Lead.name_search("", args=[("id", "in", [other_lead.id])]))
        self.assertFalse(Lead.name_search("", args=["|", ("id", "=", other_lead.id), ("id", "!=", 0)]))
        self.assertFalse(
            Lead.with_context(vertrieb_invoice_partner_id=other_customer.id).name_search("", args=[("id", "!=", 0)])
        )
        self.assertFalse(Lead.name_search(""))
        self.assertFalse(Lead.name_search("Anderes", args=[("type", "=", "opportunity")]))
        # once the accountant invoices that customer, its opportunities can be picked
        other_invoice = self._invoice(partner=other_customer, post=False).with_user(self.user_accountant)
        self.assertEqual(other_invoice.vertrieb_lead_candidate_ids, other_lead)
        picked = Lead.name_search("Anderes", args=[("id", "in", other_invoice.vertrieb_lead_candidate_ids.ids)])
        self.assertEqual([lead_id for lead_id, _name in picked], [other_lead.id])
