from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..base.protected_fields import check_module_fields
from ..base.reader_lang import reader_env

COMPLAINT_TYPES = [("complaint", "Complaint (Beschwerde)"), ("claim", "Claim (Reklamation)")]
SEVERITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Critical")]
CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("visit", "Visit"),
    ("web_form", "Web Form"),
]
RESOLUTION_TYPES = [
    ("credit_note", "Credit Note"),
    ("replacement", "Replacement"),
    ("repair", "Repair"),
    ("discount", "Discount on Next Order"),
    ("goodwill", "Goodwill"),
    ("no_action", "No Action"),
]
ROOT_CAUSE_CATEGORIES = [
    ("man", "People"),
    ("machine", "Machine"),
    ("material", "Material"),
    ("method", "Method / Process"),
    ("measurement", "Measurement"),
    ("environment", "Environment"),
    ("supplier", "Supplier"),
    ("logistics", "Logistics / Delivery"),
    ("communication", "Communication"),
    ("other", "Other"),
]
# written by the module only (stage changes, SLA computation, acknowledgement, credit-note wizards)
MODULE_FIELDS = frozenset(
    {
        "date_acknowledged",
        "date_resolved",
        "date_closed",
        "ack_deadline",
        "resolve_deadline",
        "ack_hours",
        "resolve_hours",
        "ack_sla_met",
        "resolve_sla_met",
        "sla_met_rate",
        "sla_deadline",
        "sla_risk_date",
        "sla_reminded_deadline",
        "credit_note_ids",
        "sender_unknown",
    }
)
SLA_STATUSES = [
    ("none", "No SLA"),
    ("on_time", "On Time"),
    ("at_risk", "At Risk"),
    ("overdue", "Overdue"),
    ("met", "Met"),
    ("missed", "Missed"),
]


