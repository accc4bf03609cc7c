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
