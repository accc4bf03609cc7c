from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionReaderLanguage(AcquisitionCommon):
    """What the acquisition feature writes for the salesperson (next actions, the budget warning,
    notes in the chatter) is in the salesperson's language, whoever caused it: here an English
    manager or accountant for a German salesperson (Thomas). An open activity is found again in
    any language (by its type, not by its translated summary)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.module.module"].search([("name", "=", "crm_vertrieb")])._update_translations(["de_DE"])
        cls.user_sales_1.lang = "de_DE"
        for user in (cls.user_sales_2, cls.user_manager, cls.user_accountant):
            user.lang = "en_US"
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))

    def _activities(self, lead, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("activity_type_id", "=", self.env.ref(f"crm_vertrieb.{xmlid}").id),
            ]
        )

    def test_next_actions_in_the_salespersons_language(self):
        """The English manager records the verbal commitment of two leads: Thomas's to-do reads
        German, Sabine's English; the accountant's payment plans Thomas's training in German."""
        german = self._lead("argumentation")
        english = self._lead("argumentation", user=self.user_sales_2)
        (german | english).with_user(self.user_manager).write({"vertrieb_verbal_commitment": True})
        self.assertEqual(self._activities(german, "mail_activity_type_prepare_contract").summary, "Vertrag vorbereiten")
        self.assertEqual(self._activities(english, "mail_activity_type_prepare_contract").summary, "Prepare contract")
        lead = self._lead("closing", partner_id=self.customer.id, vertrieb_contract_signed_date=fields.Date.today())
        invoice = self._invoice(lead, amount=5000)
        self._pay(invoice.with_user(self.user_accountant))
        self.assertEqual(self._activities(lead, "mail_activity_type_training").summary, "Kundenschulung planen")
        self.assertEqual(
            self._activities(lead, "mail_activity_type_feedback").summary, "Um Feedback und Referenz bitten"
        )

    def test_payment_note_in_the_salespersons_language(self):
        """A payment that cannot move the lead on (no signed contract) leaves Thomas a German note,
        with the gate's reason in German too."""
        lead = self._lead("closing", partner_id=self.customer.id)
        self._pay(self._invoice(lead, amount=5000).with_user(self.user_accountant))
        self.assertEqual(lead.vertrieb_step_id, self.steps["closing"])
        body = lead.message_ids[:1].body
        self.assertIn("Zahlung eingegangen, aber die Verkaufschance bleibt", body)
        self.assertNotIn("cannot", body)

    def test_follow_up_found_again_in_another_language(self):
        """The follow-up planned in German moves when the English manager changes the date: one
        activity, never a second one."""
        lead = self._lead("feedback")
        day = fields.Date.today() + timedelta(days=60)
        lead.with_user(self.user_sales_1).with_context(lang="de_DE").vertrieb_followup_date = day
        activity = self._activities(lead, "mail_activity_type_followup")
        self.assertEqual(activity.summary, "Kunden nachbetreuen")
        lead.with_user(self.user_manager).vertrieb_followup_date = day + timedelta(days=7)
        activity = self._activities(lead, "mail_activity_type_followup")
        self.assertEqual((len(activity), activity.date_deadline), (1, day + timedelta(days=7)))
        self.assertEqual(activity.summary, "Kunden nachbetreuen")

    def test_budget_warning_once_in_the_salespersons_language(self):
        """The English manager books the cost that exceeds the budget: Thomas's warning reads German
        with German amounts; a cost booked later in German adds no second warning."""
        lead = self._lead("needs", vertrieb_budget=1000)
        Cost = self.env["vertrieb.acquisition.cost"]
        values = {"lead_id": lead.id, "name": "Messe", "cost_type": "trade_fair"}
        Cost.with_user(self.user_manager).create(dict(values, amount=1100))
        activity = self._activities(lead, "mail_activity_type_budget_exceeded")
        self.assertEqual(activity.summary, "Akquisebudget überschritten")
        self.assertIn("Akquisebudget von", str(activity.note))
        self.assertIn("1.000,00", str(activity.note))
        self.assertEqual(activity.user_id, self.user_sales_1)
        Cost.with_user(self.user_sales_1).with_context(lang="de_DE").create(dict(values, amount=50))
        self.assertEqual(len(self._activities(lead, "mail_activity_type_budget_exceeded")), 1)

    def test_override_note_in_the_salespersons_language(self):
        """The English manager moves Thomas's lead past the gate: the note with what was missing and
        the reason reads German."""
        lead = self._lead("research")
        lead.with_user(self.user_manager)._vertrieb_override_gate(self.stages["identification"].id, "Messekontakt")
        note = lead.message_ids.filtered(lambda message: "Messekontakt" in str(message.body))
        self.assertEqual(len(note), 1)
        self.assertIn("Es fehlte:", str(note.body))
        self.assertIn("Zielgruppe", str(note.body))
        self.assertIn("Begründung: Messekontakt", str(note.body))
