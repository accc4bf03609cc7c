from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..base.column_fill import create_computed_columns, fill_from_query


class CrmLead(models.Model):
    """The acquisition part of ``crm.lead``: the fields of the eight steps, their first fill on
    existing leads and the checks of the facts recorded in them. The other concerns have files of
    their own, ``crm_lead_*.py`` (gates, report rows, next actions, costs, schedule, pipeline,
    invoices, reference customers)."""

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
    # Each expression is a compute of crm_lead*.py in SQL; tests/acquisition/test_acquisition_column_fill.py compares.
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
