from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    vertrieb_complaint_count = fields.Integer(string="Complaints", compute="_compute_vertrieb_complaint_count")

    def _compute_vertrieb_complaint_count(self):
        counts = self.env["vertrieb.complaint"]._vertrieb_count_by("lead_id", self)
        for lead in self:
            lead.vertrieb_complaint_count = counts.get(lead, 0)

    def action_vertrieb_view_complaints(self):
        self.ensure_one()
        context = {"default_lead_id": self.id}
        if self.partner_id:
            context["default_partner_id"] = self.partner_id.commercial_partner_id.id
        return self.env["vertrieb.complaint"]._action_for_domain([("lead_id", "=", self.id)], context)
