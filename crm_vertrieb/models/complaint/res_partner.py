from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_complaint_count",
        help="Complaints and claims of this customer (its commercial partner) visible to you.",
    )

    def _compute_complaint_count(self):
        counts = {}
        complaint_model = self.env["vertrieb.complaint"]
        if self.ids and complaint_model.has_access("read"):
            counts = dict(
                complaint_model._read_group(
                    [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return self.env["vertrieb.complaint"]._action_for_domain(
            [("partner_id", "=", partner.id)], {"default_partner_id": partner.id}
        )
