from odoo import fields, models
from odoo.exceptions import AccessError


class DigestDigest(models.Model):
    _inherit = "digest.digest"

    kpi_vertrieb_care_coverage = fields.Boolean("Care Coverage (%)")
    kpi_vertrieb_care_coverage_value = fields.Integer(compute="_compute_kpi_vertrieb_care_coverage_value")

    def _compute_kpi_vertrieb_care_coverage_value(self):
        """Share of the recipient's visible customers (under their record rules) contacted within
        their rhythm, in the digest's company."""
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("Do not have access, skip this data for user's digest email"))
        Care = self.env["vertrieb.customer.care"]
        for digest in self:
            company = digest.company_id or self.env.company
            [(coverage,)] = Care._read_group(
                [("company_id", "in", [company.id, False]), ("contact_interval", ">", 0), ("care_allowed", "=", True)],
                [],
                ["coverage:avg"],
            )
            digest.kpi_vertrieb_care_coverage_value = round(coverage or 0)

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu_id = self.env.ref("crm_vertrieb.menu_vertrieb_root").id
        res["kpi_vertrieb_care_coverage"] = f"crm_vertrieb.vertrieb_customer_care_action?menu_id={menu_id}"
        return res
