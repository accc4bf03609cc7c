from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionTriggers(AcquisitionCommon):
    def _activities(self, lead, xmlid):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "=", lead.id),
                    ("activity_type_id", "=", self.env.ref(f"crm_vertrieb.{xmlid}").id),
                ]
            )
        )

    def test_verbal_commitment_prepares_contract_once(self):
        lead = self._lead("argumentation").with_user(self.user_sales_1)
        lead.vertrieb_verbal_commitment = True
        activity = self._activities(lead, "mail_activity_type_prepare_contract")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Prepare contract")
        self.assertEqual(activity.user_id, self.user_sales_1)
        self.assertEqual(activity.date_deadline, fields.Date.context_today(lead) + timedelta(days=2))
        activity.action_feedback(feedback="Entwurf an Rechtsabteilung")
        lead.vertrieb_verbal_commitment = False
        lead.vertrieb_verbal_commitment = True
        self.assertFalse(self._activities(lead, "mail_activity_type_prepare_contract"), "not twice, even when done")

    def test_trigger_configurable_per_step(self):
        trigger = self.env.ref("crm_vertrieb.acquisition_trigger_verbal_commitment")
        trigger.write({"responsible": "team_leader", "delay_days": 5})
        self.team.user_id = self.user_manager
        lead = self._lead("argumentation")
        lead.vertrieb_verbal_commitment = True
        activity = self._activities(lead, "mail_activity_type_prepare_contract")
        self.assertEqual(activity.user_id, self.user_manager)
        self.assertEqual(activity.date_deadline, fields.Date.context_today(lead) + timedelta(days=5))

    def test_followup_date_schedules_and_moves_its_activity(self):
        lead = self._lead("feedback").with_user(self.user_sales_1)
        day = fields.Date.today() + timedelta(days=90)
        lead.vertrieb_followup_date = day
        activity = self._activities(lead, "mail_activity_type_followup")
        self.assertEqual((len(activity), activity.date_deadline), (1, day))
        lead.vertrieb_followup_date = day + timedelta(days=7)
        activity = self._activities(lead, "mail_activity_type_followup")
        self.assertEqual((len(activity), activity.date_deadline), (1, day + timedelta(days=7)))

    def test_payment_moves_to_feedback_and_plans_training(self):
        lead = self._lead("closing", partner_id=self.customer.id, vertrieb_contract_signed_date=fields.Date.today())
        invoice = self._invoice(lead, amount=5000)
        self.assertEqual(lead.vertrieb_step_id, self.steps["closing"])
        self._pay(invoice)
        self.assertTrue(lead.vertrieb_payment_received)
        self.assertEqual(lead.vertrieb_step_id, self.steps["feedback"])
        self.assertEqual(len(self._activities(lead, "mail_activity_type_training")), 1)
        self.assertEqual(len(self._activities(lead, "mail_activity_type_feedback")), 1)
        # a second paid invoice does not plan them twice
        self._pay(self._invoice(lead, amount=100))
        self.assertEqual(len(self._activities(lead, "mail_activity_type_training")), 1)

    def test_payment_without_signed_contract_stays_with_note(self):
        lead = self._lead("closing", partner_id=self.customer.id)
        self._pay(self._invoice(lead, amount=5000))
        self.assertEqual(lead.vertrieb_step_id, self.steps["closing"])
        self.assertIn("the opportunity stays", lead.message_ids[:1].body)

    def test_feedback_template_german_and_english(self):
        template = self.env.ref("crm_vertrieb.mail_template_feedback_reference")
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"].search([("name", "=", "crm_vertrieb")])._update_translations(["de_DE"])
        lead = self._lead("feedback", partner_id=self.customer.id, vertrieb_decision_maker_id=self.decision_maker.id)
        self.decision_maker.lang = "en_US"
        english = template._generate_template([lead.id], ["subject", "body_html"])[lead.id]
        self.assertIn("reference customer", str(english["body_html"]))
        self.decision_maker.lang = "de_DE"
        german = template._generate_template([lead.id], ["subject", "body_html"])[lead.id]
        self.assertIn("Referenzkunde", str(german["body_html"]))
        self.assertIn("Stefan Müller", str(german["body_html"]))

    def test_reference_customers_need_consent(self):
        lead = self._lead("feedback", partner_id=self.customer.id)
        won_stage = self.env["crm.stage"].create({"name": "Gewonnen (Test)", "is_won": True, "team_id": self.team.id})
        lead.stage_id = won_stage
        # stays in the process: the won stage of the pipeline is its last step in practice
        lead.stage_id.vertrieb_step_id = self.steps["feedback"]
        Partner = self.env["res.partner"].with_user(self.user_sales_1)
        domain = [("vertrieb_reference_customer", "=", True), ("id", "=", self.customer.id)]
        self.assertFalse(Partner.search(domain), "no consent: not a reference")
        purpose = self.env.ref("crm_vertrieb.privacy_purpose_reference_customer")
        self.env["vertrieb.privacy.consent"].create(
            {
                "partner_id": self.customer.id,
                "purpose_id": purpose.id,
                "state": "granted",
                "consent_date": fields.Datetime.now(),
                "channel": "web_form",
                "consent_text": "Ja, Sie dürfen uns als Referenz nennen.",
            }
        )
        self.assertEqual(Partner.search(domain), self.customer)
        self.assertTrue(self.customer.vertrieb_reference_customer)

    def test_reference_granted_follows_the_consent(self):
        """ "Reference Granted" on the lead is the customer's consent to be named (privacy purpose):
        granted consent -> reference, withdrawn -> not; it cannot be set without the consent."""
        lead = self._lead("feedback", partner_id=self.decision_maker.id).with_user(self.user_sales_1)
        Lead = self.env["crm.lead"].with_user(self.user_sales_1)
        domain = [("vertrieb_reference_granted", "=", True), ("id", "=", lead.id)]
        self.assertFalse(lead.vertrieb_reference_granted)
        # no way around the consent: the flag is not stored, a write does not set it
        lead.write({"vertrieb_reference_granted": True})
        lead.invalidate_recordset()
        self.assertFalse(lead.vertrieb_reference_granted)
        self.assertFalse(Lead.search(domain))
        # the button opens the customer's purpose record (the company, not the contact person)
        action = lead.action_vertrieb_reference_consent()
        self.assertEqual(action["res_model"], "vertrieb.privacy.consent")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        purpose = self.env.ref("crm_vertrieb.privacy_purpose_reference_customer")
        consent = (
            self.env["vertrieb.privacy.consent"]
            .with_user(self.user_sales_1)
            .create(
                {
                    "partner_id": self.customer.id,
                    "purpose_id": purpose.id,
                    "state": "granted",
                    "consent_date": fields.Datetime.now() - timedelta(hours=1),
                    "channel": "email",
                    "consent_text": "Ja, Sie dürfen uns als Referenz nennen.",
                }
            )
        )
        lead.invalidate_recordset()
        self.assertTrue(lead.vertrieb_reference_granted, "the consent of the customer company counts")
        self.assertEqual(Lead.search(domain), lead)
        self.assertEqual(lead.action_vertrieb_reference_consent()["res_id"], consent.id)
        consent.write({"state": "withdrawn", "change_reason": "Kunde möchte nicht mehr genannt werden"})
        lead.invalidate_recordset()
        self.assertFalse(lead.vertrieb_reference_granted, "withdrawn: no longer a reference")
        self.assertFalse(Lead.search(domain))
        self.assertTrue(Lead.search([("vertrieb_reference_granted", "=", False), ("id", "=", lead.id)]))
