from odoo import api, fields, models

from ..base.protected_fields import check_module_fields


class VertriebLeadStepHistory(models.Model):
    """One stay of a lead in an acquisition step: entered at, left at, how long, who, overridden."""

    _name = "vertrieb.lead.step.history"
    _description = "Acquisition Step History"
    _order = "date_enter desc, id desc"
    _rec_name = "step_id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, index=True, ondelete="cascade")
    step_id = fields.Many2one(
        "vertrieb.acquisition.step", string="Step", required=True, index=True, ondelete="restrict"
    )
    stage_id = fields.Many2one("crm.stage", string="Stage", ondelete="set null")
    date_enter = fields.Datetime(string="Entered On", required=True, default=fields.Datetime.now)
    date_leave = fields.Datetime(string="Left On")
    duration_days = fields.Float(
        string="Duration (Days)",
        compute="_compute_duration_days",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="Days spent in the step (until now while the lead is still in it, stored when it leaves).",
    )
    user_id = fields.Many2one("res.users", string="Moved By", default=lambda self: self.env.user, ondelete="set null")
    salesperson_id = fields.Many2one(related="lead_id.user_id", string="Salesperson", store=True)
    team_id = fields.Many2one(related="lead_id.team_id", string="Sales Team", store=True)
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    overridden = fields.Boolean(string="Gate Overridden", help="The stage gate was overridden by a sales manager.")
    override_reason = fields.Text()
    is_current = fields.Boolean(compute="_compute_duration_days", store=True, string="Current Step")

    # ------------------------------------------------------------------------------------------
    # ORM: an audit trail, written by the module only (crm.lead's stage changes, in SQL)
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_module_fields(self, vals, self._fields)
        return super().create(vals_list)

    def write(self, vals):
        check_module_fields(self, vals, self._fields)
        return super().write(vals)

    @api.depends("date_enter", "date_leave")
    def _compute_duration_days(self):
        now = fields.Datetime.now()
        for line in self:
            end = line.date_leave or now
            line.is_current = not line.date_leave
            line.duration_days = (end - line.date_enter).total_seconds() / 86400.0 if line.date_enter else 0.0
