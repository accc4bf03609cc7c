from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    vertrieb_complaint_count = fields.Integer(string="Complaints", compute="_compute_vertrieb_complaint_count")

    def _compute_vertrieb_complaint_count(self):
        complaints = self.env["vertrieb.complaint"]
        invoices = complaints._vertrieb_count_by("invoice_ids", self)
        credit_notes = complaints._vertrieb_count_by("credit_note_ids", self)
        for move in self:
            move.vertrieb_complaint_count = invoices.get(move, 0) + credit_notes.get(move, 0)

    def action_vertrieb_view_complaints(self):
        self.ensure_one()
        context = {}
        if self.move_type == "out_invoice":
            context = {
                "default_partner_id": self.commercial_partner_id.id,
                "default_invoice_ids": [self.id],
            }
        return self.env["vertrieb.complaint"]._action_for_domain(
            ["|", ("invoice_ids", "in", self.ids), ("credit_note_ids", "in", self.ids)], context
        )
