from odoo.tests import tagged

from .common import ComplaintCommon

RAW_EMAIL = """Return-Path: <{email_from}>
To: complaints@example.com
From: {name} <{email_from}>
Subject: {subject}
Message-ID: <{msgid}@mueller-bau.example>
Date: Fri, 6 Mar 2026 15:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Sehr geehrte Damen und Herren,

die gelieferten Pumpen sind undicht. Bitte um Rückruf.

Hans Müller
"""


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintMail(ComplaintCommon):
    def _process(self, email_from, name, subject, msgid):
        raw = RAW_EMAIL.format(email_from=email_from, name=name, subject=subject, msgid=msgid)
        thread_id = self.env["mail.thread"].message_process("vertrieb.complaint", raw)
        return self.Complaint.browse(thread_id)

    def test_alias_exists(self):
        alias = self.env.ref("crm_vertrieb.mail_alias_complaint")
        self.assertEqual(alias.alias_model_id.model, "vertrieb.complaint")

    def test_intake_known_sender_with_acknowledgement(self):
        self.company.vertrieb_complaint_send_ack = True
        complaint = self._process(self.contact.email, "Hans Müller", "Pumpen undicht", "c1")
        self.assertTrue(complaint)
        self.assertEqual(complaint.title, "Pumpen undicht")
        self.assertEqual(complaint.partner_id, self.customer, "matched by the sender, commercial partner")
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(complaint.channel, "email")
        self.assertIn("undicht", complaint.description)
        self.assertRegex(complaint.name, r"^REK/")
        self.assertTrue(complaint.date_acknowledged)
        ack = complaint.message_ids.filtered(lambda m: complaint.name in (m.subject or ""))
        self.assertEqual(len(ack), 1)
        self.assertIn(self.contact, ack.partner_ids)

    def test_acknowledgement_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.contact.lang = "de_DE"
        self.company.vertrieb_complaint_send_ack = True
        template = self.env.ref("crm_vertrieb.mail_template_complaint_acknowledgement")
        template.with_context(lang="de_DE").subject = "Wir haben Ihre Nachricht erhalten: {{ object.name }}"
        complaint = self._process(self.contact.email, "Hans Müller", "Pumpen undicht", "c3")
        subjects = complaint.message_ids.mapped("subject")
        self.assertIn(f"Wir haben Ihre Nachricht erhalten: {complaint.name}", subjects)

    def test_intake_unknown_sender_without_acknowledgement(self):
        # open to anyone and contacts made of unknown senders (both off by default)
        self.env.ref("crm_vertrieb.mail_alias_complaint").alias_contact = "everyone"
        self.company.vertrieb_complaint_create_sender_contact = True
        complaint = self._process("einkauf@unbekannt.example", "Eva Einkauf", "Falsche Menge", "c2")
        self.assertTrue(complaint.partner_id)
        self.assertEqual(complaint.partner_id.email, "einkauf@unbekannt.example")
        self.assertFalse(complaint.date_acknowledged, "acknowledgement is off by default")

    def test_rating_request_after_closing(self):
        self.company.vertrieb_complaint_rating_request = True
        complaint = self._complaint(
            contact_id=self.contact.id, complaint_type="complaint", resolution="Ersatz geliefert"
        )
        self.assertFalse(complaint.rating_ids)
        complaint.stage_id = self.env.ref("crm_vertrieb.complaint_stage_closed")
        self.assertEqual(len(complaint.rating_ids), 1)
        self.assertEqual(complaint.rating_ids.partner_id, self.contact)
        complaint.rating_apply(5, token=complaint.rating_ids.access_token)
        self.assertEqual(complaint.rating_last_value, 5)
