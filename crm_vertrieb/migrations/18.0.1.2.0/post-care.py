"""18.0.1.2.0, care: the research step of the acquisition requires the sales territory instead of
the free-text target territory (the step data is ``noupdate``), and the leads without a territory
get the one their address lies in (one statement; a lead outside every territory keeps none)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.lead"]._vertrieb_care_gate_on_territory()
    match = env["vertrieb.territory"]._vertrieb_match_query(
        SQL(
            """SELECT l.id, regexp_replace(COALESCE(l.zip, ''), '\\D', '', 'g') AS zip_key, l.country_id, l.company_id
                 FROM crm_lead l
                WHERE l.vertrieb_territory_id IS NULL AND l.country_id IS NOT NULL"""
        )
    )
    env.execute_query(
        SQL(
            """
            UPDATE crm_lead l SET vertrieb_territory_id = m.territory_id
              FROM (%s) m
             WHERE l.id = m.partner_id
            """,
            match,
        )
    )
