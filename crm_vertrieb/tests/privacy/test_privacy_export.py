# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
import base64
import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyExport(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create({"name": "Anfrage Eva Fenster", "partner_id": cls.person.id})
        cls.other_lead = cls.env["crm.lead"].create({"name": "Anfrage Otto Tür", "partner_id": cls.other_person.id})
        cls.person.message_post(body="Notiz zu Eva")
        cls.lead.message_post(body="Angebot an Eva geschickt")
        cls.person.activity_schedule("mail.mail_activity_data_todo", summary="Rückruf Eva", user_id=cls.user_sales_1.id)
        cls._grant(cls.person, cls.purpose_email)
        cls.invoice = cls._invoice(cls.person, amount=321.0)

    def _wizard(self, partner):
        return self.env["vertrieb.privacy.export.wizard"].with_user(self.user_dpo).create({"partner_id": partner.id})

    def test_json_export_content(self):
        wizard = self._wizard(self.person)
        wizard.action_export_json()
        data = json.loads(base64.b64decode(wizard.json_file))
        self.assertEqual(data["partner"]["name"], "Eva Einkauf")
        self.assertEqual(data["partner"]["email"], "eva.einkauf@example.com")
        self.assertEqual([lead["name"] for lead in data["leads"]], ["Anfrage Eva Fenster"])
        bodies = " ".join(m["body"] for m in data["messages"])
        self.assertIn("Notiz zu Eva", bodies)
        self.assertIn("Angebot an Eva geschickt", bodies)
        self.assertEqual([a["summary"] for a in data["activities"]], ["Rückruf Eva"])
        self.assertEqual(data["purposes"][0]["code"], "email_marketing")
        self.assertEqual(data["purposes"][0]["history"][0]["new"], "granted")
        self.assertEqual([inv["name"] for inv in data["invoices"]], [self.invoice.name])
        self.assertNotIn("Otto", json.dumps(data))
        self.assertIn(
            "export", self.env["vertrieb.privacy.audit"].search([("partner_id", "=", self.person.id)]).mapped("action")
        )

    def test_pdf_export_content(self):
        wizard = self._wizard(self.person)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "crm_vertrieb.report_vertrieb_privacy_export", wizard.ids
        )
        html = html.decode()
        self.assertIn("Eva Einkauf", html)
        self.assertIn("Anfrage Eva Fenster", html)
        self.assertIn(self.invoice.name, html)
        self.assertNotIn("Otto", html)

    def test_export_other_company_refused(self):
        company_b = self.env["res.company"].create({"name": "Vertrieb Österreich GmbH"})
        foreign = self.env["res.partner"].create({"name": "Fremd AG", "company_id": company_b.id})
        with self.assertRaisesRegex(UserError, "another company"):
            self.env["vertrieb.privacy.export.wizard"].with_user(self.user_dpo)._vertrieb_collect(foreign.sudo())
        with self.assertRaises(UserError):
            self.env["vertrieb.privacy.export.wizard"].with_user(self.user_sales_1)._vertrieb_collect(self.person)

    def test_art30_report(self):
        purposes = self.env["vertrieb.privacy.purpose"].search([])
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "crm_vertrieb.report_vertrieb_privacy_art30", purposes.ids
        )
        html = html.decode()
        self.assertIn("Verzeichnis von Verarbeitungstätigkeiten", html)
        self.assertIn("Rechtsgrundlage", html)
        self.assertIn("Credit agencies", html)
        self.assertIn("120", html)

    def test_request_deadline_and_activity(self):
        Request = self.env["vertrieb.privacy.request"].with_user(self.user_dpo)
        received = fields.Date.today() - timedelta(days=3)
        request = Request.create({"partner_id": self.person.id, "request_type": "access", "received_date": received})
        self.assertTrue(request.name.startswith("DSR/"))
        self.assertEqual(request.deadline, received + relativedelta(months=1))
        self.assertEqual(len(request.activity_ids), 1)
        self.assertLessEqual(request.activity_ids.date_deadline, request.deadline)
        with self.assertRaisesRegex(ValidationError, "reason"):
            request.write({"extended": True})
        request.write({"extended": True, "extension_reason": "Umfangreiche Datenbestände"})
        self.assertEqual(request.deadline.month, (received.month + 2) % 12 + 1)
        self.assertEqual(len(request.activity_ids), 1)
        with self.assertRaisesRegex(UserError, "identity"):
            request.action_start()
        request.identity_checked = True
        request.action_start()
        with self.assertRaisesRegex(UserError, "answer"):
            request.action_done()
        request.answer = "<p>Auskunft erteilt</p>"
        request.action_done()
        self.assertEqual(request.state, "done")
        self.assertFalse(request.activity_ids)
        with self.assertRaisesRegex(ValidationError, "future"):
            Request.create(
                {
                    "partner_id": self.person.id,
                    "request_type": "erasure",
                    "received_date": fields.Date.today() + timedelta(days=2),
                }
            )

    def test_export_excludes_other_company(self):
        company_b = self.env["res.company"].create({"name": "Vertrieb Schweiz AG"})
        self.env["crm.lead"].create(
            {"name": "Anfrage Eva Schweiz", "partner_id": self.person.id, "company_id": company_b.id}
        )
        data = self.env["vertrieb.privacy.export.wizard"].with_user(self.user_dpo)._vertrieb_collect(self.person)
        self.assertEqual([lead["name"] for lead in data["leads"]], ["Anfrage Eva Fenster"])

    def test_request_opens_matching_wizard(self):
        request = (
            self.env["vertrieb.privacy.request"]
            .with_user(self.user_dpo)
            .create({"partner_id": self.person.id, "request_type": "restriction", "identity_checked": True})
        )
        action = request.action_open_wizard()
        self.assertEqual(action["res_model"], "vertrieb.privacy.restrict.wizard")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.user_dpo)
            .with_context(**action["context"])
            .create({"reason": "Richtigkeit bestritten"})
        )
        wizard.action_restrict()
        self.assertTrue(self.person.vertrieb_privacy_restricted)
        self.assertEqual(self.person.vertrieb_restriction_kind, "request")

    def test_export_only_own_data(self):
        """Issue #12 item 5: no third parties' messages, nothing of other companies."""
        stranger = self.env["res.partner"].create({"name": "Fremder Kunde", "email": "fremd@example.com"})
        self.lead.message_post(body="Nachricht eines Dritten", author_id=stranger.id, message_type="comment")
        self.lead.message_post(
            body="Antwort an Eva", partner_ids=self.person.ids, message_type="comment", author_id=stranger.id
        )
        company_b = self.env["res.company"].create({"name": "Vertrieb Schweiz AG"})
        lead_b = self.env["crm.lead"].create(
            {"name": "Anfrage Eva Schweiz", "partner_id": self.person.id, "company_id": company_b.id}
        )
        lead_b.message_post(body="Eva schreibt an die Schweiz", author_id=self.person.id, message_type="comment")
        colleague = self.env["res.partner"].create(
            {"name": "Kollege von Eva", "parent_id": self.person.id, "type": "contact", "email": "k@example.com"}
        )
        data = self.env["vertrieb.privacy.export.wizard"].with_user(self.user_dpo)._vertrieb_collect(self.person)
        bodies = " ".join(m["body"] for m in data["messages"])
        self.assertNotIn("Nachricht eines Dritten", bodies)
        self.assertIn("Antwort an Eva", bodies, "a message addressed to the person is theirs")
        self.assertNotIn("Schweiz", bodies)
        self.assertNotIn("Kollege", json.dumps(data), "another person of the same company is a third party")
        self.assertTrue(colleague)
        if "complaints" in data:
            self.env["vertrieb.complaint"].create(
                {"title": "Schweiz", "partner_id": self.person.id, "company_id": company_b.id}
            )
            data = self.env["vertrieb.privacy.export.wizard"].with_user(self.user_dpo)._vertrieb_collect(self.person)
            self.assertFalse([c for c in data["complaints"] if c["name"] and "Schweiz" in str(c)])
