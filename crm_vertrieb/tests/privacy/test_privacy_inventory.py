# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
import json
import re
from datetime import date, timedelta
from pathlib import Path

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from ...models.privacy.common import NOT_PERSONAL_TEXT_FIELDS, partner_text_fields
from .common import PrivacyCommon

SECRET = "GEHEIM-4711"


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyInventory(PrivacyCommon):
    """Issue #12 item 4: erasure follows the personal-data inventory of readme/SECURITY.md, one test
    per line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nolog=False))
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Anfrage Eva Einkauf",
                "partner_id": cls.person.id,
                "email_from": cls.person.email,
                "phone": "+49 711 123456",
                "description": "<p>Eva ruft privat an: +49 171 555</p>",
                "user_id": cls.user_sales_1.id,
            }
        )
        cls.mail_lead = cls.env["crm.lead"].create(
            {"name": "Webformular", "email_from": "Eva <eva.einkauf@example.com>", "contact_name": "Eva Einkauf"}
        )

    def _erase(self, partner=None, user=None):
        return (partner or self.person).with_user(user or self.user_dpo)._vertrieb_privacy_erase("Art. 17")

    def test_partner_every_text_field(self):
        """Every stored text field of res.partner, whichever addon added it, is blanked."""
        names = partner_text_fields(self.env["res.partner"])
        # fields added by other installed addons are covered (account adds a text column, as
        # partner_firstname adds firstname/lastname)
        self.assertIn("invoice_warn_msg", names)
        self.assertIn("comment", names)
        self.assertFalse(NOT_PERSONAL_TEXT_FIELDS & set(names))
        self.env["res.partner"].flush_model()
        Partner = self.env["res.partner"]
        assignments = SQL(", ").join(
            SQL("%s = %s::jsonb", SQL.identifier(name), json.dumps({"en_US": SECRET}))
            if Partner._fields[name].translate
            else SQL("%s = %s", SQL.identifier(name), SECRET)
            for name in names
        )
        self.env.execute_query(SQL("UPDATE res_partner SET %s WHERE id = %s", assignments, self.person.id))
        self.person.invalidate_recordset()
        self._erase()
        self.person.invalidate_recordset()
        for name in names:
            self.assertFalse(self.person[name], f"{name} survived the anonymisation")
        self.assertEqual(self.person.vertrieb_erasure_state, "anonymised")
        self.assertNotIn("Eva", self.person.name)

    def test_bank_accounts_removed(self):
        bank = self.env["res.partner.bank"].create(
            {"partner_id": self.person.id, "acc_number": "DE89370400440532013000", "acc_holder_name": "Eva Einkauf"}
        )
        self._erase()
        self.assertFalse(bank.exists(), "no archived bank account left")
        self.assertFalse(
            self.env["res.partner.bank"].with_context(active_test=False).search([("partner_id", "=", self.person.id)])
        )
        self.env.flush_all()
        rows = self.env.execute_query(SQL("SELECT id FROM mail_message WHERE body::text LIKE %s", "%0532013000%"))
        self.assertFalse(rows, "no chatter message repeats the IBAN")

    def test_leads_anonymised_not_deleted(self):
        self._erase()
        self.assertTrue(self.lead.exists(), "invoices keep their opportunity, the KPIs their history")
        self.assertNotIn("Eva", self.lead.name)
        self.assertFalse(self.lead.email_from)
        self.assertFalse(self.lead.phone)
        self.assertFalse(self.lead.description)
        # a lead linked only by the e-mail address
        self.assertTrue(self.mail_lead.exists())
        self.assertFalse(self.mail_lead.email_from)
        self.assertFalse(self.mail_lead.contact_name)

    def test_complaints_anonymised(self):
        complaint = self.env["vertrieb.complaint"].create(
            {
                "title": "Pumpe undicht",
                "partner_id": self.person.id,
                "description": "<p>Bitte Rückruf unter +49 171 555</p>",
                "email_from": self.person.email,
            }
        )
        reference = complaint.name
        self._erase()
        self.assertTrue(complaint.exists())
        self.assertEqual(complaint.name, reference)
        self.assertNotIn("171 555", complaint.description or "")
        self.assertFalse(complaint.email_from)

    def test_messages_letters_kept_notes_blanked(self):
        note = self.lead.message_post(
            body="Eva hat private Sorgen", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        letter = self.lead.message_post(
            body="Angebot Nr. 17 für Eva",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            author_id=self.person.id,
        )
        count = self.env["mail.message"].search_count([("model", "=", "crm.lead"), ("res_id", "=", self.lead.id)])
        self._erase()
        self.assertNotIn("private Sorgen", note.body)
        self.assertTrue(note.exists(), "not deleted wholesale: the contact history keeps the row")
        self.assertIn("Angebot Nr. 17", letter.body, "a business letter is kept (§ 257 HGB)")
        self.assertTrue(letter.vertrieb_privacy_kept_until)
        self.assertEqual(
            self.env["mail.message"].search_count([("model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]), count
        )
        with freeze_time(letter.vertrieb_privacy_kept_until + timedelta(days=1)):
            self.env["res.partner"]._cron_vertrieb_privacy_retention()
        letter.invalidate_recordset()
        self.assertNotIn("Angebot Nr. 17", letter.body)

    def test_tracking_mail_notifications_activities(self):
        self.lead.write({"phone": "+49 711 777"})  # tracked: the old number in a tracking value
        self.lead.activity_schedule("mail.mail_activity_data_todo", summary="Eva anrufen", user_id=self.user_sales_1.id)
        mail = self.env["mail.mail"].create(
            {"subject": "Hallo", "body_html": "<p>x</p>", "recipient_ids": [Command.link(self.person.id)]}
        )
        self._erase()
        self.env.flush_all()
        rows = self.env.execute_query(SQL("SELECT 1 FROM mail_tracking_value WHERE old_value_char LIKE %s", "%123456%"))
        self.assertFalse(rows)
        self.assertFalse(mail.exists())
        self.assertFalse(
            self.env["mail.activity"].search([("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)])
        )

    def test_calendar_ratings_duplicates(self):
        event = self.env["calendar.event"].create(
            {
                "name": "Termin",
                "start": fields.Datetime.now(),
                "stop": fields.Datetime.now() + timedelta(hours=1),
                "partner_ids": [Command.link(self.person.id), Command.link(self.user_sales_1.partner_id.id)],
            }
        )
        self._erase()
        self.assertNotIn(self.person, event.partner_ids)
        self.assertFalse(self.env["calendar.attendee"].search([("partner_id", "=", self.person.id)]))
        self.assertTrue(event.exists(), "the salesperson's meeting stays (activity rate)")

    def test_consents_blacklist_and_requests_kept(self):
        self._grant(self.person, self.purpose_phone, channel="phone", contact_value=self.person.phone)
        request = self.env["vertrieb.privacy.request"].create({"partner_id": self.person.id, "request_type": "erasure"})
        request.message_post(body="Antrag von Eva per Brief", message_type="comment")
        invoice = self._invoice(self.person)
        self._pay(invoice)
        invoice.message_post(body="Rechnung an Eva versandt", message_type="comment", subtype_xmlid="mail.mt_note")
        self._erase()
        self.assertIn(
            "Rechnung an Eva", " ".join(invoice.message_ids.mapped("body")), "accounting documents (§ 147 AO)"
        )
        self.assertTrue(request.exists())
        self.assertIn("Antrag von Eva", " ".join(request.message_ids.mapped("body")))
        consent = self.env["vertrieb.privacy.consent"].search([("partner_id", "=", self.person.id)])
        self.assertEqual(consent.state, "withdrawn", "phone evidence kept until its own retention")

    def test_dpo_erases_only_own_company(self):
        company_b = self.env["res.company"].create({"name": "Vertrieb Nord GmbH"})
        lead_b = self.env["crm.lead"].create(
            {"name": "Anfrage Eva Nord", "partner_id": self.person.id, "company_id": company_b.id}
        )
        self._erase()
        self.assertEqual(lead_b.name, "Anfrage Eva Nord", "company B's lead is not the officer's to erase")
        self.assertEqual(self.person.name, "Eva Einkauf", "the shared contact stays for company B")
        self.assertFalse(self.person.vertrieb_erasure_state)
        self.assertNotIn("Eva", self.lead.name, "company A's lead is anonymised")

    def test_retention_after_invoice_then_anonymised(self):
        invoice = self._invoice(self.person, date=date(2025, 3, 15))
        self._pay(invoice)
        self._erase()
        self.assertTrue(self.lead.exists())
        with freeze_time(self.person.vertrieb_retention_until + timedelta(days=1)):
            self.env["res.partner"]._cron_vertrieb_privacy_retention()
        self.assertEqual(self.person.vertrieb_erasure_state, "anonymised")
        self.assertTrue(invoice.exists())
        self.assertEqual(invoice.amount_total, 100.0, "amounts and accounts unchanged")
        self.assertNotIn("Eva", invoice.invoice_partner_display_name, "the printed addressee is anonymised")
        # the audit log is kept and holds no personal data
        audit = self.env["vertrieb.privacy.audit"].search([("partner_ref", "=", self.person.id)])
        self.assertEqual(set(audit.mapped("action")) & {"erasure", "anonymise"}, {"erasure", "anonymise"})
        self.assertFalse([summary for summary in audit.mapped("summary") if "Eva" in summary or "Stuttgart" in summary])

    # One test per remaining line of the inventory -----------------------------------------------------
    def test_ratings_keep_score_without_person(self):
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": self.lead.id,
                "partner_id": self.person.id,
                "rating": 5,
                "feedback": "Eva ist sehr zufrieden, Handy +49 171 555",
                "consumed": True,
            }
        )
        self._erase()
        self.assertTrue(rating.exists(), "the satisfaction figures keep the score")
        self.assertEqual(rating.rating, 5)
        self.assertFalse(rating.partner_id)
        self.assertFalse(rating.feedback)

    def test_duplicate_pairs_deleted(self):
        twin = self.env["res.partner"].create({"name": "Eva Einkauf", "email": "eva@example.org"})
        pair = self.env["vertrieb.partner.duplicate"].create(
            {"partner_a_id": self.person.id, "partner_b_id": twin.id, "score": 90.0}
        )
        self._erase()
        self.assertFalse(pair.exists(), "a pair compared the person's data")
        self.assertTrue(twin.exists(), "the other contact is not the data subject")

    def test_notifications_keep_row_without_failure_text(self):
        note = self.lead.message_post(body="Angebot an Eva", message_type="comment", subtype_xmlid="mail.mt_note")
        notification = self.env["mail.notification"].create(
            {
                "mail_message_id": note.id,
                "res_partner_id": self.person.id,
                "notification_type": "email",
                "notification_status": "exception",
                "failure_type": "mail_smtp",
                "failure_reason": "550 eva.einkauf@example.com unbekannt",
            }
        )
        self._erase()
        self.assertTrue(notification.exists(), "the ledger counts sent emails")
        self.assertFalse(notification.failure_reason)

    def test_blacklist_kept(self):
        entry = self.env["mail.blacklist"]._add(self.person.email)
        self._erase()
        self.assertTrue(entry.exists())
        self.assertTrue(entry.active, "the objection must still be honoured (Art. 21(3) GDPR)")
        self.assertEqual(entry.email, "eva.einkauf@example.com")

    def test_kpi_ledger_and_customer_value_kept(self):
        activity = self.lead.activity_schedule(
            "mail.mail_activity_data_call", summary="Eva anrufen", user_id=self.user_sales_1.id
        )
        activity.action_feedback(feedback="Eva erreicht")
        Ledger = self.env["vertrieb.kpi.contact.line"]
        lines = Ledger.search([("lead_id", "=", self.lead.id)])
        self.assertTrue(lines, "the done call is in the contact ledger")
        self._pay(self._invoice(self.person, amount=500.0))
        self.env["res.partner"]._vertrieb_recompute_customer_value()
        value = self.env["vertrieb.customer.value"].search([("partner_id", "=", self.person.id)])
        self.assertTrue(value)
        revenue = value.revenue_total
        self._erase()
        self.assertEqual(Ledger.search([("lead_id", "=", self.lead.id)]), lines, "the ledger keeps its counts")
        self.assertEqual(lines.partner_id, self.person, "the line points to the (erased) contact")
        self.assertTrue(value.exists(), "revenue figures of the company's books stay")
        self.assertEqual(value.revenue_total, revenue)

    def test_attachments_and_images_deleted(self):
        png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        self.person.image_1920 = png
        self.person.write(
            {
                "category_id": [Command.create({"name": "Privatkundin"})],
                "title": self.env["res.partner.title"].create({"name": "Frau Dr."}).id,
                "state_id": self.env.ref("base.state_de_bw").id,
            }
        )
        Attachment = self.env["ir.attachment"]
        on_lead = Attachment.create(
            {"name": "visitenkarte.txt", "raw": b"Eva Einkauf", "res_model": "crm.lead", "res_id": self.lead.id}
        )
        on_note = Attachment.create({"name": "notiz.txt", "raw": b"Eva privat", "res_model": "mail.compose.message"})
        note = self.lead.message_post(
            body="Notiz zu Eva", message_type="comment", subtype_xmlid="mail.mt_note", attachment_ids=on_note.ids
        )
        self.assertTrue(
            Attachment.search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.person.id), ("res_field", "!=", False)]
            )
        )
        self._erase()
        self.assertFalse(on_lead.exists())
        self.assertFalse(on_note.exists())
        self.assertFalse(note.attachment_ids)
        self.assertFalse(self.person.image_1920)
        self.assertFalse(self.person.category_id)
        self.assertFalse(self.person.title)
        self.assertFalse(self.person.state_id)
        self.assertFalse(
            Attachment.search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.person.id), ("res_field", "!=", False)]
            ),
            "no image (nor its resized copies) of the person is left",
        )

    def test_leads_matched_by_name_only(self):
        """Rule: leads without contact and e-mail whose contact or company name equals the person's name
        (case and spacing ignored), in the officer's companies, are listed in the dry run and
        anonymised only when the officer confirms them."""
        by_name = self.env["crm.lead"].create({"name": "Messe Stuttgart", "contact_name": "  eva   EINKAUF "})
        self.env["crm.lead"].create({"name": "Messe Köln", "contact_name": "Eva Einkaufs"})  # another name
        plan = self.person.with_user(self.user_dpo)._vertrieb_privacy_erasure_plan()
        self.assertEqual(plan["name_leads"], by_name)
        wizard = (
            self.env["vertrieb.privacy.erasure.wizard"].with_user(self.user_dpo).create({"partner_id": self.person.id})
        )
        self.assertEqual(wizard.name_lead_count, 1)
        self.assertIn("by name only", str(wizard.dry_run))
        # without the officer's confirmation they stay
        self.person.with_user(self.user_dpo)._vertrieb_privacy_erase("Art. 17")
        self.assertEqual(by_name.contact_name, "  eva   EINKAUF ")

    def test_leads_matched_by_name_confirmed(self):
        by_name = self.env["crm.lead"].create({"name": "Messe Stuttgart", "contact_name": "Eva Einkauf"})
        other_mail = self.env["crm.lead"].create(
            {"name": "Messe Ulm", "contact_name": "Eva Einkauf", "email_from": "andere.eva@example.org"}
        )
        company_b = self.env["res.company"].create({"name": "Vertrieb Nord GmbH"})
        in_b = self.env["crm.lead"].create(
            {"name": "Messe Kiel", "contact_name": "Eva Einkauf", "company_id": company_b.id}
        )
        wizard = (
            self.env["vertrieb.privacy.erasure.wizard"]
            .with_user(self.user_dpo)
            .create({"partner_id": self.person.id, "name_matches": True})
        )
        wizard.action_erase()
        self.assertTrue(by_name.exists(), "anonymised, not deleted")
        self.assertFalse(by_name.contact_name)
        self.assertNotIn("Stuttgart", by_name.name)
        self.assertEqual(other_mail.contact_name, "Eva Einkauf", "another address: another person")
        self.assertEqual(in_b.contact_name, "Eva Einkauf", "another company's lead is not the officer's")


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyCustomPartnerField(PrivacyCommon):
    """Issue #12 item 4: a text column added to res.partner at runtime (a custom field, as Studio or
    partner_firstname add them) is blanked by the erasure without any code change."""

    def test_manual_field_blanked(self):
        self.env["ir.model.fields"].create(
            {
                "name": "x_vorname",
                "field_description": "Vorname",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "ttype": "char",
                "state": "manual",
            }
        )
        self.assertIn("x_vorname", partner_text_fields(self.env["res.partner"]))
        person = self.env["res.partner"].browse(self.person.id)
        person.write({"x_vorname": "Eva"})
        self.assertEqual(person.x_vorname, "Eva")
        person.with_user(self.user_dpo)._vertrieb_privacy_erase("Art. 17")
        person.invalidate_recordset()
        self.assertEqual(person.vertrieb_erasure_state, "anonymised")
        self.assertFalse(person.x_vorname)
        self.env.flush_all()
        rows = self.env.execute_query(SQL("SELECT x_vorname FROM res_partner WHERE id = %s", person.id))
        self.assertEqual(rows, [(None,)])


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyInventoryDocument(PrivacyCommon):
    """The inventory of readme/SECURITY.md and the tests agree: every line names its test, and every
    test it names exists."""

    def test_every_line_names_an_existing_test(self):
        addon = Path(__file__).parents[2]
        text = (addon / "readme" / "SECURITY.md").read_text(encoding="utf-8")
        inventory = text[text.index("## Personal-data inventory") : text.index("## Access matrix")]
        rows = [line for line in inventory.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
        self.assertGreater(len(rows), 20)
        sources = [path.read_text(encoding="utf-8") for path in (addon / "tests").rglob("test_*.py")]
        sources += [
            path.read_text(encoding="utf-8")
            for path in (addon.parent / "crm_vertrieb_mass_mailing" / "tests").glob("test_*.py")
        ]
        source = "\n".join(sources)
        for row in rows[1:]:
            cells = [cell.strip() for cell in row.strip("|").split("|")]
            self.assertEqual(len(cells), 4, row)
            names = re.findall(r"`((?:test|Test)\w+)`", cells[3])
            self.assertTrue(names, f"inventory line without a test: {cells[0]}")
            for name in names:
                self.assertRegex(source, rf"(def|class) {name}\b", f"{name} named in SECURITY.md does not exist")
