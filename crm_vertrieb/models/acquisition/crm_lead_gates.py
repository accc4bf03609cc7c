from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv.expression import AND as Domain_and
from odoo.osv.expression import OR as Domain_or

from ..base.protected_fields import check_module_fields
from ..base.reader_lang import reader_env

# written by the stage changes only (step history, in SQL; the entry date with the stage)
MODULE_FIELDS = frozenset({"vertrieb_step_date_enter", "vertrieb_step_history_ids"})

# The override of a stage gate in progress: (reason, lead ids or None while creating). Set only by
# CrmLead._vertrieb_overriding_gate() in server code, never from the client's context.
_GATE_OVERRIDE = ContextVar("vertrieb_gate_override", default=None)


class CrmLead(models.Model):
    """The stage gates: every forward move (write, create) is checked against what the steps
    passed require, and recorded in the step history; the hint and filter of the missing
    information; the gate override (sales manager, with a reason)."""

    _inherit = "crm.lead"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_module_fields(self, vals, MODULE_FIELDS)
        leads = super().create(vals_list)
        leads._vertrieb_acquisition_after_create()
        return leads

    def write(self, vals):
        check_module_fields(self, vals, MODULE_FIELDS)
        vals, acquisition_state = self._vertrieb_acquisition_before_write(vals)
        res = super().write(vals)
        self._vertrieb_acquisition_after_write(vals, acquisition_state)
        return res

    @api.depends(lambda self: ["vertrieb_step_id", *self._vertrieb_gate_field_names()])
    def _compute_vertrieb_gate_missing(self):
        Step = self.env["vertrieb.acquisition.step"]
        for lead in self:
            step = lead.vertrieb_step_id
            missing = Step._vertrieb_missing_fields(lead, step) + Step._vertrieb_rule_errors(lead, step) if step else []
            lead.vertrieb_gate_missing = "\n".join(missing) or False
            lead.vertrieb_gate_blocked = bool(missing)

    def _search_vertrieb_gate_blocked(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the gate flag."))
        Step = self.env["vertrieb.acquisition.step"]
        domains = []
        for step in Step.search([]):
            names = [name for name in step.sudo().required_field_ids.mapped("name") if name in self._fields]
            refused = [[(name, "=", False)] for name in names]
            rule = Step._vertrieb_rule_query(step)  # step 3 and 4 rules, as in the gate
            if rule is not None:
                refused.append([("id", "in", rule)])
            if refused:
                domains.append(Domain_and([[("vertrieb_step_id", "=", step.id)], Domain_or(refused)]))
        blocked = Domain_or(domains) if domains else [(0, "=", 1)]
        if (operator == "=") == value:
            return blocked
        return ["!", *blocked]

    @api.model
    def _vertrieb_gate_field_names(self):
        return [
            "vertrieb_target_group",
            "vertrieb_industry_id",
            "vertrieb_territory",
            "vertrieb_revenue_class",
            "vertrieb_channel_id",
            "partner_id",
            "vertrieb_decision_maker_id",
            "vertrieb_decision_maker_role",
            "vertrieb_decision_maker_confirmed",
            "vertrieb_verification_event_id",
            "vertrieb_verification_held_on",
            "vertrieb_presentation_date",
            "vertrieb_presentation_participant_ids",
            "vertrieb_more_info_requested",
            "vertrieb_more_info_answer",
            "vertrieb_need",
            "vertrieb_customer_budget",
            "vertrieb_decision_criteria",
            "vertrieb_offer_amount",
            "vertrieb_offer_date",
            "vertrieb_contract_date",
            "vertrieb_contract_signed_date",
            "vertrieb_payment_received",
        ]

    def _vertrieb_acquisition_before_write(self, vals):
        """Check the stage gates; returns the values to write and the state for the history."""
        if "stage_id" not in vals and "team_id" not in vals:
            return vals, None
        old_steps, overridden = self._vertrieb_acquisition_check_gates(vals)
        if "stage_id" in vals and "team_id" not in vals:
            new_step = self.env["crm.stage"].browse(vals["stage_id"]).vertrieb_step_id
            if all(step != new_step for step in old_steps.values()):
                # every lead changes step: the entry date goes into the same UPDATE as the stage
                vals = dict(vals, vertrieb_step_date_enter=fields.Datetime.now() if new_step else False)
        return vals, (old_steps, overridden)

    def _vertrieb_acquisition_after_create(self):
        """Gates apply to new leads too: a lead created directly in a later step (quick create in
        a kanban column, import) must have what every earlier step requires."""
        no_step = self.env["vertrieb.acquisition.step"]
        overridden = {}
        for stage, leads in self.filtered("vertrieb_step_id").grouped("stage_id").items():
            _old, blocked = leads._vertrieb_acquisition_check_gates(
                {"stage_id": stage.id}, old_steps=dict.fromkeys(leads.ids, no_step)
            )
            overridden.update(blocked)
        self.env["vertrieb.lead.step.history"]._vertrieb_record(
            self, {}, overridden, self._vertrieb_override_reason() if overridden else False
        )

    def _vertrieb_acquisition_after_write(self, vals, state):
        if state is None:
            return
        old_steps, overridden = state
        self.env["vertrieb.lead.step.history"]._vertrieb_record(
            self,
            old_steps,
            overridden,
            self._vertrieb_override_reason() if overridden else False,
            date_enter_written="vertrieb_step_date_enter" in vals,
        )

    def _vertrieb_acquisition_check_gates(self, vals, old_steps=None):
        """Refuse forward moves past steps with missing information (a manager may override).

        Returns the steps before the write and the leads whose gate was overridden with the missing
        information, for the history. Works on any number of leads with a bounded number of queries.
        ``old_steps`` (lead id -> step) replaces the current steps, e.g. no step for new leads.
        """
        if old_steps is None:
            old_steps = {lead.id: lead.vertrieb_step_id for lead in self}
        overridden = {}
        if not vals.get("stage_id"):
            return old_steps, overridden
        new_step = self.env["crm.stage"].browse(vals["stage_id"]).vertrieb_step_id
        if not new_step:
            return old_steps, overridden
        Step = self.env["vertrieb.acquisition.step"]
        steps = Step.search([])
        required = {step: step.sudo().required_field_ids.mapped("name") for step in steps}

        def key(step):
            return (step.sequence, step.id)

        groups = {}  # leads by step before the move, forward moves only
        for lead in self:
            old_step = old_steps[lead.id]
            if old_step and key(old_step) >= key(new_step):
                continue  # same step or backwards: always allowed
            groups.setdefault(old_step, []).append(lead.id)
        blocked = {}
        overriding = self._vertrieb_override_reason()
        for old_step, lead_ids in groups.items():
            passed = steps.filtered(lambda s, old=old_step: (not old or key(s) >= key(old)) and key(s) < key(new_step))
            names = {name for step in passed for name in required[step] if name in self._fields}
            suspects = self._vertrieb_acquisition_suspects(lead_ids, names, vals)
            ruled = passed.filtered(lambda s: s.code in Step._vertrieb_rules)
            for lead in self.browse(lead_ids) if ruled else suspects:
                # a refusal speaks the user's language; an override's note lists what is missing
                # in the language of the salesperson who reads it
                step_model = Step.with_env(reader_env(Step.env, lead.user_id)) if overriding else Step
                missing = step_model._vertrieb_missing_fields(lead, passed, vals, required) if lead in suspects else []
                missing += step_model._vertrieb_rule_errors(lead, ruled, vals)
                if missing:
                    blocked[lead] = missing
        if not blocked:
            return old_steps, overridden
        if overriding:
            return old_steps, blocked
        raise UserError(Step._vertrieb_gate_message(blocked, new_step))

    # ------------------------------------------------------------------------------------------
    # Gate override: an explicit call with the reason (the wizard, setup code), no context key
    # ------------------------------------------------------------------------------------------

    def _vertrieb_override_reason(self):
        """The reason of the gate override in progress for the leads of ``self``, else False."""
        override = _GATE_OVERRIDE.get()
        if not override:
            return False
        reason, lead_ids = override
        if lead_ids is not None and not set(self.ids) <= lead_ids:
            return False
        return reason

    @contextmanager
    def _vertrieb_overriding_gate(self, reason, lead_ids=None):
        """Within the block, writes and creates of the leads ``lead_ids`` (all leads being created if
        None) pass the stage gates; the reason goes into the step history and the chatter.
        Only a sales manager (or server code running as superuser) may override."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give a reason for overriding the stage gate."))
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(self.env._("Only a sales manager may override the stage gate."))
        token = _GATE_OVERRIDE.set((reason, None if lead_ids is None else frozenset(lead_ids)))
        try:
            yield
        finally:
            _GATE_OVERRIDE.reset(token)

    def _vertrieb_override_gate(self, stage_id, reason):
        """Move the leads of ``self`` to the stage ``stage_id`` past missing information, with ``reason``."""
        with self._vertrieb_overriding_gate(reason, self.ids):
            self.write({"stage_id": stage_id})
        return True

    @api.model
    def _vertrieb_create_overriding_gate(self, vals_list, reason):
        """Create leads directly in a later step past missing information (setup, data takeover)."""
        with self._vertrieb_overriding_gate(reason):
            return self.create(vals_list)

    def _vertrieb_acquisition_suspects(self, lead_ids, names, vals):
        """Leads among ``lead_ids`` that may lack one of the fields ``names`` after ``vals`` (one query)."""
        if any(name in vals and not vals[name] for name in names):
            return self.browse(lead_ids)  # the write itself clears required information
        lacking = [[(name, "=", False)] for name in names if name not in vals]
        if not lacking:
            return self.browse()
        found = self.with_context(active_test=False).search(Domain_and([[("id", "in", lead_ids)], Domain_or(lacking)]))
        return self.browse(found.ids)

    def action_vertrieb_override_gate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Stage Gate"),
            "res_model": "vertrieb.acquisition.gate.override",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_lead_ids": self.ids,
                "default_stage_id": self._vertrieb_next_stage().id,
            },
        }
