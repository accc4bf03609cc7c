"""18.0.1.1.0 (one folder per feature).

1. The acquisition cost of a lead was typed by hand; it is now the sum of its cost entries. Keep the
   typed amounts (post-migration turns each into a cost entry), before the update recomputes them.
2. The complaint smart buttons of partners, leads, products
and invoices were renamed to the addon's prefix (``complaint_count`` -> ``vertrieb_complaint_count``,
``action_view_complaints`` / ``action_view_vertrieb_complaints`` -> ``action_vertrieb_view_complaints``).

The stored arch of the addon's inherited views still names the old field and method until their
file is loaded again; another view of the same form loaded before it would then fail validation.
Rename them in the stored arch first. Computed, non-stored fields: no column to rename.
"""

from odoo.tools import SQL

RENAMES = [
    ("action_view_vertrieb_complaints", "action_vertrieb_view_complaints"),
    ("action_view_complaints", "action_vertrieb_view_complaints"),
    ('name="complaint_count"', 'name="vertrieb_complaint_count"'),
    ('invisible="complaint_count == 0', 'invisible="vertrieb_complaint_count == 0'),
]
VIEWS = [
    "view_partner_form_complaint",
    "crm_lead_view_form_complaint",
    "product_template_form_view_complaint",
    "view_move_form_complaint",
]


def migrate(cr, version):
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
    arch = SQL("arch_db::text")
    for old, new in RENAMES:
        arch = SQL("replace(%s, %s, %s)", arch, old.replace('"', '\\"'), new.replace('"', '\\"'))
    cr.execute(
        SQL(
            """UPDATE ir_ui_view v SET arch_db = %s::jsonb
                 FROM ir_model_data d
                WHERE d.model = 'ir.ui.view' AND d.res_id = v.id
                  AND d.module = 'crm_vertrieb' AND d.name = ANY(%s)""",
            arch,
            VIEWS,
        )
    )
