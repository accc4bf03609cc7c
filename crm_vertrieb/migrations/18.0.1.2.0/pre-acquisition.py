"""18.0.1.2.0, acquisition (before the tables are updated).

1. A database of 18.0.1.1.0 from before the cost entries (the acquisition cost typed on the lead)
   keeps the typed amounts; post-acquisition turns each into a cost entry.
2. "Reference Granted" is no longer a column (it follows the consent): keep the ticked leads for
   post-acquisition, then drop the column and the report view that selected it (``lead.*``; the
   update creates the view again).
3. The new stored flag "Budget Exceeded" is filled in one statement: Odoo would compute the new
   column lead by lead (about an hour for 300,000 leads).
"""


def _column_exists(cr, column):
    cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = 'crm_lead' AND column_name = %s", [column])
    return bool(cr.fetchone())


def _reference_flags(cr):
    if not _column_exists(cr, "vertrieb_reference_granted"):
        return
    cr.execute(
        """CREATE TABLE IF NOT EXISTS vertrieb_migration_reference AS
               SELECT id AS lead_id FROM crm_lead WHERE vertrieb_reference_granted"""
    )
    cr.execute("DROP VIEW IF EXISTS vertrieb_competitor_report")
    cr.execute("ALTER TABLE crm_lead DROP COLUMN vertrieb_reference_granted")


def _typed_costs(cr):
    cr.execute("SELECT to_regclass('vertrieb_acquisition_cost')")
    if cr.fetchone()[0]:
        return  # cost entries exist already: the lead's cost is their sum
    if _column_exists(cr, "vertrieb_actual_cost"):
        cr.execute(
            """CREATE TABLE IF NOT EXISTS vertrieb_migration_actual_cost AS
                   SELECT id AS lead_id, vertrieb_actual_cost AS amount
                     FROM crm_lead WHERE vertrieb_actual_cost > 0"""
        )


def _budget_flag(cr):
    if _column_exists(cr, "vertrieb_budget_exceeded") or not _column_exists(cr, "vertrieb_actual_cost"):
        return
    cr.execute("ALTER TABLE crm_lead ADD COLUMN vertrieb_budget_exceeded boolean")
    if _column_exists(cr, "vertrieb_budget"):
        cr.execute(
            """UPDATE crm_lead SET vertrieb_budget_exceeded = TRUE
                WHERE vertrieb_budget > 0 AND coalesce(vertrieb_actual_cost, 0) > vertrieb_budget"""
        )


def migrate(cr, version):
    _typed_costs(cr)
    _reference_flags(cr)
    _budget_flag(cr)
