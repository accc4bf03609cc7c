# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PrivacyCommon


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyGuards(PrivacyCommon):
    """Issue #12, principles 1 and 2: no context key lifts a guard; state fields are the module's."""

    def test_context_key_lifts_nothing(self):
        self.person._vertrieb_privacy_restrict("Art. 18 Antrag")
        bypass = {"vertrieb_privacy_bypass": True}
        partner = self.person.with_user(self.user_sales_1).with_context(**bypass)
        with self.assertRaisesRegex(UserError, "restricted"):
            partner.write({"phone": "+49 711 999"})
        with self.assertRaisesRegex(UserError, "no leads may be created"):
            self.env["crm.lead"].with_user(self.user_sales_1).with_context(**bypass).create(
                {"name": "Neu", "partner_id": self.person.id}
            )
        with self.assertRaisesRegex(UserError, "no activities may be planned"):
            partner.activity_schedule("mail.mail_activity_data_todo", summary="Anruf")
        with self.assertRaisesRegex(UserError, "Only the data-protection officer"):
            partner.write({"vertrieb_legal_hold": True})
        self.assertEqual(self.person.phone, "+49 711 123456")

    def test_state_fields_refused(self):
        partner = self.person.with_user(self.user_sales_1)
        for vals in (
            {"vertrieb_erasure_state": "restricted", "vertrieb_retention_until": "2020-01-01"},
            {"vertrieb_privacy_restricted": True},
            {"vertrieb_restriction_kind": "retention"},
            {"vertrieb_anonymised_date": "2020-01-01"},
        ):
            with self.assertRaisesRegex(UserError, "set by the data-protection functions only"):
                partner.write(vals)
            # the officer decides through the functions, not by writing the fields
            with self.assertRaisesRegex(UserError, "set by the data-protection functions only"):
                self.person.with_user(self.user_dpo).write(vals)
        with self.assertRaisesRegex(UserError, "set by the data-protection functions only"):
            self.env["res.partner"].with_user(self.user_sales_1).create(
                {"name": "Neu", "vertrieb_erasure_state": "restricted"}
            )
        with self.assertRaisesRegex(UserError, "set by the data-protection functions only"):
            self.env["res.partner"].with_user(self.user_sales_1).with_context(
                default_vertrieb_erasure_state="restricted"
            ).create({"name": "Neu"})
        with self.assertRaisesRegex(UserError, "Only the data-protection officer"):
            partner.write({"vertrieb_privacy_review": True})
        self.person.with_user(self.user_dpo).write({"vertrieb_legal_hold": True, "vertrieb_privacy_review": True})
        self.assertTrue(self.person.vertrieb_legal_hold)
        self.assertFalse(self.person.vertrieb_erasure_state)

    def test_delete_contact_with_evidence_refused(self):
        self._grant(self.person, self.purpose_email)
        with self.assertRaisesRegex(UserError, "cannot be deleted: purpose records with consent evidence"):
            self.person.with_user(self.user_dpo).unlink()
        self.assertTrue(self.person.exists())
        request = self.env["vertrieb.privacy.request"].create(
            {"partner_id": self.other_person.id, "request_type": "access"}
        )
        with self.assertRaisesRegex(UserError, "data-subject\\s+requests"):
            self.other_person.with_user(self.user_dpo).unlink()
        self.assertTrue(request.exists())
        # the database refuses too, past every Python guard
        field = self.env["vertrieb.privacy.consent"]._fields["partner_id"]
        self.assertEqual(field.ondelete, "restrict")


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyRetentionCron(PrivacyCommon):
    """Issue #12 item 2: the retention cron anonymises only what the erasure function restricted."""

    def _run_cron(self, day):
        # the cron reports skipped partners in the log as well (expected here)
        with freeze_time(day), mute_logger("odoo.addons.crm_vertrieb.models.privacy.vertrieb_privacy_retention"):
            return self.env["res.partner"]._cron_vertrieb_privacy_retention()

    def _audit(self, partner, action):
        return self.env["vertrieb.privacy.audit"].search([("partner_ref", "=", partner.id), ("action", "=", action)])

    def test_marked_partner_not_anonymised(self):
        # a flag set in the database (formerly possible through RPC) without the erasure function
        self.person.sudo().write({"vertrieb_erasure_state": "restricted", "vertrieb_retention_until": "2020-01-01"})
        self._run_cron("2026-06-01")
        self.assertEqual(self.person.name, "Eva Einkauf")
        self.assertNotEqual(self.person.vertrieb_erasure_state, "anonymised")
        self.assertIn("marked only", self._audit(self.person, "skipped").summary)

    def test_open_and_new_entries_rechecked(self):
        invoice = self._invoice(self.person, date=date(2025, 3, 15))
        self._pay(invoice)
        self.person.with_user(self.user_dpo)._vertrieb_privacy_erase("Art. 17")
        until = self.person.vertrieb_retention_until
        # a draft entry after the erasure: the cron skips and reports
        draft = self._invoice(self.person, post=False, date=date(2025, 3, 20))
        self._run_cron(until + timedelta(days=1))
        self.assertEqual(self.person.vertrieb_erasure_state, "restricted")
        self.assertIn("open or draft", self._audit(self.person, "skipped").summary)
        # posted later: the retention starts again from the new entry
        draft.invoice_date = draft.date = until
        draft.action_post()
        self._pay(draft)
        self._run_cron(until + timedelta(days=2))
        self.assertEqual(self.person.vertrieb_erasure_state, "restricted")
        self.assertGreater(self.person.vertrieb_retention_until, until)
        self.assertEqual(self.person.name, "Eva Einkauf")

    def test_failure_skipped_and_cron_stays_active(self):
        other = self.other_person
        for partner in (self.person, other):
            self._pay(self._invoice(partner, date=date(2025, 3, 15)))
            partner.with_user(self.user_dpo)._vertrieb_privacy_erase("Art. 17")
        until = self.person.vertrieb_retention_until
        Partner = type(self.env["res.partner"])
        original = Partner._vertrieb_privacy_anonymise_records
        failing_id = self.person.id

        def anonymise(records):
            if failing_id in records.ids:
                raise ValueError("simulated failure")
            return original(records)

        cron = self.env.ref("crm_vertrieb.ir_cron_vertrieb_privacy_retention")
        with patch.object(Partner, "_vertrieb_privacy_anonymise_records", anonymise):
            self._run_cron(until + timedelta(days=1))
        self.assertEqual(other.vertrieb_erasure_state, "anonymised")
        self.assertEqual(self.person.vertrieb_erasure_state, "restricted")
        self.assertIn("could not anonymise", self._audit(self.person, "skipped").summary)
        self.assertTrue(cron.active)
        self._run_cron(until + timedelta(days=2))
        self.assertEqual(self.person.vertrieb_erasure_state, "anonymised")


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyConsentRules(PrivacyCommon):
    """Issue #12 item 2: the four consent rules."""

    def test_create_granted_checks_restriction(self):
        self.person._vertrieb_privacy_restrict("Art. 18 Antrag")
        with self.assertRaisesRegex(UserError, "no purpose can be granted"):
            self.env["vertrieb.privacy.consent"].with_user(self.user_sales_1).create(
                self._grant_vals(self.person, self.purpose_email)
            )

    def test_regrant_needs_new_evidence(self):
        consent = self._grant(self.person, self.purpose_email, consent_date=fields.Datetime.now() - timedelta(days=10))
        consent.with_user(self.user_sales_1).action_withdraw()
        consent_user = consent.with_user(self.user_sales_1)
        with self.assertRaisesRegex(UserError, "needs new\\s+evidence"):
            consent_user.action_grant()
        consent_user.write(
            {
                "state": "granted",
                "consent_date": fields.Datetime.now() + timedelta(seconds=5),
                "channel": "email",
                "consent_text": "Ja, wieder Newsletter.",
            }
        )
        self.assertEqual(consent.state, "granted")
        texts = consent.history_ids.mapped("consent_text")
        self.assertIn("Ja, ich möchte den Newsletter erhalten.", texts, "the first evidence stays")
        self.assertIn("Ja, wieder Newsletter.", texts)

    def test_grant_unblacklists_only_own_company(self):
        company_b = self.env["res.company"].create({"name": "Vertrieb Nord GmbH"})
        Consent = self.env["vertrieb.privacy.consent"]
        in_b = Consent.create(self._grant_vals(self.person, self.purpose_email, company_id=company_b.id))
        in_b.action_withdraw()
        blacklist = self.env["mail.blacklist"].search([("email", "=", self.person.email)])
        self.assertTrue(blacklist)
        self._grant(self.person, self.purpose_email)
        self.assertTrue(blacklist.active, "the objection in the other company still stands")

    def test_merge_keeps_all_evidence(self):
        twin = self.env["res.partner"].create({"name": "Eva Einkauf (alt)", "email": "eva.alt@example.com"})
        self._grant(
            twin, self.purpose_email, consent_text="Alter Text", channel="paper", doi_date=fields.Datetime.now()
        )
        self._grant(self.person, self.purpose_email)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.person | twin).ids, self.person)
        consent = self.env["vertrieb.privacy.consent"].search([("partner_id", "=", self.person.id)])
        self.assertEqual(len(consent), 1)
        merged = consent.history_ids.filtered(lambda line: line.consent_text == "Alter Text")
        self.assertTrue(merged)
        self.assertEqual(merged[:1].channel, "paper")
        self.assertTrue(merged[:1].doi_date)
        self.assertTrue(merged[:1].consent_hash)


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyOutbound(PrivacyCommon):
    """Issue #12 item 3: Art. 18 blocks outbound messages on every path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nolog=False))
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Anfrage Eva", "partner_id": cls.person.id, "user_id": cls.user_sales_1.id}
        )
        cls.lead.message_subscribe(partner_ids=cls.person.ids)
        cls.person._vertrieb_privacy_restrict("Art. 18 Antrag")

    def _mails_to_person(self):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", self.person.ids), ("state", "!=", "cancel")]
        ) | self.env["mail.mail"].search([("email_to", "ilike", self.person.email), ("state", "!=", "cancel")])

    def test_chatter_post_and_follower_notification_refused(self):
        lead = self.lead.with_user(self.user_sales_1)
        with self.assertRaisesRegex(UserError, "Eva Einkauf is restricted.*Nothing was sent"):
            lead.message_post(body="Angebot", partner_ids=self.person.ids, message_type="comment")
        # the person follows the lead: a reply to the followers is refused as well
        with self.assertRaisesRegex(UserError, "Eva Einkauf"):
            lead.message_post(body="Rückfrage", message_type="comment", subtype_xmlid="mail.mt_comment")
        # an internal note reaches no customer and stays possible
        lead.message_post(body="Intern", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertFalse(self._mails_to_person())
        # server code (superuser) leaves the contact out
        self.lead.sudo().message_post(body="System", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertFalse(self.env["mail.notification"].search([("res_partner_id", "=", self.person.id)]))

    def test_template_and_composer(self):
        template = self.env["mail.template"].create(
            {
                "name": "Angebot",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "subject": "Angebot",
                "body_html": "<p>Hallo</p>",
                "partner_to": "{{ object.id }}",
            }
        )
        template.send_mail(self.person.id)
        self.assertFalse(self._mails_to_person(), "a template email to a restricted contact is cancelled")
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.user_sales_1)
            .with_context(default_model="res.partner", active_ids=self.person.ids, default_composition_mode="mass_mail")
            .create({"template_id": template.id, "res_ids": repr(self.person.ids)})
        )
        with self.assertRaisesRegex(UserError, "Eva Einkauf"):
            composer.action_send_mail()
        self.assertFalse(self._mails_to_person())

    def test_scheduled_message_refused(self):
        with self.assertRaisesRegex(UserError, "Eva Einkauf"):
            self.env["mail.scheduled.message"].with_user(self.user_sales_1).create(
                {
                    "model": "crm.lead",
                    "res_id": self.lead.id,
                    "body": "Später",
                    "partner_ids": [Command.link(self.person.id)],
                    "scheduled_date": fields.Datetime.now() + timedelta(days=1),
                }
            )

    def test_complaint_acknowledgement_and_rating_not_sent(self):
        user = new_test_user(self.env, "cv_priv_complaint", groups="crm_vertrieb.group_complaint_manager")
        self.env.company.vertrieb_complaint_send_ack = True
        complaint = (
            self.env["vertrieb.complaint"]
            .with_user(user)
            .create({"title": "Pumpe undicht", "partner_id": self.person.id, "complaint_type": "claim"})
        )
        self.assertTrue(complaint.exists(), "the complaint itself is recorded (Art. 18(2) GDPR)")
        complaint.sudo(False).with_user(user).rating_send_request(
            self.env.ref("crm_vertrieb.mail_template_complaint_rating")
        )
        self.assertFalse(self._mails_to_person())
        self.assertFalse(self.env["mail.notification"].search([("res_partner_id", "=", self.person.id)]))
        self.assertFalse(complaint.rating_ids)


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyNoContextKeys(PrivacyCommon):
    """Issue #12 principle 1: the keys the privacy feature once read from the context (a reason for the
    consent history, marks of its own server paths) change nothing when a client sends them."""

    def test_reason_is_an_argument(self):
        consent = self._grant(self.person, self.purpose_email)
        reason_key = {"vertrieb_privacy_reason": "Vom Kunden per Brief widerrufen (gefälscht)"}
        consent.with_user(self.user_sales_1).with_context(**reason_key).write({"state": "withdrawn"})
        self.assertNotIn("gefälscht", " ".join(reason for reason in consent.history_ids.mapped("reason") if reason))
        # the module's own reason arrives as an argument
        self.env["vertrieb.privacy.consent"]._cron_vertrieb_expire()
        other = self._grant(self.other_person, self.purpose_email)
        other._vertrieb_set_state("withdrawn", "Erasure request (Art. 17 GDPR)")
        self.assertEqual(other.history_ids.sorted("id")[-1].reason, "Erasure request (Art. 17 GDPR)")

    def test_blacklist_mark_not_from_context(self):
        consent = self._grant(self.person, self.purpose_email)
        # server code running as superuser with a context the client sent along
        self.env["mail.blacklist"].sudo().with_context(vertrieb_privacy_from_consent=True)._add(self.person.email)
        self.assertEqual(consent.state, "withdrawn", "the blacklisted address withdraws the purpose")

    def test_outbound_skip_not_from_context(self):
        lead = self.env["crm.lead"].create(
            {"name": "Anfrage Eva", "partner_id": self.person.id, "user_id": self.user_sales_1.id}
        )
        self.person._vertrieb_privacy_restrict("Art. 18 Antrag")
        lead = lead.with_user(self.user_sales_1).with_context(vertrieb_privacy_outbound_skip=True)
        with self.assertRaisesRegex(UserError, "Eva Einkauf is restricted.*Nothing was sent"):
            lead.message_post(body="Angebot", partner_ids=self.person.ids, message_type="comment")

    def test_audit_written_by_the_module_only(self):
        Audit = self.env["vertrieb.privacy.audit"].with_user(self.user_dpo)
        with self.assertRaisesRegex(UserError, "written by the system only"):
            Audit.with_context(vertrieb_privacy_audit=True).create({"action": "erasure", "summary": "gefälscht"})
        self.assertFalse(self.env["vertrieb.privacy.audit"].search([("summary", "=", "gefälscht")]))
