"""18.0.1.1.0: the acquisition cost typed on a lead before cost entries existed becomes one cost
entry of type "Other" (see pre-migration), so the lead's acquisition cost stays what it was."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute("SELECT to_regclass('vertrieb_migration_actual_cost')")
    if not cr.fetchone()[0]:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT lead_id, amount FROM vertrieb_migration_actual_cost")
    amounts = dict(cr.fetchall())
    leads = env["crm.lead"].with_context(active_test=False).browse(list(amounts)).exists()
    env["vertrieb.acquisition.cost"].create(
        [
            {
                "lead_id": lead.id,
                "name": env._("Acquisition cost recorded before cost entries"),
                "cost_type": "other",
                "date": (lead.write_date or lead.create_date).date(),
                "company_id": (lead.company_id or env.company).id,
                "amount": amounts[lead.id],
            }
            for lead in leads
        ]
    )
    cr.execute("DROP TABLE vertrieb_migration_actual_cost")
