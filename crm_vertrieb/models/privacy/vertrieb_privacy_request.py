from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..base.reader_lang import reader_env


class VertriebPrivacyRequest(models.Model):
    """A data-subject request (Art. 15-21 GDPR) with its one-month deadline (Art. 12(3))."""

    _name = "vertrieb.privacy.request"
    _description = "Data-Subject Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Data Subject", required=True, tracking=True, check_company=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("crm_vertrieb.group_dpo").id)],
    )
    request_type = fields.Selection(
        [
            ("access", "Access (Art. 15)"),
            ("rectification", "Rectification (Art. 16)"),
            ("erasure", "Erasure (Art. 17)"),
            ("restriction", "Restriction (Art. 18)"),
            ("portability", "Portability (Art. 20)"),
            ("objection", "Objection (Art. 21)"),
        ],
        string="Type",
        required=True,
        tracking=True,
    )
    requester = fields.Char(help="Who made the request, if not the data subject themselves.")
    channel = fields.Selection(
        [("email", "Email"), ("letter", "Letter"), ("phone", "Phone"), ("web_form", "Web form"), ("other", "Other")],
        default="email",
    )
    identity_checked = fields.Boolean(tracking=True)
    received_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    extended = fields.Boolean(string="Deadline Extended", tracking=True)
    extension_reason = fields.Text(tracking=True)
    deadline = fields.Date(compute="_compute_deadline", store=True, tracking=True)
    state = fields.Selection(
        [("new", "New"), ("in_progress", "In Progress"), ("done", "Answered"), ("refused", "Refused")],
        default="new",
        required=True,
        tracking=True,
        group_expand=True,
    )
    answer = fields.Html()
    answer_date = fields.Date(readonly=True, tracking=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Documents")
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    @api.depends("received_date", "extended")
    def _compute_deadline(self):
        for request in self:
            if request.received_date:
                months = 3 if request.extended else 1
                request.deadline = request.received_date + relativedelta(months=months)
            else:
                request.deadline = False

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.is_overdue = request.state in ("new", "in_progress") and request.deadline < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on “Overdue”."))
        domain = ["&", ("state", "in", ("new", "in_progress")), ("deadline", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.constrains("extended", "extension_reason")
    def _check_extension(self):
        for request in self:
            if request.extended and not (request.extension_reason or "").strip():
                raise ValidationError(
                    self.env._("Extending the deadline by two months needs a reason (Art. 12(3) GDPR).")
                )

    @api.constrains("received_date")
    def _check_received_date(self):
        for request in self:
            if request.received_date > fields.Date.context_today(self):
                raise ValidationError(self.env._("The request cannot be received in the future."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("vertrieb.privacy.request") or "/"
        requests = super().create(vals_list)
        requests._vertrieb_schedule_deadline_activity()
        return requests

    def write(self, vals):
        res = super().write(vals)
        if "extended" in vals or "received_date" in vals or "user_id" in vals:
            self._vertrieb_schedule_deadline_activity()
        return res

    def _vertrieb_schedule_deadline_activity(self):
        """One to-do for the responsible officer a week before the deadline."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for request in self.filtered(lambda r: r.state in ("new", "in_progress") and r.deadline):
            request.activity_unlink(["mail.mail_activity_data_todo"])
            due = max(request.deadline - relativedelta(days=7), fields.Date.context_today(self))
            user = request.user_id or self.env.user
            # the to-do reads in the officer's language (also when the request comes from a
            # system user or the demo data)
            env = reader_env(self.env, user)
            request.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                date_deadline=due,
                summary=env._("Answer data-subject request by %(date)s", date=format_date(env, request.deadline)),
                user_id=user.id,
            )
        return activity_type

    def action_start(self):
        if any(not request.identity_checked for request in self):
            raise UserError(self.env._("Check the identity of the requester before working on the request."))
        self.write({"state": "in_progress"})

    def action_done(self):
        for request in self:
            if not request.answer and not request.attachment_ids:
                raise UserError(self.env._("Record the answer or attach the documents sent before closing."))
        self.write({"state": "done", "answer_date": fields.Date.context_today(self)})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_refuse(self):
        for request in self:
            if not request.answer:
                raise UserError(self.env._("Write the reason for the refusal in the answer."))
        self.write({"state": "refused", "answer_date": fields.Date.context_today(self)})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_open_wizard(self):
        """Open the wizard matching the request type for its data subject."""
        self.ensure_one()
        wizard = {
            "access": "vertrieb.privacy.export.wizard",
            "portability": "vertrieb.privacy.export.wizard",
            "erasure": "vertrieb.privacy.erasure.wizard",
            "restriction": "vertrieb.privacy.restrict.wizard",
        }.get(self.request_type)
        if not wizard:
            raise UserError(self.env._("Rectification and objection are handled on the partner form."))
        return {
            "type": "ir.actions.act_window",
            "res_model": wizard,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.partner_id.id, "default_request_id": self.id},
        }
