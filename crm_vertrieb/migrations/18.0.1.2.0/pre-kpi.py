"""Customer values per company (18.0.1.2.0).

Up to 18.0.1.1.0 a customer had one value row over the invoices of all companies and the partner
stored a link to it (``res_partner.vertrieb_value_id``). Now there is one row per customer and
company and the partner shows the row of the current company (nothing stored on the partner).
The values are figures recomputed from the posted invoices: the old rows and the link go here,
``post-kpi.py`` recomputes them for every company.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE res_partner DROP COLUMN IF EXISTS vertrieb_value_id")
    cr.execute("ALTER TABLE vertrieb_customer_value DROP CONSTRAINT IF EXISTS vertrieb_customer_value_partner_unique")
    cr.execute("DELETE FROM vertrieb_customer_value")
