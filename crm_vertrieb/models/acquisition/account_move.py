from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.sql import create_index

# the fields of a customer invoice the revenue of a won customer depends on
REVENUE_FIELDS = frozenset({"state", "partner_id", "commercial_partner_id", "invoice_date", "company_id", "move_type"})


class AccountMove(models.Model):
    _inherit = "account.move"

    vertrieb_lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        copy=False,
        help="Opportunity this customer invoice or credit note belongs to (acquisition process).",
    )
    vertrieb_lead_partner_confirmed = fields.Boolean(
        string="Different Customer Confirmed",
        copy=False,
        help="The accountant confirms that the invoice belongs to the opportunity although its customer differs.",
    )

    # the opportunities an invoicing user (no access to leads) may pick: computed on the server from
    # the invoice's customer and company (also for an unsaved invoice); the field's domain in the
    # form, and crm.lead.name_search checks every id again
    vertrieb_lead_candidate_ids = fields.Many2many(
        "crm.lead",
        string="Opportunities of the Customer",
        compute="_compute_vertrieb_lead_candidate_ids",
        compute_sudo=True,
    )

    @api.depends("partner_id", "company_id", "move_type")
    def _compute_vertrieb_lead_candidate_ids(self):
        Lead = self.env["crm.lead"]
        for move in self:
            if move.move_type in ("out_invoice", "out_refund") and move.partner_id:
                customer = move.partner_id.commercial_partner_id
                move.vertrieb_lead_candidate_ids = Lead.search(Lead._vertrieb_invoice_opportunity_domain(customer))
            else:
                move.vertrieb_lead_candidate_ids = False

    @api.constrains("vertrieb_lead_id", "move_type", "partner_id", "company_id", "vertrieb_lead_partner_confirmed")
    def _check_vertrieb_lead_id(self):
        for move in self.filtered("vertrieb_lead_id"):
            # invoicing users cannot read leads; the check itself must see the opportunity
            lead = move.vertrieb_lead_id.sudo()
            if move.move_type not in ("out_invoice", "out_refund"):
                raise ValidationError(
                    self.env._(
                        "Only customer invoices and credit notes can be linked to an opportunity, not %(move)s.",
                        move=move.display_name,
                    )
                )
            if lead.company_id and lead.company_id != move.company_id:
                raise ValidationError(
                    self.env._(
                        "%(move)s belongs to %(company)s, the opportunity %(lead)s to %(lead_company)s.",
                        move=move.display_name,
                        company=move.company_id.name,
                        lead=lead.display_name,
                        lead_company=lead.company_id.name,
                    )
                )
            customer = lead.partner_id.commercial_partner_id
            if customer != move.commercial_partner_id and not move.vertrieb_lead_partner_confirmed:
                raise ValidationError(
                    self.env._(
                        "The customer of the opportunity %(lead)s (%(customer)s) is not the customer of "
                        "%(move)s (%(partner)s). Tick 'Different Customer Confirmed' to link it anyway.",
                        lead=lead.display_name,
                        customer=customer.display_name or self.env._("none"),
                        move=move.display_name,
                        partner=move.commercial_partner_id.display_name,
                    )
                )

    def init(self):
        res = super().init()
        # the revenue of a won customer in the cost analysis: its posted invoices by date, when
        # the rows of a few opportunities are rebuilt (not a scan of every invoice of the period)
        create_index(
            self.env.cr,
            "account_move_vertrieb_customer_revenue_index",
            self._table,
            ["commercial_partner_id", "company_id", "invoice_date"],
            where="state = 'posted' AND move_type IN ('out_invoice', 'out_refund')",
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._vertrieb_report_touch()  # created posted (imports)
        return moves

    def write(self, vals):
        # the revenue of the first 12 months in the cost analysis counts the customer's posted
        # invoices: a move posted, reset to draft or cancelled (or a posted one changed) counts anew
        relevant = REVENUE_FIELDS.intersection(vals)
        if relevant:
            self._vertrieb_report_touch()
        res = super().write(vals)
        if relevant:
            self._vertrieb_report_touch()
        return res

    def _vertrieb_report_touch(self):
        """The won opportunities of the customers of these posted customer invoices and credit
        notes get their revenue in the cost analysis rebuilt."""
        customers = {
            move.commercial_partner_id.id
            for move in self.sudo()
            if move.state == "posted" and move.move_type in ("out_invoice", "out_refund")
        }
        if customers:
            self.env["vertrieb.acquisition.cost.report"]._vertrieb_rows_touch(partner_ids=customers)

    def _reverse_moves(self, default_values_list=None, cancel=False):
        """A credit note of an invoice linked to an opportunity belongs to the same opportunity."""
        default_values_list = default_values_list or [{} for _move in self]
        for move, default_values in zip(self, default_values_list, strict=True):
            if move.vertrieb_lead_id and move.move_type == "out_invoice":
                default_values.setdefault("vertrieb_lead_id", move.vertrieb_lead_id.id)
                default_values.setdefault("vertrieb_lead_partner_confirmed", move.vertrieb_lead_partner_confirmed)
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def _invoice_paid_hook(self):
        """Payment received (step 7): the opportunity moves to evaluation & feedback, next actions follow."""
        res = super()._invoice_paid_hook()
        leads = self.sudo().vertrieb_lead_id.filtered("vertrieb_payment_received")
        if leads:
            self.env["vertrieb.acquisition.trigger"]._vertrieb_payment_received(leads)
        return res
