from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------------------------------------
    # ACQUISITION: Acquisition process (Neukundengewinnung)
    # ------------------------------------------------------------------------------------------

    # ------------------------------------------------------------------------------------------
    # KPI: Activity-rate KPIs, customer value (Schlagzahl-Management)
    # ------------------------------------------------------------------------------------------

    vertrieb_kpi_green_threshold = fields.Float(
        "Traffic Light Green from (%)",
        default=100.0,
        help="A target achieved at least this much shows green.",
    )
    vertrieb_kpi_yellow_threshold = fields.Float(
        "Traffic Light Yellow from (%)",
        default=80.0,
        help="A target achieved at least this much (but below green) shows yellow; below it shows red.",
    )
    vertrieb_abc_a_share = fields.Float(
        "ABC: Share of Class A (%)",
        default=80.0,
        help="Class A: the customers making up the first part of the revenue of the last 12 months.",
    )
    vertrieb_abc_b_share = fields.Float(
        "ABC: Share of Class B (%)",
        default=15.0,
        help="Class B: the customers making up the next part of the revenue; class C: the rest.",
    )

    @api.constrains(
        "vertrieb_kpi_green_threshold", "vertrieb_kpi_yellow_threshold", "vertrieb_abc_a_share", "vertrieb_abc_b_share"
    )
    def _check_vertrieb_kpi_thresholds(self):
        for company in self:
            if not 0 <= company.vertrieb_kpi_yellow_threshold <= company.vertrieb_kpi_green_threshold:
                raise ValidationError(self.env._("The yellow threshold must lie between 0 and the green threshold."))
            if (
                company.vertrieb_abc_a_share <= 0
                or company.vertrieb_abc_b_share < 0
                or company.vertrieb_abc_a_share + company.vertrieb_abc_b_share > 100
            ):
                raise ValidationError(self.env._("The ABC shares must be positive and add up to at most 100%."))

    # ------------------------------------------------------------------------------------------
    # COMPLAINT: Complaints (Beschwerde- und Reklamationsmanagement)
    # ------------------------------------------------------------------------------------------

    vertrieb_complaint_send_ack = fields.Boolean(
        string="Send Complaint Acknowledgement",
        help="Send the acknowledgement email to the customer when a complaint is created.",
    )
    vertrieb_complaint_rating_request = fields.Boolean(
        string="Complaint Satisfaction Survey", help="Ask the customer for a rating when a complaint is closed."
    )
    vertrieb_complaint_claim_requires_analysis = fields.Boolean(
        string="Claims Require Root Cause",
        default=True,
        help="Closing a claim (Reklamation) requires the root cause and the corrective action.",
    )
    vertrieb_complaint_requires_resolution = fields.Boolean(
        string="Complaints Require Resolution",
        default=True,
        help="Closing a complaint (Beschwerde) requires a resolution text.",
    )
    vertrieb_complaint_reject_requires_reason = fields.Boolean(
        string="Rejection Requires Reason", default=True, help="Rejecting a complaint requires a reason."
    )

    # ------------------------------------------------------------------------------------------
    # QUALITY: Information quality (Informationsqualität)
    # ------------------------------------------------------------------------------------------

    vertrieb_quality_weight_completeness = fields.Integer(string="Weight: Completeness", default=30)
    vertrieb_quality_weight_validity = fields.Integer(string="Weight: Validity", default=30)
    vertrieb_quality_weight_consistency = fields.Integer(string="Weight: Consistency", default=10)
    vertrieb_quality_weight_uniqueness = fields.Integer(string="Weight: Uniqueness", default=15)
    vertrieb_quality_weight_timeliness = fields.Integer(string="Weight: Timeliness", default=15)
    vertrieb_quality_verify_days = fields.Integer(
        string="Verification Valid (Days)",
        default=365,
        help="Data verified longer ago than this counts as outdated.",
    )
    vertrieb_invoice_address_guard = fields.Selection(
        [("off", "Off"), ("warn", "Warn"), ("block", "Block")],
        string="Invoice Address Check",
        default="warn",
        help="What happens when a customer invoice is posted to an incomplete invoice address.",
    )
    vertrieb_revenue_factor = fields.Float(
        string="Revenue Plausibility Factor",
        default=100.0,
        help="An expected revenue more than this factor above the median of the team's won deals " "must be confirmed.",
    )

    @api.constrains(
        "vertrieb_quality_weight_completeness",
        "vertrieb_quality_weight_validity",
        "vertrieb_quality_weight_consistency",
        "vertrieb_quality_weight_uniqueness",
        "vertrieb_quality_weight_timeliness",
        "vertrieb_revenue_factor",
        "vertrieb_quality_verify_days",
    )
    def _check_vertrieb_quality_settings(self):
        for company in self:
            weights = [
                company.vertrieb_quality_weight_completeness,
                company.vertrieb_quality_weight_validity,
                company.vertrieb_quality_weight_consistency,
                company.vertrieb_quality_weight_uniqueness,
                company.vertrieb_quality_weight_timeliness,
            ]
            if min(weights) < 0 or not sum(weights):
                raise ValidationError(
                    self.env._("Quality weights cannot be negative and at least one must be above zero.")
                )
            if company.vertrieb_revenue_factor < 0:
                raise ValidationError(self.env._("The revenue plausibility factor cannot be negative."))
            if company.vertrieb_quality_verify_days <= 0:
                raise ValidationError(self.env._("The verification age must be at least one day."))

    # ------------------------------------------------------------------------------------------
    # PRIVACY: Data protection by purpose (Zweckbindung)
    # ------------------------------------------------------------------------------------------
    vertrieb_privacy_auto_anonymise = fields.Boolean(
        string="Erase Automatically After Retention",
        help="When all purposes of a partner have ended, the retention cron erases it instead of proposing it "
        "to the data-protection officer.",
    )
