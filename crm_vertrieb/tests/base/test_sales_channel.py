from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestSalesChannel(VertriebCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel = cls.env["vertrieb.sales.channel"].create({"name": "Messe", "code": "MES"})

    def test_shipped_channels(self):
        codes = set(self.env["vertrieb.sales.channel"].search([]).mapped("code"))
        self.assertLessEqual({"AD", "ID", "VP", "WEB", "MES"}, codes)

    def test_code_unique_also_without_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["vertrieb.sales.channel"].create({"name": "Messe 2", "code": "MES"})
        # another company may reuse the code
        other = self.env["res.company"].create({"name": "Tochter GmbH"})
        dup = self.env["vertrieb.sales.channel"].create({"name": "Messe", "code": "MES", "company_id": other.id})
        self.assertEqual(dup.code, "MES")

    def test_lead_count_and_action(self):
        leads = self.env["crm.lead"].create(
            [{"name": f"Anfrage {i}", "vertrieb_channel_id": self.channel.id} for i in range(3)]
        )
        self.env["crm.lead"].create({"name": "ohne Kanal"})
        self.assertEqual(self.channel.lead_count, 3)
        action = self.channel.action_view_leads()
        self.assertEqual(self.env["crm.lead"].search(action["domain"]), leads)

    @users("cv_sales1")
    def test_salesperson_reads_but_cannot_change_channels(self):
        channel = self.channel.with_user(self.env.user)
        self.assertEqual(channel.name, "Messe")
        with self.assertRaises(AccessError):
            channel.write({"name": "Geändert"})
        with self.assertRaises(AccessError):
            self.env["vertrieb.sales.channel"].create({"name": "Neu", "code": "NEU"})

    @users("cv_manager")
    def test_manager_manages_channels(self):
        channel = self.env["vertrieb.sales.channel"].create({"name": "Telefon", "code": "TEL"})
        channel.write({"name": "Telefonverkauf"})
        self.assertEqual(channel.name, "Telefonverkauf")

    def test_salesperson_cannot_read_other_salespersons_lead(self):
        lead = self.env["crm.lead"].create(
            {"name": "Geheim", "user_id": self.user_sales_2.id, "team_id": self.team_2.id}
        )
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sales_1).read(["name", "vertrieb_channel_id"])
        self.assertEqual(lead.with_user(self.user_manager).name, "Geheim")

    def test_other_company_channel_invisible(self):
        other = self.env["res.company"].create({"name": "Tochter AG"})
        hidden = self.env["vertrieb.sales.channel"].create({"name": "Fremd", "code": "FR", "company_id": other.id})
        visible = self.env["vertrieb.sales.channel"].with_user(self.user_manager).search([])
        self.assertNotIn(hidden, visible)
        self.assertIn(self.channel, visible)
