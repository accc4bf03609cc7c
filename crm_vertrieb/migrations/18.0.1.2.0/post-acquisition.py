"""18.0.1.2.0, acquisition.

1. Typed acquisition costs (saved by pre-acquisition) become cost entries of type "Other".
2. The step data is ``noupdate``: the step "Contact Clarification" of an older database still
   requires the verification appointment as a field and keeps its old description. The step rule
   now checks that the appointment took place (or a held meeting is recorded), so the appointment
   is no longer a required field. What an administrator customised stays: the required fields are
   changed only if they are exactly the old default, the description only where it is the old
   default text (per language).
3. "Reference Granted" on the lead was a checkbox; it now follows the customer's consent to be
   named (privacy purpose "Reference customer") and cannot be set without it. A lead that had the
   checkbox but whose customer has no granted consent gets a note in its chatter (consent evidence
   cannot be made up by a script). pre-acquisition kept the ticked leads and dropped the column.
"""

import json

from markupsafe import Markup

from odoo import SUPERUSER_ID, api

OLD_CONTACT_FIELDS = {"vertrieb_decision_maker_confirmed", "vertrieb_verification_event_id"}
OLD_CONTACT_DESCRIPTION = {
    "en_US": "Verify in an appointment whether the contact person is the decision maker.",
    "de_DE": "In einem Termin prüfen, ob der Ansprechpartner der Entscheider ist.",
}
NEW_CONTACT_DESCRIPTION = {
    "en_US": "Verify in an appointment whether the contact person is the decision maker. The appointment must "
    'have taken place (attended by the decision maker, not cancelled) or be recorded as held; with "No" the '
    "right decision maker is recorded first.",
    "de_DE": "In einem Termin verifizieren, ob der Kontakt der Entscheider ist. Der Termin muss stattgefunden "
    "haben (mit dem Entscheider, nicht abgesagt) oder als stattgefunden erfasst sein; bei „Nein“ wird zuerst "
    "der richtige Entscheider erfasst.",
}


def _typed_costs(env):
    env["vertrieb.acquisition.cost"]._vertrieb_migrate_typed_costs()


def _contact_step(env):
    step = env.ref("crm_vertrieb.acquisition_step_contact", raise_if_not_found=False)
    if not step:
        return
    step = step.with_context(active_test=False)
    if set(step.required_field_ids.mapped("name")) == OLD_CONTACT_FIELDS:
        step.required_field_ids = step.required_field_ids.filtered(lambda f: f.name != "vertrieb_verification_event_id")
    env.cr.execute("SELECT description FROM vertrieb_acquisition_step WHERE id = %s", [step.id])
    description = env.cr.fetchone()[0] or {}
    if description.get("en_US") != OLD_CONTACT_DESCRIPTION["en_US"]:
        return  # customised by an administrator: keep it
    for lang, new in NEW_CONTACT_DESCRIPTION.items():
        if description.get(lang, OLD_CONTACT_DESCRIPTION.get(lang)) == OLD_CONTACT_DESCRIPTION.get(lang):
            description[lang] = new
    for lang, text in list(description.items()):
        if lang not in NEW_CONTACT_DESCRIPTION and text == OLD_CONTACT_DESCRIPTION["en_US"]:
            del description[lang]  # an untranslated copy of the old text: falls back to the new English
    env.cr.execute(
        "UPDATE vertrieb_acquisition_step SET description = %s::jsonb WHERE id = %s",
        [json.dumps(description), step.id],
    )
    step.invalidate_recordset(["description"])


def _reference_flags(env):
    env.cr.execute("SELECT to_regclass('vertrieb_migration_reference')")
    if not env.cr.fetchone()[0]:
        return
    env.cr.execute(
        """SELECT lead.company_id, array_agg(lead.id ORDER BY lead.id)
             FROM vertrieb_migration_reference ticked JOIN crm_lead lead ON lead.id = ticked.lead_id
            GROUP BY lead.company_id"""
    )
    Lead = env["crm.lead"].with_context(active_test=False)
    body = Markup("<p>%s</p>") % env._(
        "“Reference Granted” was ticked on this opportunity, but its customer has no granted consent to "
        "be named as a reference. Reference customers now follow that consent: record it with its "
        "evidence (button Consent to Be Named) before naming the customer."
    )
    for company_id, lead_ids in env.cr.fetchall():
        # the consent is per company: the leads' own; one search per company, notes in batches
        leads = Lead.with_company(company_id or env.company.id).browse(lead_ids)
        granted = leads.search([("id", "in", lead_ids), ("vertrieb_reference_granted", "=", True)])
        missing = leads - granted
        for batch in env.cr.split_for_in_conditions(missing.ids, size=1000):
            Lead.browse(batch)._message_log_batch(dict.fromkeys(batch, body))
    env.cr.execute("DROP TABLE vertrieb_migration_reference")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    _typed_costs(env)
    _contact_step(env)
    _reference_flags(env)
