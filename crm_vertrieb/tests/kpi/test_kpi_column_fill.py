from odoo import Command, fields
from odoo.tests import tagged

from .common import VertriebKpiCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiColumnFill(VertriebKpiCommon):
    """Installed into a database with invoices, their sales channel is filled by one SQL statement
    (``_vertrieb_fill_channel``), not by the ORM: both give the same channels."""

    def test_fill_equals_orm_compute(self):
        Partner, Lead = self.env["res.partner"], self.env["crm.lead"].with_context(active_test=False)
        field = self.env.ref("crm_vertrieb.sales_channel_field")
        online = self.env.ref("crm_vertrieb.sales_channel_online")
        inside = self.env.ref("crm_vertrieb.sales_channel_inside")
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        winner = Partner.create({"name": "Gewinner GmbH", "is_company": True})
        buyer = Partner.create({"name": "Eva Einkauf", "parent_id": winner.id})
        newer_only = Partner.create({"name": "Offen KG", "is_company": True})
        without = Partner.create({"name": "Ohne Kanal AG", "is_company": True})
        won = Lead.create({"name": "Gewonnen", "partner_id": buyer.id, "vertrieb_channel_id": field.id})
        won.stage_id = won_stage
        # a newer open opportunity does not outrank the won one
        Lead.create({"name": "Neuer", "partner_id": winner.id, "vertrieb_channel_id": online.id})
        Lead.create({"name": "Alt", "partner_id": newer_only.id, "vertrieb_channel_id": online.id})
        Lead.create({"name": "Neu", "partner_id": newer_only.id, "vertrieb_channel_id": inside.id, "active": False})
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [Command.create({"name": "Wartung", "quantity": 1, "price_unit": 100})],
                }
                for partner, move_type in (
                    (winner, "out_invoice"),
                    (buyer, "out_refund"),
                    (newer_only, "out_invoice"),
                    (without, "out_invoice"),
                    (winner, "in_invoice"),
                )
            ]
        )
        self.assertEqual(moves.mapped("vertrieb_channel_id"), field | inside)
        self.assertFillEqualsCompute(moves, ["vertrieb_channel_id"], self.env["account.move"]._vertrieb_fill_channel)
