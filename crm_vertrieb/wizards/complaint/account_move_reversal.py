from odoo import api, fields, models


class AccountMoveReversal(models.TransientModel):
    """Odoo's own *Credit Note* button on an invoice: a credit note for an invoice that a
    complaint is about is linked to that complaint (cost of the complaint, smart buttons), as if it
    had been made from the complaint."""

    _inherit = "account.move.reversal"

    vertrieb_available_complaint_ids = fields.Many2many(
        "vertrieb.complaint", compute="_compute_vertrieb_available_complaint_ids"
    )
    vertrieb_complaint_id = fields.Many2one(
        "vertrieb.complaint",
        string="Complaint",
        compute="_compute_vertrieb_complaint_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', vertrieb_available_complaint_ids)]",
        help="The complaint this credit note settles: proposed when exactly one open complaint concerns the "
        "invoice; the credit note is then listed on the complaint and counts as its cost.",
    )

    @api.depends("move_ids")
    def _compute_vertrieb_available_complaint_ids(self):
        Complaint = self.env["vertrieb.complaint"]
        can_read = Complaint.has_access("read")
        for wizard in self:
            invoices = wizard.move_ids.filtered(lambda move: move.move_type == "out_invoice")
            wizard.vertrieb_available_complaint_ids = (
                Complaint.search([("invoice_ids", "in", invoices.ids)]) if can_read and invoices else Complaint
            )

    @api.depends("vertrieb_available_complaint_ids")
    def _compute_vertrieb_complaint_id(self):
        for wizard in self:
            open_complaints = wizard.vertrieb_available_complaint_ids.filtered(
                lambda complaint: not complaint.is_closed
            )
            wizard.vertrieb_complaint_id = open_complaints if len(open_complaints) == 1 else False

    def reverse_moves(self, is_modify=False):
        before = self.move_ids.reversal_move_ids
        action = super().reverse_moves(is_modify=is_modify)
        complaint = self.vertrieb_complaint_id
        # the complaint's own credit-note wizard creates its reversal without a complaint: it links
        # (and checks) its credit notes itself
        if complaint:
            credit_notes = self.move_ids.reversal_move_ids - before
            complaint._vertrieb_link_credit_notes(credit_notes)
            complaint._vertrieb_credit_note_messages(credit_notes, from_invoice=True)
        return action
