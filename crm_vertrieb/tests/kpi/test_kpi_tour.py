from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiCockpitTour(HttpCase):
    def test_cockpit_tour(self):
        """The app opens on the sales cockpit; click a number of the (acquisition) pipeline
        through to its opportunities."""
        stage = self.env["crm.stage"].create({"name": "Cockpit-Stufe", "sequence": 0})
        self.env["crm.lead"].create(
            {
                "name": "Cockpit-Chance",
                "type": "opportunity",
                "stage_id": stage.id,
                "team_id": self.env.ref("crm_vertrieb.team_acquisition").id,
                "user_id": self.env.ref("base.user_admin").id,
            }
        )
        self.start_tour("/odoo", "crm_vertrieb_kpi_cockpit_tour", login="admin")

    def test_demo_cockpit_tour(self):
        """As the demo sales manager: the first screen is the cockpit, with this week's and this
        month's contacts, traffic lights, the trend and the acquisition pipeline of the demo team."""
        manager = self.env.ref("crm_vertrieb.user_sales_manager", raise_if_not_found=False)
        if not manager:
            self.skipTest("database without demo data")
        self.start_tour("/odoo", "crm_vertrieb_kpi_demo_tour", login="k.hoffmann")
