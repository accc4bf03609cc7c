from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestMultiCompany(TransactionCase):
    """Issue #12: every model isolated by company. A manager who works for two companies sees a
    record of the second company only while that company is selected; a user of the first
    company alone never. Complaints and the contact ledger have their own tests
    (``test_complaint_access``, ``test_kpi_contacts``), customer values theirs
    (``test_kpi_customer_value_company``); here duplicate pairs and KPI targets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company_1 = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Vertrieb Nord GmbH"})
        cls.manager = new_test_user(
            cls.env,
            "cv_mc_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_1.id,
            company_ids=[Command.set((cls.company_1 | cls.company_2).ids)],
        )
        cls.manager_1 = new_test_user(cls.env, "cv_mc_manager_1", groups="sales_team.group_sale_manager")
        Partner = cls.env["res.partner"]
        cls.pair_1 = cls._pair(cls.company_1, Partner)
        cls.pair_2 = cls._pair(cls.company_2, Partner)
        Target = cls.env["vertrieb.kpi.target"]
        cls.target_1 = Target.create({"user_id": cls.manager.id, "company_id": cls.company_1.id, "target_value": 10})
        cls.target_2 = Target.create({"user_id": cls.manager.id, "company_id": cls.company_2.id, "target_value": 20})

    @classmethod
    def _pair(cls, company, Partner):
        a, b = Partner.create(
            [
                {"name": f"Sommer {company.name}", "email": "a@sommer.example", "company_id": company.id},
                {"name": f"Somer {company.name}", "email": "a@sommer.example", "company_id": company.id},
            ]
        )
        return cls.env["vertrieb.partner.duplicate"].create(
            {"partner_a_id": a.id, "partner_b_id": b.id, "company_id": company.id, "score": 90}
        )

    def _visible(self, model, records, user, companies):
        Model = self.env[model].with_user(user).with_context(allowed_company_ids=companies.ids)
        return Model.search([("id", "in", records.ids)])

    def test_duplicate_pairs(self):
        pairs = self.pair_1 | self.pair_2
        self.assertEqual(self._visible("vertrieb.partner.duplicate", pairs, self.manager, self.company_1), self.pair_1)
        self.assertEqual(self._visible("vertrieb.partner.duplicate", pairs, self.manager, self.company_2), self.pair_2)
        both = self.company_1 | self.company_2
        self.assertEqual(self._visible("vertrieb.partner.duplicate", pairs, self.manager, both), pairs)
        visible = self._visible("vertrieb.partner.duplicate", pairs, self.manager_1, self.company_1)
        self.assertEqual(visible, self.pair_1)
        self.assertFalse(self.pair_2.with_user(self.manager_1).has_access("write"))

    def test_kpi_targets(self):
        targets = self.target_1 | self.target_2
        self.assertEqual(self._visible("vertrieb.kpi.target", targets, self.manager, self.company_1), self.target_1)
        both = self.company_1 | self.company_2
        self.assertEqual(self._visible("vertrieb.kpi.target", targets, self.manager, both), targets)
        self.assertEqual(self._visible("vertrieb.kpi.target", targets, self.manager_1, self.company_1), self.target_1)
        self.assertFalse(self.target_2.with_user(self.manager_1).has_access("write"))
        with self.assertRaises(AccessError):
            self.env["vertrieb.kpi.target"].with_user(self.manager_1).create(
                {"user_id": self.manager_1.id, "company_id": self.company_2.id, "target_value": 5}
            )
