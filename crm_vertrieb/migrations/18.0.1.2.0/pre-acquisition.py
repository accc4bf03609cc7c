"""18.0.1.2.0, acquisition: a database of 18.0.1.1.0 from before the cost entries (the acquisition
cost typed on the lead) keeps the typed amounts; post-acquisition turns each into a cost entry."""


def migrate(cr, version):
    cr.execute("SELECT to_regclass('vertrieb_acquisition_cost')")
    if cr.fetchone()[0]:
        return  # cost entries exist already: the lead's cost is their sum
    cr.execute(
        """SELECT 1 FROM information_schema.columns
            WHERE table_name = 'crm_lead' AND column_name = 'vertrieb_actual_cost'"""
    )
    if cr.fetchone():
        cr.execute(
            """CREATE TABLE IF NOT EXISTS vertrieb_migration_actual_cost AS
                   SELECT id AS lead_id, vertrieb_actual_cost AS amount
                     FROM crm_lead WHERE vertrieb_actual_cost > 0"""
        )
