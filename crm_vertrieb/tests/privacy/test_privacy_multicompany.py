# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyMultiCompany(PrivacyCommon):
    """Issue #12 item 1 (privacy side): consents and purposes, exports, erasure scope and the purpose
    checks of crons are per company; two companies, real users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Vertrieb Nord GmbH"})
        cls.dpo_b = new_test_user(
            cls.env,
            "cv_dpo_b",
            groups="base.group_user,crm_vertrieb.group_dpo,base.group_partner_manager",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
            name="Bernd Datenschutz",
        )
        # a contact of company B and a contact shared by both companies
        cls.person_b = cls.env["res.partner"].create(
            {"name": "Bea Nord", "email": "bea.nord@example.com", "company_id": cls.company_b.id}
        )

    def test_consents_and_purposes_isolated(self):
        consent_b = self._grant(self.person, self.purpose_email, company_id=self.company_b.id)
        consent_a = self._grant(self.person, self.purpose_email)
        Consent = self.env["vertrieb.privacy.consent"]
        self.assertEqual(Consent.with_user(self.user_dpo).search([("partner_id", "=", self.person.id)]), consent_a)
        self.assertEqual(Consent.with_user(self.dpo_b).search([("partner_id", "=", self.person.id)]), consent_b)
        with self.assertRaises(AccessError):
            consent_b.with_user(self.user_dpo).read(["consent_text"])
        # a purpose of company B is not used in company A
        purpose_b = self.env["vertrieb.privacy.purpose"].create(
            {"name": "Messe-Einladungen Nord", "code": "fair_nord", "company_id": self.company_b.id}
        )
        Purpose = self.env["vertrieb.privacy.purpose"]
        self.assertFalse(Purpose.with_company(self.company_a)._vertrieb_get("fair_nord"))
        self.assertEqual(Purpose.with_company(self.company_b)._vertrieb_get("fair_nord"), purpose_b)
        self.assertFalse(Purpose.with_user(self.user_dpo).search([("id", "=", purpose_b.id)]))
        # a record of company B cannot name a purpose of company A only
        purpose_a = Purpose.create({"name": "Nur Süd", "code": "only_a", "company_id": self.company_a.id})
        with self.assertRaises(UserError):
            Consent.create({"partner_id": self.person.id, "purpose_id": purpose_a.id, "company_id": self.company_b.id})

    def test_purpose_check_uses_the_partners_company(self):
        """A cron runs in one company: the partners of another company are checked against the records
        of their own company, a shared partner against the current company's."""
        Partner = self.env["res.partner"].with_company(self.company_a)
        # the objection of a company-B contact was recorded in company B
        self.env["vertrieb.privacy.consent"].create(
            {
                "partner_id": self.person_b.id,
                "purpose_id": self.purpose_care.id,
                "state": "withdrawn",
                "company_id": self.company_b.id,
            }
        )
        partners = Partner.browse((self.person_b | self.person).ids)
        self.assertEqual(partners._vertrieb_filter_purpose("customer_care"), self.person)
        # a consent of company B for a company-B contact counts, also in a cron running in company A
        self._grant(self.person_b, self.purpose_email, company_id=self.company_b.id)
        self.assertEqual(partners._vertrieb_filter_purpose("email_marketing"), self.person_b)
        # a shared contact: company B's consent does not allow company A's mailing
        self._grant(self.person, self.purpose_email, company_id=self.company_b.id)
        self.assertNotIn(self.person, partners._vertrieb_filter_purpose("email_marketing"))
        self.assertIn(self.person, partners.with_company(self.company_b)._vertrieb_filter_purpose("email_marketing"))

    def test_export_only_own_company(self):
        self.env["crm.lead"].create({"name": "Anfrage Eva Süd", "partner_id": self.person.id})
        self.env["crm.lead"].create(
            {"name": "Anfrage Eva Nord", "partner_id": self.person.id, "company_id": self.company_b.id}
        )
        Export = self.env["vertrieb.privacy.export.wizard"]
        data = Export.with_user(self.dpo_b)._vertrieb_collect(self.person)
        self.assertEqual([lead["name"] for lead in data["leads"]], ["Anfrage Eva Nord"])
        data = Export.with_user(self.user_dpo)._vertrieb_collect(self.person)
        self.assertEqual([lead["name"] for lead in data["leads"]], ["Anfrage Eva Süd"])
        with self.assertRaisesRegex(UserError, "another company"):
            Export.with_user(self.user_dpo)._vertrieb_collect(self.person_b.sudo())

    def test_erasure_scope_per_company(self):
        lead_a = self.env["crm.lead"].create({"name": "Anfrage Eva Süd", "partner_id": self.person.id})
        lead_b = self.env["crm.lead"].create(
            {"name": "Anfrage Eva Nord", "partner_id": self.person.id, "company_id": self.company_b.id}
        )
        consent_b = self._grant(self.person, self.purpose_email, company_id=self.company_b.id)
        self.person.with_user(self.dpo_b)._vertrieb_privacy_erase("Art. 17")
        self.assertEqual(lead_a.name, "Anfrage Eva Süd", "company A's lead is not company B's officer's")
        self.assertNotIn("Eva", lead_b.name)
        self.assertFalse(consent_b.exists() and consent_b.state == "granted", "company B's record is erased")
        self.assertEqual(self.person.name, "Eva Einkauf", "the shared contact stays for company A")
        with self.assertRaisesRegex(UserError, "another company"):
            self.person_b.with_user(self.user_dpo)._vertrieb_privacy_erase("Art. 17")

    def test_retention_cron_erases_in_the_companys_scope(self):
        """Automatic erasure is a choice of the company: the cron erases a shared contact only in the
        company that chose it, whatever the company the cron runs in."""
        self.company_a.vertrieb_privacy_auto_anonymise = True
        self.person.vertrieb_relationship_end = date(2015, 1, 1)
        lead_a = self.env["crm.lead"].create({"name": "Anfrage Eva Süd", "partner_id": self.person.id})
        lead_b = self.env["crm.lead"].create(
            {"name": "Anfrage Eva Nord", "partner_id": self.person.id, "company_id": self.company_b.id}
        )
        with freeze_time("2026-06-01"):
            self.env["res.partner"].with_context(
                allowed_company_ids=self.company_b.ids
            )._cron_vertrieb_privacy_retention()
        self.assertNotIn("Eva", lead_a.name)
        self.assertEqual(lead_b.name, "Anfrage Eva Nord", "company B did not choose automatic erasure")
        self.assertEqual(self.person.name, "Eva Einkauf", "the shared contact stays for company B")
        self.assertTrue(self.person.vertrieb_privacy_review, "company B's officer decides on the rest")
