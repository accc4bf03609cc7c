from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintCreditNote(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.Complaint.create(
            {
                "title": "Pumpen undicht",
                "partner_id": cls.customer.id,
                "invoice_ids": [Command.link(cls.invoice.id)],
                "claimed_amount": 300.0,
            }
        )

    def _wizard(self, user=None, **vals):
        complaint = self.complaint.with_user(user or self.user_accountant)
        action = complaint.action_create_credit_note()
        return Form(
            self.env[action["res_model"]].with_user(user or self.user_accountant).with_context(**action["context"])
        )

    def test_full_credit_note(self):
        form = self._wizard()
        self.assertEqual(form.invoice_id, self.invoice)
        form.mode = "full"
        wizard = form.save()
        wizard.action_create()
        credit_note = self.complaint.credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(credit_note.amount_total, 1050.0)
        self.assertEqual(self.complaint.credited_amount, 1050.0)
        self.assertEqual(self.complaint.resolution_type, "credit_note")
        # linked both ways: the credit note shows the complaint
        self.assertEqual(credit_note.vertrieb_complaint_count, 1)
        action = credit_note.action_vertrieb_view_complaints()
        self.assertEqual(self.Complaint.search(action["domain"]), self.complaint)
        # nothing left to credit
        form = self._wizard()
        form.mode = "amount"
        form.amount = 1.0
        with self.assertRaisesRegex(UserError, "exceeds what is still open"):
            form.save().action_create()
        self.assertEqual(len(self.complaint.credit_note_ids), 1)

    def test_odoo_credit_note_button_links_complaint(self):
        """Odoo's own Credit Note button on the invoice proposes the invoice's one open complaint
        and links the credit note to it; the complaint's own wizard does not link twice."""
        reversal_form = Form(
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
        )
        self.assertEqual(reversal_form.vertrieb_complaint_id, self.complaint)
        reversal = reversal_form.save()
        reversal.refund_moves()
        credit_note = reversal.new_move_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(self.complaint.credit_note_ids, credit_note)
        self.assertIn("created from the invoice", self.complaint.message_ids[0].body)
        # a second open complaint on the invoice: nothing proposed (the user chooses)
        other = self.Complaint.create(
            {
                "title": "Dichtungen fehlen",
                "partner_id": self.customer.id,
                "invoice_ids": [Command.link(self.invoice.id)],
            }
        )
        reversal_form = Form(
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
        )
        self.assertFalse(reversal_form.vertrieb_complaint_id)
        reversal_form.vertrieb_complaint_id = other
        reversal_form.save().refund_moves()
        self.assertEqual(len(other.credit_note_ids), 1)
        self.assertEqual(self.complaint.credit_note_ids, credit_note)

    def test_context_key_does_not_skip_the_link(self):
        """The client controls the context: the complaint's own wizard used to mark its reversal
        with a context key; Odoo's Credit Note button with that key still links the complaint."""
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(active_model="account.move", active_ids=self.invoice.ids, vertrieb_complaint_credit_note=True)
            .create({"move_ids": [Command.set(self.invoice.ids)], "journal_id": self.invoice.journal_id.id})
        )
        self.assertEqual(reversal.vertrieb_complaint_id, self.complaint)
        reversal.refund_moves()
        self.assertEqual(self.complaint.credit_note_ids, reversal.new_move_ids)

    def test_complaint_wizard_links_once(self):
        form = self._wizard()
        form.mode = "amount"
        form.amount = 10.0
        form.save().action_create()
        self.assertEqual(len(self.complaint.credit_note_ids), 1)
        notes = self.complaint.message_ids.filtered(lambda m: "created from the invoice" in (m.body or ""))
        self.assertFalse(notes, "the complaint wizard writes its own message")

    def test_partial_credit_note_lines(self):
        form = self._wizard()
        form.mode = "lines"
        self.assertEqual(len(form.line_ids), 2)
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.product_id, self.product_pump)
            line.quantity = 3
        wizard = form.save()
        wizard.action_create()
        credit_note = self.complaint.credit_note_ids
        self.assertEqual(credit_note.invoice_line_ids.product_id, self.product_pump)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 3)
        self.assertEqual(credit_note.amount_total, 300.0)
        self.assertEqual(self.complaint.credited_amount, 300.0)

    def test_partial_credit_note_amount(self):
        form = self._wizard()
        form.mode = "amount"
        form.amount = 125.5
        form.post = False
        form.save().action_create()
        credit_note = self.complaint.credit_note_ids
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.amount_total, 125.5)
        self.assertEqual(self.complaint.credited_amount, 0.0, "only posted credit notes cost")
        credit_note.action_post()
        self.assertEqual(self.complaint.credited_amount, 125.5)

    def test_bad_input(self):
        form = self._wizard()
        form.mode = "lines"
        with form.line_ids.edit(1) as line:
            line.quantity = 6  # 5 invoiced
        with self.assertRaisesRegex(UserError, "must be between 0 and"):
            form.save().action_create()
        form = self._wizard()
        form.mode = "lines"
        with self.assertRaisesRegex(UserError, "at least one line"):
            form.save().action_create()
        form = self._wizard()
        form.mode = "amount"
        form.amount = 1050.01
        with self.assertRaisesRegex(UserError, "exceeds what is still open"):
            form.save().action_create()
        self.assertFalse(self.complaint.credit_note_ids)
        self.assertFalse(self.env["account.move"].search([("reversed_entry_id", "=", self.invoice.id)]))
        with self.assertRaisesRegex(ValidationError, "cannot exceed the invoiced amount"):
            self.complaint.accepted_amount = 2000.0

    def test_only_accountants(self):
        officer_complaint = self.complaint.with_user(self.user_complaint_manager)
        with self.assertRaisesRegex(UserError, "Only accountants"):
            officer_complaint.action_create_credit_note()
        with self.assertRaises(AccessError):
            self.env["vertrieb.complaint.credit.note"].with_user(self.user_complaint_manager).create(
                {"complaint_id": self.complaint.id, "invoice_id": self.invoice.id, "reason": "x"}
            )
        no_invoice = self._complaint()
        with self.assertRaisesRegex(UserError, "posted customer invoice"):
            no_invoice.with_user(self.user_accountant).action_create_credit_note()

    def test_credit_note_notes_in_the_readers_language(self):
        """An English-speaking accountant credits the invoice of a complaint handled by a German
        officer: the complaint's note reads German (the handler's language), the credit note's note
        follows the invoice's salesperson (English here)."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"].search([("name", "=", "crm_vertrieb")])._update_translations(["de_DE"])
        self.user_officer.lang = "de_DE"
        self.complaint.user_id = self.user_officer
        self.invoice.invoice_user_id = self.user_sales_2
        form = self._wizard()
        form.mode = "amount"
        form.amount = 100.0
        form.save().with_context(lang="en_US").action_create()
        credit_note = self.complaint.credit_note_ids
        self.assertIn("Gutschrift", self.complaint.message_ids[0].body)
        self.assertIn("erstellt", self.complaint.message_ids[0].body)
        self.assertIn("Credit note for the complaint", credit_note.message_ids[0].body)
        # Odoo's own credit-note button, pressed in English: the same for the complaint's note
        reversal_form = Form(
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(lang="en_US", active_model="account.move", active_ids=self.invoice.ids)
        )
        self.assertEqual(reversal_form.vertrieb_complaint_id, self.complaint)
        reversal_form.save().refund_moves()
        self.assertIn("aus der Rechnung erstellt", self.complaint.message_ids[0].body)
