from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class VertriebComplaintCreditNote(models.TransientModel):
    """Credit note for a complaint, created through Odoo's own reversal (account.move.reversal).

    Full: the whole invoice. Lines: selected invoice lines with the quantities to credit.
    Amount: one line with a net amount, on the account and taxes of the first invoice line.
    """

    _name = "vertrieb.complaint.credit.note"
    _description = "Complaint Credit Note"

    complaint_id = fields.Many2one("vertrieb.complaint", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id")
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        domain="[('id', 'in', available_invoice_ids)]",
    )
    available_invoice_ids = fields.Many2many("account.move", compute="_compute_available_invoice_ids")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    mode = fields.Selection(
        [("full", "Full Invoice"), ("lines", "Selected Lines and Quantities"), ("amount", "Amount")],
        required=True,
        default="full",
    )
    reason = fields.Char(required=True, default=lambda self: self._default_reason())
    date = fields.Date(string="Credit Note Date", required=True, default=fields.Date.context_today)
    amount = fields.Monetary(string="Net Amount", help="Untaxed amount to credit.")
    line_ids = fields.One2many("vertrieb.complaint.credit.note.line", "wizard_id", string="Lines")
    post = fields.Boolean(string="Post Credit Note", default=True)
    remaining_amount = fields.Monetary(
        string="Still Creditable", compute="_compute_remaining_amount", help="Invoice total minus earlier credit notes."
    )

    def _default_reason(self):
        complaint = self.env["vertrieb.complaint"].browse(self.env.context.get("default_complaint_id"))
        return complaint.display_name if complaint else False

    @api.depends("complaint_id")
    def _compute_available_invoice_ids(self):
        for wizard in self:
            wizard.available_invoice_ids = wizard.complaint_id.invoice_ids.filtered(lambda m: m.state == "posted")

    @api.depends("invoice_id")
    def _compute_remaining_amount(self):
        for wizard in self:
            wizard.remaining_amount = wizard.invoice_id.amount_total - wizard._credited_total(wizard.invoice_id)

    @api.onchange("invoice_id", "mode")
    def _onchange_invoice_mode(self):
        if self.mode == "lines" and self.invoice_id:
            self.line_ids = [Command.clear()] + [
                Command.create({"invoice_line_id": line.id, "quantity": 0.0})
                for line in self.invoice_id.invoice_line_ids.filtered(lambda ln: ln.display_type == "product")
            ]

    @api.model
    def _credited_total(self, invoice):
        refunds = self.env["account.move"].search(
            [("reversed_entry_id", "=", invoice.id), ("state", "!=", "cancel"), ("move_type", "=", "out_refund")]
        )
        return sum(refunds.mapped("amount_total"))

    def _check_input(self):
        self.ensure_one()
        invoice = self.invoice_id
        if invoice not in self.complaint_id.invoice_ids:
            raise UserError(self.env._("The invoice is not linked to the complaint."))
        if invoice.move_type != "out_invoice" or invoice.state != "posted":
            raise UserError(self.env._("A credit note can only be created for a posted customer invoice."))
        if self.mode == "amount" and self.currency_id.compare_amounts(self.amount, 0.0) <= 0:
            raise UserError(self.env._("The amount to credit must be greater than zero."))
        if self.mode == "lines":
            selected = self.line_ids.filtered(lambda ln: ln.quantity)
            if not selected:
                raise UserError(self.env._("Enter the quantity to credit on at least one line."))
            for line in selected:
                if line.quantity < 0 or line.quantity > line.invoice_line_id.quantity:
                    raise UserError(
                        self.env._(
                            "The quantity to credit on %(line)s must be between 0 and %(qty)s.",
                            line=line.invoice_line_id.display_name,
                            qty=line.invoice_line_id.quantity,
                        )
                    )

    def action_create(self):
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(self.env._("Only accountants can create credit notes."))
        self._check_input()
        invoice = self.invoice_id
        # in a savepoint: a rejected credit note leaves nothing behind
        with self.env.cr.savepoint():
            credit_note = self._create_credit_note(invoice)
        complaint = self.complaint_id
        complaint._vertrieb_link_credit_notes(
            credit_note, {} if complaint.resolution_type else {"resolution_type": "credit_note"}
        )
        if self.post:
            credit_note.action_post()
        complaint._vertrieb_credit_note_messages(credit_note, from_invoice=False)
        return complaint.action_view_credit_notes()

    def _create_credit_note(self, invoice):
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "move_ids": [Command.set(invoice.ids)],
                    # this wizard links (and checks) the credit note itself, after adjusting it
                    "vertrieb_complaint_id": False,
                    "reason": self.reason,
                    "date": self.date,
                    "journal_id": invoice.journal_id.id,
                }
            )
        )
        reversal.refund_moves()
        credit_note = reversal.new_move_ids
        if credit_note.state != "draft":
            raise UserError(self.env._("The credit note could not be prepared as a draft."))
        self._adjust_credit_note(credit_note)
        already = self._credited_total(invoice) - credit_note.amount_total
        if invoice.currency_id.compare_amounts(already + credit_note.amount_total, invoice.amount_total) > 0:
            raise UserError(
                self.env._(
                    "The credit note (%(amount)s) exceeds what is still open on the invoice %(invoice)s "
                    "(%(remaining)s).",
                    amount=invoice.currency_id.format(credit_note.amount_total),
                    invoice=invoice.display_name,
                    remaining=invoice.currency_id.format(invoice.amount_total - already),
                )
            )
        return credit_note

    def _adjust_credit_note(self, credit_note):
        """Reduce the full reversal to the selected lines/quantities or to one amount line."""
        product_lines = credit_note.invoice_line_ids.filtered(lambda ln: ln.display_type == "product").sorted(
            lambda ln: (ln.sequence, ln.id)
        )
        invoice_lines = self.invoice_id.invoice_line_ids.filtered(lambda ln: ln.display_type == "product").sorted(
            lambda ln: (ln.sequence, ln.id)
        )
        if self.mode == "lines":
            quantities = {line.invoice_line_id.id: line.quantity for line in self.line_ids}
            commands = []
            for refund_line, invoice_line in zip(product_lines, invoice_lines, strict=True):
                quantity = quantities.get(invoice_line.id, 0.0)
                if quantity:
                    commands.append(Command.update(refund_line.id, {"quantity": quantity}))
                else:
                    commands.append(Command.delete(refund_line.id))
            credit_note.write({"invoice_line_ids": commands})
        elif self.mode == "amount":
            first = product_lines[:1]
            commands = [Command.delete(line.id) for line in product_lines - first]
            commands.append(
                Command.update(
                    first.id,
                    {
                        "name": self.reason,
                        "product_id": False,
                        "quantity": 1.0,
                        "price_unit": self.amount,
                        "discount": 0.0,
                        "account_id": first.account_id.id,
                        "tax_ids": [Command.set(first.tax_ids.ids)],
                    },
                )
            )
            credit_note.write({"invoice_line_ids": commands})


class VertriebComplaintCreditNoteLine(models.TransientModel):
    _name = "vertrieb.complaint.credit.note.line"
    _description = "Complaint Credit Note Line"

    wizard_id = fields.Many2one("vertrieb.complaint.credit.note", required=True, ondelete="cascade")
    invoice_line_id = fields.Many2one("account.move.line", string="Invoice Line", required=True, readonly=True)
    product_id = fields.Many2one(related="invoice_line_id.product_id")
    invoiced_quantity = fields.Float(related="invoice_line_id.quantity", string="Invoiced")
    price_unit = fields.Float(related="invoice_line_id.price_unit")
    quantity = fields.Float(string="Quantity to Credit")
