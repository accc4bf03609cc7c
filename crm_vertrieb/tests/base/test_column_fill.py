from odoo.tests import tagged
from odoo.tools import SQL

from ...models.base.column_fill import create_computed_columns
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
