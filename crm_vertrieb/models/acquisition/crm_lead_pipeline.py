from odoo import api, models
from odoo.exceptions import UserError

from ..base.reader_lang import reader_env


class CrmLead(models.Model):
    """The lead in the pipeline of the acquisition process: its step's position, the step stages
    of the pipeline (new leads, kanban columns), the move to the next step and the way back to
    identification when the contact is not the decision maker (step 3)."""

    _inherit = "crm.lead"

    @api.depends("vertrieb_step_id")
    @api.depends_context("uid")
    def _compute_vertrieb_step_index(self):
        steps = self.env["vertrieb.acquisition.step"].search([])
        position = {step.id: index for index, step in enumerate(steps, start=1)}
        for lead in self:
            index = position.get(lead.vertrieb_step_id.id, 0)
            lead.vertrieb_step_index = index
            lead.vertrieb_step_count = len(steps)
            lead.vertrieb_step_progress = 100.0 * index / len(steps) if steps else 0.0

    @api.depends("team_id")
    def _compute_vertrieb_acquisition_pipeline(self):
        teams = self.team_id
        with_steps = set()
        if teams:
            with_steps = {
                team.id
                for [team] in self.env["crm.stage"]
                .sudo()
                ._read_group([("team_id", "in", teams.ids), ("vertrieb_step_id", "!=", False)], ["team_id"])
            }
        for lead in self:
            lead.vertrieb_acquisition_pipeline = lead.team_id.id in with_steps

    def _stage_find(self, team_id=False, domain=None, order="sequence, id", limit=1):
        """In a pipeline of the acquisition process, use its step stages only (new leads start in step 1)."""
        team_ids = {team_id} if team_id else set()
        team_ids.update(self.team_id.ids)
        if len(team_ids) == 1:
            search_domain = [("team_id", "=", team_ids.pop()), ("vertrieb_step_id", "!=", False)]
            stages = self.env["crm.stage"].search(search_domain + list(domain or []), order=order, limit=limit)
            if stages:
                return stages
        return super()._stage_find(team_id=team_id, domain=domain, order=order, limit=limit)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The kanban of an acquisition pipeline shows its step stages, not the shared default stages."""
        team_id = self.env.context.get("default_team_id")
        if team_id and self.env["crm.stage"].search_count(
            [("team_id", "=", team_id), ("vertrieb_step_id", "!=", False)], limit=1
        ):
            stage_ids = stages.sudo()._search(
                ["|", ("id", "in", stages.ids), ("team_id", "=", team_id)], order=stages._order
            )
            return stages.browse(stage_ids)
        return super()._read_group_stage_ids(stages, domain)

    def action_vertrieb_next_step(self):
        """Move the lead to the stage of the next acquisition step of its pipeline (gates apply)."""
        for lead in self:
            stage = lead._vertrieb_next_stage()
            if not stage:
                raise UserError(self.env._("%(lead)s is in the last acquisition step.", lead=lead.display_name))
            lead.stage_id = stage
        return True

    def _vertrieb_next_stage(self):
        self.ensure_one()
        step = self.vertrieb_step_id
        if not step:
            raise UserError(
                self.env._("%(lead)s is not in a pipeline of the acquisition process.", lead=self.display_name)
            )
        stages = self.env["crm.stage"].search(
            [("vertrieb_step_id", "!=", False), ("team_id", "in", [self.team_id.id, False])], order="sequence, id"
        )
        later = stages.filtered(
            lambda s: (s.vertrieb_step_id.sequence, s.vertrieb_step_id.id) > (step.sequence, step.id)
        ).sorted(lambda s: (s.vertrieb_step_id.sequence, s.vertrieb_step_id.id, s.sequence))
        return later[:1]

    def action_vertrieb_wrong_decision_maker(self):
        """Step 3 answered "No": back to identification to record the right decision maker."""
        for lead in self:
            stage = self.env["crm.stage"].search(
                [("team_id", "in", [lead.team_id.id, False]), ("vertrieb_step_id.code", "=", "identification")],
                order="team_id, sequence",
                limit=1,
            )
            if not stage:
                raise UserError(self.env._("%(lead)s has no identification stage.", lead=lead.display_name))
            previous = lead.vertrieb_decision_maker_id.display_name or "-"
            lead.write(
                {
                    "stage_id": stage.id,
                    "vertrieb_decision_maker_id": False,
                    "vertrieb_decision_maker_role": False,
                    "vertrieb_decision_maker_confirmed": False,
                    "vertrieb_verification_event_id": False,
                    "vertrieb_verification_held_on": False,
                }
            )
            lead.message_post(
                body=reader_env(self.env, lead.user_id)._(
                    "%(contact)s is not the decision maker: back to identification to record the right one.",
                    contact=previous,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
