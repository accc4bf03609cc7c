from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiCockpitTour(HttpCase):
    def test_cockpit_tour(self):
        """Open the sales cockpit, click a pipeline number through to its opportunities."""
        stage = self.env["crm.stage"].create({"name": "Cockpit-Stufe", "sequence": 0})
        self.env["crm.lead"].create(
            {
                "name": "Cockpit-Chance",
                "type": "opportunity",
                "stage_id": stage.id,
                "user_id": self.env.ref("base.user_admin").id,
            }
        )
        self.start_tour("/odoo", "crm_vertrieb_kpi_cockpit_tour", login="admin")
