# pylint: disable=translation-required
import importlib.util
from datetime import timedelta
from pathlib import Path

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import VertriebCareCommon


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCareLeadTerritory(VertriebCareCommon):
    """The research step of the acquisition requires the sales territory, proposed from the address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["vertrieb.territory"].search([]).active = False  # the demo territories are out of the way
        cls.de = cls.env.ref("base.de")
        cls.territory = cls.env["vertrieb.territory"].create(
            {
                "name": "Baden-Württemberg",
                "user_id": cls.user_sales_1.id,
                "range_ids": [Command.create({"country_id": cls.de.id, "zip_from": "70000", "zip_to": "79999"})],
            }
        )
        cls.team = cls.env.ref("crm_vertrieb.team_acquisition")
        cls.team.member_ids = [Command.link(cls.user_sales_1.id)]
        cls.research = cls.env.ref("crm_vertrieb.stage_acquisition_research")
        cls.identification = cls.env.ref("crm_vertrieb.stage_acquisition_identification")

    def _research_lead(self, **vals):
        return (
            self.env["crm.lead"]
            .with_user(self.user_sales_1)
            .create(
                {
                    "name": "Wartungsvertrag",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "user_id": self.user_sales_1.id,
                    "stage_id": self.research.id,
                    "vertrieb_target_group": "Bauunternehmen",
                    "vertrieb_industry_id": self.env["res.partner.industry"].create({"name": "Bau"}).id,
                    "vertrieb_territory": "Baden-Württemberg",  # the free text of earlier versions
                    "vertrieb_revenue_class": "medium",
                    "vertrieb_channel_id": self.env.ref("crm_vertrieb.sales_channel_field").id,
                    **vals,
                }
            )
        )

    def test_territory_proposed_from_address(self):
        # the customer's address (70565 Stuttgart) lies in the territory, at once on creation
        lead = self._research_lead(partner_id=self.customer.id)
        self.assertEqual(lead.vertrieb_territory_id, self.territory)
        # range edges: 79999 is in, 80000 is out (a territory picked by hand stays then)
        lead.zip = "79999"
        self.assertEqual(lead.vertrieb_territory_id, self.territory)
        other = self.env["vertrieb.territory"].create({"name": "Sonderprojekte"})
        lead.vertrieb_territory_id = other
        lead.zip = "80000"
        self.assertEqual(lead.vertrieb_territory_id, other)
        lead.zip = "70000"
        self.assertEqual(lead.vertrieb_territory_id, self.territory)
        # no address: nothing proposed
        self.assertFalse(self._research_lead().vertrieb_territory_id)

    def test_research_gate_requires_territory(self):
        lead = self._research_lead()
        # the free text alone no longer passes the gate
        with self.assertRaisesRegex(UserError, "Sales Territory"):
            lead.write({"stage_id": self.identification.id})
        self.assertEqual(lead.stage_id, self.research, "nothing half-written")
        self.assertIn("Sales Territory", lead.vertrieb_gate_missing)
        self.assertIn(lead, lead.search([("vertrieb_gate_blocked", "=", True)]))
        lead.write({"vertrieb_territory_id": self.territory.id, "stage_id": self.identification.id})
        self.assertEqual(lead.stage_id, self.identification)

    def test_gate_switched_for_existing_databases(self):
        """Migration 18.0.1.2.0: a database of 18.0.1.1.0 has the free text as required field of
        the research step (noupdate data); the migration switches it and proposes territories."""
        step = self.env.ref("crm_vertrieb.acquisition_step_research")
        text = self.env.ref("crm_vertrieb.field_crm_lead__vertrieb_territory")
        territory_field = self.env.ref("crm_vertrieb.field_crm_lead__vertrieb_territory_id")
        self.assertIn(territory_field, step.required_field_ids)
        self.assertNotIn(text, step.required_field_ids)
        step.required_field_ids = [Command.unlink(territory_field.id), Command.link(text.id)]
        lead = self._research_lead(partner_id=self.customer.id)
        lead.flush_recordset()
        self.env.cr.execute("UPDATE crm_lead SET vertrieb_territory_id = NULL WHERE id = %s", [lead.id])
        lead.invalidate_recordset()
        path = Path(__file__).parents[2] / "migrations" / "18.0.1.2.0" / "post-care.py"
        spec = importlib.util.spec_from_file_location("crm_vertrieb_post_care", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.1.0")
        step.invalidate_recordset()
        lead.invalidate_recordset()
        self.assertIn(territory_field, step.required_field_ids)
        self.assertNotIn(text, step.required_field_ids)
        self.assertEqual(lead.vertrieb_territory_id, self.territory)


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCarePartnerList(VertriebCareCommon):
    """The rhythm fields of the partner sort and group the partner list (joined from the care
    table, under the reader's record rules)."""

    def test_partner_list_sorts_and_groups(self):
        self._set_class(self.customer, "a")  # due in 10 days
        self._set_class(self.customer_b, "b")  # 10 days overdue
        self._set_class(self.customer_c, "c")  # never contacted: due today
        self.Care._vertrieb_refresh()
        Partner = self.env["res.partner"].with_user(self.user_manager)
        description = Partner.fields_get(
            ["vertrieb_next_contact_due", "vertrieb_contact_overdue", "vertrieb_last_contact_date"],
            ["sortable", "groupable"],
        )
        for name, attrs in description.items():
            self.assertTrue(attrs["sortable"] and attrs["groupable"], name)
        customers = self.customer | self.customer_b | self.customer_c
        domain = [("id", "in", customers.ids)]
        self.assertEqual(
            Partner.search(domain, order="vertrieb_next_contact_due, id"),
            self.customer_b | self.customer_c | self.customer,
        )
        self.assertEqual(
            Partner.search(domain, order="vertrieb_last_contact_date desc nulls last, id").ids,
            [self.customer.id, self.customer_b.id, self.customer_c.id],
        )
        self.assertEqual(Partner.search(domain, order="vertrieb_contact_interval desc, id")[0], self.customer_c)
        groups = dict(Partner._read_group(domain, ["vertrieb_contact_overdue"], ["__count"]))
        self.assertEqual(groups, {True: 1, False: 2})
        by_interval = dict(Partner._read_group(domain, ["vertrieb_contact_interval"], ["__count"]))
        self.assertEqual(by_interval, {30: 1, 60: 1, 120: 1})
        by_day = Partner.web_read_group(domain, [], ["vertrieb_next_contact_due:day"])
        self.assertEqual(len(by_day["groups"]), 3)
        # a contact person sorts and groups with its company
        contacts = self.contact_b | self.customer
        self.assertEqual(
            Partner.search([("id", "in", contacts.ids)], order="vertrieb_next_contact_due, id"),
            self.contact_b | self.customer,
        )
        # sales1 reads the rows of their own customers only: sales2's customer groups as one without a row
        mine = dict(
            Partner.with_user(self.user_sales_1)._read_group(domain, ["vertrieb_contact_interval"], ["__count"])
        )
        self.assertEqual(mine, {30: 1, 60: 1, 0: 1})
        # the filters on the same fields
        self.assertEqual(
            Partner.search([*domain, ("vertrieb_last_contact_date", "<", self.today - timedelta(days=30))]),
            self.customer_b,
        )
        self.assertEqual(
            Partner.search([*domain, ("vertrieb_contact_interval", ">=", 60)]), self.customer_b | self.customer_c
        )
