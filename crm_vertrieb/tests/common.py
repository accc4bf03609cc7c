import re

from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

from ..models.base.column_fill import EMPTY_DEFAULTS


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

    def assertFillEqualsCompute(self, records, fnames, fill):
        """The first fill of new columns (models/base/column_fill.py) stores what the ORM computes:
        the values the ORM stored for ``records`` are emptied in the database as a new column starts
        (0, false or NULL), ``fill(ids)`` writes them again, and the two are compared. Every field
        needs a record with a non-empty value, so that a fill doing nothing fails."""
        self.env.flush_all()
        records.invalidate_recordset(fnames)
        expected = {row["id"]: row for row in records.read(fnames)}
        fields_ = [records._fields[name] for name in fnames]
        for field in fields_:
            empty = 0 if field.type in ("integer", "float", "monetary") else False  # as read() gives it
            self.assertTrue(
                any(row[field.name] != empty for row in expected.values()),
                f"the sample has no record with a computed {field.name}",
            )
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(f.name), SQL(EMPTY_DEFAULTS.get(f.type, "NULL"))) for f in fields_
                ),
                records.ids,
            )
        )
        self.env.invalidate_all()
        fill(records.ids)
        self.env.invalidate_all()
        self.assertEqual({row["id"]: row for row in records.read(fnames)}, expected)

    def per_row_subplans(self, query, partners=10000):
        """The subplans of ``query``'s plan that PostgreSQL would run once per row (not hashed)
        on a database with ``partners`` more contacts (inserted and analysed here, rolled back
        with the test) and the least ``work_mem`` it allows: a subquery result that outgrows
        ``work_mem`` is no longer hashed but scanned again for every row (quadratic)."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            SQL(
                """INSERT INTO res_partner (name, active, is_company, autopost_bills, customer_rank)
                   SELECT 'Planungskunde ' || g, TRUE, TRUE, 'ask', 1 FROM generate_series(1, %s) g;
                   UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL;
                   ANALYZE res_partner""",
                partners,
            )
        )
        cr.execute(SQL("SET LOCAL work_mem = '64kB'"))
        try:
            plan = "\n".join(row[0] for row in self.env.execute_query(SQL("EXPLAIN %s", query)))
        finally:
            cr.execute(SQL("RESET work_mem"))
        # "hashed SubPlan 1" must not pass for "SubPlan 12"
        return sorted({name for name in re.findall(r"SubPlan \d+", plan) if not re.search(rf"hashed {name}\b", plan)})
