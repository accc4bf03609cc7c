from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiCustomerValue(VertriebCommon):
    """Customer value and ABC classes on a known revenue distribution.

    12-month revenue: C1 600 - 100 credit note = 500, C2 300, C3 100, C4 60, C5 40 (+ 1000 two
    years ago), C6 100 - 100 = 0. Total 1000: C1 and C2 make the first 80% (A), C3 and C4 the
    next 15% (B: cumulative before them 800 and 900 < 950), C5 the rest (C), C6 no revenue (C).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the ABC classes depend on all customers: take the invoices already in the database out
        cls.env["account.move"].search(
            [("move_type", "in", ("out_invoice", "out_refund")), ("state", "=", "posted")]
        ).button_draft()
        cls.channel_field = cls.env.ref("crm_vertrieb.sales_channel_field")
        cls.channel_online = cls.env.ref("crm_vertrieb.sales_channel_online")
        cls.customers = cls.env["res.partner"].create([{"name": f"Kunde {i}", "is_company": True} for i in range(1, 7)])
        c1, c2, c3, c4, c5, c6 = cls.customers
        cls.contact_c1 = cls.env["res.partner"].create({"name": "Einkauf Kunde 1", "parent_id": c1.id})
        # the channel of an invoice comes from the customer's won opportunity
        cls.env["crm.lead"].create(
            {
                "name": "Rahmenvertrag",
                "type": "opportunity",
                "partner_id": c1.id,
                "vertrieb_channel_id": cls.channel_field.id,
                "user_id": cls.user_sales_1.id,
            }
        )
        cls.product_a = cls.env["product.product"].create({"name": "Schraube", "list_price": 1})
        cls.product_b = cls.env["product.product"].create({"name": "Dübel", "list_price": 1})
        today = fields.Date.today()
        cls.inv_c1 = cls._invoice(c1, 600, today - timedelta(days=10), invoice_partner=cls.contact_c1)
        cls.refund_c1 = cls._invoice(c1, 100, today - timedelta(days=5), move_type="out_refund", product=cls.product_b)
        cls._invoice(c2, 300, today - timedelta(days=40), channel=cls.channel_online)
        cls._invoice(c3, 100, today - timedelta(days=100))
        cls._invoice(c4, 60, today - timedelta(days=200))
        cls._invoice(c5, 40, today - timedelta(days=300))
        cls._invoice(c5, 1000, today - relativedelta(years=2))
        cls._invoice(c6, 100, today - timedelta(days=3))
        cls._invoice(c6, 100, today - timedelta(days=2), move_type="out_refund")
        cls._invoice(c3, 999, today, post=False)  # draft: ignored

    @classmethod
    def _invoice(
        cls,
        partner,
        amount,
        invoice_date,
        move_type="out_invoice",
        product=None,
        partner_invoice=None,
        channel=None,
        post=True,
        **kw,
    ):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (kw.get("invoice_partner") or partner).id,
                "invoice_date": invoice_date,
                "invoice_user_id": cls.user_sales_1.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": (product or cls.product_a).id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
                **({"vertrieb_channel_id": channel.id} if channel else {}),
            }
        )
        if post:
            move.action_post()
        return move

    def test_abc_classes(self):
        count = self.env["res.partner"]._vertrieb_recompute_customer_value(batch_size=2)
        self.assertGreaterEqual(count, 6)
        c1, c2, c3, c4, c5, c6 = self.customers
        self.assertEqual(self.customers.mapped("vertrieb_revenue_12m"), [500, 300, 100, 60, 40, 0])
        self.assertEqual(self.customers.mapped("vertrieb_revenue_total"), [500, 300, 100, 60, 1040, 0])
        self.assertEqual(self.customers.mapped("vertrieb_abc_class"), ["a", "a", "b", "b", "c", "c"])
        self.assertFalse(self.contact_c1.vertrieb_abc_class, "values live on the commercial partner")
        self.assertFalse(self.customer.vertrieb_abc_class, "never invoiced: no class")
        # nothing changed: nothing rewritten
        self.assertEqual(self.env["res.partner"]._vertrieb_recompute_customer_value(), 0)
        # usable in filters and group-bys
        groups = dict(
            self.env["res.partner"]._read_group([("id", "in", self.customers.ids)], ["vertrieb_abc_class"], ["__count"])
        )
        self.assertEqual(groups, {"a": 2, "b": 2, "c": 2})

    def test_values_in_own_table(self):
        """The recompute writes the narrow value table; a partner is linked to its row once and
        later runs leave res_partner alone. The related fields filter, sort and group."""
        Partner = self.env["res.partner"]
        Partner._vertrieb_recompute_customer_value()
        values = self.customers.vertrieb_value_id
        self.assertEqual(len(values), 6)
        self.assertEqual(values.partner_id, self.customers)
        self.assertFalse(self.customer.vertrieb_value_id, "never invoiced: no value row")
        self.env.flush_all()
        partner_rows = self.env.execute_query(
            SQL("SELECT xmin::text FROM res_partner WHERE id IN %s ORDER BY id", tuple(self.customers.ids))
        )
        # thresholds change: every class is rewritten, in the value table only
        self.company.write({"vertrieb_abc_a_share": 50, "vertrieb_abc_b_share": 30})
        self.assertEqual(Partner._vertrieb_recompute_customer_value(), 3)
        self.assertEqual(self.customers.mapped("vertrieb_abc_class"), ["a", "b", "c", "c", "c", "c"])
        self.assertEqual(self.customers.vertrieb_value_id, values)
        self.assertEqual(
            self.env.execute_query(
                SQL("SELECT xmin::text FROM res_partner WHERE id IN %s ORDER BY id", tuple(self.customers.ids))
            ),
            partner_rows,
            "no partner row rewritten",
        )
        domain = [("id", "in", self.customers.ids)]
        self.assertEqual(Partner.search([*domain, ("vertrieb_abc_class", "=", "c")]), self.customers[2:])
        self.assertEqual(
            Partner.search([*domain, ("vertrieb_revenue_12m", ">", 50)], order="vertrieb_revenue_12m desc"),
            self.customers[:4],
        )
        self.assertTrue(Partner.fields_get(["vertrieb_abc_class"], ["groupable"])["vertrieb_abc_class"]["groupable"])
        # a salesperson reads the values through the partner (no access to other tables needed)
        self.assertEqual(self.customers[0].with_user(self.user_sales_2).vertrieb_revenue_12m, 500)
        # a deleted partner takes its value row with it
        gone = Partner.create({"name": "Ehemaliger Kunde"})
        row = self.env["vertrieb.customer.value"].create({"partner_id": gone.id, "revenue_total": 10})
        gone.unlink()
        self.assertFalse(row.exists())

    def test_abc_respects_purpose(self):
        """Zweckbindung: a customer whose processing is restricted, or who objected to customer
        care, gets no ABC class; the revenue figures (accounting data) stay."""
        c1, c2 = self.customers[:2]
        c1.sudo().write({"vertrieb_privacy_restricted": True, "vertrieb_restriction_reason": "Art. 18"})
        purpose = self.env["vertrieb.privacy.purpose"]._vertrieb_get("customer_care")
        self.env["vertrieb.privacy.consent"].create(
            {"partner_id": c2.id, "purpose_id": purpose.id, "state": "withdrawn"}
        )
        self.env["res.partner"]._vertrieb_recompute_customer_value()
        self.assertEqual(c1.vertrieb_revenue_12m, 500)
        self.assertFalse(c1.vertrieb_abc_class)
        self.assertFalse(c2.vertrieb_abc_class)
        self.assertEqual(self.customers[2].vertrieb_abc_class, "b")
        # lifting the restriction brings the class back
        c1.sudo().write({"vertrieb_privacy_restricted": False})
        self.env["res.partner"]._vertrieb_recompute_customer_value()
        self.assertEqual(c1.vertrieb_abc_class, "a")

    def test_thresholds_and_reset(self):
        self.company.write({"vertrieb_abc_a_share": 50, "vertrieb_abc_b_share": 30})
        self.env["res.partner"]._vertrieb_recompute_customer_value()
        self.assertEqual(self.customers.mapped("vertrieb_abc_class"), ["a", "b", "c", "c", "c", "c"])
        # a cancelled invoice disappears from the customer value on the next run
        self.inv_c1.button_draft()
        self.env["res.partner"]._vertrieb_recompute_customer_value()
        self.assertEqual(self.customers[0].vertrieb_revenue_12m, -100)
        self.assertEqual(self.customers[0].vertrieb_abc_class, "c")

    def test_on_demand_needs_manager(self):
        with self.assertRaises(AccessError):
            self.customers[0].with_user(self.user_sales_1).action_vertrieb_recompute_customer_value()
        action = self.customers[0].with_user(self.user_manager).action_vertrieb_recompute_customer_value()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(self.customers[0].vertrieb_abc_class, "a")

    def test_cron(self):
        cron = self.env.ref("crm_vertrieb.ir_cron_vertrieb_customer_value")
        self.assertTrue(cron.active)
        self.env["res.partner"].with_context(ir_cron_progress_id=False)._vertrieb_recompute_customer_value()
        self.assertEqual(self.customers[1].vertrieb_revenue_12m, 300)

    def test_sales_performance(self):
        """Invoice lines by product, channel and customer; credit notes subtract."""
        self.assertEqual(self.inv_c1.vertrieb_channel_id, self.channel_field)
        Sales = self.env["vertrieb.kpi.sales"]
        domain = [("partner_id", "in", self.customers.ids)]
        by_product = dict(Sales._read_group(domain, ["product_id"], ["amount:sum"]))
        self.assertEqual(by_product[self.product_a], 2100)
        self.assertEqual(by_product[self.product_b], -100)
        by_channel = dict(Sales._read_group(domain, ["channel_id"], ["amount:sum"]))
        self.assertEqual(by_channel[self.channel_field], 500)
        self.assertEqual(by_channel[self.channel_online], 300)
        by_customer = dict(Sales._read_group(domain, ["partner_id"], ["amount:sum"]))
        self.assertEqual(by_customer[self.customers[0]], 500)
        self.assertEqual(by_customer[self.customers[5]], 0)
        # record rules: sales2 sees none of sales1's invoices, the accountant all
        self.assertFalse(Sales.with_user(self.user_sales_2).search(domain))
        self.assertEqual(len(Sales.with_user(self.user_accountant).search(domain)), 9)
        line = Sales.search(domain, limit=1)
        self.assertEqual(line.action_open_document()["res_model"], "account.move")


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiCustomerValuePlan(VertriebCommon):
    def test_purpose_check_is_not_a_subquery_per_partner(self):
        """The recompute reads every partner: the purpose check (Zweckbindung) is joined, not a
        subquery PostgreSQL scans again for every partner once the allowed partners outgrow
        work_mem (the nightly recompute never finished on 1,000,000 partners)."""
        query = self.env["res.partner"].sudo()._vertrieb_customer_value_query()
        self.assertEqual(self.per_row_subplans(query), [])
