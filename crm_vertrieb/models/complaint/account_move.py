from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    vertrieb_complaint_count = fields.Integer(string="Complaints", compute="_compute_vertrieb_complaint_count")

    def _compute_vertrieb_complaint_count(self):
        counts = {}
        complaint_model = self.env["vertrieb.complaint"]
        if self.ids and complaint_model.has_access("read"):
            for field in ("invoice_ids", "credit_note_ids"):
                for move, count in complaint_model._read_group([(field, "in", self.ids)], [field], ["__count"]):
                    counts[move] = counts.get(move, 0) + count
        for move in self:
            move.vertrieb_complaint_count = counts.get(move, 0)

    def action_view_vertrieb_complaints(self):
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
