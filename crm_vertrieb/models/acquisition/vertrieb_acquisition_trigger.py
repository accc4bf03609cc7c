from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..base.reader_lang import reader_env


class VertriebAcquisitionTrigger(models.Model):
    """Next action of an acquisition step: an event on the lead schedules an activity.

    Events: the verbal commitment (step 5), the received payment (step 7), the follow-up date
    (step 8). Each lead gets the activity of a trigger once (also after it was done).
    """

    _name = "vertrieb.acquisition.trigger"
    _description = "Acquisition Next Action"
    _order = "step_id, sequence, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    step_id = fields.Many2one("vertrieb.acquisition.step", string="Step", required=True, ondelete="cascade")
    event = fields.Selection(
        [
            ("verbal_commitment", "Verbal Commitment"),
            ("payment_received", "Payment Received"),
            ("followup_date", "Follow-up Date"),
        ],
        required=True,
    )
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity Type", required=True)
    summary = fields.Char(required=True, translate=True)
    note = fields.Html(translate=True)
    delay_days = fields.Integer(
        string="Due After (Days)", default=0, help="Days after the event; the follow-up date itself for follow-ups."
    )
    responsible = fields.Selection(
        [("salesperson", "Salesperson"), ("team_leader", "Team Leader"), ("user", "Fixed User")],
        default="salesperson",
        required=True,
    )
    user_id = fields.Many2one("res.users", string="User", help="Responsible when the responsible is a fixed user.")
    fired_lead_ids = fields.Many2many(
        "crm.lead",
        "vertrieb_acquisition_trigger_fired_rel",
        "trigger_id",
        "lead_id",
        string="Fired On",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Opportunities on which the activity was scheduled: it is never scheduled twice.",
    )

    _sql_constraints = [("delay_positive", "CHECK (delay_days >= 0)", "The delay cannot be negative.")]

    @api.constrains("responsible", "user_id")
    def _check_user(self):
        for trigger in self:
            if trigger.responsible == "user" and not trigger.user_id:
                raise UserError(
                    self.env._("The next action “%(name)s” needs a user to be responsible.", name=trigger.summary)
                )

    def _responsible_for(self, lead):
        self.ensure_one()
        if self.responsible == "user":
            return self.user_id
        if self.responsible == "team_leader" and lead.team_id.user_id:
            return lead.team_id.user_id
        return lead.user_id or self.env.user

    @api.model
    def _vertrieb_fire(self, event, leads):
        """Schedule the activities of ``event`` on ``leads``; never twice per lead and trigger.

        Runs as superuser: the event may come from an accountant registering a payment.
        """
        triggers = self.sudo().search([("event", "=", event)])
        if not triggers or not leads:
            return self.env["mail.activity"]
        leads = leads.sudo()
        Activity = self.env["mail.activity"].sudo()
        today = fields.Date.context_today(self)
        batches, fired = {}, []
        for trigger in triggers:
            done = set(trigger.fired_lead_ids.ids)
            for lead in leads:
                deadline = today + timedelta(days=trigger.delay_days)
                if event == "followup_date":
                    deadline = lead.vertrieb_followup_date
                    if not deadline:
                        continue
                if lead.id in done:
                    if event == "followup_date":
                        trigger._vertrieb_move_deadline(lead, deadline)
                    continue
                fired.append((trigger, lead))
                user = trigger._responsible_for(lead)
                # in the language of the assignee, not of whoever caused the event
                text = trigger.with_env(reader_env(trigger.env, user))
                batches.setdefault(trigger, []).append(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                        "res_id": lead.id,
                        "activity_type_id": trigger.activity_type_id.id,
                        "summary": text.summary,
                        "note": text.note,
                        "date_deadline": deadline,
                        "user_id": user.id,
                        "automated": True,
                    }
                )
        for trigger, lead in fired:
            trigger.fired_lead_ids = [Command.link(lead.id)]
        users = self.env["res.users"].browse({vals["user_id"] for batch in batches.values() for vals in batch})
        Activity = Activity.with_context(mail_activity_quick_update=self._vertrieb_quiet(users))
        activities = Activity.browse()
        # one create per trigger: Odoo subscribes the assignee once per lead of a create
        for batch in batches.values():
            activities |= Activity.create(batch)
        return activities

    @api.model
    def _vertrieb_quiet(self, users):
        """No assignment mail to users whose language is not installed (demo users while data loads)."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return any(user.lang and user.lang not in installed for user in users)

    def _vertrieb_move_deadline(self, lead, deadline):
        """The follow-up date moved: move the open activity of this trigger with it (found by its
        activity type: its summary is in the language of its assignee)."""
        activity = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "=", lead.id),
                    ("activity_type_id", "=", self.activity_type_id.id),
                ],
                order="date_deadline, id",
                limit=1,
            )
        )
        if activity and activity.date_deadline != deadline:
            activity.date_deadline = deadline

    @api.model
    def _vertrieb_payment_received(self, leads):
        """Server side of the paid hook: move paid leads on to evaluation & feedback, plan its activities.

        A lead whose gates refuse the move (e.g. the signing date is missing) stays and gets a note.
        """
        for lead in leads.sudo().filtered("vertrieb_step_id"):
            stage = self.env["crm.stage"].search(
                [("team_id", "in", [lead.team_id.id, False]), ("vertrieb_step_id.code", "=", "feedback")],
                order="team_id, sequence",
                limit=1,
            )
            step = lead.vertrieb_step_id
            if stage and (step.sequence, step.id) < (stage.vertrieb_step_id.sequence, stage.vertrieb_step_id.id):
                # the note (and the gate's reason in it) in the salesperson's language
                env = reader_env(lead.env, lead.user_id)
                try:
                    with self.env.cr.savepoint():
                        lead.with_env(env).stage_id = stage
                except UserError as error:
                    lead.message_post(
                        body=env._("Payment received, but the opportunity stays: %(reason)s", reason=str(error)),
                        subtype_xmlid="mail.mt_note",
                    )
        self._vertrieb_fire("payment_received", leads)
