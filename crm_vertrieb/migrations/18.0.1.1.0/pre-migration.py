"""18.0.1.1.0 (one folder per feature): the complaint smart buttons of partners, leads, products
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
