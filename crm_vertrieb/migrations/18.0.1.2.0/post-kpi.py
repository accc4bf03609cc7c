"""Customer values per company (18.0.1.2.0): recompute the rows ``pre-kpi.py`` emptied, one per
customer and company, from each company's invoices."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._vertrieb_recompute_customer_value()
