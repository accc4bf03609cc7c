from odoo.tests import tagged
from odoo.tools import SQL

from ...models.base.column_fill import create_computed_columns, indexes_built_after
from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestColumnFill(VertriebCommon):
    """The columns of new stored computed fields on a table with rows are created by the module
    (models/base/column_fill.py): the existing rows hold the ORM's empty value, no default stays."""

    def _columns(self, names):
        return dict(
            self.env.execute_query(
                SQL(
                    """SELECT column_name, column_default FROM information_schema.columns
                        WHERE table_name = 'crm_lead' AND column_name = ANY(%s)""",
                    names,
                )
            )
        )

    def test_new_columns_hold_the_empty_value(self):
        Lead = self.env["crm.lead"]
        lead = Lead.create({"name": "Bestandsanfrage", "type": "opportunity"})
        names = ["vertrieb_actual_cost", "vertrieb_budget_exceeded", "vertrieb_step_deadline"]
        self.assertEqual(create_computed_columns(Lead, names), [], "existing columns are left alone")
        self.env.flush_all()
        # an older database without the fields (the dependent report views go too; all rolled back)
        self.env.cr.execute(
            "ALTER TABLE crm_lead DROP COLUMN vertrieb_actual_cost CASCADE,"
            " DROP COLUMN vertrieb_budget_exceeded CASCADE, DROP COLUMN vertrieb_step_deadline CASCADE"
        )
        self.assertEqual(self._columns(names), {})
        self.assertEqual(create_computed_columns(Lead, names), names)
        self.assertEqual(self._columns(names), dict.fromkeys(names), "no default kept in the database")
        self.env.cr.execute(
            SQL(
                "SELECT vertrieb_actual_cost, vertrieb_budget_exceeded, vertrieb_step_deadline FROM crm_lead"
                " WHERE id = %s",
                lead.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone(), (0, False, None))

    def _indexes(self, table):
        rows = self.env.execute_query(SQL("SELECT indexname FROM pg_indexes WHERE tablename = %s", table))
        return {name for (name,) in rows}

    def test_indexes_built_after_the_first_fill(self):
        cr = self.env.cr
        cr.execute(
            "CREATE TABLE vertrieb_test_fill (id serial PRIMARY KEY, code int, day date);"
            " CREATE UNIQUE INDEX vertrieb_test_fill_code_unique ON vertrieb_test_fill (code);"
            " CREATE INDEX vertrieb_test_fill_day_index ON vertrieb_test_fill (day) WHERE code > 0"
        )
        everything = {"vertrieb_test_fill_pkey", "vertrieb_test_fill_code_unique", "vertrieb_test_fill_day_index"}
        with indexes_built_after(cr, "vertrieb_test_fill"):
            self.assertEqual(self._indexes("vertrieb_test_fill"), everything - {"vertrieb_test_fill_day_index"})
            cr.execute("INSERT INTO vertrieb_test_fill (code, day) SELECT n, current_date FROM generate_series(1, 9) n")
        self.assertEqual(self._indexes("vertrieb_test_fill"), everything)
        cr.execute("SELECT pg_get_indexdef('vertrieb_test_fill_day_index'::regclass)")
        self.assertIn("WHERE (code > 0)", cr.fetchone()[0])
        # a table with rows keeps its indexes
        with indexes_built_after(cr, "vertrieb_test_fill"):
            self.assertEqual(self._indexes("vertrieb_test_fill"), everything)
