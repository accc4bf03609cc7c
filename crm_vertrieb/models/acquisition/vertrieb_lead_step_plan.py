from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VertriebLeadStepPlan(models.Model):
    """Planned end date of one acquisition step for one lead (Zeitplan)."""

    _name = "vertrieb.lead.step.plan"
    _description = "Acquisition Schedule"
    _order = "step_sequence, id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, index=True, ondelete="cascade")
    step_id = fields.Many2one("vertrieb.acquisition.step", string="Step", required=True, ondelete="restrict")
    step_sequence = fields.Integer(related="step_id.sequence", store=True, string="Step Sequence")
    date_planned = fields.Date(string="Planned Until", required=True)
    target_days = fields.Integer(related="step_id.target_days", string="Target Duration (Days)")
    company_id = fields.Many2one(related="lead_id.company_id", store=True, string="Company")

    _sql_constraints = [
        ("lead_step_uniq", "unique (lead_id, step_id)", "Each step can be planned only once per opportunity."),
    ]

    @api.constrains("date_planned", "step_id", "lead_id")
    def _check_date_order(self):
        for lead in self.lead_id:
            plans = lead.vertrieb_plan_ids.sorted(lambda p: (p.step_id.sequence, p.step_id.id))
            for previous, plan in pairwise(plans):
                if plan.date_planned < previous.date_planned:
                    raise ValidationError(
                        self.env._(
                            "The schedule of %(lead)s is out of order: %(step)s is planned on %(date)s, before "
                            "the earlier step %(previous)s (%(previous_date)s).",
                            lead=lead.display_name,
                            step=plan.step_id.name,
                            date=plan.date_planned,
                            previous=previous.step_id.name,
                            previous_date=previous.date_planned,
                        )
                    )