class VertriebComplaint(models.Model):
    """Complaint (Beschwerde) or claim (Reklamation) of a customer.

    Linked to the invoices, invoice lines, products and opportunity it concerns; SLA deadlines on
    the company calendar, § 377 HGB notice check, 8D-lite analysis and credit notes created through
    Odoo's own reversal wizard.
    """

    _name = "vertrieb.complaint"
    _description = "Complaint"
    _inherit = ["mail.activity.mixin", "rating.mixin"]  # rating.mixin brings mail.thread
    _order = "severity desc, date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title", "partner_id"]
    _primary_email = "email_from"

    # Description
    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram")
    title = fields.Char(string="Subject", required=True, tracking=True)
    complaint_type = fields.Selection(COMPLAINT_TYPES, string="Type", required=True, default="claim", tracking=True)
    category_id = fields.Many2one(
        "vertrieb.complaint.category",
        string="Category",
        tracking=True,
        check_company=True,
        domain="[('complaint_type', 'in', [complaint_type, False])]",
    )
    severity = fields.Selection(SEVERITIES, default="1", required=True, tracking=True)
    channel = fields.Selection(CHANNELS, default="email", required=True)
    description = fields.Html()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    # Customer and documents
    # required in the form and for every user; only a complaint by email from an unknown sender
    # (mail gateway, contact creation off) has none until the handler assigns the customer
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        tracking=True,
        check_company=True,
        index=True,
        domain="[('is_company', '=', True)]",
        help="The commercial partner (company) the complaint is about.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    email_from = fields.Char(string="Email")
    sender_unknown = fields.Boolean(
        string="Unknown Sender",
        readonly=True,
        copy=False,
        help="Received by email from an address no contact had: no acknowledgement is sent to it.",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "vertrieb_complaint_invoice_rel",
        "complaint_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    invoice_line_ids = fields.Many2many(
        "account.move.line",
        "vertrieb_complaint_invoice_line_rel",
        "complaint_id",
        "line_id",
        string="Invoice Lines",
        domain="[('move_id', 'in', invoice_ids), ('display_type', '=', 'product')]",
    )
    product_ids = fields.Many2many(
        "product.product",
        "vertrieb_complaint_product_rel",
        "complaint_id",
        "product_id",
        string="Products",
        check_company=True,
    )
    lead_id = fields.Many2one("crm.lead", string="Opportunity", check_company=True, index="btree_not_null")
    credit_note_ids = fields.Many2many(
        "account.move",
        "vertrieb_complaint_credit_note_rel",
        "complaint_id",
        "move_id",
        string="Credit Notes",
        copy=False,
        readonly=True,
    )
    credit_note_count = fields.Integer(compute="_compute_credit_note_count")

    # Responsibility
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        index=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        default=lambda self: self.env.user.sale_team_id,
        tracking=True,
        check_company=True,
        index=True,
    )

    # Amounts
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    claimed_amount = fields.Monetary(tracking=True, help="Amount the customer claims.")
    accepted_amount = fields.Monetary(
        tracking=True, help="Amount accepted by the company; never more than the invoices concerned."
    )
    invoiced_amount = fields.Monetary(
        compute="_compute_invoiced_amount", help="Total of the invoices concerned, in the complaint currency."
    )
    credited_amount = fields.Monetary(
        string="Credit Notes (Net)",
        currency_field="company_currency_id",
        compute="_compute_credited_amount",
        store=True,
        help="Untaxed total of the posted credit notes of this complaint: the cost of the complaint.",
    )

    # Stage and resolution
    stage_id = fields.Many2one(
        "vertrieb.complaint.stage",
        string="Stage",
        tracking=True,
        index=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage_id(),
        ondelete="restrict",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, string="Closed")
    is_rejected = fields.Boolean(related="stage_id.is_rejected", store=True, string="Rejected")
    resolution_type = fields.Selection(RESOLUTION_TYPES, string="Resolution", tracking=True)
    resolution = fields.Text(string="Resolution Text")
    reject_reason = fields.Text(string="Rejection Reason")

    # Dates
    date_received = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now, tracking=True, index=True
    )
    # set by the stage changes and the acknowledgement (MODULE_FIELDS)
    date_acknowledged = fields.Datetime(string="Acknowledged", tracking=True, copy=False, readonly=True)
    date_resolved = fields.Datetime(string="Resolved", tracking=True, copy=False, readonly=True)
    date_closed = fields.Datetime(string="Closed On", tracking=True, copy=False, readonly=True)

    # SLA
    sla_policy_id = fields.Many2one(
        "vertrieb.complaint.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    ack_deadline = fields.Datetime(string="Acknowledgement Deadline", compute="_compute_deadlines", store=True)
    resolve_deadline = fields.Datetime(string="Resolution Deadline", compute="_compute_deadlines", store=True)
    ack_hours = fields.Float(string="Acknowledgement Time (h)", compute="_compute_times", store=True, aggregator="avg")
    resolve_hours = fields.Float(string="Resolution Time (h)", compute="_compute_times", store=True, aggregator="avg")
    ack_sla_met = fields.Boolean(string="Acknowledged in Time", compute="_compute_times", store=True)
    resolve_sla_met = fields.Boolean(string="Resolved in Time", compute="_compute_times", store=True)
    sla_met_rate = fields.Float(
        string="Within SLA (%)",
        compute="_compute_times",
        store=True,
        aggregator="avg",
        help="100 when both deadlines were met, 0 otherwise; its average over resolved complaints is "
        "the share within SLA.",
    )
    sla_deadline = fields.Datetime(
        string="Next Deadline", compute="_compute_sla_deadline", store=True, index="btree_not_null"
    )
    sla_risk_date = fields.Datetime(string="At Risk From", compute="_compute_sla_deadline", store=True)
    sla_status = fields.Selection(
        SLA_STATUSES, string="SLA", compute="_compute_sla_status", search="_search_sla_status"
    )
    sla_reminded_deadline = fields.Datetime(copy=False, readonly=True)

    # Notice of defect (§ 377 HGB) and warranty
    goods_date = fields.Date(
        string="Delivery Date",
        compute="_compute_goods_date",
        store=True,
        readonly=False,
        help="Delivery or invoice date of the goods concerned (earliest invoice).",
    )
    merchant_transaction = fields.Boolean(
        string="Between Merchants",
        compute="_compute_merchant_transaction",
        store=True,
        readonly=False,
        help="Commercial sale between merchants (§ 377 HGB applies).",
    )
    late_notice = fields.Boolean(
        string="Late Notice of Defect",
        compute="_compute_notice_flags",
        store=True,
        readonly=False,
        tracking=True,
        help="Verspätete Mängelrüge: the claim was received later than the notice period of the "
        "category after delivery. Proposed automatically; the user decides.",
    )
    outside_warranty = fields.Boolean(
        compute="_compute_notice_flags",
        store=True,
        readonly=False,
        tracking=True,
        help="The claim was received after the warranty period of the category. Proposed "
        "automatically; the user decides.",
    )

    # Root cause and actions (8D-lite)
    containment_action = fields.Text(string="Immediate Containment")
    containment_user_id = fields.Many2one("res.users", string="Containment By")
    containment_date = fields.Date()
    root_cause_category = fields.Selection(ROOT_CAUSE_CATEGORIES, tracking=True)
    root_cause = fields.Text()
    root_cause_user_id = fields.Many2one("res.users", string="Root Cause By")
    root_cause_date = fields.Date()
    corrective_action = fields.Text()
    corrective_user_id = fields.Many2one("res.users", string="Corrective Action By")
    corrective_date = fields.Date(string="Corrective Action Date")
    preventive_action = fields.Text()
    preventive_user_id = fields.Many2one("res.users", string="Preventive Action By")
    preventive_date = fields.Date(string="Preventive Action Date")
    verification = fields.Text(string="Verification of Effectiveness")
    verification_user_id = fields.Many2one("res.users", string="Verified By")
    verification_date = fields.Date()

    _sql_constraints = [
        ("name_company_uniq", "unique (name, company_id)", "The complaint reference must be unique per company."),
        ("claimed_amount_positive", "CHECK(claimed_amount >= 0)", "The claimed amount cannot be negative."),
        ("accepted_amount_positive", "CHECK(accepted_amount >= 0)", "The accepted amount cannot be negative."),
    ]

    # ------------------------------------------------------------------------------------------
    # DEFAULTS AND COMPUTES
    # ------------------------------------------------------------------------------------------

    def _default_stage_id(self):
        return self.env["vertrieb.complaint.stage"].search([], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    @api.depends("invoice_ids.amount_total", "invoice_ids.currency_id", "currency_id", "date_received")
    def _compute_invoiced_amount(self):
        for complaint in self:
            total = 0.0
            for invoice in complaint.invoice_ids:
                total += invoice.currency_id._convert(
                    invoice.amount_total,
                    complaint.currency_id or complaint.company_id.currency_id,
                    complaint.company_id,
                    invoice.invoice_date or fields.Date.context_today(complaint),
                )
            complaint.invoiced_amount = total

    @api.depends("company_id", "category_id", "severity")
    def _compute_sla_policy_id(self):
        policy_model = self.env["vertrieb.complaint.sla.policy"]
        cache = {}
        for complaint in self:
            key = (complaint.company_id, complaint.category_id, complaint.severity)
            if key not in cache:
                cache[key] = policy_model._find_policy(*key)
            complaint.sla_policy_id = cache[key]

    @api.depends(
        "sla_policy_id",
        "sla_policy_id.ack_time",
        "sla_policy_id.resolve_time",
        "sla_policy_id.time_unit",
        "date_received",
    )
    def _compute_deadlines(self):
        for complaint in self:
            policy = complaint.sla_policy_id
            if not policy or not complaint.date_received:
                complaint.ack_deadline = complaint.resolve_deadline = False
                continue
            complaint.ack_deadline = policy._deadline(complaint.date_received, policy.ack_time)
            complaint.resolve_deadline = policy._deadline(complaint.date_received, policy.resolve_time)

    @api.depends("date_received", "date_acknowledged", "date_resolved", "ack_deadline", "resolve_deadline")
    def _compute_times(self):
        for complaint in self:
            received = complaint.date_received
            ack, resolved = complaint.date_acknowledged, complaint.date_resolved
            complaint.ack_hours = (ack - received).total_seconds() / 3600.0 if ack and received else 0.0
            complaint.resolve_hours = (resolved - received).total_seconds() / 3600.0 if resolved and received else 0.0
            complaint.ack_sla_met = bool(ack and (not complaint.ack_deadline or ack <= complaint.ack_deadline))
            complaint.resolve_sla_met = bool(
                resolved and (not complaint.resolve_deadline or resolved <= complaint.resolve_deadline)
            )
            complaint.sla_met_rate = 100.0 if complaint.ack_sla_met and complaint.resolve_sla_met else 0.0

    @api.depends(
        "ack_deadline", "resolve_deadline", "date_acknowledged", "date_resolved", "sla_policy_id.reminder_hours"
    )
    def _compute_sla_deadline(self):
        for complaint in self:
            deadline = False
            if not complaint.date_acknowledged and complaint.ack_deadline:
                deadline = complaint.ack_deadline
            elif not complaint.date_resolved and complaint.resolve_deadline:
                deadline = complaint.resolve_deadline
            complaint.sla_deadline = deadline
            complaint.sla_risk_date = (
                deadline - timedelta(hours=complaint.sla_policy_id.reminder_hours) if deadline else False
            )

    @api.depends_context("sla_now")
    @api.depends("sla_deadline", "sla_risk_date", "ack_deadline", "resolve_deadline", "ack_sla_met", "resolve_sla_met")
    def _compute_sla_status(self):
        now = self._sla_now()
        for complaint in self:
            if not complaint.ack_deadline and not complaint.resolve_deadline:
                status = "none"
            elif complaint.sla_deadline:
                if now > complaint.sla_deadline:
                    status = "overdue"
                elif now >= complaint.sla_risk_date:
                    status = "at_risk"
                else:
                    status = "on_time"
            else:
                status = "met" if complaint.ack_sla_met and complaint.resolve_sla_met else "missed"
            complaint.sla_status = status

    def _sla_now(self):
        return self.env.context.get("sla_now") or fields.Datetime.now()

    def _search_sla_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("This search on the SLA status is not supported."))
        values = [value] if isinstance(value, str) else list(value or [])
        now = self._sla_now()
        domains = {
            "none": [("ack_deadline", "=", False), ("resolve_deadline", "=", False)],
            "overdue": [("sla_deadline", "!=", False), ("sla_deadline", "<", now)],
            "at_risk": [("sla_deadline", ">=", now), ("sla_risk_date", "<=", now)],
            "on_time": [("sla_risk_date", ">", now)],
            "met": [
                ("sla_deadline", "=", False),
                ("ack_sla_met", "=", True),
                ("resolve_sla_met", "=", True),
                ("resolve_deadline", "!=", False),
            ],
            "missed": [
                ("sla_deadline", "=", False),
                ("resolve_deadline", "!=", False),
                "|",
                ("ack_sla_met", "=", False),
                ("resolve_sla_met", "=", False),
            ],
        }
        domain = expression.OR([domains[v] for v in values if v in domains]) if values else expression.FALSE_DOMAIN
        if operator in ("!=", "not in"):
            return ["!", *expression.normalize_domain(domain)]
        return domain

    @api.depends("invoice_ids.invoice_date", "invoice_ids.delivery_date")
    def _compute_goods_date(self):
        for complaint in self:
            dates = [inv.delivery_date or inv.invoice_date for inv in complaint.invoice_ids]
            dates = [d for d in dates if d]
            complaint.goods_date = min(dates) if dates else complaint.goods_date

    @api.depends("partner_id.is_company")
    def _compute_merchant_transaction(self):
        for complaint in self:
            complaint.merchant_transaction = bool(complaint.partner_id.is_company)

    @api.depends(
        "complaint_type",
        "merchant_transaction",
        "goods_date",
        "date_received",
        "category_id.notice_days",
        "category_id.warranty_months",
    )
    def _compute_notice_flags(self):
        for complaint in self:
            late = outside = False
            if complaint.complaint_type == "claim" and complaint.goods_date and complaint.date_received:
                received = complaint.date_received.date()
                category = complaint.category_id
                notice_days = category.notice_days if category else 7
                if complaint.merchant_transaction and (received - complaint.goods_date).days > notice_days:
                    late = True
                if category.warranty_months and received > complaint.goods_date + relativedelta(
                    months=category.warranty_months
                ):
                    outside = True
            complaint.late_notice = late
            complaint.outside_warranty = outside

    @api.depends("name", "title")
    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = (
                f"{complaint.name} {complaint.title}" if complaint.name and complaint.name != "/" else complaint.title
            )

    # ------------------------------------------------------------------------------------------
    # ONCHANGES AND CONSTRAINTS
    # ------------------------------------------------------------------------------------------

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        if self.contact_id:
            self.partner_id = self.contact_id.commercial_partner_id
            if self.contact_id.email:
                self.email_from = self.contact_id.email

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            if self.partner_id.user_id.sale_team_id and not self.team_id:
                self.team_id = self.partner_id.user_id.sale_team_id
            if not self.email_from:
                self.email_from = self.partner_id.email

    @api.onchange("invoice_line_ids")
    def _onchange_invoice_line_ids(self):
        products = self.invoice_line_ids.product_id
        if products:
            self.product_ids |= products

    @api.constrains("partner_id", "contact_id", "invoice_ids", "invoice_line_ids", "company_id")
    def _check_documents(self):
        for complaint in self:
            if complaint.contact_id and complaint.contact_id.commercial_partner_id != complaint.partner_id:
                raise ValidationError(
                    self.env._(
                        "The contact person %(contact)s does not belong to the customer %(customer)s.",
                        contact=complaint.contact_id.display_name,
                        customer=complaint.partner_id.display_name,
                    )
                )
            for invoice in complaint.invoice_ids:
                if invoice.move_type != "out_invoice":
                    raise ValidationError(
                        self.env._(
                            "%(move)s is not a customer invoice: a complaint can only concern customer invoices.",
                            move=invoice.display_name,
                        )
                    )
                if invoice.company_id != complaint.company_id:
                    raise ValidationError(
                        self.env._(
                            "The invoice %(move)s belongs to another company than the complaint.",
                            move=invoice.display_name,
                        )
                    )
                if invoice.commercial_partner_id != complaint.partner_id:
                    raise ValidationError(
                        self.env._(
                            "The invoice %(move)s is addressed to %(other)s, not to the customer %(customer)s.",
                            move=invoice.display_name,
                            other=invoice.commercial_partner_id.display_name,
                            customer=complaint.partner_id.display_name,
                        )
                    )
            if complaint.invoice_line_ids.move_id - complaint.invoice_ids:
                raise ValidationError(
                    self.env._("Every invoice line of the complaint must belong to one of its invoices.")
                )

    @api.constrains("accepted_amount", "invoice_ids", "currency_id")
    def _check_accepted_amount(self):
        for complaint in self:
            if (
                complaint.invoice_ids
                and complaint.currency_id.compare_amounts(complaint.accepted_amount, complaint.invoiced_amount) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The accepted amount (%(accepted)s) cannot exceed the invoiced amount (%(invoiced)s).",
                        accepted=complaint.currency_id.format(complaint.accepted_amount),
                        invoiced=complaint.currency_id.format(complaint.invoiced_amount),
                    )
                )

    @api.constrains("date_received", "date_acknowledged", "date_resolved", "date_closed")
    def _check_dates(self):
        for complaint in self:
            received = complaint.date_received
            if complaint.date_acknowledged and complaint.date_acknowledged < received:
                raise ValidationError(self.env._("The acknowledgement date cannot be before the date of receipt."))
            if complaint.date_resolved and complaint.date_resolved < received:
                raise ValidationError(self.env._("The resolution date cannot be before the date of receipt."))
            if complaint.date_closed and complaint.date_closed < received:
                raise ValidationError(self.env._("The closing date cannot be before the date of receipt."))

    # ------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"]
        for vals in vals_list:
            check_module_fields(self, vals, MODULE_FIELDS)
            if not vals.get("partner_id") and not (self.env.su and vals.get("sender_unknown")):
                raise UserError(self.env._("A complaint needs a customer."))
            partner = partners.browse(vals.get("partner_id"))
            vals["partner_id"] = partner.commercial_partner_id.id
            if not vals.get("contact_id") and partner.commercial_partner_id != partner:
                vals["contact_id"] = partner.id
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self._next_reference(company)
            stage = self.env["vertrieb.complaint.stage"].browse(vals.get("stage_id"))
            if stage:
                self._vertrieb_complaint_stage_dates(stage, vals, fields.Datetime.now())
        complaints = super().create(vals_list)
        for complaint, vals in zip(complaints, vals_list, strict=True):
            if vals.get("stage_id"):
                complaint._vertrieb_complaint_check_close(complaint.stage_id, {})
        complaints._vertrieb_complaint_send_acknowledgement()
        return complaints

    def write(self, vals):
        check_module_fields(self, vals, MODULE_FIELDS)
        if "partner_id" in vals:
            if not vals["partner_id"]:
                raise UserError(self.env._("A complaint needs a customer."))
            vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
        if not vals.get("stage_id"):
            return super().write(vals)
        stage = self.env["vertrieb.complaint.stage"].browse(vals["stage_id"])
        now = fields.Datetime.now()
        for complaint in self:
            complaint._vertrieb_complaint_check_close(stage, vals)
        result = True
        closing = self.filtered(lambda c: not c.is_closed) if stage.is_closed else self.browse()
        for complaint in self:
            complaint_vals = dict(vals)
            complaint._vertrieb_complaint_stage_dates(stage, complaint_vals, now)
            result &= super(VertriebComplaint, complaint).write(complaint_vals)
        if closing and not stage.is_rejected:
            closing._vertrieb_complaint_request_rating()
        return result

    # ------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------

    @api.model
    def _next_reference(self, company):
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search([("code", "=", "vertrieb.complaint"), ("company_id", "=", company.id)], limit=1)
        )
        if not sequence:
            template = self.env.ref("crm_vertrieb.seq_vertrieb_complaint", raise_if_not_found=False)
            if template:
                sequence = template.sudo().copy({"company_id": company.id})
            else:
                sequence = (
                    self.env["ir.sequence"]
                    .sudo()
                    .create(
                        {
                            "name": "Complaint",
                            "code": "vertrieb.complaint",
                            "prefix": "REK/%(range_year)s/",
                            "padding": 5,
                            "use_date_range": True,
                            "company_id": company.id,
                        }
                    )
                )
        return sequence.next_by_id()

    def _vertrieb_complaint_stage_dates(self, stage, vals, now):
        """Fill the ISO 10002 dates in ``vals`` when a complaint reaches ``stage``."""
        if stage.is_acknowledged and not self.date_acknowledged and not vals.get("date_acknowledged"):
            vals["date_acknowledged"] = now
        if stage.is_resolved and not self.date_resolved and not vals.get("date_resolved"):
            vals["date_resolved"] = now
        if stage.is_closed and not self.date_closed and not vals.get("date_closed"):
            vals["date_closed"] = now
        elif not stage.is_closed and self.date_closed:
            vals["date_closed"] = False

    def _vertrieb_complaint_check_close(self, stage, vals):
        """Raise if ``self`` may not enter the closing ``stage`` with the analysis it has (or gets)."""
        if not stage.is_closed:
            return
        company = self.company_id or self.env.company

        def value(field):
            return vals[field] if field in vals else self[field]

        if stage.is_rejected:
            if company.vertrieb_complaint_reject_requires_reason and not value("reject_reason"):
                raise UserError(
                    self.env._("%(complaint)s: rejecting a complaint requires a reason.", complaint=self.display_name)
                )
            return
        complaint_type = value("complaint_type")
        claim_incomplete = not value("root_cause_category") or not value("root_cause") or not value("corrective_action")
        if complaint_type == "claim" and company.vertrieb_complaint_claim_requires_analysis and claim_incomplete:
            raise UserError(
                self.env._(
                    "%(complaint)s: closing a claim (Reklamation) requires the root cause (category and "
                    "text) and the corrective action.",
                    complaint=self.display_name,
                )
            )
        if complaint_type == "complaint" and company.vertrieb_complaint_requires_resolution and not value("resolution"):
            raise UserError(
                self.env._(
                    "%(complaint)s: closing a complaint (Beschwerde) requires a resolution text.",
                    complaint=self.display_name,
                )
            )

    @api.model
    def _cron_sla_reminders(self, limit=500):
        """Remind the responsible by an activity when a deadline comes close."""
        now = fields.Datetime.now()
        domain = [
            ("is_closed", "=", False),
            ("sla_risk_date", "<=", now),
            ("user_id", "!=", False),
        ]
        complaints = self.search(domain).filtered(lambda c: c.sla_reminded_deadline != c.sla_deadline)
        batch = complaints[:limit]
        for complaint in batch:
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(complaint, complaint.sla_deadline),
                summary=reader_env(self.env, complaint.user_id)._(
                    "SLA deadline of complaint %(name)s", name=complaint.name
                ),
                user_id=complaint.user_id.id,
            )
            complaint.sudo().sla_reminded_deadline = complaint.sla_deadline
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(complaints) - len(batch))

    # ------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    @api.model
    def _vertrieb_count_by(self, field_name, records):
        """Complaints the user may read, counted per record of ``field_name`` (the entry point
        behind every "Complaints" smart button): ``{record: count}``, empty without read access."""
        if not records.ids or not self.has_access("read"):
            return {}
        return dict(self._read_group([(field_name, "in", records.ids)], [field_name], ["__count"]))

    def _action_for_domain(self, domain, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_vertrieb.vertrieb_complaint_action")
        action["domain"] = domain
        action["context"] = context or {}
        return action
