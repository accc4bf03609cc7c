from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # contact rhythm (Kontaktrhythmus) by ABC class
    vertrieb_care_interval_a = fields.Integer("Contact Rhythm A (Days)", default=30)
    vertrieb_care_interval_b = fields.Integer("Contact Rhythm B (Days)", default=60)
    vertrieb_care_interval_c = fields.Integer("Contact Rhythm C (Days)", default=120)
    # the daily "contact due" activities
    vertrieb_care_auto_activity = fields.Boolean(
        "Create Contact-Due Activities",
        help="A daily job plans a call for the responsible salesperson of each due customer.",
    )
    vertrieb_care_daily_cap = fields.Integer(
        "Contact-Due Activities per Salesperson and Day",
        default=10,
        help="At most this many activities are created per salesperson and day, A customers and the most "
        "overdue first.",
    )
    # churn warnings (Abwanderungsgefahr)
    vertrieb_churn_drop_share = fields.Float(
        "Churn: Revenue Drop (%)",
        default=30.0,
        help="A customer whose revenue of the last 12 months fell by more than this share against the 12 "
        "months before is at risk.",
    )
    vertrieb_churn_silent_months = fields.Integer(
        "Churn: Months Without Invoice",
        default=6,
        help="A customer invoiced in the previous year but not for this many months is at risk.",
    )
    vertrieb_churn_activity = fields.Boolean(
        "Churn Warning Activities",
        help="The daily job plans a to-do for the responsible salesperson of each customer newly at risk.",
    )

    @api.constrains(
        "vertrieb_care_interval_a",
        "vertrieb_care_interval_b",
        "vertrieb_care_interval_c",
        "vertrieb_care_daily_cap",
        "vertrieb_churn_drop_share",
        "vertrieb_churn_silent_months",
    )
    def _check_vertrieb_care_settings(self):
        for company in self:
            if (
                min(
                    company.vertrieb_care_interval_a, company.vertrieb_care_interval_b, company.vertrieb_care_interval_c
                )
                <= 0
            ):
                raise ValidationError(self.env._("A contact rhythm must be at least one day."))
            if company.vertrieb_care_daily_cap < 0:
                raise ValidationError(self.env._("The number of contact-due activities per day cannot be negative."))
            if not 0 < company.vertrieb_churn_drop_share <= 100 or company.vertrieb_churn_silent_months <= 0:
                raise ValidationError(
                    self.env._("The churn drop must lie between 0 and 100% and the months without invoice be positive.")
                )
