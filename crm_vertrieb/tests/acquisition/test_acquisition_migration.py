import importlib.util
import json
from pathlib import Path

from odoo import fields
from odoo.tests import tagged

from .common import AcquisitionCommon

MIGRATIONS = Path(__file__).parents[2] / "migrations"


def _script(name, version="18.0.1.2.0"):
    spec = importlib.util.spec_from_file_location(
        f"crm_vertrieb_{name.replace('-', '_')}_{version.replace('.', '_')}", MIGRATIONS / version / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionMigration(AcquisitionCommon):
    """The update from 18.0.1.1.0 (post-acquisition): step data of older databases, reference flags."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pre = _script("pre-acquisition")
        cls.migration = _script("post-acquisition")
        cls.contact = cls.steps["contact"]
        cls.event_field = cls.env.ref("crm_vertrieb.field_crm_lead__vertrieb_verification_event_id")
        cls.confirmed_field = cls.env.ref("crm_vertrieb.field_crm_lead__vertrieb_decision_maker_confirmed")

    def _set_description(self, values):
        self.env.cr.execute(
            "UPDATE vertrieb_acquisition_step SET description = %s::jsonb WHERE id = %s",
            [json.dumps(values), self.contact.id],
        )
        self.contact.invalidate_recordset(["description"])

    def test_contact_step_of_an_older_database(self):
        old = self.migration.OLD_CONTACT_DESCRIPTION
        self.contact.required_field_ids = self.confirmed_field | self.event_field
        self._set_description(dict(old))
        self.migration._contact_step(self.env)
        self.assertEqual(self.contact.required_field_ids, self.confirmed_field, "the appointment is a rule now")
        self.assertIn("must have taken place", self.contact.with_context(lang="en_US").description)
        self.env["res.lang"]._activate_lang("de_DE")
        self.assertIn("muss stattgefunden haben", self.contact.with_context(lang="de_DE").description)

    def test_contact_step_customised_by_an_admin_stays(self):
        role = self.env.ref("crm_vertrieb.field_crm_lead__vertrieb_decision_maker_role")
        self.contact.required_field_ids = self.confirmed_field | self.event_field | role
        self._set_description({"en_US": "Our own wording", "de_DE": "Unser eigener Text"})
        self.migration._contact_step(self.env)
        self.assertEqual(self.contact.required_field_ids, self.confirmed_field | self.event_field | role)
        self.assertEqual(self.contact.with_context(lang="en_US").description, "Our own wording")

    def test_reference_flags_without_consent_get_a_note(self):
        with_consent = self._lead("feedback", partner_id=self.customer.id, name="Mit Einwilligung")
        without = self._lead("feedback", partner_id=self.decision_maker.id, name="Ohne Einwilligung")
        other_customer = self.env["res.partner"].create({"name": "Ohne Referenz GmbH", "is_company": True})
        without.partner_id = other_customer
        self.env["vertrieb.privacy.consent"].create(
            {
                "partner_id": self.customer.id,
                "purpose_id": self.env.ref("crm_vertrieb.privacy_purpose_reference_customer").id,
                "state": "granted",
                "consent_date": fields.Datetime.now(),
                "channel": "paper",
                "consent_text": "Ja, Sie dürfen uns als Referenz nennen.",
            }
        )
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE crm_lead ADD COLUMN vertrieb_reference_granted boolean")
        self.env.cr.execute(
            "UPDATE crm_lead SET vertrieb_reference_granted = TRUE WHERE id IN %s", [(with_consent | without)._ids]
        )
        self.pre._reference_flags(self.env.cr)
        self.migration._reference_flags(self.env)
        self.assertTrue(with_consent.vertrieb_reference_granted)
        self.assertFalse(without.vertrieb_reference_granted)

        def notes(lead):
            return lead.message_ids.filtered(lambda m: "no granted consent" in (m.body or ""))

        self.assertTrue(notes(without))
        self.assertFalse(notes(with_consent))
        self.env.cr.execute(
            """SELECT 1 FROM information_schema.columns
                WHERE table_name = 'crm_lead' AND column_name = 'vertrieb_reference_granted'"""
        )
        self.assertFalse(self.env.cr.fetchone(), "the old column is dropped")

    def test_typed_costs_become_cost_entries(self):
        lead = self._lead("research", name="Alte Kosten", vertrieb_budget=1000)
        self.env.cr.execute(
            "CREATE TABLE vertrieb_migration_actual_cost AS SELECT %s::int AS lead_id, 1234.5::numeric AS amount",
            [lead.id],
        )
        self.migration._typed_costs(self.env)
        self.assertEqual(lead.vertrieb_cost_ids.mapped("amount"), [1234.5])
        self.assertEqual(lead.vertrieb_cost_ids.cost_type, "other")
        self.assertEqual(lead.vertrieb_actual_cost, 1234.5)
        self.assertTrue(lead.vertrieb_budget_exceeded)
        self.assertEqual(lead.vertrieb_cost_ids.step_id, self.steps["research"])
        self.env.cr.execute("SELECT to_regclass('vertrieb_migration_actual_cost')")
        self.assertFalse(self.env.cr.fetchone()[0])

    def test_budget_warnings_of_an_older_database(self):
        """An open budget warning of an older database (Odoo's "Exception" type, German summary)
        gets the budget type: the next cost adds no second warning. Another exception stays."""
        lead = self._lead("needs", vertrieb_budget=1000)
        warning = self.env.ref("mail.mail_activity_data_warning")
        # one create each: Odoo would subscribe the assignee twice to the lead in one create
        old, other = (
            self.env["mail.activity"].create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": warning.id,
                    "summary": summary,
                    "user_id": self.user_sales_1.id,
                }
            )
            for summary in ("Akquisebudget überschritten", "Kunde insolvent?")
        )
        _script("post-acquisition", "18.0.1.3.0")._budget_activities(self.env)
        budget = self.env.ref("crm_vertrieb.mail_activity_type_budget_exceeded")
        self.assertEqual((old.activity_type_id, other.activity_type_id), (budget, warning))
        self.env["vertrieb.acquisition.cost"].create(
            {"lead_id": lead.id, "name": "Messe", "cost_type": "trade_fair", "amount": 1500}
        )
        warnings = self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id), ("activity_type_id", "=", budget.id)]
        )
        self.assertEqual(warnings, old)
