from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintTour(HttpCase):
    def test_complaint_tour(self):
        """Create a complaint from the menu, move it through the stages, create the credit note."""
        partner = self.env["res.partner"].create({"name": "Tour Kunde GmbH", "is_company": True})
        product = self.env["product.product"].create({"name": "Tour Pumpe"})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-03-02",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 2, "price_unit": 150.0, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        invoice.action_post()
        self.env.ref("base.user_admin").groups_id = [Command.link(self.env.ref("account.group_account_invoice").id)]
        self.start_tour("/odoo", "crm_vertrieb_complaint_tour", login="admin")
        complaint = self.env["vertrieb.complaint"].search([("partner_id", "=", partner.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.stage_id, self.env.ref("crm_vertrieb.complaint_stage_resolved"))
        self.assertEqual(complaint.credit_note_ids.reversed_entry_id, invoice)
        self.assertEqual(complaint.credit_note_ids.amount_total, 300.0)
