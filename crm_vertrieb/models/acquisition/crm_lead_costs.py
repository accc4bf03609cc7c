from odoo import api, models


class CrmLead(models.Model):
    """Acquisition costs and budget: the cost of the opportunity, the budget flag and the budget
    warning when the budget changes (``vertrieb.acquisition.cost``)."""

    _inherit = "crm.lead"

    def write(self, vals):
        res = super().write(vals)
        if "vertrieb_budget" in vals:
            self.env["vertrieb.acquisition.cost"]._vertrieb_budget_check(self)
        return res

    @api.depends("vertrieb_cost_ids.amount", "vertrieb_budget")
    def _compute_vertrieb_actual_cost(self):
        sums = {}
        if self.ids:
            groups = (
                self.env["vertrieb.acquisition.cost"]
                .sudo()
                ._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["amount:sum"])
            )
            sums = {lead.id: amount for lead, amount in groups}
        for lead in self:
            cost = sums.get(lead.id, 0.0) if lead.id else sum(lead.vertrieb_cost_ids.mapped("amount"))
            lead.vertrieb_actual_cost = cost
            lead.vertrieb_budget_exceeded = bool(lead.vertrieb_budget) and cost > lead.vertrieb_budget
