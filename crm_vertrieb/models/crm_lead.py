from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount


class CrmLead(models.Model):
    _inherit = "crm.lead"

    vertrieb_channel_id = fields.Many2one(
        "vertrieb.sales.channel",
        string="Sales Channel",
        index="btree_not_null",
        tracking=True,
        help="Sales channel (Vertriebsweg) through which this opportunity is worked.",
    )

    # ------------------------------------------------------------------------------------------
    # ACQUISITION: Acquisition process (Neukundengewinnung)
    # ------------------------------------------------------------------------------------------

    # ------------------------------------------------------------------------------------------
    # KPI: Activity-rate KPIs, customer value (Schlagzahl-Management)
    # ------------------------------------------------------------------------------------------

    # ------------------------------------------------------------------------------------------
    # COMPLAINT: Complaints (Beschwerde- und Reklamationsmanagement)
    # ------------------------------------------------------------------------------------------

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

    # ------------------------------------------------------------------------------------------
    # QUALITY: Information quality (Informationsqualität)
    # ------------------------------------------------------------------------------------------

    vertrieb_revenue_confirmed = fields.Boolean(
        string="Revenue Confirmed",
        copy=False,
        help="Tick to confirm an expected revenue far above the team's usual won deals.",
    )
    vertrieb_revenue_warning = fields.Char(string="Revenue Plausibility", compute="_compute_vertrieb_revenue_warning")

    @api.depends("expected_revenue", "team_id", "company_id", "vertrieb_revenue_confirmed")
    def _compute_vertrieb_revenue_warning(self):
        medians = self._vertrieb_team_won_medians()
        for lead in self:
            lead.vertrieb_revenue_warning = (
                False if lead.vertrieb_revenue_confirmed else lead._vertrieb_revenue_message(medians)
            )

    def _vertrieb_team_won_medians(self):
        """Median expected revenue of the won deals per team of these leads (one query)."""
        team_ids = list(set(self.team_id.ids))
        if not team_ids:
            return {}
        self.env["crm.lead"].flush_model(["expected_revenue", "team_id", "stage_id", "active"])
        self.env["crm.stage"].flush_model(["is_won"])
        rows = self.env.execute_query(
            SQL(
                """SELECT l.team_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY l.expected_revenue)
                     FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
                    WHERE s.is_won AND l.active AND l.expected_revenue > 0 AND l.team_id = ANY(%s)
                 GROUP BY l.team_id""",
                team_ids,
            )
        )
        return dict(rows)

    def _vertrieb_revenue_message(self, medians):
        self.ensure_one()
        factor = (self.company_id or self.env.company).vertrieb_revenue_factor
        median = medians.get(self.team_id.id)
        if not factor or not median or not self.expected_revenue or self.stage_id.is_won:
            return False
        if self.expected_revenue <= factor * median:
            return False
        currency = self.company_currency or self.env.company.currency_id
        return self.env._(
            "The expected revenue %(amount)s of %(lead)s is %(ratio)s times the median of the won deals "
            "of team %(team)s (%(median)s). Please check the amount (thousand or million?) and tick "
            "'Revenue Confirmed' if it is right.",
            amount=format_amount(self.env, self.expected_revenue, currency),
            lead=self.name or "",
            ratio=round(self.expected_revenue / median),
            team=self.team_id.display_name,
            median=format_amount(self.env, median, currency),
        )

    def _vertrieb_check_revenue_plausibility(self):
        leads = self.filtered(lambda lead: lead.expected_revenue and not lead.vertrieb_revenue_confirmed)
        if not leads or self.env.context.get("vertrieb_skip_revenue_check"):
            return
        medians = leads._vertrieb_team_won_medians()
        messages = [msg for lead in leads if (msg := lead._vertrieb_revenue_message(medians))]
        if messages:
            raise UserError("\n".join(messages))

    def _vertrieb_quality_prepare_write(self, vals):
        """A changed amount must be confirmed again."""
        if "expected_revenue" in vals and "vertrieb_revenue_confirmed" not in vals:
            return dict(vals, vertrieb_revenue_confirmed=False)
        return vals

    def _vertrieb_quality_after_write(self, vals):
        if "expected_revenue" in vals or "team_id" in vals:
            self._vertrieb_check_revenue_plausibility()

    # ------------------------------------------------------------------------------------------
    # PRIVACY: Data protection by purpose (Zweckbindung)
    # ------------------------------------------------------------------------------------------
    @api.model
    def _vertrieb_privacy_before_create(self, vals_list):
        partner_ids = [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        self._vertrieb_privacy_check_partners(self.env["res.partner"].browse(partner_ids))

    def _vertrieb_privacy_before_write(self, vals):
        if not (self.env.su or self.env.context.get("vertrieb_privacy_bypass")):
            partners = self.partner_id
            if vals.get("partner_id"):
                partners |= self.env["res.partner"].browse(vals["partner_id"])
            self._vertrieb_privacy_check_partners(partners)

    @api.model
    def _vertrieb_privacy_check_partners(self, partners):
        """No new leads and no lead edits for partners whose processing is restricted (Art. 18 GDPR)."""
        if self.env.su or self.env.context.get("vertrieb_privacy_bypass"):
            return
        restricted = partners.sudo().filtered("vertrieb_privacy_restricted")
        if restricted:
            raise UserError(
                self.env._(
                    "Processing of %(partner)s is restricted (Art. 18 GDPR): no leads may be created or "
                    "changed for it.",
                    partner=restricted[:1].display_name,
                )
            )

    # ------------------------------------------------------------------------------------------
    # ORM: one create/write for all features, each contributing through its _vertrieb_* hooks
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._vertrieb_privacy_before_create(vals_list)
        leads = super().create(vals_list)
        leads._vertrieb_check_revenue_plausibility()
        return leads

    def write(self, vals):
        self._vertrieb_privacy_before_write(vals)
        vals = self._vertrieb_quality_prepare_write(vals)
        res = super().write(vals)
        self._vertrieb_quality_after_write(vals)
        return res
