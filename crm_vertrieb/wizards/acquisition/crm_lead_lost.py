from odoo import fields, models


class CrmLeadLost(models.TransientModel):
    _inherit = "crm.lead.lost"

    vertrieb_lost_to_id = fields.Many2one(
        "vertrieb.competitor", string="Lost To", help="The competitor who won the deal (competitor analysis)."
    )

    def action_lost_reason_apply(self):
        if self.vertrieb_lost_to_id:
            self.lead_ids.write({"vertrieb_lost_to_id": self.vertrieb_lost_to_id.id})
        return super().action_lost_reason_apply()
