from odoo import api, fields, models
from odoo.exceptions import AccessError


class VertriebAcquisitionGateOverride(models.TransientModel):
    """A sales manager moves leads past a stage gate, with a mandatory reason logged in the chatter."""

    _name = "vertrieb.acquisition.gate.override"
    _description = "Override Stage Gate"

    lead_ids = fields.Many2many("crm.lead", string="Opportunities", required=True)
    stage_id = fields.Many2one(
        "crm.stage", string="Target Stage", required=True, domain="[('vertrieb_step_id', '!=', False)]"
    )
    reason = fields.Text(required=True, help="Why the opportunities may move on although information is missing.")
    missing = fields.Text(string="Missing Information", compute="_compute_missing")

    @api.depends("lead_ids", "stage_id")
    def _compute_missing(self):
        Step = self.env["vertrieb.acquisition.step"]
        for wizard in self:
            lines = []
            target = wizard.stage_id.vertrieb_step_id
            steps = Step.search([])
            for lead in wizard.lead_ids:
                current = lead.vertrieb_step_id
                passing = steps.filtered(
                    lambda s, current=current, target=target: target
                    and (not current or (s.sequence, s.id) >= (current.sequence, current.id))
                    and (s.sequence, s.id) < (target.sequence, target.id)
                )
                missing = Step._vertrieb_missing_fields(lead, passing) + Step._vertrieb_rule_errors(lead, passing)
                if missing:
                    lines.append(f"{lead.display_name}: {', '.join(missing)}")
            wizard.missing = "\n".join(lines) or False

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only a sales manager may override the stage gate."))
        self.lead_ids._vertrieb_override_gate(self.stage_id.id, self.reason)
        return {"type": "ir.actions.act_window_close"}
