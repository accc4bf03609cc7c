from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityTour(HttpCase):
    def test_duplicate_tour(self):
        """Open the duplicate list grouped by cluster and merge a pair with Odoo's merge wizard."""
        Partner = self.env["res.partner"]
        de = self.env.ref("base.de")
        first = Partner.create({"name": "Tourtest Kühlhaus GmbH", "zip": "24103", "city": "Kiel", "country_id": de.id})
        second = Partner.create({"name": "Tourtest Kuehlhaus", "zip": "24103", "city": "Kiel", "country_id": de.id})
        self.env["vertrieb.partner.duplicate"]._vertrieb_scan_partners(first)
        self.assertTrue(self.env["vertrieb.partner.duplicate"].search([("partner_b_id", "=", second.id)]))
        self.start_tour("/odoo", "crm_vertrieb_quality_duplicate_tour", login="admin")
        self.assertEqual(len((first | second).exists()), 1, "the pair was merged into one contact")

    def test_quick_create_revenue_tour(self):
        """The pipeline's quick create shows the revenue check and creates after confirmation."""
        admin = self.env.ref("base.user_admin")
        team = self.env["crm.team"]._get_default_team_id(user_id=admin.id)
        if not team:
            team = self.env["crm.team"].create({"name": "Tourteam", "member_ids": [(4, admin.id)]})
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.env["crm.lead"].create(
            [
                {
                    "name": f"Tour gewonnen {amount}",
                    "type": "opportunity",
                    "team_id": team.id,
                    "expected_revenue": amount,
                    "stage_id": won.id,
                }
                for amount in (4000, 5000, 6000)
            ]
        )
        self.start_tour("/odoo", "crm_vertrieb_quality_quick_create_tour", login="admin")
        lead = self.env["crm.lead"].search([("name", "=", "Tippfehler Milliarde")])
        self.assertEqual(lead.expected_revenue, 500_000_000)
        self.assertTrue(lead.vertrieb_revenue_confirmed)
