"""18.0.1.2.0, acquisition (before the tables are updated).

1. A database of 18.0.1.1.0 from before the cost entries (the acquisition cost typed on the lead)
   keeps the typed amounts; post-acquisition turns each into a cost entry.
2. "Reference Granted" is no longer a column (it follows the consent): keep the ticked leads for
   post-acquisition, then drop the column and the report view that selected it (``lead.*``; the
   update creates the view again).
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


def migrate(cr, version):
    _typed_costs(cr)
    _reference_flags(cr)
