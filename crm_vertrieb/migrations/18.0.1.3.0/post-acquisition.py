"""Update to 18.0.1.3.0, acquisition.

The budget warning has its own activity type, so that the open warning of a lead is found again
whatever the language of its summary (it is written in the salesperson's language). The open
warnings of an older database (Odoo's "Exception" type, summary "Acquisition budget exceeded" in
English or German) get the new type; otherwise the next cost would add a second warning.
"""

from odoo import SUPERUSER_ID, api

BUDGET_SUMMARIES = ["Acquisition budget exceeded", "Akquisebudget überschritten"]


def _budget_activities(env):
    budget = env.ref("crm_vertrieb.mail_activity_type_budget_exceeded", raise_if_not_found=False)
    warning = env.ref("mail.mail_activity_data_warning", raise_if_not_found=False)
    if not budget or not warning:
        return
    env.cr.execute(
        """UPDATE mail_activity SET activity_type_id = %s
            WHERE res_model = 'crm.lead' AND activity_type_id = %s AND summary = ANY(%s)""",
        [budget.id, warning.id, BUDGET_SUMMARIES],
    )
    env["mail.activity"].invalidate_model(["activity_type_id"])


def migrate(cr, version):
    _budget_activities(api.Environment(cr, SUPERUSER_ID, {}))
