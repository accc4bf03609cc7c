from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv.expression import AND as Domain_and
from odoo.osv.expression import OR as Domain_or
from odoo.tools import SQL

from ..base.column_fill import create_computed_columns, fill_from_query
from ..base.protected_fields import check_module_fields
from ..base.reader_lang import reader_env

# written by the stage changes only (step history, in SQL; the entry date with the stage)
MODULE_FIELDS = frozenset({"vertrieb_step_date_enter", "vertrieb_step_history_ids"})

# The override of a stage gate in progress: (reason, lead ids or None while creating). Set only by
# CrmLead._vertrieb_overriding_gate() in server code, never from the client's context.
_GATE_OVERRIDE = ContextVar("vertrieb_gate_override", default=None)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Step and timeline
    vertrieb_step_id = fields.Many2one(
        related="stage_id.vertrieb_step_id",
        store=True,
        index="btree_not_null",
        string="Acquisition Step",
        help="Step of the acquisition process, given by the stage of the lead.",
    )
    vertrieb_step_index = fields.Integer(
        compute="_compute_vertrieb_step_index", string="Step Number", help="Position of the step in the process."
    )
    vertrieb_step_count = fields.Integer(compute="_compute_vertrieb_step_index", string="Number of Steps")
    vertrieb_step_progress = fields.Float(compute="_compute_vertrieb_step_index", string="Step Progress")
    vertrieb_step_date_enter = fields.Datetime(string="In Step Since", readonly=True, copy=False)
    vertrieb_acquisition_pipeline = fields.Boolean(
        string="Acquisition Pipeline",
        compute="_compute_vertrieb_acquisition_pipeline",
        help="The sales team works with the stages of the acquisition process: only they are offered.",
    )
    vertrieb_plan_ids = fields.One2many(
        "vertrieb.lead.step.plan", "lead_id", string="Schedule", copy=False, help="Planned end date per step."
    )
    vertrieb_step_deadline = fields.Date(
        string="Step Due On",
        compute="_compute_vertrieb_step_deadline",
        store=True,
        help="Planned end of the current step: its planned date, else entry date plus target duration.",
    )
    vertrieb_step_overdue = fields.Boolean(
        string="Overdue in Step", compute="_compute_vertrieb_step_overdue", search="_search_vertrieb_step_overdue"
    )
    vertrieb_gate_missing = fields.Text(
        string="Missing Information",
        compute="_compute_vertrieb_gate_missing",
        help="What must still be known before the lead may leave its current step.",
    )
    vertrieb_gate_blocked = fields.Boolean(
        string="Blocked by Gate", compute="_compute_vertrieb_gate_missing", search="_search_vertrieb_gate_blocked"
    )
    vertrieb_step_history_ids = fields.One2many(
        "vertrieb.lead.step.history", "lead_id", string="Step History", copy=False, readonly=True
    )
    # 1. Research (Recherche)
    vertrieb_target_group = fields.Char(string="Target Group", tracking=True)
    vertrieb_industry_id = fields.Many2one("res.partner.industry", string="Industry", tracking=True)
    vertrieb_territory = fields.Char(string="Target Territory", tracking=True)
    vertrieb_revenue_class = fields.Selection(
        [
            ("small", "Up to 2 million"),
            ("medium", "2 to 10 million"),
            ("large", "10 to 50 million"),
            ("xlarge", "More than 50 million"),
        ],
        string="Revenue Size",
        tracking=True,
        help="Annual revenue class of the prospect.",
    )
    # 2. Identification (Identifizierung)
    vertrieb_decision_maker_id = fields.Many2one(
        "res.partner", string="Decision Maker", tracking=True, index="btree_not_null", check_company=True
    )
    vertrieb_decision_maker_role = fields.Char(string="Role of the Decision Maker")
    # 3. Contact clarification (Kontaktklärung)
    vertrieb_decision_maker_confirmed = fields.Selection(
        [("yes", "Yes"), ("no", "No")],
        string="Contact Is Decision Maker",
        tracking=True,
        help="Has it been verified that the contact person decides?",
    )
    vertrieb_verification_event_id = fields.Many2one(
        "calendar.event",
        string="Verification Appointment",
        domain="[('opportunity_id', '=', id)]",
        ondelete="set null",
        help="Counts once it has taken place: in the past, not cancelled, attended by the decision maker.",
    )
    vertrieb_verification_held_on = fields.Date(
        string="Verification Meeting Held On",
        tracking=True,
        help="Record a verification meeting that took place without a calendar appointment.",
    )
    # 4. Needs analysis (Bedarfsanalyse)
    vertrieb_need = fields.Text(string="Need / Problem")
    vertrieb_customer_budget = fields.Monetary(string="Customer Budget", currency_field="company_currency")
    vertrieb_decision_criteria = fields.Text(string="Decision Criteria")
    vertrieb_presentation_date = fields.Date(string="Presentation On", tracking=True)
    vertrieb_presentation_participant_ids = fields.Many2many(
        "res.partner",
        "crm_lead_vertrieb_presentation_partner_rel",
        "lead_id",
        "partner_id",
        string="Presentation Participants",
    )
    vertrieb_more_info_requested = fields.Boolean(string="Customer Asked for More Information", tracking=True)
    vertrieb_more_info_answer = fields.Text(string="Answer to the Request")
    # 5. Argumentation
    vertrieb_offer_amount = fields.Monetary(string="Offer Amount", currency_field="company_currency", tracking=True)
    vertrieb_offer_date = fields.Date(string="Offer Date")
    vertrieb_offer_document = fields.Binary(string="Offer Document", attachment=True, copy=False)
    vertrieb_offer_document_name = fields.Char(string="Offer File Name", copy=False)
    vertrieb_objections = fields.Text(string="Objections and Answers")
    # 6. Contract (Vertrag)
    vertrieb_verbal_commitment = fields.Boolean(
        string="Verbal Commitment", tracking=True, help="The customer committed verbally; closes the argumentation."
    )
    vertrieb_contract_date = fields.Date(string="Written Agreement On", tracking=True)
    vertrieb_contract_document = fields.Binary(string="Agreement Document", attachment=True, copy=False)
    vertrieb_contract_document_name = fields.Char(string="Agreement File Name", copy=False)
    # 7. Closing (Abschluss)
    vertrieb_contract_signed_date = fields.Date(string="Contract Signed On", tracking=True, copy=False)
    vertrieb_payment_received = fields.Boolean(
        string="Payment Received",
        compute="_compute_vertrieb_payment_received",
        store=True,
        tracking=True,
        help="Set by the linked customer invoices: all posted ones are paid or in payment.",
    )
    # 8. Evaluation & feedback (Bewertung & Feedback)
    vertrieb_training_date = fields.Date(string="Customer Trained On")
    vertrieb_feedback_rating = fields.Selection(
        [("0", "No Rating"), ("1", "Dissatisfied"), ("2", "Satisfied"), ("3", "Very Satisfied")],
        string="Feedback Rating",
    )
    vertrieb_feedback = fields.Text(string="Customer Feedback")
    vertrieb_reference_granted = fields.Boolean(
        string="Reference Granted",
        compute="_compute_vertrieb_reference_granted",
        search="_search_vertrieb_reference_granted",
        help="The customer consented to be named as a reference: a granted purpose record “Reference customer” "
        "of the customer (data protection). Record or withdraw the consent there; it cannot be set here.",
    )
    vertrieb_followup_date = fields.Date(string="Follow-up On")
    # Competitors (Wettbewerbsinformation)
    vertrieb_competitor_ids = fields.Many2many(
        "vertrieb.competitor", "crm_lead_vertrieb_competitor_rel", "lead_id", "competitor_id", string="Competitors"
    )
    vertrieb_main_competitor_id = fields.Many2one(
        "vertrieb.competitor", string="Main Competitor", tracking=True, index="btree_not_null"
    )
    vertrieb_product_category_id = fields.Many2one(
        "product.category", string="Product Category", help="What the opportunity is about, for the reports."
    )
    vertrieb_lost_to_id = fields.Many2one(
        "vertrieb.competitor", string="Lost To", tracking=True, index="btree_not_null"
    )
    # Budget
    vertrieb_budget = fields.Monetary(
        string="Acquisition Budget", currency_field="company_currency", help="Planned cost of winning this customer."
    )
    vertrieb_cost_ids = fields.One2many("vertrieb.acquisition.cost", "lead_id", string="Costs", copy=False)
    vertrieb_actual_cost = fields.Monetary(
        string="Acquisition Cost",
        currency_field="company_currency",
        compute="_compute_vertrieb_actual_cost",
        store=True,
        help="Sum of the cost entries of the opportunity.",
    )
    vertrieb_budget_exceeded = fields.Boolean(
        string="Budget Exceeded", compute="_compute_vertrieb_actual_cost", store=True, index=True
    )
    # Invoices
    vertrieb_invoice_ids = fields.One2many("account.move", "vertrieb_lead_id", string="Invoices", copy=False)
    vertrieb_invoice_count = fields.Integer(compute="_compute_vertrieb_invoice_amounts", string="Invoice Count")
    vertrieb_amount_invoiced = fields.Monetary(
        compute="_compute_vertrieb_invoice_amounts", string="Invoiced", currency_field="company_currency"
    )
    vertrieb_amount_paid = fields.Monetary(
        compute="_compute_vertrieb_invoice_amounts", string="Paid", currency_field="company_currency"
    )
    vertrieb_amount_open = fields.Monetary(
        compute="_compute_vertrieb_invoice_amounts", string="Open", currency_field="company_currency"
    )

    # The first fill of the stored computed fields on existing leads (install, update): one
    # statement instead of the ORM computing every lead in memory (see models/base/column_fill.py).
    # Each expression is the compute below in SQL; tests/acquisition/test_column_fill.py compares.
    _VERTRIEB_FILLED = (
        "vertrieb_step_id",
        "vertrieb_step_deadline",
        "vertrieb_payment_received",
        "vertrieb_actual_cost",
        "vertrieb_budget_exceeded",
    )

    def _auto_init(self):
        created = create_computed_columns(self, self._VERTRIEB_FILLED)
        res = super()._auto_init()
        if created:
            self.pool.post_init(self._vertrieb_fill_acquisition_columns, created)
        return res

    @api.model
    def _vertrieb_fill_acquisition_columns(self, fnames, ids=None):
        # aggregates joined by hash (the new columns have no index yet while they are filled)
        cost = SQL("COALESCE(c.amount, 0)")
        expressions = {
            "vertrieb_step_id": SQL("s.vertrieb_step_id"),
            # the planned date of the current step, else its entry date plus the step's target days
            "vertrieb_step_deadline": SQL(
                "CASE WHEN st.id IS NOT NULL THEN COALESCE(p.date_planned, "
                "l.vertrieb_step_date_enter::date + COALESCE(st.target_days, 0)) END"
            ),
            # posted customer invoices (not reversed) exist and all are paid or in payment
            "vertrieb_payment_received": SQL("COALESCE(inv.all_paid, FALSE)"),
            "vertrieb_actual_cost": cost,
            "vertrieb_budget_exceeded": SQL("COALESCE(l.vertrieb_budget, 0) <> 0 AND %s > l.vertrieb_budget", cost),
        }
        source = SQL(
            """SELECT l.id, %s
                 FROM crm_lead l
                 LEFT JOIN crm_stage s ON s.id = l.stage_id
                 LEFT JOIN vertrieb_acquisition_step st ON st.id = s.vertrieb_step_id
                 LEFT JOIN (SELECT DISTINCT ON (lead_id, step_id) lead_id, step_id, date_planned
                              FROM vertrieb_lead_step_plan
                             ORDER BY lead_id, step_id, step_sequence, id) p
                        ON p.lead_id = l.id AND p.step_id = st.id
                 LEFT JOIN (SELECT lead_id, sum(amount) AS amount
                              FROM vertrieb_acquisition_cost GROUP BY lead_id) c ON c.lead_id = l.id
                 LEFT JOIN (SELECT vertrieb_lead_id,
                                   bool_and(COALESCE(payment_state, '') IN ('paid', 'in_payment')) AS all_paid
                              FROM account_move
                             WHERE vertrieb_lead_id IS NOT NULL AND state = 'posted' AND move_type = 'out_invoice'
                               AND payment_state IS DISTINCT FROM 'reversed'
                             GROUP BY vertrieb_lead_id) inv ON inv.vertrieb_lead_id = l.id""",
            SQL(", ").join(SQL("%s AS %s", expressions[name], SQL.identifier(name)) for name in fnames),
        )
        return fill_from_query(self, "Acquisition fields of existing leads", fnames, source, ids)

    @api.depends("vertrieb_cost_ids.amount", "vertrieb_budget")
    def _compute_vertrieb_actual_cost(self):
        sums = {}
        if self.ids:
            groups = (
                self.env["vertrieb.acquisition.cost"]
                .sudo()
                ._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["amount:sum"])
            )
            sums = {lead.id: amount for lead, amount in groups}
        for lead in self:
            cost = sums.get(lead.id, 0.0) if lead.id else sum(lead.vertrieb_cost_ids.mapped("amount"))
            lead.vertrieb_actual_cost = cost
            lead.vertrieb_budget_exceeded = bool(lead.vertrieb_budget) and cost > lead.vertrieb_budget

    @api.depends("partner_id")
    @api.depends_context("company")
    def _compute_vertrieb_reference_granted(self):
        partners = self.partner_id | self.partner_id.commercial_partner_id
        granted = self.env["res.partner"]._vertrieb_reference_consented(partners)
        for lead in self:
            lead.vertrieb_reference_granted = bool(
                lead.partner_id and (lead.partner_id | lead.partner_id.commercial_partner_id) & granted
            )

    def _search_vertrieb_reference_granted(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the reference flag."))
        consented = self.env["res.partner"]._vertrieb_reference_consent_domain()
        partners = self.env["res.partner"].sudo().with_context(active_test=False)._search(consented)
        domain = [
            "|",
            ("partner_id", "in", partners),
            ("partner_id.commercial_partner_id", "in", partners),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

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

    @api.depends("vertrieb_invoice_ids.state", "vertrieb_invoice_ids.payment_state", "vertrieb_invoice_ids.move_type")
    def _compute_vertrieb_payment_received(self):
        for lead in self:
            invoices = lead.vertrieb_invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice" and m.payment_state != "reversed"
            )
            lead.vertrieb_payment_received = bool(invoices) and all(
                invoice.payment_state in ("paid", "in_payment") for invoice in invoices
            )

    def _compute_vertrieb_invoice_amounts(self):
        data = {}
        if self.ids:
            groups = (
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [
                        ("vertrieb_lead_id", "in", self.ids),
                        ("state", "=", "posted"),
                        ("move_type", "in", ("out_invoice", "out_refund")),
                    ],
                    ["vertrieb_lead_id"],
                    ["__count", "amount_total_signed:sum", "amount_residual_signed:sum"],
                )
            )
            data = {lead.id: (count, total, residual) for lead, count, total, residual in groups}
        for lead in self:
            count, total, residual = data.get(lead.id, (0, 0.0, 0.0))
            lead.vertrieb_invoice_count = count
            lead.vertrieb_amount_invoiced = total
            lead.vertrieb_amount_open = residual
            lead.vertrieb_amount_paid = total - residual

    @api.constrains("vertrieb_decision_maker_id", "partner_id")
    def _check_vertrieb_decision_maker(self):
        for lead in self:
            maker = lead.vertrieb_decision_maker_id
            company = lead.partner_id.commercial_partner_id
            if maker and company and maker.commercial_partner_id != company:
                raise ValidationError(
                    self.env._(
                        "The decision maker %(maker)s belongs to %(other)s, not to the prospect %(company)s of "
                        "%(lead)s.",
                        maker=maker.display_name,
                        other=maker.commercial_partner_id.display_name,
                        company=company.display_name,
                        lead=lead.display_name,
                    )
                )

    @api.constrains("vertrieb_verification_held_on", "vertrieb_lost_to_id", "vertrieb_main_competitor_id", "stage_id")
    def _check_vertrieb_acquisition_facts(self):
        today = fields.Date.context_today(self)
        for lead in self:
            if lead.vertrieb_verification_held_on and lead.vertrieb_verification_held_on > today:
                raise ValidationError(
                    self.env._(
                        "The verification meeting of %(lead)s cannot be recorded as held on %(date)s, a date in the "
                        "future.",
                        lead=lead.display_name,
                        date=lead.vertrieb_verification_held_on,
                    )
                )
            if lead.vertrieb_lost_to_id and lead.stage_id.is_won:
                raise ValidationError(
                    self.env._(
                        "%(lead)s is won: it cannot be lost to %(competitor)s. Clear “Lost To” first.",
                        lead=lead.display_name,
                        competitor=lead.vertrieb_lost_to_id.name,
                    )
                )
            main = lead.vertrieb_main_competitor_id
            if main and main not in lead.vertrieb_competitor_ids:
                raise ValidationError(
                    self.env._(
                        "The main competitor %(competitor)s of %(lead)s must be one of its competitors.",
                        competitor=main.name,
                        lead=lead.display_name,
                    )
                )

    @api.constrains("vertrieb_budget", "vertrieb_customer_budget", "vertrieb_offer_amount")
    def _check_vertrieb_amounts(self):
        names = ("vertrieb_budget", "vertrieb_customer_budget", "vertrieb_offer_amount")
        for lead in self:
            for name in names:
                if lead[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(lead)s cannot be negative.",
                            field=self._fields[name]._description_string(self.env),
                            lead=lead.display_name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_module_fields(self, vals, MODULE_FIELDS)
        leads = super().create(vals_list)
        leads._vertrieb_acquisition_after_create()
        self.env["vertrieb.acquisition.report.rows"]._vertrieb_rows_touch_leads(leads.ids)
        leads._vertrieb_fire_triggers(set().union(*vals_list) if vals_list else set())
        return leads

    def write(self, vals):
        check_module_fields(self, vals, MODULE_FIELDS)
        vals, acquisition_state = self._vertrieb_acquisition_before_write(vals)
        res = super().write(vals)
        self._vertrieb_acquisition_after_write(vals, acquisition_state)
        # the stored rows of the competitor and cost reports
        self.env["vertrieb.acquisition.report.rows"]._vertrieb_rows_touch_leads(self.ids, vals)
        self._vertrieb_fire_triggers(vals)
        if "vertrieb_budget" in vals:
            self.env["vertrieb.acquisition.cost"]._vertrieb_budget_check(self)
        return res

    def _vertrieb_fire_triggers(self, names):
        """Next actions: the verbal commitment and the follow-up date schedule their activities."""
        Trigger = self.env["vertrieb.acquisition.trigger"]
        if "vertrieb_verbal_commitment" in names:
            Trigger._vertrieb_fire("verbal_commitment", self.filtered("vertrieb_verbal_commitment"))
        if "vertrieb_followup_date" in names:
            Trigger._vertrieb_fire("followup_date", self.filtered("vertrieb_followup_date"))

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

    @api.model
    @api.readonly
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """Invoicing users have no access to leads (least privilege); to link an invoice to its
        opportunity they get the names of the opportunities of customers they invoice, nothing
        else. No context key decides it: the ids the client names in the domain (the invoice's
        ``vertrieb_lead_candidate_ids``) are checked again here."""
        if self.env.su or self.has_access("read") or not self.env.user.has_group("account.group_account_invoice"):
            return super().name_search(name=name, args=args, operator=operator, limit=limit)
        return self._vertrieb_invoice_opportunities(args, name, limit)

    @api.model
    def _vertrieb_invoice_opportunity_domain(self, customers):
        """Open opportunities of the commercial entities ``customers`` in the current user's companies."""
        return [
            ("type", "=", "opportunity"),
            ("partner_id", "child_of", customers.ids),
            ("company_id", "in", [*self.env.companies.ids, False]),
        ]

    @api.model
    def _vertrieb_invoice_opportunities(self, domain, name, limit):
        """(id, name) of the opportunities among the ids of ``domain`` (leaves ``("id", "in", ids)``
        or ``("id", "=", id)``; anything else in it is ignored) that an invoice of the current user
        may be linked to: each belongs to a customer the user invoices (a customer invoice or credit
        note they can read) — never the whole pipeline, whatever the client sends."""
        ids = set()
        for leaf in domain or []:
            if isinstance(leaf, list | tuple) and len(leaf) == 3 and leaf[0] == "id" and leaf[1] in ("in", "="):
                ids.update(value for value in (leaf[2] if leaf[1] == "in" else [leaf[2]]) if isinstance(value, int))
        if not ids:
            return []
        leads = self.sudo().browse(ids).exists()
        invoiced = (
            self.env["account.move"]
            .search(
                [
                    ("commercial_partner_id", "in", leads.partner_id.commercial_partner_id.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ]
            )
            .commercial_partner_id
        )
        if not invoiced:
            return []
        lead_domain = [("id", "in", leads.ids), *self._vertrieb_invoice_opportunity_domain(invoiced)]
        if name:
            lead_domain.append(("name", "ilike", name))
        return [(lead.id, lead.display_name) for lead in self.sudo().search(lead_domain, limit=limit)]

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

    def action_vertrieb_reference_consent(self):
        """The customer's purpose record "Reference customer": record, grant or withdraw the consent
        to be named there (the privacy feature keeps its evidence and history)."""
        self.ensure_one()
        if "vertrieb.privacy.purpose" not in self.env:  # seam: the privacy feature owns the consent
            return False
        customer = self.partner_id.commercial_partner_id
        if not customer:
            raise UserError(self.env._("%(lead)s has no customer to be named as a reference.", lead=self.display_name))
        purpose = self.env["vertrieb.privacy.purpose"]._vertrieb_get("reference_customer")
        consent = self.env["vertrieb.privacy.consent"].search(
            [
                ("partner_id", "=", customer.id),
                ("purpose_id", "=", purpose.id),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consent to Be Named as a Reference"),
            "res_model": "vertrieb.privacy.consent",
            "view_mode": "form",
            "res_id": consent.id,
            "context": {"default_partner_id": customer.id, "default_purpose_id": purpose.id},
        }

    def action_vertrieb_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("vertrieb_lead_id", "=", self.id)]
        action["context"] = {
            "default_move_type": "out_invoice",
            "default_vertrieb_lead_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
