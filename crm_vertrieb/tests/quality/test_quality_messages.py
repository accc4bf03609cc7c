from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityMessages(VertriebCommon):
    """Each refusal of the quality feature, triggered as a user would, with its message."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = new_test_user(cls.env, "cv_quality_admin", groups="base.group_system", name="Ines Admin")

    def _settings(self, **vals):
        return self.env["res.config.settings"].with_user(self.user_admin).create(vals)

    def test_quality_weights_settings(self):
        company = self.env.company
        weight = company.vertrieb_quality_weight_completeness
        zero = {
            "vertrieb_quality_weight_completeness": 0,
            "vertrieb_quality_weight_validity": 0,
            "vertrieb_quality_weight_consistency": 0,
            "vertrieb_quality_weight_uniqueness": 0,
            "vertrieb_quality_weight_timeliness": 0,
        }
        with (
            self.assertRaisesRegex(ValidationError, "Quality weights cannot be negative and at least one must be"),
            self.env.cr.savepoint(),
        ):
            self._settings(**zero).execute()
        with (
            self.assertRaisesRegex(ValidationError, "Quality weights cannot be negative and at least one must be"),
            self.env.cr.savepoint(),
        ):
            self._settings(vertrieb_quality_weight_validity=-1).execute()
        with (
            self.assertRaisesRegex(ValidationError, "The revenue plausibility factor cannot be negative"),
            self.env.cr.savepoint(),
        ):
            self._settings(vertrieb_revenue_factor=-1).execute()
        with (
            self.assertRaisesRegex(ValidationError, "The verification age must be at least one day"),
            self.env.cr.savepoint(),
        ):
            self._settings(vertrieb_quality_verify_days=0).execute()
        self.assertEqual(company.vertrieb_quality_weight_completeness, weight)

    def test_incomplete_invoice_address_blocks_posting(self):
        self.company.vertrieb_invoice_address_guard = "block"
        partner = self.env["res.partner"].create({"name": "Ohne Adresse GmbH", "is_company": True})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [Command.create({"name": "Beratung", "quantity": 1, "price_unit": 100.0})],
            }
        )
        with self.assertRaisesRegex(UserError, "The invoice address is incomplete, so the invoice cannot be posted"):
            invoice.with_user(self.user_accountant).action_post()
        self.assertEqual(invoice.state, "draft")

    def test_merge_needs_contact_manager(self):
        Partner = self.env["res.partner"]
        first = Partner.create(
            {"name": "Ludwig Sommer", "email": "l.sommer@example.com", "user_id": self.user_sales_1.id}
        )
        second = Partner.create(
            {"name": "Ludwig Somer", "email": "l.sommer@example.com", "user_id": self.user_sales_1.id}
        )
        pair = (
            self.env["vertrieb.partner.duplicate"]
            .sudo()
            .create({"partner_a_id": first.id, "partner_b_id": second.id, "score": 90.0})
        )
        with self.assertRaisesRegex(UserError, "Merging contacts needs the right to manage contacts"):
            pair.with_user(self.user_sales_1).action_merge()
        self.assertTrue(first.exists() and second.exists())
        contact_manager = new_test_user(
            self.env,
            "cv_quality_contacts",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            name="Klara Kontakte",
        )
        action = pair.with_user(contact_manager).action_merge()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
