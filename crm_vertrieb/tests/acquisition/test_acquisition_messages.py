from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionMessages(AcquisitionCommon):
    """Every refusal of the acquisition feature, triggered by a German-speaking user: the message is
    German (the translation of i18n/de.po) and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.module.module"].search([("name", "=", "crm_vertrieb")])._update_translations(["de_DE"])
        for user in (cls.user_sales_1, cls.user_manager, cls.user_accountant):
            user.lang = "de_DE"
        cls.env = cls.env(context=dict(cls.env.context, lang="de_DE"))

    def _as(self, records, user=None):
        return records.with_user(user or self.user_sales_1).with_context(lang="de_DE")

    def test_gate_and_step_rules(self):
        lead = self._as(self._lead("research"))
        with self.assertRefused(
            UserError, r"kann nicht in den Schritt Identifizierung wechseln, es fehlt: .*Zielgruppe"
        ):
            lead.write({"stage_id": self.stages["identification"].id})
        with self.assertRefused(UserError, "Ein Vertriebsleiter kann die Prüfung mit Begründung übergehen"):
            lead.action_vertrieb_next_step()
        contact = self._as(self._lead("contact"))
        self._fill(contact, "contact")
        needs = {"stage_id": self.stages["needs"].id}
        contact.vertrieb_decision_maker_confirmed = "no"
        with self.assertRefused(UserError, "der Kontakt ist nicht der Entscheider; erfassen Sie den richtigen"):
            contact.write(needs)
        contact.vertrieb_decision_maker_confirmed = "yes"
        with self.assertRefused(UserError, "der Verifizierungstermin ist nicht erfasst"):
            contact.write(needs)
        for event, pattern in (
            (self._meeting(contact, hours=24), "der Verifizierungstermin Verifizierungstermin hat noch nicht"),
            (self._meeting(contact, active=False), "der Verifizierungstermin Verifizierungstermin wurde abgesagt"),
            (
                self._meeting(contact, attendees=self.env["res.partner"].create({"name": "Jana Assistenz"})),
                "der Entscheider .*Stefan Müller hat am Verifizierungstermin Verifizierungstermin nicht teilgenommen",
            ),
        ):
            contact.vertrieb_verification_event_id = event
            with self.assertRefused(UserError, pattern):
                contact.write(needs)
        self.assertEqual(contact.vertrieb_step_id, self.steps["contact"])
        lead = self._as(self._lead("needs"))
        self._fill(lead, "needs")
        lead.write({"vertrieb_need": "Ausfall", "vertrieb_customer_budget": 1, "vertrieb_decision_criteria": "Preis"})
        argumentation = {"stage_id": self.stages["argumentation"].id}
        with self.assertRefused(UserError, "die Präsentation ist nicht erfasst") as error:
            lead.write(argumentation)
        self.assertIn("die Teilnehmer der Präsentation fehlen", str(error.exception))
        self.assertIn("die Anfrage nach mehr Informationen ist nicht erfasst", str(error.exception))
        lead.write(
            {
                "vertrieb_presentation_date": fields.Date.today() + timedelta(days=3),
                "vertrieb_more_info_requested": True,
            }
        )
        with self.assertRefused(UserError, "die Präsentation am .* hat noch nicht stattgefunden") as error:
            lead.write(argumentation)
        self.assertIn("die Antwort auf die Anfrage nach mehr Informationen fehlt", str(error.exception))

    def test_batch_message_is_cut_after_twenty(self):
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Massenimport {i}",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "user_id": self.user_sales_1.id,
                }
                for i in range(22)
            ]
        )
        with self.assertRefused(UserError, r"\.\.\. und 2 weitere Verkaufschancen\."):
            self._as(leads).write({"stage_id": self.stages["identification"].id})

    def test_override_and_actions(self):
        lead = self._lead("research")
        target = self.stages["identification"].id
        with self.assertRefused(UserError, "Geben Sie eine Begründung für das Übergehen der Prüfung an"):
            self._as(lead, self.user_manager)._vertrieb_override_gate(target, " ")
        with self.assertRefused(AccessError, "Nur ein Vertriebsleiter darf die Prüfung übergehen"):
            self._as(lead)._vertrieb_override_gate(target, "Eilt")
        wizard = self.env["vertrieb.acquisition.gate.override"].create(
            {"lead_ids": lead.ids, "stage_id": target, "reason": "Eilt"}
        )
        with self.assertRefused(AccessError, "Nur ein Vertriebsleiter darf die Prüfung übergehen"):
            self._as(wizard).action_confirm()
        last = self._as(self._lead("feedback"))
        with self.assertRefused(UserError, "ist bereits im letzten Akquiseschritt"):
            last.action_vertrieb_next_step()
        outside = self._as(
            self.env["crm.lead"].create(
                {"name": "Außerhalb", "type": "opportunity", "team_id": self.team_1.id, "user_id": self.user_sales_1.id}
            )
        )
        with self.assertRefused(UserError, "Außerhalb ist in keiner Pipeline des Akquiseprozesses"):
            outside.action_vertrieb_next_step()
        with self.assertRefused(UserError, "Außerhalb hat keine Phase Identifizierung"):
            outside.action_vertrieb_wrong_decision_maker()
        with self.assertRefused(UserError, "Außerhalb hat keinen Kunden, der als Referenz genannt werden kann"):
            outside.action_vertrieb_reference_consent()

    def test_unsupported_searches(self):
        Lead = self._as(self.env["crm.lead"])
        for name, pattern in (
            ("vertrieb_gate_blocked", "Diese Suche nach der Prüfungssperre wird nicht unterstützt"),
            ("vertrieb_step_overdue", "Diese Suche nach Überfälligkeit wird nicht unterstützt"),
            ("vertrieb_reference_granted", "Nicht unterstützte Suche nach der erteilten Referenz"),
        ):
            with self.assertRefused(UserError, pattern):
                Lead.search([(name, "in", [True])])
        with self.assertRefused(UserError, "Nicht unterstützte Suche nach dem Merkmal Referenzkunde"):
            self._as(self.env["res.partner"]).search([("vertrieb_reference_customer", "in", [True])])

    def test_lead_constraints(self):
        lead = self._as(self._lead("research", name="Prüfstand"))
        with self.assertRefused(ValidationError, "Akquisebudget von Prüfstand darf nicht negativ sein"):
            lead.vertrieb_budget = -1
        stranger = self.env["res.partner"].create({"name": "Fremder Entscheider"})
        with self.assertRefused(
            ValidationError, "Der Entscheider Fremder Entscheider gehört zu .*nicht zum Interessenten"
        ):
            lead.write({"partner_id": self.customer.id, "vertrieb_decision_maker_id": stranger.id})
        with self.assertRefused(ValidationError, "kann nicht als am .* stattgefunden erfasst werden"):
            lead.vertrieb_verification_held_on = fields.Date.today() + timedelta(days=1)
        alpha, beta = self.env["vertrieb.competitor"].create([{"name": "Alpha"}, {"name": "Beta"}])
        with self.assertRefused(
            ValidationError, "Der Hauptwettbewerber Beta von Prüfstand muss einer ihrer Wettbewerber"
        ):
            lead.write({"vertrieb_competitor_ids": [Command.set(alpha.ids)], "vertrieb_main_competitor_id": beta.id})
        won = self._as(self._lead("feedback", name="Gewonnen"))
        with self.assertRefused(ValidationError, "Gewonnen ist gewonnen: sie kann nicht an Alpha verloren sein"):
            won.vertrieb_lost_to_id = alpha
        self.assertFalse(won.vertrieb_lost_to_id)

    def test_cost_invoice_schedule_and_next_action(self):
        lead = self._lead("research", name="Kostenprobe", partner_id=self.customer.id)
        Cost = self._as(self.env["vertrieb.acquisition.cost"])
        with self.assertRefused(ValidationError, "Die Kosten „Reise“ von Kostenprobe können nicht negativ sein"):
            Cost.create({"lead_id": lead.id, "name": "Reise", "amount": -5})
        other_company = self.env["res.company"].create({"name": "Tochter AG"})
        foreign = self.env["crm.lead"].create(
            {"name": "Fremd", "partner_id": self.customer.id, "company_id": other_company.id, "user_id": False}
        )
        with self.assertRefused(
            ValidationError, "Die Kosten „Reise“ sind in .* gebucht, die Verkaufschance Fremd gehört zu Tochter AG"
        ):
            self.env["vertrieb.acquisition.cost"].with_context(allowed_company_ids=self.company.ids).create(
                {"lead_id": foreign.id, "name": "Reise", "amount": 5, "company_id": self.company.id}
            )
        invoice = self._invoice(lead, amount=100)
        with self.assertRefused(ValidationError, "können nur mit einer Position einer Lieferantenrechnung"):
            Cost.create({"lead_id": lead.id, "name": "Reise", "amount": 5, "move_line_id": invoice.line_ids[0].id})
        bill = self.env["account.move"].create({"move_type": "in_invoice", "partner_id": self.customer.id})
        with self.assertRefused(ValidationError, "Nur Kundenrechnungen und Gutschriften können"):
            self._as(bill, self.user_accountant).vertrieb_lead_id = lead
        stranger = self.env["res.partner"].create({"name": "Andere Firma"})
        other = self._invoice(partner=stranger, post=False)
        with self.assertRefused(ValidationError, "ist nicht der Kunde von .*Abweichender Kunde bestätigt"):
            self._as(other, self.user_accountant).vertrieb_lead_id = lead
        with self.assertRefused(ValidationError, "die Verkaufschance Fremd zu Tochter AG"):
            self._invoice(post=False).vertrieb_lead_id = foreign
        plans = self._lead("research", name="Zeitplan").vertrieb_plan_ids.sorted("step_sequence")
        with self.assertRefused(ValidationError, "Der Zeitplan von Zeitplan ist nicht in der richtigen Reihenfolge"):
            self._as(plans[1], self.user_manager).date_planned = plans[0].date_planned - timedelta(days=1)
        trigger = self.env.ref("crm_vertrieb.acquisition_trigger_verbal_commitment")
        with self.assertRefused(UserError, "braucht einen verantwortlichen Benutzer"):
            trigger.with_context(lang="de_DE").write({"responsible": "user", "user_id": False})
