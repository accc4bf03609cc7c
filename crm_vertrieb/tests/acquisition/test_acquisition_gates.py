from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionGates(AcquisitionCommon):
    def test_shipped_steps_and_pipeline(self):
        steps = self.env["vertrieb.acquisition.step"].search([])
        self.assertEqual(steps[:8].mapped("code"), list(self.steps))
        for code, stage in self.stages.items():
            self.assertEqual(stage.vertrieb_step_id, self.steps[code])
            self.assertEqual(stage.team_id, self.team)
        self.assertTrue(self.steps["research"].required_field_ids)
        lead = self._lead("needs")
        self.assertEqual(lead.vertrieb_step_id, self.steps["needs"])
        self.assertEqual(lead.vertrieb_step_index, 4)

    def test_new_lead_starts_in_first_step_and_kanban_columns(self):
        lead = self.env["crm.lead"].create({"name": "Neue Anfrage", "type": "opportunity", "team_id": self.team.id})
        self.assertEqual(lead.stage_id, self.stages["research"])
        self.assertEqual(len(lead.vertrieb_step_history_ids), 1)
        Lead = self.env["crm.lead"].with_context(default_team_id=self.team.id)
        columns = Lead._read_group_stage_ids(self.env["crm.stage"], [])
        self.assertEqual(set(columns.ids), {stage.id for stage in self.stages.values()})
        other = self.env["crm.lead"].create(
            {"name": "Normale Anfrage", "type": "opportunity", "team_id": self.team_1.id}
        )
        self.assertFalse(other.stage_id.vertrieb_step_id, "other pipelines keep the shared stages")
        # the form's statusbar offers the step stages only in an acquisition pipeline
        self.assertTrue(lead.vertrieb_acquisition_pipeline)
        self.assertFalse(other.vertrieb_acquisition_pipeline)
        other.team_id = self.team
        self.assertTrue(other.vertrieb_acquisition_pipeline)

    def test_forward_refused_lists_missing(self):
        lead = self._lead("research")
        with self.assertRaises(UserError) as error:
            lead.write({"stage_id": self.stages["identification"].id})
        message = str(error.exception)
        for label in ("Target Group", "Industry", "Sales Territory", "Revenue Size", "Sales Channel"):
            self.assertIn(label, message)
        self.assertEqual(lead.stage_id, self.stages["research"], "nothing half-written")
        self.assertEqual(len(lead.vertrieb_step_history_ids), 1)

    def test_forward_allowed_when_complete_and_in_same_write(self):
        lead = self._lead("research")
        values = self._step_values("research", lead)
        lead.write(dict(values, stage_id=self.stages["identification"].id))
        self.assertEqual(lead.vertrieb_step_id, self.steps["identification"])
        self.assertFalse(lead.vertrieb_gate_missing and "Target Group" in lead.vertrieb_gate_missing)

    def test_skipping_steps_checks_every_passed_step(self):
        lead = self._lead("research")
        lead.write(self._step_values("research", lead))
        with self.assertRaises(UserError) as error:
            lead.write({"stage_id": self.stages["needs"].id})
        self.assertIn("Decision Maker", str(error.exception))
        self.assertIn("Contact Is Decision Maker", str(error.exception))
        self._fill(lead, "needs")
        lead.write({"stage_id": self.stages["needs"].id})
        self.assertEqual(lead.vertrieb_step_id, self.steps["needs"])

    def test_backward_always_allowed(self):
        lead = self._lead("argumentation")
        lead.write({"stage_id": self.stages["research"].id})
        self.assertEqual(lead.vertrieb_step_id, self.steps["research"])

    def test_other_pipelines_unchanged(self):
        other_stage = self.env["crm.stage"].create({"name": "Qualifiziert (ohne Schritt)"})
        lead = self.env["crm.lead"].create({"name": "Freie Anfrage", "type": "opportunity", "team_id": self.team_1.id})
        lead.write({"stage_id": other_stage.id})
        self.assertFalse(lead.vertrieb_step_id)
        self.assertFalse(lead.vertrieb_step_history_ids)

    def test_closing_needs_payment(self):
        lead = self._lead("closing", partner_id=self.customer.id)
        lead.vertrieb_contract_signed_date = "2026-01-15"
        with self.assertRaises(UserError) as error:
            lead.write({"stage_id": self.stages["feedback"].id})
        self.assertIn("Payment Received", str(error.exception))

    def test_many_leads_at_once(self):
        complete = self._lead("research")
        incomplete = self._lead("research", name="Unvollständig")
        complete.write(self._step_values("research", complete))
        leads = complete | incomplete
        with self.assertRaises(UserError) as error:
            leads.write({"stage_id": self.stages["identification"].id})
        self.assertIn("Unvollständig", str(error.exception))
        self.assertEqual(leads.mapped("vertrieb_step_id"), self.steps["research"], "no lead moved")
        complete.write({"stage_id": self.stages["identification"].id})
        self.assertEqual(complete.vertrieb_step_id, self.steps["identification"])

    def test_manager_override_logged(self):
        lead = self._lead("research")
        lead_as_manager = lead.with_user(self.user_manager).with_context(tracking_disable=False)
        wizard = Form(
            self.env["vertrieb.acquisition.gate.override"]
            .with_user(self.user_manager)
            .with_context(**lead_as_manager.action_vertrieb_override_gate()["context"])
        )
        self.assertEqual(wizard.stage_id, self.stages["identification"])
        self.assertIn("Target Group", wizard.missing)
        wizard.reason = "Kunde kam über Empfehlung, Recherche entfällt"
        wizard.save().action_confirm()
        self.assertEqual(lead.vertrieb_step_id, self.steps["identification"])
        history = lead.vertrieb_step_history_ids.filtered(lambda h: h.step_id == self.steps["identification"])
        self.assertTrue(history.overridden)
        self.assertIn("Empfehlung", history.override_reason)
        note = lead.message_ids.filtered(lambda m: "Empfehlung" in (m.body or ""))
        self.assertTrue(note, "the reason is logged in the chatter")
        self.assertIn("Target Group", note[0].body)

    def test_override_needs_reason_and_manager(self):
        lead = self._lead("research")
        target = self.stages["identification"].id
        with self.assertRefused(UserError, "Give a reason for overriding the stage gate"):
            lead.with_user(self.user_manager)._vertrieb_override_gate(target, "  ")
        with self.assertRefused(AccessError, "Only a sales manager may override the stage gate"):
            lead.with_user(self.user_sales_1)._vertrieb_override_gate(target, "Eilt")
        wizard = self.env["vertrieb.acquisition.gate.override"].create(
            {"lead_ids": lead.ids, "stage_id": target, "reason": "Eilt"}
        )
        with self.assertRefused(AccessError, "Only a sales manager may override the stage gate"):
            wizard.with_user(self.user_sales_1).action_confirm()
        self.assertEqual(lead.vertrieb_step_id, self.steps["research"])

    def test_override_not_from_the_context(self):
        """The client controls the context of an RPC call: a context key must not open the gate,
        not even for a sales manager or for server code that continues as superuser."""
        lead = self._lead("research")
        context = {"vertrieb_gate_override_reason": "Eilt"}
        for records in (lead.with_user(self.user_manager), lead.with_user(self.user_sales_1).sudo()):
            with self.assertRefused(UserError, "cannot move to step Identification"):
                records.with_context(**context).write({"stage_id": self.stages["identification"].id})
        self.assertEqual(lead.vertrieb_step_id, self.steps["research"])
        # the override applies to the leads it was given, not to other leads written meanwhile
        other = self._lead("research", name="Andere")
        with (
            self.assertRefused(UserError, "cannot move to step Identification"),
            lead.with_user(self.user_manager)._vertrieb_overriding_gate("Eilt", lead.ids),
        ):
            other.with_user(self.user_manager).write({"stage_id": self.stages["identification"].id})
        self.assertEqual(other.vertrieb_step_id, self.steps["research"])

    def test_gates_apply_to_new_leads(self):
        """A lead created directly in a later step (quick create in a kanban column, import) needs
        what the earlier steps require; a sales manager may override with a reason."""
        Lead = self.env["crm.lead"].with_user(self.user_sales_1)
        values = {
            "name": "Direkt im Vertrag",
            "type": "opportunity",
            "team_id": self.team.id,
            "user_id": self.user_sales_1.id,
            "stage_id": self.stages["contract"].id,
        }
        with self.assertRaisesRegex(UserError, "cannot move to step"):
            Lead.create(values)
        with self.assertRaisesRegex(AccessError, "Only a sales manager"):
            Lead._vertrieb_create_overriding_gate([values], "Altdaten")
        lead = Lead.with_user(self.user_manager)._vertrieb_create_overriding_gate([values], "Altdaten")
        self.assertEqual(lead.vertrieb_step_id, self.steps["contract"])
        history = lead.vertrieb_step_history_ids
        self.assertEqual(len(history), 1)
        self.assertTrue(history.overridden)
        self.assertEqual(history.override_reason, "Altdaten")
        # in the first step nothing is required yet; a complete lead may start anywhere
        self.assertTrue(Lead.create(dict(values, stage_id=self.stages["research"].id)))
        complete = dict(values, **self._step_values("research", Lead))
        complete.update(self._step_values("identification", Lead))
        self.assertEqual(
            Lead.create(dict(complete, stage_id=self.stages["contact"].id)).vertrieb_step_id, self.steps["contact"]
        )

    def test_next_step_button(self):
        lead = self._lead("research")
        self._fill(lead, "identification")
        lead.with_user(self.user_sales_1).action_vertrieb_next_step()
        self.assertEqual(lead.vertrieb_step_id, self.steps["identification"])
        with self.assertRaises(UserError):
            lead.with_user(self.user_sales_1).action_vertrieb_next_step()

    def test_gate_blocked_search(self):
        blocked = self._lead("research")
        free = self._lead("research", name="Vollständig")
        free.write(self._step_values("research", free))
        found = self.env["crm.lead"].search([("vertrieb_gate_blocked", "=", True), ("id", "in", (blocked | free).ids)])
        self.assertEqual(found, blocked)
        found = self.env["crm.lead"].search([("vertrieb_gate_blocked", "=", False), ("id", "in", (blocked | free).ids)])
        self.assertEqual(found, free)

    def test_step_change_query_count_bounded(self):
        """Moving 100 leads one step forward costs the same number of queries as moving 10."""
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Anfrage {i}",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "stage_id": self.stages["research"].id,
                }
                for i in range(110)
            ]
        )
        self._fill(leads, "identification")
        small, big = leads[:10], leads[10:]
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES):
            small.write({"stage_id": self.stages["identification"].id})
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES):
            big.write({"stage_id": self.stages["identification"].id})
        self.assertEqual(len(big.vertrieb_step_history_ids), 200)


# 25 since #15: the leads carry their proposed schedule (plan lines read for the step deadline);
# 26 since #13: the conversion report's rows of the moved leads (one statement for all of them)
# 28 since #15: the stored rows of the competitor and cost analyses (one statement each)
QUERIES = 28
