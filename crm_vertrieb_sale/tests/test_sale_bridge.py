from odoo.tests import tagged

from odoo.addons.crm_vertrieb.tests.acquisition.common import AcquisitionCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestSaleBridge(AcquisitionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {
                "name": "Wartungspaket",
                "type": "service",
                "list_price": 800.0,
                "invoice_policy": "order",
                "taxes_id": False,
            }
        )
        cls.lead = cls._lead("closing", partner_id=cls.customer.id)

    def _order(self, lead, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "opportunity_id": lead.id if lead else False,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        return order

    def test_invoice_from_opportunity_quotation_is_linked(self):
        invoice = self._order(self.lead)._create_invoices()
        self.assertEqual(invoice.vertrieb_lead_id, self.lead)
        self.assertFalse(invoice.vertrieb_lead_partner_confirmed)
        invoice.action_post()
        self.assertFalse(self.lead.vertrieb_payment_received)
        self._pay(invoice)
        self.assertTrue(self.lead.vertrieb_payment_received)
        self.assertEqual(self.lead.vertrieb_invoice_count, 1)

    def test_order_without_opportunity_not_linked(self):
        invoice = self._order(False)._create_invoices()
        self.assertFalse(invoice.vertrieb_lead_id)

    def test_other_invoice_address_is_confirmed_by_the_order(self):
        other = self.env["res.partner"].create({"name": "Holding Müller AG", "is_company": True})
        order = self._order(self.lead)
        order.partner_invoice_id = other
        invoice = order._create_invoices()
        self.assertEqual(invoice.vertrieb_lead_id, self.lead)
        self.assertTrue(invoice.vertrieb_lead_partner_confirmed)
