from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------------------------------------
    # ACQUISITION: Acquisition process (Neukundengewinnung)
    # ------------------------------------------------------------------------------------------

    # ------------------------------------------------------------------------------------------
    # KPI: Activity-rate KPIs, customer value (Schlagzahl-Management)
    # ------------------------------------------------------------------------------------------

    vertrieb_kpi_green_threshold = fields.Float(related="company_id.vertrieb_kpi_green_threshold", readonly=False)
    vertrieb_kpi_yellow_threshold = fields.Float(related="company_id.vertrieb_kpi_yellow_threshold", readonly=False)
    vertrieb_abc_a_share = fields.Float(related="company_id.vertrieb_abc_a_share", readonly=False)
    vertrieb_abc_b_share = fields.Float(related="company_id.vertrieb_abc_b_share", readonly=False)

    def action_vertrieb_recompute_customer_value(self):
        self.env["res.partner"]._vertrieb_recompute_customer_value()

    # ------------------------------------------------------------------------------------------
    # COMPLAINT: Complaints (Beschwerde- und Reklamationsmanagement)
    # ------------------------------------------------------------------------------------------

    vertrieb_complaint_send_ack = fields.Boolean(related="company_id.vertrieb_complaint_send_ack", readonly=False)
    vertrieb_complaint_rating_request = fields.Boolean(
        related="company_id.vertrieb_complaint_rating_request", readonly=False
    )
    vertrieb_complaint_claim_requires_analysis = fields.Boolean(
        related="company_id.vertrieb_complaint_claim_requires_analysis", readonly=False
    )
    vertrieb_complaint_requires_resolution = fields.Boolean(
        related="company_id.vertrieb_complaint_requires_resolution", readonly=False
    )
    vertrieb_complaint_reject_requires_reason = fields.Boolean(
        related="company_id.vertrieb_complaint_reject_requires_reason", readonly=False
    )

    # ------------------------------------------------------------------------------------------
    # QUALITY: Information quality (Informationsqualität)
    # ------------------------------------------------------------------------------------------

    vertrieb_quality_weight_completeness = fields.Integer(
        related="company_id.vertrieb_quality_weight_completeness", readonly=False
    )
    vertrieb_quality_weight_validity = fields.Integer(
        related="company_id.vertrieb_quality_weight_validity", readonly=False
    )
    vertrieb_quality_weight_consistency = fields.Integer(
        related="company_id.vertrieb_quality_weight_consistency", readonly=False
    )
    vertrieb_quality_weight_uniqueness = fields.Integer(
        related="company_id.vertrieb_quality_weight_uniqueness", readonly=False
    )
    vertrieb_quality_weight_timeliness = fields.Integer(
        related="company_id.vertrieb_quality_weight_timeliness", readonly=False
    )
    vertrieb_quality_verify_days = fields.Integer(related="company_id.vertrieb_quality_verify_days", readonly=False)
    vertrieb_invoice_address_guard = fields.Selection(
        related="company_id.vertrieb_invoice_address_guard", readonly=False
    )
    vertrieb_revenue_factor = fields.Float(related="company_id.vertrieb_revenue_factor", readonly=False)

    # ------------------------------------------------------------------------------------------
    # PRIVACY: Data protection by purpose (Zweckbindung)
    # ------------------------------------------------------------------------------------------
    vertrieb_privacy_auto_anonymise = fields.Boolean(
        related="company_id.vertrieb_privacy_auto_anonymise", readonly=False
    )
