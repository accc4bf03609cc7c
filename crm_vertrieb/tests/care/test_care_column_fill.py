from odoo.tests import tagged

from .common import VertriebCareCommon


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCareColumnFill(VertriebCareCommon):
    """Installed into a database with leads, their sales territory is filled by one SQL statement
    (``_vertrieb_fill_territory``), not by the ORM: both give the same territories."""

    def test_fill_equals_orm_compute(self):
        self.env["vertrieb.territory"].search([]).active = False
        de = self.env.ref("base.de")
        bavaria = self.env["vertrieb.territory"].create(
            {"name": "Bayern", "range_ids": [(0, 0, {"country_id": de.id, "zip_from": "80000", "zip_to": "87999"})]}
        )
        austria = self.env["vertrieb.territory"].create(
            {"name": "Österreich", "range_ids": [(0, 0, {"country_id": self.env.ref("base.at").id})]}
        )
        Lead = self.env["crm.lead"]
        leads = Lead.create(
            [
                {"name": "München", "country_id": de.id, "zip": "D-80331"},
                {"name": "Wien", "country_id": self.env.ref("base.at").id, "zip": "1010"},
                {"name": "Hamburg", "country_id": de.id, "zip": "20095"},
                {"name": "Ohne Land", "zip": "80331"},
            ]
        )
        self.assertEqual(leads.mapped("vertrieb_territory_id"), bavaria | austria)
        self.assertFillEqualsCompute(leads, ["vertrieb_territory_id"], Lead._vertrieb_fill_territory)
