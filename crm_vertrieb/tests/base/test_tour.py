from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestVertriebTour(HttpCase):
    def test_menu_tour(self):
        """Log in, open the Vertrieb app, check the pipeline and the sales channels render."""
        self.start_tour("/odoo", "crm_vertrieb_menu_tour", login="admin")
