from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiCustomerValueCompany(VertriebCommon):
    """Customer values per company and currency (issue #12): a customer shared by two companies
    has a value in each, in that company's currency, from that company's invoices only, and an
    ABC class among that company's customers.

    Company 1 (EUR): the shared customer 600 (A). Company 2 (USD): Nord 800 (A), the shared
    customer 150 (B: 800 before it, not below 80% of 1000), Klein 50 (C).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["account.move"].search(
            [("move_type", "in", ("out_invoice", "out_refund")), ("state", "=", "posted")]
        ).button_draft()
        cls.company_1 = env.company
        cls.usd = env.ref("base.USD")
        cls.usd.active = True
        currency_1 = cls.company_1.currency_id
        cls.currency_2 = cls.usd if currency_1 != cls.usd else env.ref("base.CHF")
        cls.currency_2.active = True
        cls.company_2 = env["res.company"].create({"name": "Vertrieb Übersee Inc.", "currency_id": cls.currency_2.id})
        env["account.chart.template"].try_loading("generic_coa", company=cls.company_2, install_demo=False)
        cls.company_2.currency_id = cls.currency_2  # the chart sets its own currency
        env.ref("base.user_root").company_ids = [Command.link(cls.company_2.id)]
        env.user.company_ids = [Command.link(cls.company_2.id)]
        Partner = env["res.partner"]
        cls.shared = Partner.create({"name": "Geteilt GmbH", "is_company": True})
        cls.nord = Partner.create({"name": "Nord Inc.", "is_company": True, "company_id": cls.company_2.id})
        cls.klein = Partner.create({"name": "Klein Inc.", "is_company": True, "company_id": cls.company_2.id})
        cls.product = env["product.product"].create({"name": "Pumpe", "list_price": 1})
        cls._invoice(cls.company_1, cls.shared, 600)
        cls._invoice(cls.company_2, cls.nord, 800)
        cls._invoice(cls.company_2, cls.shared, 150)
        cls._invoice(cls.company_2, cls.klein, 50)
        cls.user_north = new_test_user(
            env,
            "cv_value_north",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )

    @classmethod
    def _invoice(cls, company, partner, amount):
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.today() - timedelta(days=5),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def test_one_value_per_customer_and_company(self):
        Partner = self.env["res.partner"]
        Partner._vertrieb_recompute_customer_value()
        Value = self.env["vertrieb.customer.value"]
        rows = Value.search([("partner_id", "=", self.shared.id)])
        self.assertEqual(
            {row.company_id: (row.currency_id, row.revenue_12m, row.abc_class) for row in rows},
            {
                self.company_1: (self.company_1.currency_id, 600.0, "a"),
                self.company_2: (self.currency_2, 150.0, "b"),
            },
        )
        self.assertEqual(Value.search([("partner_id", "=", self.nord.id)]).abc_class, "a")
        self.assertEqual(Value.search([("partner_id", "=", self.klein.id)]).abc_class, "c")
        # the partner shows the values of the current company
        in_1 = self.shared.with_company(self.company_1)
        in_2 = self.shared.with_company(self.company_2)
        self.assertEqual((in_1.vertrieb_revenue_12m, in_1.vertrieb_abc_class), (600.0, "a"))
        self.assertEqual((in_2.vertrieb_revenue_12m, in_2.vertrieb_abc_class), (150.0, "b"))
        # searched, sorted and grouped by the current company's class
        customers = (self.shared | self.nord | self.klein).ids
        Partner_2 = Partner.with_company(self.company_2)
        self.assertEqual(Partner_2.search([("id", "in", customers), ("vertrieb_abc_class", "=", "b")]), self.shared)
        self.assertFalse(Partner.search([("id", "in", customers), ("vertrieb_abc_class", "=", "b")]))
        self.assertEqual(
            Partner_2.search([("id", "in", customers), ("vertrieb_abc_class", "=", False)]), Partner.browse()
        )
        self.assertEqual(
            Partner.search([("id", "in", customers), ("vertrieb_abc_class", "=", False)]), self.nord | self.klein
        )
        self.assertEqual(
            Partner_2.search([("id", "in", customers)], order="vertrieb_revenue_12m desc").ids,
            [self.nord.id, self.shared.id, self.klein.id],
        )
        groups = dict(Partner_2._read_group([("id", "in", customers)], ["vertrieb_abc_class"], ["__count"]))
        self.assertEqual(groups, {"a": 1, "b": 1, "c": 1})
        # nothing changed: nothing rewritten
        self.assertEqual(Partner._vertrieb_recompute_customer_value(), 0)

    def test_company_isolation(self):
        """A user of company 2 reads the values of company 2 only, also through the partner."""
        self.env["res.partner"]._vertrieb_recompute_customer_value()
        Value = self.env["vertrieb.customer.value"].with_user(self.user_north)
        rows = Value.search([("partner_id", "=", self.shared.id)])
        self.assertEqual(rows.company_id, self.company_2)
        shared = self.shared.with_user(self.user_north)
        self.assertEqual((shared.vertrieb_revenue_12m, shared.vertrieb_abc_class), (150.0, "b"))
        # a salesperson of company 1 does not read company 2's row
        row_2 = self.env["vertrieb.customer.value"].search(
            [("partner_id", "=", self.shared.id), ("company_id", "=", self.company_2.id)]
        )
        self.assertFalse(row_2.with_user(self.user_sales_1).has_access("read"))

    def test_merge_keeps_one_row_per_company(self):
        self.env["res.partner"]._vertrieb_recompute_customer_value()
        Value = self.env["vertrieb.customer.value"]
        Value._vertrieb_merge_partners(self.klein, self.shared)
        rows = Value.search([("partner_id", "in", (self.shared | self.klein).ids)])
        self.assertEqual(len(rows.filtered(lambda row: row.company_id == self.company_2)), 1)
        self.assertEqual(rows.filtered(lambda row: row.company_id == self.company_2).partner_id, self.shared)
        self.assertEqual(len(rows.filtered(lambda row: row.company_id == self.company_1)), 1)
