from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    complaint_count = fields.Integer(string="Complaints", compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = {}
        complaint_model = self.env["vertrieb.complaint"]
        if self.ids and complaint_model.has_access("read"):
            counts = dict(complaint_model._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"]))
        for lead in self:
            lead.complaint_count = counts.get(lead, 0)

    def action_view_complaints(self):
        self.ensure_one()
        context = {"default_lead_id": self.id}
        if self.partner_id:
            context["default_partner_id"] = self.partner_id.commercial_partner_id.id
        return self.env["vertrieb.complaint"]._action_for_domain([("lead_id", "=", self.id)], context)
