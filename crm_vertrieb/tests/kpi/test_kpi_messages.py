from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiMessages(VertriebCommon):
    """Each refusal of the kpi feature, triggered as a user would, with its message."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = new_test_user(
            cls.env, "cv_kpi_admin", groups="base.group_system,sales_team.group_sale_manager", name="Ines Admin"
        )
        cls.Target = cls.env["vertrieb.kpi.target"].with_user(cls.user_manager)

    def _target(self, **vals):
        values = {
            "user_id": self.user_sales_1.id,
            "kpi": "contacts",
            "period": "month",
            "date_from": fields.Date.today().replace(day=1),
            "target_value": 40,
        }
        values.update(vals)
        return self.Target.create(values)

    def test_target_cannot_be_negative(self):
        with self.assertRaisesRegex(ValidationError, r"A target cannot be negative \(-5"):
            self._target(target_value=-5)

    def test_team_target_needs_team(self):
        with self.assertRaisesRegex(ValidationError, "A sales team target needs a sales team"):
            self._target(scope="team", user_id=False, team_id=False)

    def test_overlapping_target_refused(self):
        first = self._target()
        with (
            self.assertRaisesRegex(ValidationError, "for the same salesperson or team, KPI and period") as error,
            self.env.cr.savepoint(),
        ):
            self._target(target_value=50)
        self.assertIn(f"overlaps with the target “{first.name}”", str(error.exception))
        self.assertEqual(self.Target.search_count([("user_id", "=", self.user_sales_1.id)]), 1)

    def _settings(self, **vals):
        return self.env["res.config.settings"].with_user(self.user_admin).create(vals)

    def test_threshold_settings(self):
        company = self.env.company
        green, yellow = company.vertrieb_kpi_green_threshold, company.vertrieb_kpi_yellow_threshold
        with (
            self.assertRaisesRegex(ValidationError, "The yellow threshold must lie between 0 and the green"),
            self.env.cr.savepoint(),
        ):
            self._settings(vertrieb_kpi_yellow_threshold=green + 10).execute()
        with (
            self.assertRaisesRegex(ValidationError, "The ABC shares must be positive and add up to at most 100%"),
            self.env.cr.savepoint(),
        ):
            self._settings(vertrieb_abc_a_share=90, vertrieb_abc_b_share=20).execute()
        self.assertEqual(company.vertrieb_kpi_yellow_threshold, yellow)

    def test_recompute_customer_values_managers_only(self):
        partner = self.customer.with_user(self.user_sales_1)
        with self.assertRaisesRegex(AccessError, "Only sales managers can recompute the customer values"):
            partner.action_vertrieb_recompute_customer_value()
        self.customer.with_user(self.user_manager).action_vertrieb_recompute_customer_value()

    def test_digest_skips_activity_rate_without_sales_rights(self):
        """Odoo's digest convention: the KPI raises an AccessError for a recipient who may not see it,
        and the digest leaves it out of that recipient's email."""
        digest = self.env["digest.digest"].create({"name": "Wochenbericht", "kpi_vertrieb_schlagzahl": True})
        with self.assertRaisesRegex(AccessError, "Do not have access, skip this data"):
            digest.with_user(self.user_accountant).kpi_vertrieb_schlagzahl_value  # noqa: B018
        kpis = digest.with_user(self.user_accountant)._compute_kpis(self.company, self.user_accountant)
        self.assertNotIn("kpi_vertrieb_schlagzahl", [kpi["kpi_name"] for kpi in kpis])
        kpis = digest.with_user(self.user_sales_1)._compute_kpis(self.company, self.user_sales_1)
        self.assertIn("kpi_vertrieb_schlagzahl", [kpi["kpi_name"] for kpi in kpis])
