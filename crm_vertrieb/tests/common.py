from odoo.tests import TransactionCase, new_test_user


class VertriebCommon(TransactionCase):
    """Shared users and data for the crm_vertrieb tests.

    Users: a sales manager, two salespeople (own documents only) in two teams, an accountant.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.user_manager = new_test_user(
            cls.env, "cv_manager", groups="sales_team.group_sale_manager", name="Katrin Manager"
        )
        cls.user_sales_1 = new_test_user(
            cls.env, "cv_sales1", groups="sales_team.group_sale_salesman", name="Thomas Verkauf"
        )
        cls.user_sales_2 = new_test_user(
            cls.env, "cv_sales2", groups="sales_team.group_sale_salesman", name="Sabine Verkauf"
        )
        cls.user_accountant = new_test_user(
            cls.env, "cv_accountant", groups="account.group_account_invoice", name="Anna Buchhaltung"
        )
        cls.team_1 = cls.env["crm.team"].create(
            {"name": "Team Süd", "user_id": cls.user_manager.id, "member_ids": [(4, cls.user_sales_1.id)]}
        )
        cls.team_2 = cls.env["crm.team"].create({"name": "Team Nord", "member_ids": [(4, cls.user_sales_2.id)]})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Müller Bau GmbH",
                "is_company": True,
                "street": "Industriestraße 12",
                "zip": "70565",
                "city": "Stuttgart",
                "country_id": cls.env.ref("base.de").id,
            }
        )
