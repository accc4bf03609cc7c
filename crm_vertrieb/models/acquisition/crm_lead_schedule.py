from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    """The schedule: the due date of the current step (its planned date, else the entry date plus
    the step's target days) and the overdue flag and filter."""

    _inherit = "crm.lead"

    @api.depends(
        "vertrieb_step_id.target_days",
        "vertrieb_step_date_enter",
        "vertrieb_plan_ids.date_planned",
        "vertrieb_plan_ids.step_id",
    )
    def _compute_vertrieb_step_deadline(self):
        for lead in self:
            step = lead.vertrieb_step_id
            plan = lead.vertrieb_plan_ids.filtered(lambda p, step=step: p.step_id == step)[:1]
            if plan:
                lead.vertrieb_step_deadline = plan.date_planned
            elif step and lead.vertrieb_step_date_enter:
                lead.vertrieb_step_deadline = lead.vertrieb_step_date_enter.date() + timedelta(days=step.target_days)
            else:
                lead.vertrieb_step_deadline = False

    @api.depends("vertrieb_step_deadline", "active")
    def _compute_vertrieb_step_overdue(self):
        today = fields.Date.context_today(self)
        for lead in self:
            lead.vertrieb_step_overdue = bool(
                lead.active and lead.vertrieb_step_deadline and lead.vertrieb_step_deadline < today
            )

    def _search_vertrieb_step_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the overdue flag."))
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("vertrieb_step_deadline", "<", today)]
        return ["|", ("vertrieb_step_deadline", "=", False), ("vertrieb_step_deadline", ">=", today)]
