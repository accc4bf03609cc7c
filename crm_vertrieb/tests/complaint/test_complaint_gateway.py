from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCommon
from .test_complaint_mail import RAW_EMAIL


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintGateway(ComplaintCommon):
    """Issue #12: the sender policy holds on every inbound path, and the acknowledgement date
    records only what was sent."""

    def _fetch(self, email_from, msgid, to="reklamationen@kunde-postfach.example"):
        """An email as a fetchmail server whose action creates complaints delivers it: no alias of
        ours is addressed, the gateway falls back to the complaint model (``message_new``)."""
        raw = RAW_EMAIL.format(email_from=email_from, name="Eva Einkauf", subject="Falsche Menge", msgid=msgid)
        raw = raw.replace("To: complaints@example.com", f"To: {to}")
        thread_id = self.env["mail.thread"].message_process("vertrieb.complaint", raw)
        return self.Complaint.browse(thread_id)

    def test_fetchmail_unknown_sender_refused_by_default(self):
        self.company.vertrieb_complaint_send_ack = True
        with self.assertRaisesRegex(UserError, "only known contacts may open a complaint by email") as error:
            self._fetch("spam@unbekannt.example", "g1")
        self.assertIn("spam@unbekannt.example", str(error.exception))
        self.assertFalse(self.Complaint.search([("email_from", "ilike", "spam@unbekannt.example")]))
        self.assertFalse(self.env["res.partner"].search([("email", "=", "spam@unbekannt.example")]))
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", "spam@unbekannt.example")]))
        # a known customer's email opens a complaint on the same path
        known = self._fetch(self.contact.email, "g2")
        self.assertEqual(known.partner_id, self.customer)
        self.assertTrue(known.date_acknowledged)

    def test_fetchmail_anyone_creates_no_contact_and_sends_nothing(self):
        self.env.ref("crm_vertrieb.mail_alias_complaint").alias_contact = "everyone"
        self.company.vertrieb_complaint_send_ack = True
        complaint = self._fetch("einkauf@unbekannt.example", "g3")
        self.assertTrue(complaint.sender_unknown)
        self.assertFalse(complaint.partner_id, "no contact is made of an unknown sender by default")
        self.assertFalse(self.env["res.partner"].search([("email", "=", "einkauf@unbekannt.example")]))
        self.assertFalse(complaint.date_acknowledged, "no acknowledgement to an unknown sender")
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", "einkauf@unbekannt.example")]))
        # with contact creation on, the contact is made, still no acknowledgement
        self.company.vertrieb_complaint_create_sender_contact = True
        complaint = self._fetch("einkauf@neu.example", "g4")
        self.assertEqual(complaint.partner_id.email, "einkauf@neu.example")
        self.assertFalse(complaint.date_acknowledged)

    def test_restricted_contact_gets_no_acknowledgement_date(self):
        """Art. 18: nothing is sent to a restricted contact, so the complaint is not marked as
        acknowledged; the handler reads why in the chatter."""
        self.company.vertrieb_complaint_send_ack = True
        self.contact.sudo().write({"vertrieb_privacy_restricted": True, "vertrieb_restriction_reason": "Art. 18"})
        complaint = self.Complaint.with_user(self.user_complaint_manager).create(
            {"title": "Pumpe undicht", "partner_id": self.contact.id, "complaint_type": "claim"}
        )
        self.assertFalse(complaint.date_acknowledged, "nothing was sent")
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", self.contact.ids)]))
        self.assertFalse(self.env["mail.notification"].search([("res_partner_id", "=", self.contact.id)]))
        note = complaint.message_ids.filtered(lambda message: "No acknowledgement was sent" in (message.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Hans Müller", note.body)
        self.assertIn("Art. 18", note.body)
        # a customer without restriction in the same batch is acknowledged and dated
        complaints = self.Complaint.with_user(self.user_complaint_manager).create(
            [
                {"title": "Zweite Pumpe", "partner_id": self.contact.id, "complaint_type": "claim"},
                {"title": "Falsche Menge", "partner_id": self.customer_2.id, "complaint_type": "claim"},
            ]
        )
        self.assertEqual([bool(date) for date in complaints.mapped("date_acknowledged")], [False, True])
