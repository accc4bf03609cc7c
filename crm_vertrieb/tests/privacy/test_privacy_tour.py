from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestPrivacyTour(HttpCase):
    def test_privacy_tour(self):
        """Record a consent on a partner, then run the access export of an access request."""
        partner = self.env["res.partner"].create({"name": "Tour Kundin", "email": "tour.kundin@example.com"})
        self.env["vertrieb.privacy.request"].create(
            {"partner_id": partner.id, "request_type": "access", "identity_checked": True, "state": "in_progress"}
        )
        self.start_tour("/odoo", "crm_vertrieb_privacy_tour", login="admin")
        consent = self.env["vertrieb.privacy.consent"].search([("partner_id", "=", partner.id)])
        self.assertEqual(consent.state, "granted")
        self.assertEqual(consent.channel, "web_form")
        self.assertTrue(consent.consent_hash)
        self.assertTrue(
            self.env["vertrieb.privacy.audit"].search([("partner_id", "=", partner.id), ("action", "=", "export")])
        )
