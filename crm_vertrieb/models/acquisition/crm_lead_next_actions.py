from odoo import api, models


class CrmLead(models.Model):
    """Next actions: the verbal commitment and the follow-up date schedule their activities
    (``vertrieb.acquisition.trigger``)."""

    _inherit = "crm.lead"

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._vertrieb_fire_triggers(set().union(*vals_list) if vals_list else set())
        return leads

    def write(self, vals):
        res = super().write(vals)
        self._vertrieb_fire_triggers(vals)
        return res

    def _vertrieb_fire_triggers(self, names):
        """Next actions: the verbal commitment and the follow-up date schedule their activities."""
        Trigger = self.env["vertrieb.acquisition.trigger"]
        if "vertrieb_verbal_commitment" in names:
            Trigger._vertrieb_fire("verbal_commitment", self.filtered("vertrieb_verbal_commitment"))
        if "vertrieb_followup_date" in names:
            Trigger._vertrieb_fire("followup_date", self.filtered("vertrieb_followup_date"))
