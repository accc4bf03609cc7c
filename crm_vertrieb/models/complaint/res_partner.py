from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # the path of the complaint officers' record rules on account.move / account.move.line
    vertrieb_complaint_ids = fields.One2many("vertrieb.complaint", "partner_id", string="Complaints (records)")
    vertrieb_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_vertrieb_complaint_count",
        help="Complaints and claims of this customer (its commercial partner) visible to you.",
    )

    def _compute_vertrieb_complaint_count(self):
        counts = self.env["vertrieb.complaint"]._vertrieb_count_by("partner_id", self.commercial_partner_id)
        for partner in self:
            partner.vertrieb_complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_vertrieb_view_complaints(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return self.env["vertrieb.complaint"]._action_for_domain(
            [("partner_id", "=", partner.id)], {"default_partner_id": partner.id}
        )
