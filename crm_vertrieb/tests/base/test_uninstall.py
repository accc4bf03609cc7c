from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ...hooks import uninstall_hook

TABLES = (
    "vertrieb_kpi_sales_line",
    "vertrieb_kpi_conversion_row",
    "vertrieb_competitor_report_row",
    "vertrieb_acquisition_cost_report_row",
)
FUNCTIONS = (
    "vertrieb_kpi_contact_day_sync",
    "vertrieb_kpi_conversion_stage_sync",
    "vertrieb_kpi_conversion_row_offers",
)


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestUninstallHook(TransactionCase):
    """An uninstall leaves nothing the module made outside the ORM (the test's transaction is
    rolled back, the tables come back with it)."""

    def _left(self):
        [(tables, functions, triggers)] = self.env.execute_query(
            SQL(
                """SELECT (SELECT COUNT(*) FROM unnest(%s::text[]) t WHERE to_regclass(t) IS NOT NULL),
                          (SELECT COUNT(*) FROM pg_proc WHERE proname = ANY(%s)),
                          (SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal
                              AND tgrelid IN (to_regclass('vertrieb_kpi_contact_line'),
                                              to_regclass('vertrieb_kpi_conversion_row')))""",
                list(TABLES),
                list(FUNCTIONS),
            )
        )
        return tables, functions, triggers

    def test_rows_tables_and_trigger_functions_dropped(self):
        self.assertEqual(self._left(), (4, 3, 12))
        uninstall_hook(self.env)
        self.assertEqual(self._left(), (0, 0, 0))
