from odoo import api, models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    @api.model_create_multi
    def create(self, vals_list):
        trackings = super().create(vals_list)
        # a lead's stage change is tracked when the transaction commits: its conversion rows (days
        # in each stage, the furthest stage reached) are rebuilt with it
        leads = trackings.sudo().filtered(
            lambda t: t.field_id.model == "crm.lead"
            and t.field_id.name == "stage_id"
            and t.mail_message_id.model == "crm.lead"
        )
        if leads:
            self.env["vertrieb.kpi.conversion"]._vertrieb_conversion_touch(
                lead_ids=leads.mail_message_id.mapped("res_id")
            )
        return trackings
