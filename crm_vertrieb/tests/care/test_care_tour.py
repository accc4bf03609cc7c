from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCareTour(HttpCase):
    def test_work_list_plan_call(self):
        user = self.env["res.users"].create(
            {
                "name": "Tour Verkauf",
                "login": "cv_care_tour",
                "password": "cv_care_tour",
                # the browser's day (the work list's filter) and the rhythm's day (the reader's)
                # are the same one, also between 23:00 and midnight UTC
                "tz": "UTC",
                "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        partner = (
            self.env["res.partner"]
            .with_context(tz="UTC")
            .create(
                {
                    "name": "Tour Kunde GmbH",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": user.id,
                    "vertrieb_care_interval_custom": True,
                    "vertrieb_care_interval_days": 30,
                }
            )
        )
        self.start_tour("/odoo", "crm_vertrieb_care_tour", login="cv_care_tour")
        self.assertEqual(partner.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
