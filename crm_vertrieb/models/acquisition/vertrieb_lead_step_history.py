from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..base.protected_fields import check_module_fields
from ..base.reader_lang import reader_env


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
    date_planned = fields.Date(
        string="Planned Until", readonly=True, help="Planned end of the step in the schedule when the lead left it."
    )
    delay_days = fields.Integer(
        string="Days Late",
        readonly=True,
        aggregator="avg",
        help="Days the lead left the step after its planned end (negative: early).",
    )
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

    @api.model
    def _vertrieb_record(self, leads, old_steps, overridden, reason, date_enter_written=False):
        """Close the open history lines of ``leads`` whose step changed and open new ones.

        Three set-based statements whatever the number of leads (the step change of 1,000 leads
        must not cost 1,000 inserts).
        """
        no_step = self.env["vertrieb.acquisition.step"]
        changed = leads.filtered(lambda lead: lead.vertrieb_step_id != old_steps.get(lead.id, no_step))
        if not changed:
            return
        now = fields.Datetime.now()
        History = self.env["vertrieb.lead.step.history"]
        History.flush_model()
        changed.flush_recordset(["vertrieb_step_id", "stage_id", "user_id", "team_id", "company_id"])
        ids = changed.ids
        overridden_ids = [lead.id for lead in overridden]
        if date_enter_written:
            now = changed[:1].vertrieb_step_date_enter or now
        else:
            self.env.execute_query(
                SQL(
                    "UPDATE crm_lead SET vertrieb_step_date_enter = CASE WHEN vertrieb_step_id IS NULL THEN NULL "
                    "ELSE %(now)s END WHERE id = ANY(%(ids)s)",
                    now=now,
                    ids=ids,
                )
            )
        if old_steps:
            self.env.execute_query(
                SQL(
                    """
                    UPDATE vertrieb_lead_step_history history
                       SET date_leave = %(now)s, is_current = FALSE, write_uid = %(uid)s, write_date = %(now)s,
                           duration_days = EXTRACT(EPOCH FROM (%(now)s::timestamp - history.date_enter)) / 86400.0,
                           date_planned = plan.date_planned,
                           delay_days = %(now)s::date - plan.date_planned
                      FROM vertrieb_lead_step_history open_line
                 LEFT JOIN vertrieb_lead_step_plan plan
                        ON plan.lead_id = open_line.lead_id AND plan.step_id = open_line.step_id
                     WHERE open_line.id = history.id
                       AND history.lead_id = ANY(%(ids)s) AND history.date_leave IS NULL
                    """,
                    now=now,
                    uid=self.env.uid,
                    ids=ids,
                )
            )
        self.env.execute_query(
            SQL(
                """
                INSERT INTO vertrieb_lead_step_history
                       (lead_id, step_id, stage_id, date_enter, user_id, overridden, override_reason,
                        salesperson_id, team_id, company_id, duration_days, is_current,
                        create_uid, create_date, write_uid, write_date)
                SELECT lead.id, lead.vertrieb_step_id, lead.stage_id, %(now)s, %(uid)s, lead.id = ANY(%(over)s),
                       CASE WHEN lead.id = ANY(%(over)s) THEN %(reason)s END,
                       lead.user_id, lead.team_id, lead.company_id, 0, TRUE,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM crm_lead lead
                 WHERE lead.id = ANY(%(ids)s) AND lead.vertrieb_step_id IS NOT NULL
                """,
                now=now,
                uid=self.env.uid,
                over=overridden_ids,
                reason=reason or None,
                ids=ids,
            )
        )
        History.invalidate_model()
        changed.invalidate_recordset(["vertrieb_step_history_ids"])
        self.env["vertrieb.lead.step.plan"]._vertrieb_propose(changed.filtered(lambda lead: not old_steps.get(lead.id)))
        if not date_enter_written:
            changed.invalidate_recordset(["vertrieb_step_date_enter"])
            changed.modified(["vertrieb_step_date_enter"])
        for lead, missing in overridden.items():
            # in the language of the salesperson, like the list of what is missing
            env = reader_env(self.env, lead.user_id)
            lead.message_post(
                body=Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
                % (
                    env._(
                        "Stage gate overridden to step %(step)s. Missing:",
                        step=lead.vertrieb_step_id.with_env(env).name,
                    ),
                    Markup().join(Markup("<li>%s</li>") % item for item in missing),
                    env._("Reason: %(reason)s", reason=reason),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
