"""18.0.1.1.0: the acquisition cost typed on a lead before cost entries existed becomes one cost
entry of type "Other" (see pre-migration), so the lead's acquisition cost stays what it was."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["vertrieb.acquisition.cost"]._vertrieb_migrate_typed_costs()
