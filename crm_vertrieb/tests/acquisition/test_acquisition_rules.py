from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionRules(AcquisitionCommon):
    """Step 3 (verification took place, contact decides) and step 4 (presentation, more information)."""

    def _contact_lead(self, **vals):
        lead = self._lead("contact", **vals)
        self._fill(lead, "contact")
        return lead.with_user(self.user_sales_1)

    def test_decision_maker_no_refused_and_back_to_identification(self):
        lead = self._contact_lead()
        lead.write(self._step_values("contact", lead))
        lead.vertrieb_decision_maker_confirmed = "no"
        with self.assertRefused(UserError, "the contact is not the decision maker") as error:
            lead.write({"stage_id": self.stages["needs"].id})
        self.assertIn("Contact Clarification", str(error.exception))
        self.assertEqual(lead.vertrieb_step_id, self.steps["contact"], "nothing half-written")
        self.assertIn("not the decision maker", lead.vertrieb_gate_missing)
        lead.action_vertrieb_wrong_decision_maker()
        self.assertEqual(lead.vertrieb_step_id, self.steps["identification"])
        self.assertFalse(lead.vertrieb_decision_maker_id)
        self.assertFalse(lead.vertrieb_decision_maker_confirmed)
        self.assertFalse(lead.vertrieb_verification_event_id)

    def test_verification_must_have_taken_place(self):
        lead = self._contact_lead(vertrieb_decision_maker_confirmed="yes")
        needs = {"stage_id": self.stages["needs"].id}
        with self.assertRefused(UserError, "the verification appointment has not been recorded"):
            lead.write(needs)
        future = self._meeting(lead, hours=24)
        lead.vertrieb_verification_event_id = future
        with self.assertRefused(UserError, "has not taken place yet"):
            lead.write(needs)
        other = self.env["res.partner"].create({"name": "Jana Assistenz", "parent_id": self.customer.id})
        lead.vertrieb_verification_event_id = self._meeting(lead, attendees=other)
        with self.assertRefused(UserError, "did not attend the verification appointment"):
            lead.write(needs)
        declined = self._meeting(lead)
        declined.attendee_ids.filtered(lambda a: a.partner_id == self.decision_maker).state = "declined"
        lead.vertrieb_verification_event_id = declined
        with self.assertRefused(UserError, "did not attend"):
            lead.write(needs)
        cancelled = self._meeting(lead)
        cancelled.active = False
        lead.vertrieb_verification_event_id = cancelled
        with self.assertRefused(UserError, "was cancelled"):
            lead.write(needs)
        self.assertEqual(lead.vertrieb_step_id, self.steps["contact"])
        # a held meeting recorded explicitly counts
        lead.write(dict(self._step_values("needs", lead), vertrieb_verification_held_on=fields.Date.today()))
        lead.write(needs)
        self.assertEqual(lead.vertrieb_step_id, self.steps["needs"])

    def test_held_meeting_in_future_refused(self):
        lead = self._contact_lead()
        tomorrow = fields.Date.today() + timedelta(days=1)
        with self.assertRefused(ValidationError, "a date in the future"):
            lead.write({"vertrieb_verification_held_on": tomorrow})
        self.assertFalse(lead.vertrieb_verification_held_on)

    def test_presentation_and_more_information(self):
        lead = self._lead("needs")
        self._fill(lead, "needs")
        lead = lead.with_user(self.user_sales_1)
        values = self._step_values("needs", lead)
        lead.write(
            {
                "vertrieb_need": values["vertrieb_need"],
                "vertrieb_customer_budget": values["vertrieb_customer_budget"],
                "vertrieb_decision_criteria": values["vertrieb_decision_criteria"],
            }
        )
        argumentation = {"stage_id": self.stages["argumentation"].id}
        with self.assertRaises(UserError) as error:
            lead.write(argumentation)
        message = str(error.exception)
        self.assertIn("the presentation has not been recorded", message)
        self.assertIn("the participants of the presentation are missing", message)
        self.assertIn("the request for more information has not been recorded", message)
        lead.write(
            {
                "vertrieb_presentation_date": fields.Date.today() + timedelta(days=3),
                "vertrieb_presentation_participant_ids": values["vertrieb_presentation_participant_ids"],
                "vertrieb_more_info_requested": True,
            }
        )
        with self.assertRaises(UserError) as error:
            lead.write(argumentation)
        self.assertIn("has not taken place yet", str(error.exception))
        self.assertIn("the answer to the request for more information is missing", str(error.exception))
        # the missing facts in the same write as the move are enough
        lead.write(dict(argumentation, **values))
        self.assertEqual(lead.vertrieb_step_id, self.steps["argumentation"])

    def test_rules_for_batch_write_and_import(self):
        good = self._contact_lead(name="Verifiziert")
        good.write(self._step_values("contact", good))
        good.write(self._step_values("needs", good))
        bad = self._contact_lead(name="Nicht verifiziert")
        bad.write(dict(self._step_values("contact", bad), vertrieb_decision_maker_confirmed="no"))
        leads = good | bad
        with self.assertRefused(UserError, "Nicht verifiziert cannot move.*not the decision maker") as error:
            leads.write({"stage_id": self.stages["needs"].id})
        self.assertEqual(str(error.exception).count("cannot move"), 1, "only the lead that lacks is named")
        self.assertEqual(set(leads.mapped("vertrieb_step_id.code")), {"contact"}, "nothing half-written")
        # import: crm.lead.load goes through create/write; the refused row is reported, none is saved
        Lead = self.env["crm.lead"].with_user(self.user_manager)
        result = Lead.load(
            ["id", "stage_id/id"],
            [
                [self._xmlid(good), "crm_vertrieb.stage_acquisition_needs"],
                [self._xmlid(bad), "crm_vertrieb.stage_acquisition_needs"],
            ],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any("not the decision maker" in message["message"] for message in result["messages"]))
        self.assertEqual(set(leads.mapped("vertrieb_step_id.code")), {"contact"})

    def _xmlid(self, record):
        name = f"test_rules_{record.id}"
        self.env["ir.model.data"].create(
            {"module": "__import__", "name": name, "model": record._name, "res_id": record.id}
        )
        return f"__import__.{name}"

    def test_blocked_filter_agrees_with_the_rules(self):
        """The filter "Blocked by Gate" finds a lead blocked only by a rule of step 3 or 4 (all its
        fields filled) and no longer once the rule is met; the search agrees with the gate."""
        Lead = self.env["crm.lead"].with_user(self.user_sales_1)

        def blocked(leads):
            found = Lead.search([("vertrieb_gate_blocked", "=", True), ("id", "in", leads.ids)])
            free = Lead.search([("vertrieb_gate_blocked", "=", False), ("id", "in", leads.ids)])
            self.assertEqual(found | free, leads, "every lead is found by exactly one of the filters")
            self.assertFalse(found & free)
            self.assertEqual(found, leads.filtered("vertrieb_gate_blocked"), "search and compute agree")
            return found

        contact = self._contact_lead()
        contact.write(self._step_values("contact", contact))
        needs = self._lead("needs")
        self._fill(needs, "argumentation")
        self.assertFalse(blocked(contact | needs))
        # step 3: the contact does not decide / the appointment lies ahead / was cancelled / not attended
        contact.vertrieb_decision_maker_confirmed = "no"
        self.assertEqual(blocked(contact | needs), contact)
        contact.vertrieb_decision_maker_confirmed = "yes"
        self.assertFalse(blocked(contact))
        for event in (
            self._meeting(contact, hours=24),
            self._meeting(contact, active=False),
            self._meeting(contact, attendees=self.env["res.partner"].create({"name": "Jana Assistenz"})),
        ):
            contact.vertrieb_verification_event_id = event
            self.assertEqual(blocked(contact | needs), contact)
        contact.vertrieb_verification_held_on = fields.Date.today()
        self.assertFalse(blocked(contact | needs), "a held meeting recorded explicitly counts")
        # step 4: presentation in the future, no participants, the request without its answer
        for vals in (
            {"vertrieb_presentation_date": fields.Date.today() + timedelta(days=2)},
            {"vertrieb_presentation_participant_ids": [fields.Command.clear()]},
            {"vertrieb_more_info_answer": False},
            {"vertrieb_more_info_requested": False},
        ):
            saved = self._step_values("needs", needs)
            needs.write(vals)
            self.assertEqual(blocked(contact | needs), needs, vals)
            needs.write(saved)
            self.assertFalse(blocked(contact | needs))
