from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCommon
from .test_complaint_mail import RAW_EMAIL

NOT_REVERSING = "is not a credit note reversing an invoice of the complaint"


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintTrust(ComplaintCommon):
    """Issue #12: state fields, credit-note links, invoice access and the mail alias."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.Complaint.create(
            {
                "title": "Undichte Pumpe",
                "partner_id": cls.customer.id,
                "user_id": cls.user_officer.id,
                "invoice_ids": [Command.link(cls.invoice.id)],
            }
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Lieferant AG", "is_company": True})
        cls.bill = cls._create_invoice(cls.vendor, [(cls.product_pump, 1, 50.0)], move_type="in_invoice")
        cls.customer_3 = cls.env["res.partner"].create({"name": "Süd Handel KG", "is_company": True})
        cls.invoice_3 = cls._create_invoice(cls.customer_3, [(cls.product_pump, 2, 100.0)])
        cls.user_officer_accountant = cls.env["res.users"].create(
            {
                "name": "Anke Beides",
                "login": "cv_officer_accountant",
                "groups_id": [
                    Command.link(cls.env.ref("crm_vertrieb.group_complaint_user").id),
                    Command.link(cls.env.ref("account.group_account_invoice").id),
                ],
            }
        )

    # --- state and audit fields ----------------------------------------------------------------

    def test_module_fields_refused_for_users(self):
        complaint = self.complaint.with_user(self.user_officer)
        for vals in (
            {"date_acknowledged": datetime(2026, 3, 5, 12)},
            {"date_resolved": datetime(2026, 3, 6, 12)},
            {"date_closed": datetime(2026, 3, 6, 12)},
            {"ack_deadline": datetime(2030, 1, 1)},
            {"resolve_deadline": datetime(2030, 1, 1)},
            {"sla_reminded_deadline": datetime(2030, 1, 1)},
            {"sender_unknown": True},
        ):
            with self.assertRaisesRegex(AccessError, "set by CRM Vertrieb itself"):
                complaint.write(dict(vals, title="Geändert"))
        self.assertEqual(self.complaint.title, "Undichte Pumpe", "nothing half-written")
        self.assertFalse(self.complaint.date_acknowledged)
        with self.assertRaisesRegex(AccessError, "set by CRM Vertrieb itself"):
            self.Complaint.with_user(self.user_officer).create(
                {"title": "Neu", "partner_id": self.customer.id, "date_closed": datetime(2026, 3, 6, 12)}
            )
        # the accountant (complaint settlement) cannot link a credit note by hand either
        refund = self._create_invoice(self.customer, [(self.product_pump, 1, 100.0)], move_type="out_refund")
        with self.assertRaisesRegex(AccessError, "set by CRM Vertrieb itself"):
            self.complaint.with_user(self.user_accountant).write({"credit_note_ids": [Command.link(refund.id)]})
        self.assertFalse(self.complaint.credit_note_ids)

    def test_module_sets_dates_through_stages(self):
        complaint = self.complaint.with_user(self.user_officer)
        complaint.stage_id = self.stage_ack
        self.assertTrue(self.complaint.date_acknowledged)
        complaint.stage_id = self.stage_resolved
        self.assertTrue(self.complaint.date_resolved)

    def test_credit_note_link_checked_on_server(self):
        # a credit note of another customer's invoice, or a plain refund, never belongs to the complaint
        foreign = self._create_invoice(self.customer_2, [(self.product_pump, 1, 100.0)], move_type="out_refund")
        with self.assertRaises(ValidationError) as error:
            self.complaint._vertrieb_link_credit_notes(foreign)
        self.assertIn(NOT_REVERSING, str(error.exception))
        with self.assertRaises(ValidationError) as error:
            self.complaint.write({"credit_note_ids": [Command.link(self.invoice_2.id)]})
        self.assertIn(NOT_REVERSING, str(error.exception))
        self.assertFalse(self.complaint.credit_note_ids)
        # the reversal wizard of another customer's invoice cannot name this complaint
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(active_model="account.move", active_ids=self.invoice_2.ids)
            .create({"journal_id": self.invoice_2.journal_id.id, "reason": "Storno"})
        )
        reversal.vertrieb_complaint_id = self.complaint
        with self.assertRaises(ValidationError) as error:
            reversal.refund_moves()
        self.assertIn(NOT_REVERSING, str(error.exception))
        self.env.invalidate_all()
        self.assertFalse(self.complaint.credit_note_ids)
        self.assertFalse(
            self.env["account.move"].search([("reversed_entry_id", "=", self.invoice_2.id)]), "nothing half-written"
        )

    def test_credit_note_of_the_complaint_links(self):
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"journal_id": self.invoice.journal_id.id, "reason": "Reklamation"})
        )
        self.assertEqual(reversal.vertrieb_complaint_id, self.complaint)
        reversal.refund_moves()
        self.assertEqual(self.complaint.credit_note_ids.reversed_entry_id, self.invoice)

    # --- invoices for complaint officers -------------------------------------------------------

    def _readable_moves(self, user):
        moves = self.invoice | self.invoice_2 | self.invoice_3 | self.bill
        return self.env["account.move"].with_user(user).search([("id", "in", moves.ids)])

    def test_officer_reads_invoices_of_own_complaints_customers_only(self):
        self.assertEqual(self._readable_moves(self.user_officer), self.invoice)
        with self.assertRaises(AccessError):
            self.bill.with_user(self.user_officer).read(["name"])
        with self.assertRaises(AccessError):
            self.invoice_3.with_user(self.user_officer).read(["name"])
        lines = (
            self.env["account.move.line"]
            .with_user(self.user_officer)
            .search([("move_id", "in", (self.invoice | self.bill | self.invoice_3).ids)])
        )
        self.assertEqual(lines.move_id, self.invoice)
        # another team's officer: no complaint of that customer, no invoice
        self.assertFalse(self._readable_moves(self.user_officer_2))
        # the complaint manager: every complaint's customer, still no vendor bill
        self.Complaint.create({"title": "Nord", "partner_id": self.customer_2.id, "user_id": self.user_officer_2.id})
        self.assertEqual(self._readable_moves(self.user_complaint_manager), self.invoice | self.invoice_2)
        self.assertEqual(self._readable_moves(self.user_officer_2), self.invoice_2)
        # an officer who is also an invoicing user keeps the accountant's view
        self.assertEqual(
            self._readable_moves(self.user_officer_accountant),
            self.invoice | self.invoice_2 | self.invoice_3 | self.bill,
        )

    # --- the complaint mail alias --------------------------------------------------------------

    def _process(self, email_from, msgid):
        """Route an email through the complaint alias (complaints@example.com), as the mail
        gateway does: the alias decides who may write."""
        alias = self.env.ref("crm_vertrieb.mail_alias_complaint")
        domain = self.env["mail.alias.domain"].search([("name", "=", "example.com")], limit=1)
        alias.alias_domain_id = domain or self.env["mail.alias.domain"].create({"name": "example.com"})
        raw = RAW_EMAIL.format(email_from=email_from, name="Eva Einkauf", subject="Falsche Menge", msgid=msgid)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            thread_id = self.env["mail.thread"].message_process(False, raw)
        return self.Complaint.browse(thread_id) if thread_id else self.Complaint

    def _settings(self, **vals):
        settings = self.env["res.config.settings"].create(vals)
        settings.execute()

    def test_alias_known_contacts_by_default(self):
        alias = self.env.ref("crm_vertrieb.mail_alias_complaint")
        self.assertEqual(alias.alias_contact, "partners")
        self.assertEqual(self.env["res.config.settings"].create({}).vertrieb_complaint_email_senders, "partners")
        self.company.vertrieb_complaint_send_ack = True
        complaint = self._process("spam@unbekannt.example", "t1")
        self.assertFalse(complaint, "an unknown sender opens no complaint")
        self.assertFalse(self.env["res.partner"].search([("email", "=", "spam@unbekannt.example")]))
        self.assertFalse(self.Complaint.search([("email_from", "ilike", "spam@unbekannt.example")]))
        known = self._process(self.contact.email, "t2")
        self.assertEqual(known.partner_id, self.customer)
        self.assertTrue(known.date_acknowledged, "a known contact is acknowledged")

    def test_alias_anyone_without_contact_creation(self):
        self._settings(vertrieb_complaint_email_senders="everyone", vertrieb_complaint_send_ack=True)
        self.assertEqual(self.env.ref("crm_vertrieb.mail_alias_complaint").alias_contact, "everyone")
        complaint = self._process("einkauf@unbekannt.example", "t3")
        self.assertTrue(complaint)
        self.assertFalse(complaint.partner_id, "no contact is made of an unknown sender")
        self.assertTrue(complaint.sender_unknown)
        self.assertFalse(self.env["res.partner"].search([("email", "=", "einkauf@unbekannt.example")]))
        self.assertFalse(complaint.date_acknowledged, "no acknowledgement to an unknown sender")
        self.assertFalse(
            self.env["mail.mail"].search([("email_to", "ilike", "einkauf@unbekannt.example")]),
            "nothing is sent to the sender",
        )
        # a user still needs a customer: the handler assigns it
        with self.assertRaisesRegex(Exception, "A complaint needs a customer"):
            self.Complaint.with_user(self.user_officer).create({"title": "Ohne Kunde"})
        complaint.with_user(self.user_complaint_manager).partner_id = self.customer_2
        self.assertEqual(complaint.partner_id, self.customer_2)

    def test_alias_anyone_with_contact_creation_sends_no_acknowledgement(self):
        self._settings(
            vertrieb_complaint_email_senders="everyone",
            vertrieb_complaint_create_sender_contact=True,
            vertrieb_complaint_send_ack=True,
        )
        complaint = self._process("einkauf@neu.example", "t4")
        self.assertEqual(complaint.partner_id.email, "einkauf@neu.example")
        self.assertTrue(complaint.sender_unknown)
        self.assertFalse(complaint.date_acknowledged)
