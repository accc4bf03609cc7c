from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount


class CrmLead(models.Model):
    _inherit = "crm.lead"

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
        if not leads:
            return
        medians = leads._vertrieb_team_won_medians()
        messages = [msg for lead in leads if (msg := lead._vertrieb_revenue_message(medians))]
        if messages:
            raise UserError("\n".join(messages))

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._vertrieb_check_revenue_plausibility()
        return leads

    def write(self, vals):
        if "expected_revenue" in vals and "vertrieb_revenue_confirmed" not in vals:
            # a changed amount must be confirmed again
            vals = dict(vals, vertrieb_revenue_confirmed=False)
        res = super().write(vals)
        if "expected_revenue" in vals or "team_id" in vals:
            self._vertrieb_check_revenue_plausibility()
        return res
