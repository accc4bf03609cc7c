from odoo import api, fields, models
from odoo.tools import SQL, format_list


class VertriebAcquisitionStep(models.Model):
    """Step of the acquisition process (systematische Neukundengewinnung).

    A step lists what must be known about a lead before the lead may leave the step (the stage
    gate); CRM stages link to steps so that moving a card in the pipeline moves the step.
    """

    _name = "vertrieb.acquisition.step"
    _description = "Acquisition Step"
    _order = "sequence, id"

    sequence = fields.Integer(default=10, required=True)
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short unique code, used in imports and reports.")
    description = fields.Text(translate=True, help="What happens in this step.")
    active = fields.Boolean(default=True)
    target_days = fields.Integer(
        string="Target Duration (Days)",
        default=7,
        help="Standard duration of the step in working days of the company calendar: the schedule of a lead "
        "entering the acquisition pipeline is proposed from it; past it the lead is overdue.",
    )
    required_field_ids = fields.Many2many(
        "ir.model.fields",
        "vertrieb_acquisition_step_required_field_rel",
        "step_id",
        "field_id",
        string="Required Information",
        domain="[('model', '=', 'crm.lead'), ('store', '=', True)]",
        help="Fields of the lead that must be filled before the lead may leave this step forward.",
    )
    stage_ids = fields.One2many("crm.stage", "vertrieb_step_id", string="Stages")

    _sql_constraints = [
        ("code_uniq", "unique (code)", "The code of an acquisition step must be unique."),
        ("target_days_positive", "CHECK (target_days >= 0)", "The target duration cannot be negative."),
    ]

    @api.model
    def _vertrieb_missing_fields(self, lead, steps, vals=None, required=None):
        """Labels of the required fields of ``steps`` that ``lead`` (with ``vals`` applied) lacks.

        ``required`` optionally maps steps to their required field names (computed once per batch).
        """
        vals = vals or {}
        missing = []
        for step in steps:
            names = required[step] if required and step in required else step.sudo().required_field_ids.mapped("name")
            for name in names:
                if name not in lead._fields:
                    continue
                value = vals[name] if name in vals else lead[name]
                if not value:
                    label = lead._fields[name]._description_string(self.env)
                    missing.append(self.env._("%(step)s: %(field)s", step=step.with_env(self.env).name, field=label))
        return missing

    # Rules beyond "the field is filled", by step code: {code: method name}
    _vertrieb_rules = {"contact": "_vertrieb_rule_contact", "needs": "_vertrieb_rule_needs"}

    @api.model
    def _vertrieb_rule_errors(self, lead, steps, vals=None):
        """Why ``lead`` (with ``vals`` applied) may not leave ``steps`` although their fields are filled."""
        errors = []
        for step in steps:
            method = self._vertrieb_rules.get(step.code)
            if method:
                errors += [
                    self.env._("%(step)s: %(rule)s", step=step.with_env(self.env).name, rule=rule)
                    for rule in getattr(self, method)(lead, vals or {})
                ]
        return errors

    @api.model
    def _vertrieb_value(self, lead, vals, name):
        """The value of field ``name`` of ``lead`` once ``vals`` is written (x2many commands applied)."""
        if name not in vals:
            return lead[name]
        field = lead._fields[name]
        return field.convert_to_record(field.convert_to_cache(vals[name], lead), lead)

    @api.model
    def _vertrieb_rule_contact(self, lead, vals):  # noqa: PLR0911
        """Kontaktklärung: the contact must decide, verified in an appointment that took place."""
        value = self._vertrieb_value
        if value(lead, vals, "vertrieb_decision_maker_confirmed") == "no":
            return [
                self.env._(
                    "the contact is not the decision maker; record the right decision maker "
                    "(button Wrong Decision Maker, back to identification)"
                )
            ]
        if value(lead, vals, "vertrieb_verification_held_on"):
            return []
        event = value(lead, vals, "vertrieb_verification_event_id").sudo()
        maker = value(lead, vals, "vertrieb_decision_maker_id")
        if not event:
            return [self.env._("the verification appointment has not been recorded")]
        if not event.active:
            return [self.env._("the verification appointment %(event)s was cancelled", event=event.name)]
        if event.stop > fields.Datetime.now():
            return [self.env._("the verification appointment %(event)s has not taken place yet", event=event.name)]
        attended = event.attendee_ids.filtered(lambda a: a.partner_id == maker and a.state != "declined")
        if maker and not attended:
            return [
                self.env._(
                    "the decision maker %(maker)s did not attend the verification appointment %(event)s",
                    maker=maker.display_name,
                    event=event.name,
                )
            ]
        return []

    @api.model
    def _vertrieb_rule_needs(self, lead, vals):
        """Bedarfsanalyse: the solution was presented to the decision maker, who asked for more information."""
        value = self._vertrieb_value
        errors = []
        presented = value(lead, vals, "vertrieb_presentation_date")
        if not presented:
            errors.append(self.env._("the presentation has not been recorded"))
        elif presented > fields.Date.context_today(self):
            errors.append(self.env._("the presentation on %(date)s has not taken place yet", date=presented))
        if not value(lead, vals, "vertrieb_presentation_participant_ids"):
            errors.append(self.env._("the participants of the presentation are missing"))
        if not value(lead, vals, "vertrieb_more_info_requested"):
            errors.append(self.env._("the request for more information has not been recorded"))
        elif not value(lead, vals, "vertrieb_more_info_answer"):
            errors.append(self.env._("the answer to the request for more information is missing"))
        return errors

    # The same rules as SQL for the search of the gate flag ("Blocked by Gate"): {code: method name}
    _vertrieb_rule_queries = {"contact": "_vertrieb_rule_contact_query", "needs": "_vertrieb_rule_needs_query"}

    @api.model
    def _vertrieb_rule_query(self, step):
        """SQL sub-select ``(SELECT id ...)`` of the leads in ``step`` that its rule refuses, or None.

        Must agree with the Python rule of the step (``_vertrieb_rules``): a test checks both.
        """
        method = self._vertrieb_rule_queries.get(step.code)
        if not method:
            return None
        self.env["crm.lead"].flush_model()
        return getattr(self, method)(step)

    @api.model
    def _vertrieb_rule_contact_query(self, step):
        self.env["calendar.event"].flush_model(["active", "stop"])
        self.env["calendar.attendee"].flush_model(["event_id", "partner_id", "state"])
        return SQL(
            """(SELECT lead.id
                  FROM crm_lead lead
             LEFT JOIN calendar_event event ON event.id = lead.vertrieb_verification_event_id
                 WHERE lead.vertrieb_step_id = %(step)s
                   AND (lead.vertrieb_decision_maker_confirmed = 'no'
                        OR (lead.vertrieb_verification_held_on IS NULL
                            AND (event.id IS NULL
                                 OR NOT event.active
                                 OR event.stop > %(now)s
                                 OR (lead.vertrieb_decision_maker_id IS NOT NULL
                                     AND NOT EXISTS (
                                         SELECT 1 FROM calendar_attendee attendee
                                          WHERE attendee.event_id = event.id
                                            AND attendee.partner_id = lead.vertrieb_decision_maker_id
                                            AND attendee.state IS DISTINCT FROM 'declined'))))))""",
            step=step.id,
            now=fields.Datetime.now(),
        )

    @api.model
    def _vertrieb_rule_needs_query(self, step):
        return SQL(
            """(SELECT lead.id
                  FROM crm_lead lead
                 WHERE lead.vertrieb_step_id = %(step)s
                   AND (lead.vertrieb_presentation_date IS NULL
                        OR lead.vertrieb_presentation_date > %(today)s
                        OR NOT EXISTS (SELECT 1 FROM crm_lead_vertrieb_presentation_partner_rel rel
                                        WHERE rel.lead_id = lead.id)
                        OR NOT coalesce(lead.vertrieb_more_info_requested, FALSE)
                        OR coalesce(lead.vertrieb_more_info_answer, '') = ''))""",
            step=step.id,
            today=fields.Date.context_today(self),
        )

    @api.model
    def _vertrieb_gate_message(self, blocked, new_step):
        """The refusal of a gate: what each lead lacks (at most 20 listed) and who may override."""
        lines = [
            self.env._(
                "%(lead)s cannot move to step %(step)s, missing: %(missing)s",
                lead=lead.display_name,
                step=new_step.name,
                missing=format_list(self.env, missing),
            )
            for lead, missing in list(blocked.items())[:20]
        ]
        if len(blocked) > 20:
            lines.append(self.env._("... and %(count)s more opportunities.", count=len(blocked) - 20))
        lines.append(self.env._("A sales manager may override the gate with a reason (button Override Gate)."))
        return "\n".join(lines)
