from odoo import api, fields, models


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
        help="Planned number of days a lead stays in this step; past it the lead is overdue.",
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
                    missing.append(self.env._("%(step)s: %(field)s", step=step.name, field=label))
        return missing
