import hashlib
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyPurpose(PrivacyCommon):
    def test_shipped_purposes(self):
        purposes = self.env["vertrieb.privacy.purpose"].search([("company_id", "=", False)])
        by_code = {p.code: p for p in purposes}
        expected = {
            "contract": "b",
            "accounting": "c",
            "email_marketing": "a",
            "phone_marketing": "a",
            "customer_care": "f",
            "credit_check": "f",
            "market_research": "a",
        }
        for code, basis in expected.items():
            self.assertEqual(by_code[code].legal_basis, basis, code)
        self.assertEqual(by_code["accounting"].retention_months, 120)
        self.assertTrue(by_code["email_marketing"].consent_required)
        self.assertEqual(by_code["phone_marketing"].evidence_retention_months, 60)

    def test_no_default_grant(self):
        consent = self.env["vertrieb.privacy.consent"].create(
            {"partner_id": self.person.id, "purpose_id": self.purpose_email.id}
        )
        self.assertEqual(consent.state, "pending")
        self.assertFalse(self.person._vertrieb_filter_purpose("email_marketing"))
        with self.assertRaisesRegex(UserError, "no granted consent"):
            self.person._vertrieb_check_purpose("email_marketing")

    def test_bad_input(self):
        Consent = self.env["vertrieb.privacy.consent"]
        with self.assertRaisesRegex(ValidationError, "date and the channel"), self.env.cr.savepoint():
            Consent.create(self._grant_vals(self.person, self.purpose_email, channel=False))
        with self.assertRaisesRegex(ValidationError, "date and the channel"), self.env.cr.savepoint():
            Consent.create(self._grant_vals(self.person, self.purpose_email, consent_date=False))
        with self.assertRaisesRegex(ValidationError, "consent text"), self.env.cr.savepoint():
            Consent.create(self._grant_vals(self.person, self.purpose_email, consent_text=False))
        pending = Consent.create({"partner_id": self.person.id, "purpose_id": self.purpose_email.id})
        with self.assertRaisesRegex(UserError, "never granted"):
            pending.action_withdraw()
        with self.assertRaisesRegex(UserError, "before it was granted"):
            Consent.create(
                {"partner_id": self.other_person.id, "purpose_id": self.purpose_email.id, "state": "withdrawn"}
            )
        with self.assertRaises(UserError):
            self.person._vertrieb_check_purpose("no_such_purpose")

    def test_hash_and_history(self):
        consent = self._grant(self.person, self.purpose_email)
        self.assertEqual(consent.consent_hash, hashlib.sha256(consent.consent_text.encode()).hexdigest())
        self.assertEqual(consent.recorded_by_id, self.env.user)
        consent.with_user(self.user_sales_1).write({"state": "withdrawn", "change_reason": "Anruf des Kunden"})
        lines = consent.history_ids.sorted("id")
        self.assertEqual(lines.mapped("new_state"), ["granted", "withdrawn"])
        self.assertEqual(lines[1].old_state, "granted")
        self.assertEqual(lines[1].user_id, self.user_sales_1)
        self.assertEqual(lines[1].reason, "Anruf des Kunden")
        with self.assertRaises(UserError):
            lines[1].write({"reason": "x"})

    def test_evidence_immutable_per_group(self):
        consent = (
            self.env["vertrieb.privacy.consent"]
            .with_user(self.user_sales_1)
            .create(self._grant_vals(self.person, self.purpose_phone, contact_value=self.person.phone, channel="phone"))
        )
        for vals in ({"consent_text": "Anderer Text"}, {"consent_date": fields.Datetime.now()}, {"channel": "paper"}):
            with self.assertRaisesRegex(UserError, "append-only"):
                consent.with_user(self.user_sales_1).write(vals)
        with self.assertRaises(AccessError):
            consent.with_user(self.user_sales_1).unlink()
        # the officer may correct evidence: a history line records it
        consent.with_user(self.user_dpo).write({"consent_version": "v2"})
        self.assertIn("corrected", consent.history_ids.sorted("id")[-1].reason)
        # phone-advertising evidence is kept five years (§ 7a UWG), even against the officer
        with self.assertRaisesRegex(UserError, "must be kept"):
            consent.with_user(self.user_dpo).unlink()
        research = self._grant(self.person, self.env.ref("crm_vertrieb.privacy_purpose_market_research"))
        research.with_user(self.user_dpo).unlink()
        self.assertFalse(research.exists())

    def test_evidence_visibility(self):
        consent = self._grant(self.person, self.purpose_email)
        Consent = self.env["vertrieb.privacy.consent"]
        self.assertIn(consent, Consent.with_user(self.user_sales_1).search([]))
        self.assertNotIn(consent, Consent.with_user(self.user_sales_2).search([]))
        self.assertIn(consent, Consent.with_user(self.user_dpo).search([]))
        self.assertFalse(
            self.env["vertrieb.privacy.consent.history"]
            .with_user(self.user_sales_2)
            .search([("consent_id", "=", consent.id)])
        )
        with self.assertRaises(AccessError):
            Consent.with_user(self.user_accountant).search([])

    def test_enforcement_api(self):
        self._grant(self.person, self.purpose_email)
        partners = self.person | self.other_person
        self.assertEqual(partners._vertrieb_filter_purpose("email_marketing"), self.person)
        self.assertTrue(self.person._vertrieb_check_purpose("email_marketing"))
        with self.assertRaisesRegex(UserError, "Otto Anders"):
            partners._vertrieb_check_purpose("email_marketing")
        # legitimate interest: allowed until the person objects
        self.assertEqual(partners._vertrieb_filter_purpose("customer_care"), partners)
        self.env["vertrieb.privacy.consent"].create(
            {"partner_id": self.other_person.id, "purpose_id": self.purpose_care.id, "state": "withdrawn"}
        )
        self.assertEqual(partners._vertrieb_filter_purpose("customer_care"), self.person)
        with self.assertRaisesRegex(UserError, "objected"):
            self.other_person._vertrieb_check_purpose("customer_care")
        # the search filter of the partner list
        Partner = self.env["res.partner"]
        self.assertIn(self.person, Partner.search([("vertrieb_allowed_purpose", "=", "email_marketing")]))
        no_consent = Partner.search([("vertrieb_allowed_purpose", "!=", "email_marketing"), ("id", "in", partners.ids)])
        self.assertEqual(no_consent, self.other_person)
        self.assertEqual(self.person.vertrieb_granted_purpose_ids, self.purpose_email)

    def test_filter_bounded_queries(self):
        many = self.env["res.partner"].create(
            [{"name": f"Kontakt {i}", "email": f"k{i}@example.com"} for i in range(40)]
        )
        self.env["vertrieb.privacy.consent"].create([self._grant_vals(p, self.purpose_email) for p in many[:10]])
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            allowed = many._vertrieb_filter_purpose("email_marketing")
        self.assertEqual(allowed, many[:10])

    def test_blacklist_sync_both_ways(self):
        Blacklist = self.env["mail.blacklist"]
        now = fields.Datetime.now()
        consent = self._grant(self.person, self.purpose_email, consent_date=now - timedelta(minutes=3))
        consent.write(
            {"state": "withdrawn", "change_reason": "Abmeldung", "withdrawal_date": now - timedelta(minutes=2)}
        )
        self.assertTrue(Blacklist.search([("email", "=", "eva.einkauf@example.com")]))
        self.assertIn(
            "blacklist_add",
            self.env["vertrieb.privacy.audit"].search([("partner_id", "=", self.person.id)]).mapped("action"),
        )
        # a new grant (new double opt-in, new evidence) lifts the blacklist entry
        consent.write({"state": "granted", "consent_date": now - timedelta(minutes=1)})
        self.assertFalse(Blacklist.search([("email", "=", "eva.einkauf@example.com")]))
        # blacklisting withdraws the marketing purpose, with a history line
        Blacklist._add("Eva.Einkauf@example.com")
        self.assertEqual(consent.state, "withdrawn")
        self.assertIn("blacklisted", consent.history_ids.sorted("id")[-1].reason)
        self.assertIn(
            "withdraw",
            self.env["vertrieb.privacy.audit"].search([("partner_id", "=", self.person.id)]).mapped("action"),
        )

    def test_blacklist_sync_in_the_officers_language(self):
        """An English salesperson withdraws a consent, an unsubscribe blacklists an address: the
        audit log, the blacklist entry and the consent history read German, the language of the
        data-protection officer who reads them."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"].search([("name", "=", "crm_vertrieb")])._update_translations(["de_DE"])
        self.user_dpo.lang = "de_DE"
        self.user_sales_1.lang = "en_US"
        now = fields.Datetime.now()
        consent = self._grant(self.person, self.purpose_email, consent_date=now - timedelta(minutes=3))
        consent.with_user(self.user_sales_1).with_context(lang="en_US").write(
            {"state": "withdrawn", "change_reason": "Abmeldung", "withdrawal_date": now - timedelta(minutes=2)}
        )
        Audit = self.env["vertrieb.privacy.audit"]
        logged = Audit.search([("partner_id", "=", self.person.id), ("action", "=", "blacklist_add")])
        self.assertEqual(logged.summary, "Adresse auf die E-Mail-Sperrliste gesetzt.")
        entry = self.env["mail.blacklist"].with_context(active_test=False).search([("email", "=", self.person.email)])
        self.assertIn("Gesperrt: Zweck", str(entry.message_ids.mapped("body")))
        other = self._grant(self.other_person, self.purpose_email)
        self.env["mail.blacklist"].with_context(lang="en_US")._add(self.other_person.email)
        self.assertEqual(other.state, "withdrawn")
        self.assertIn("Widerspruch gegen E-Mail-Werbung", other.history_ids.sorted("id")[-1].reason)

    def test_restriction_blocks_processing(self):
        self._grant(self.person, self.purpose_email)
        self.person.with_user(self.user_dpo)._vertrieb_privacy_restrict("Bestreitet die Richtigkeit")
        self.assertTrue(self.person.vertrieb_privacy_restricted)
        self.assertFalse(self.person._vertrieb_filter_purpose("email_marketing"))
        self.assertFalse(self.person._vertrieb_filter_purpose("contract"))
        self.assertEqual(self.person._vertrieb_filter_purpose("accounting"), self.person)
        with self.assertRaisesRegex(UserError, "restricted"):
            self.person.with_user(self.user_sales_1).write({"email": "neu@example.com"})
        with self.assertRaisesRegex(UserError, "restricted"):
            self.env["crm.lead"].with_user(self.user_sales_1).create(
                {"name": "Neue Chance", "partner_id": self.person.id}
            )
        with self.assertRaisesRegex(UserError, "restricted"):
            self.person.with_user(self.user_sales_1).activity_schedule(
                "mail.mail_activity_data_call", user_id=self.user_sales_1.id
            )
        with self.assertRaisesRegex(UserError, "set by the data-protection functions only"):
            self.person.with_user(self.user_sales_1).write({"vertrieb_privacy_restricted": False})
        self.person.with_user(self.user_dpo).write({"email": "neu@example.com"})
        self.assertEqual(self.person.email, "neu@example.com")
        with self.assertRaises(AccessError):
            self.person.with_user(self.user_sales_1)._vertrieb_privacy_restrict("x")
        self.person.with_user(self.user_dpo).action_vertrieb_lift_restriction()
        self.assertEqual(self.person._vertrieb_filter_purpose("email_marketing"), self.person)

    def test_phone_activity_needs_purpose(self):
        call_type = self.env.ref("mail.mail_activity_data_call")
        call_type.vertrieb_purpose_id = self.purpose_phone
        with self.assertRaisesRegex(UserError, "Telephone advertising"):
            self.person.with_user(self.user_sales_1).activity_schedule(
                "mail.mail_activity_data_call", user_id=self.user_sales_1.id
            )
        self._grant(self.person, self.purpose_phone, channel="phone", contact_value=self.person.phone)
        self.person.with_user(self.user_sales_1).activity_schedule(
            "mail.mail_activity_data_call", user_id=self.user_sales_1.id
        )
        self.assertTrue(self.person.activity_ids)

    def test_expiry(self):
        research = self.env.ref("crm_vertrieb.privacy_purpose_market_research")
        consent = self._grant(self.person, research, consent_date=fields.Datetime.from_string("2020-01-01 10:00:00"))
        self.assertEqual(str(consent.valid_until), "2022-01-01")
        self.env["vertrieb.privacy.consent"]._cron_vertrieb_expire()
        self.assertEqual(consent.state, "expired")
        self.assertEqual(consent.history_ids.sorted("id")[-1].new_state, "expired")

    def test_composer_warns_marketing_template(self):
        template = self.env["mail.template"].create(
            {
                "name": "Frühjahrsaktion",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "subject": "Angebot",
                "body_html": "<p>Angebot</p>",
                "vertrieb_purpose_id": self.purpose_email.id,
            }
        )
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.user_sales_1)
            .with_context(default_model="res.partner", default_res_ids=self.person.ids)
            .new({"template_id": template.id, "partner_ids": [(6, 0, (self.person | self.other_person).ids)]})
        )
        self.assertIn("Eva Einkauf", composer.vertrieb_purpose_warning)
        self._grant(self.person, self.purpose_email)
        self._grant(self.other_person, self.purpose_email, contact_value=self.other_person.email)
        composer.partner_ids = self.person | self.other_person
        composer._compute_vertrieb_purpose_warning()
        self.assertFalse(composer.vertrieb_purpose_warning)
