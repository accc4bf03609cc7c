from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    vertrieb_care_interval_a = fields.Integer(related="company_id.vertrieb_care_interval_a", readonly=False)
    vertrieb_care_interval_b = fields.Integer(related="company_id.vertrieb_care_interval_b", readonly=False)
    vertrieb_care_interval_c = fields.Integer(related="company_id.vertrieb_care_interval_c", readonly=False)
    vertrieb_care_auto_activity = fields.Boolean(related="company_id.vertrieb_care_auto_activity", readonly=False)
    vertrieb_care_daily_cap = fields.Integer(related="company_id.vertrieb_care_daily_cap", readonly=False)
    vertrieb_churn_drop_share = fields.Float(related="company_id.vertrieb_churn_drop_share", readonly=False)
    vertrieb_churn_silent_months = fields.Integer(related="company_id.vertrieb_churn_silent_months", readonly=False)
    vertrieb_churn_activity = fields.Boolean(related="company_id.vertrieb_churn_activity", readonly=False)
