# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyErasure(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Anfrage Eva", "partner_id": cls.person.id, "email_from": cls.person.email}
        )
        cls.other_lead = cls.env["crm.lead"].create({"name": "Anfrage Otto", "partner_id": cls.other_person.id})
        cls.person.message_post(body="Eva rief an, Privatnummer notiert.")
        cls.person.activity_schedule("mail.mail_activity_data_todo", summary="Rückruf Eva", user_id=cls.user_sales_1.id)
        cls._grant(cls.person, cls.purpose_email)

    def _erase(self, partner=None):
        partner = partner or self.person
        return partner.with_user(self.user_dpo)._vertrieb_privacy_erase("Antrag nach Art. 17")

    def test_open_invoice_refused(self):
        invoice = self._invoice(self.person)
        with self.assertRaisesRegex(UserError, "still open"):
            self._erase()
        self.assertTrue(self.lead.exists())
        self.assertEqual(self.person.name, "Eva Einkauf")
        wizard = Form(
            self.env["vertrieb.privacy.erasure.wizard"]
            .with_user(self.user_dpo)
            .with_context(default_partner_id=self.person.id)
        )
        self.assertTrue(wizard.blocked)
        self.assertIn(invoice.name, wizard.dry_run)

    def test_salesperson_cannot_erase(self):
        with self.assertRaises(AccessError):
            self.person.with_user(self.user_sales_1)._vertrieb_privacy_erase()

    def test_legal_hold_refused(self):
        self.person.with_user(self.user_dpo).vertrieb_legal_hold = True
        with self.assertRaisesRegex(UserError, "legal hold"):
            self._erase()

    def test_erasure_two_stages(self):
        invoice = self._invoice(self.person, amount=250.0, date=date(2025, 3, 15))
        self._pay(invoice)
        lines_before = invoice.line_ids.mapped(lambda line: (line.account_id.id, line.debit, line.credit))
        # dry run
        wizard = Form(
            self.env["vertrieb.privacy.erasure.wizard"]
            .with_user(self.user_dpo)
            .with_context(default_partner_id=self.person.id)
        )
        self.assertFalse(wizard.blocked)
        keep_until = date(fields.Date.today().year + 10, 12, 31)  # the payment is dated today
        self.assertIn(str(keep_until), wizard.dry_run)
        self.assertTrue(self.lead.exists(), "the dry run erases nothing")
        wizard.save().action_erase()
        # stage 1: erased at once (the lead anonymised, the notes' content erased)
        self.assertTrue(self.lead.exists())
        self.assertNotIn("Eva", self.lead.name)
        self.assertEqual(self.other_lead.name, "Anfrage Otto")
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "=", self.person.id), ("body", "ilike", "Privatnummer")]
            )
        )
        self.assertFalse(
            self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", self.person.id)])
        )
        self.assertFalse(self.env["vertrieb.privacy.consent"].search([("partner_id", "=", self.person.id)]))
        self.assertFalse(self.person.email)
        self.assertFalse(self.person.phone)
        # kept unchanged but restricted: the invoice still shows the addressee it was issued to
        self.assertEqual(invoice.partner_id.name, "Eva Einkauf")
        self.assertEqual(invoice.invoice_partner_display_name, "Eva Einkauf")
        self.assertEqual(invoice.partner_id.street, "Hauptstraße 5")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 250.0)
        self.assertTrue(self.person.vertrieb_privacy_restricted)
        self.assertEqual(self.person.vertrieb_erasure_state, "restricted")
        self.assertEqual(self.person.vertrieb_retention_until, keep_until)
        audit = self.env["vertrieb.privacy.audit"].search(
            [("partner_ref", "=", self.person.id), ("action", "=", "erasure")]
        )
        self.assertEqual(len(audit), 1)
        self.assertNotIn("Eva", audit.summary)
        self.assertNotIn("einkauf", audit.summary)
        # the cron before the retention date keeps everything
        self.env["res.partner"]._cron_vertrieb_privacy_retention()
        self.assertEqual(self.person.name, "Eva Einkauf")
        # stage 2: after the retention, the cron anonymises; the books keep their amounts
        with freeze_time(keep_until + timedelta(days=2)):
            self.env["res.partner"]._cron_vertrieb_privacy_retention()
        self.assertEqual(self.person.vertrieb_erasure_state, "anonymised")
        self.assertNotIn("Eva", self.person.name)
        self.assertFalse(self.person.street)
        self.assertFalse(self.person.city)
        self.assertNotIn("Eva", invoice.invoice_partner_display_name)
        self.assertEqual(invoice.amount_total, 250.0)
        self.assertEqual(
            invoice.line_ids.mapped(lambda line: (line.account_id.id, line.debit, line.credit)), lines_before
        )
        self.assertAlmostEqual(sum(invoice.line_ids.mapped("balance")), 0.0)
        self.assertEqual(invoice.state, "posted")
        # idempotent: a second run changes nothing and logs nothing new
        count = self.env["vertrieb.privacy.audit"].search_count([("partner_ref", "=", self.person.id)])
        with freeze_time(keep_until + timedelta(days=3)):
            self.env["res.partner"]._cron_vertrieb_privacy_retention()
        self.assertEqual(self.env["vertrieb.privacy.audit"].search_count([("partner_ref", "=", self.person.id)]), count)

    def test_erasure_without_invoices_anonymises_now(self):
        self._erase()
        self.assertEqual(self.person.vertrieb_erasure_state, "anonymised")
        self.assertNotIn("Eva", self.person.name)
        self.assertFalse(self.person.email)
        self.assertNotIn("Eva", self.lead.name)
        self.assertFalse(self.lead.email_from)

    def test_phone_evidence_kept(self):
        consent = self._grant(self.person, self.purpose_phone, channel="phone", contact_value=self.person.phone)
        self._erase()
        self.assertTrue(consent.exists())
        self.assertEqual(consent.state, "withdrawn")

    def test_anonymisation_all_or_nothing(self):
        """A failure while erasing one partner leaves it untouched."""
        invoice = self._invoice(self.other_person)
        partners = self.person | self.other_person
        with self.assertRaises(UserError):
            partners.with_user(self.user_dpo)._vertrieb_privacy_erase()
        self.assertTrue(self.other_lead.exists())
        self.assertEqual(self.other_person.name, "Otto Anders")
        self.assertTrue(invoice.exists())

    def test_retention_cron_review_and_auto(self):
        Partner = self.env["res.partner"]
        old = Partner.create({"name": "Alt Kunde", "vertrieb_relationship_end": date(2020, 1, 1)})
        self.env["vertrieb.privacy.consent"].create({"partner_id": old.id, "purpose_id": self.purpose_care.id})
        recent = Partner.create({"name": "Neu Kunde", "vertrieb_relationship_end": date(2025, 6, 1)})
        self.env["vertrieb.privacy.consent"].create({"partner_id": recent.id, "purpose_id": self.purpose_care.id})
        still_consenting = Partner.create(
            {"name": "Leser", "email": "leser@example.com", "vertrieb_relationship_end": date(2019, 1, 1)}
        )
        self._grant(still_consenting, self.purpose_email)
        held = Partner.create(
            {"name": "Gericht", "vertrieb_relationship_end": date(2015, 1, 1), "vertrieb_legal_hold": True}
        )
        with freeze_time("2026-06-01"):
            Partner._cron_vertrieb_privacy_retention()
        self.assertTrue(old.vertrieb_privacy_review)
        self.assertFalse(recent.vertrieb_privacy_review)
        self.assertFalse(still_consenting.vertrieb_privacy_review)
        self.assertFalse(held.vertrieb_privacy_review)
        self.assertEqual(old.name, "Alt Kunde", "without the company option the cron only proposes")
        # automatic erasure chosen by the company
        self.env.company.vertrieb_privacy_auto_anonymise = True
        old.vertrieb_privacy_review = False
        with freeze_time("2026-06-01"):
            Partner._cron_vertrieb_privacy_retention()
            Partner._cron_vertrieb_privacy_retention()
        self.assertEqual(old.vertrieb_erasure_state, "anonymised")
        self.assertFalse(recent.vertrieb_erasure_state)
        self.assertFalse(held.vertrieb_erasure_state)
        self.assertEqual(
            self.env["vertrieb.privacy.audit"].search_count([("partner_ref", "=", old.id), ("action", "=", "erasure")]),
            1,
        )
