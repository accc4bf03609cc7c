from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintMessages(ComplaintCommon):
    """Each refusal of the complaint feature, triggered as a user would, with its message."""

    def setUp(self):
        super().setUp()
        self.complaint = self._complaint(invoice_ids=[Command.link(self.invoice.id)], user_id=self.user_officer.id)

    def test_sla_status_search_operator(self):
        Complaint = self.Complaint.with_user(self.user_officer)
        self.assertIn(self.complaint, Complaint.search([("sla_status", "in", ["none"])]))
        with self.assertRaisesRegex(UserError, "This search on the SLA status is not supported"):
            Complaint.search([("sla_status", "ilike", "over")])

    def test_reminder_cannot_be_negative(self):
        Policy = self.env["vertrieb.complaint.sla.policy"].with_user(self.user_complaint_manager)
        with self.assertRaisesRegex(ValidationError, "The reminder cannot be negative"), self.env.cr.savepoint():
            Policy.create({"name": "Falsch", "ack_time": 1, "resolve_time": 2, "reminder_hours": -1})
        self.assertFalse(Policy.search([("name", "=", "Falsch")]))

    def _stage(self, name, **flags):
        return (
            self.env["vertrieb.complaint.stage"]
            .with_user(self.user_complaint_manager)
            .create({"name": name, "sequence": 45, **flags})
        )

    def test_resolution_date_not_before_receipt(self):
        # a company's own stage that resolves without an acknowledgement
        solved = self._stage("Sofort gelöst", is_resolved=True)
        complaint = self.complaint.with_user(self.user_officer)
        complaint.stage_id = solved
        self.assertTrue(complaint.date_resolved)
        self.assertFalse(complaint.date_acknowledged)
        received = complaint.date_received
        with (
            self.assertRaisesRegex(ValidationError, "The resolution date cannot be before the date of receipt"),
            self.env.cr.savepoint(),
        ):
            complaint.date_received = complaint.date_resolved + timedelta(days=1)
        self.assertEqual(complaint.date_received, received)

    def test_closing_date_not_before_receipt(self):
        self.company.vertrieb_complaint_claim_requires_analysis = False
        done = self._stage("Abgelegt", is_closed=True)
        complaint = self.complaint.with_user(self.user_officer)
        complaint.stage_id = done
        self.assertTrue(complaint.date_closed)
        self.assertFalse(complaint.date_resolved)
        with self.assertRaisesRegex(ValidationError, "The closing date cannot be before the date of receipt"):
            complaint.date_received = fields.Datetime.now() + timedelta(days=1)

    def test_odoo_credit_note_for_another_invoice_refused(self):
        """Odoo's credit-note button offers only the complaints of the invoice; a complaint forced in
        over RPC is refused, and no credit note is left behind."""
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(active_model="account.move", active_ids=self.invoice_2.ids)
            .create(
                {
                    "move_ids": [Command.set(self.invoice_2.ids)],
                    "journal_id": self.invoice_2.journal_id.id,
                    "vertrieb_complaint_id": self.complaint.id,
                }
            )
        )
        with (
            self.assertRaisesRegex(ValidationError, "is not a credit note reversing an invoice of the complaint"),
            self.env.cr.savepoint(),
        ):
            reversal.refund_moves()
        self.assertFalse(self.complaint.credit_note_ids)
        self.assertFalse(self.invoice_2.reversal_move_ids)

    def test_credit_note_wizard_other_invoice_refused(self):
        wizard = (
            self.env["vertrieb.complaint.credit.note"]
            .with_user(self.user_accountant)
            .create(
                {
                    "complaint_id": self.complaint.id,
                    "invoice_id": self.invoice_2.id,
                    "mode": "full",
                    "reason": "Gutschrift",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "The invoice is not linked to the complaint"), self.env.cr.savepoint():
            wizard.action_create()
        self.assertFalse(self.invoice_2.reversal_move_ids)
        self.assertFalse(self.complaint.credit_note_ids)

    def test_complaint_with_credit_notes_not_deleted(self):
        action = self.complaint.with_user(self.user_accountant).action_create_credit_note()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.user_accountant).with_context(**action["context"])
        ).save()
        wizard.action_create()
        self.assertTrue(self.complaint.credit_note_ids)
        with self.assertRaisesRegex(UserError, "A complaint with credit notes cannot be deleted; archive it instead"):
            self.complaint.with_user(self.user_complaint_manager).unlink()
        self.assertTrue(self.complaint.exists())
