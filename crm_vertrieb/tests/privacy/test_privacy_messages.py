# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyMessages(PrivacyCommon):
    """Each refusal of the privacy feature, triggered as a user would, with its message."""

    def _request(self, **vals):
        values = {"partner_id": self.person.id, "request_type": "access", "received_date": fields.Date.today()}
        values.update(vals)
        return self.env["vertrieb.privacy.request"].with_user(self.user_dpo).create(values)

    # Partner: purpose API, restriction, erasure ------------------------------------------------
    def test_allowed_purpose_search_operator(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_1)
        with self.assertRaisesRegex(UserError, "Search the allowed purpose with = or !="):
            Partner.search([("vertrieb_allowed_purpose", "in", ["email_marketing"])])

    def test_purpose_limitation_names_partner_and_purpose(self):
        partner = self.person.with_user(self.user_sales_1)
        with self.assertRaisesRegex(UserError, "Eva Einkauf may not be processed for .*no granted consent"):
            partner._vertrieb_check_purpose("email_marketing")

    def test_restricted_partner_edit_needs_officer(self):
        self.person.with_user(self.user_dpo)._vertrieb_privacy_restrict("Bestreitet die Richtigkeit")
        with self.assertRaisesRegex(UserError, "only the data-protection officer may edit it"):
            self.person.with_user(self.user_sales_1).write({"phone": "+49 711 999"})
        self.assertEqual(self.person.phone, "+49 711 123456")

    def test_restriction_needs_reason(self):
        wizard = (
            self.env["vertrieb.privacy.restrict.wizard"]
            .with_user(self.user_dpo)
            .create({"partner_id": self.person.id, "reason": "   "})
        )
        with self.assertRaisesRegex(UserError, "A restriction needs a reason"):
            wizard.action_restrict()
        self.assertFalse(self.person.vertrieb_privacy_restricted)

    def test_erased_partner_stays_restricted(self):
        self.person.with_user(self.user_dpo)._vertrieb_privacy_erase("Antrag nach Art. 17")
        with self.assertRaisesRegex(UserError, "stays restricted until it is anonymised"):
            self.person.with_user(self.user_dpo).action_vertrieb_lift_restriction()
        self.assertTrue(self.person.vertrieb_privacy_restricted)

    def test_erasure_of_a_user_refused(self):
        user = new_test_user(self.env, "cv_privacy_portal", groups="base.group_user", name="Ulla Nutzer")
        wizard = Form(
            self.env["vertrieb.privacy.erasure.wizard"]
            .with_user(self.user_dpo)
            .with_context(default_partner_id=user.partner_id.id)
        ).save()
        with self.assertRaisesRegex(UserError, "Ulla Nutzer is linked to a user account; archive the user first"):
            wizard.action_erase()
        self.assertEqual(user.partner_id.name, "Ulla Nutzer")
        self.assertFalse(user.partner_id.vertrieb_erasure_state)

    def test_unknown_purpose(self):
        with self.assertRaisesRegex(UserError, "Unknown processing purpose “horoscope”"):
            self.person.with_user(self.user_sales_1)._vertrieb_check_purpose("horoscope")

    def test_anonymisation_refused_with_reasons(self):
        """The retention cron leaves blocked partners out; called on one anyway, the anonymisation
        names the partner and the reason and changes nothing."""
        self._pay(self._invoice(self.person, amount=250.0, date=date(2025, 3, 15)))
        self.person.with_user(self.user_dpo)._vertrieb_privacy_erase("Antrag nach Art. 17")
        self.assertEqual(self.person.vertrieb_erasure_state, "restricted")
        self.person.with_user(self.user_dpo).vertrieb_legal_hold = True
        with (
            freeze_time(self.person.vertrieb_retention_until + timedelta(days=1)),
            self.assertRaisesRegex(UserError, "Not anonymised: .*legal hold"),
            self.env.cr.savepoint(),
        ):
            self.person.with_user(self.user_dpo)._vertrieb_privacy_anonymise()
        self.assertEqual(self.person.vertrieb_erasure_state, "restricted")

    def test_letter_retention_date_set_by_erasure_only(self):
        message = self.person.with_user(self.user_sales_1).message_post(body="Angebot per Brief")
        with self.assertRaisesRegex(UserError, "retention date of a kept business letter is set by the erasure"):
            message.with_user(self.user_sales_1).write({"vertrieb_privacy_kept_until": fields.Date.today()})
        self.assertFalse(message.vertrieb_privacy_kept_until)

    def test_consent_history_read_only(self):
        consent = self._grant(self.person, self.purpose_email)
        consent.with_user(self.user_sales_1).action_withdraw()
        history = consent.history_ids[:1]
        self.assertTrue(history)
        with self.assertRaisesRegex(UserError, "History lines of purpose records cannot be changed"):
            history.with_user(self.user_dpo).write({"reason": "nachträglich geändert"})

    # Audit log ----------------------------------------------------------------------------------
    def test_audit_log_is_append_only(self):
        self.person.with_user(self.user_dpo)._vertrieb_privacy_restrict("Bestreitet die Richtigkeit")
        line = self.env["vertrieb.privacy.audit"].search([("partner_id", "=", self.person.id)], limit=1)
        self.assertTrue(line)
        with self.assertRaisesRegex(UserError, "The audit log cannot be changed"):
            line.with_user(self.user_dpo).write({"summary": "geändert"})
        # the access rights refuse users first; the module's own code (sudo) is refused too
        with self.assertRaises(AccessError):
            line.with_user(self.user_dpo).unlink()
        with self.assertRaisesRegex(UserError, "The audit log cannot be deleted"):
            line.sudo().unlink()
        # create: the officer is refused whatever the context; only the module's code (superuser) writes
        with self.assertRaisesRegex(UserError, "Audit log lines are written by the system only"):
            self.env["vertrieb.privacy.audit"].with_user(self.user_dpo).with_context(
                vertrieb_privacy_audit=True
            ).create({"action": "restrict", "summary": "gefälscht"})
        self.assertTrue(line.exists())

    # Consents -----------------------------------------------------------------------------------
    def test_withdrawal_before_consent_refused(self):
        consent = self._grant(self.person, self.purpose_email)
        with self.assertRaisesRegex(ValidationError, "A withdrawal cannot be dated before the consent"):
            consent.with_user(self.user_dpo).write({"withdrawal_date": consent.consent_date - timedelta(days=1)})

    # Data-subject requests ----------------------------------------------------------------------
    def test_request_search_overdue_operator(self):
        with self.assertRaisesRegex(UserError, "Unsupported search on “Overdue”"):
            self.env["vertrieb.privacy.request"].with_user(self.user_dpo).search([("is_overdue", "in", [True])])

    def test_request_extension_needs_reason(self):
        request = self._request()
        with self.assertRaisesRegex(ValidationError, "Extending the deadline by two months needs a reason"):
            request.write({"extended": True, "extension_reason": " "})

    def test_request_not_in_future(self):
        with self.assertRaisesRegex(ValidationError, "The request cannot be received in the future"):
            self._request(received_date=fields.Date.today() + timedelta(days=1))

    def test_request_workflow_refusals(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "Check the identity of the requester"):
            request.action_start()
        self.assertEqual(request.state, "new")
        request.identity_checked = True
        request.action_start()
        with self.assertRaisesRegex(UserError, "Record the answer or attach the documents"):
            request.action_done()
        with self.assertRaisesRegex(UserError, "Write the reason for the refusal in the answer"):
            request.action_refuse()
        self.assertEqual(request.state, "in_progress")

    def test_request_rectification_on_partner_form(self):
        request = self._request(request_type="rectification")
        with self.assertRaisesRegex(UserError, "Rectification and objection are handled on the partner form"):
            request.action_open_wizard()
