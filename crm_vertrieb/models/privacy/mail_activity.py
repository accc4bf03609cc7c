from odoo import api, models
from odoo.exceptions import UserError

from .common import guard_lifted


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        if not guard_lifted(self.env):
            self._vertrieb_privacy_check(vals_list)
        return super().create(vals_list)

    @api.model
    def _vertrieb_privacy_check(self, vals_list):
        """Restricted partners get no new activities; purpose-bound activity types check the purpose."""
        for vals in vals_list:
            model = vals.get("res_model")
            if not model and vals.get("res_model_id"):
                model = self.env["ir.model"].sudo().browse(vals["res_model_id"]).model
            if model not in ("res.partner", "crm.lead") or not vals.get("res_id"):
                continue
            record = self.env[model].sudo().browse(vals["res_id"])
            partner = record if model == "res.partner" else record.partner_id
            if not partner:
                continue
            # the one column of the (wide) partner row, not all of them
            partner.fetch(["vertrieb_privacy_restricted"])
            if partner.vertrieb_privacy_restricted:
                raise UserError(
                    self.env._(
                        "Processing of %(partner)s is restricted (Art. 18 GDPR): no activities may be planned.",
                        partner=partner.display_name,
                    )
                )
            activity_type = self.env["mail.activity.type"].sudo().browse(vals.get("activity_type_id"))
            if activity_type.vertrieb_purpose_id:
                partner.sudo(False)._vertrieb_check_purpose(activity_type.vertrieb_purpose_id.code)
