from odoo import fields, models
from odoo.exceptions import AccessError


class DigestDigest(models.Model):
    _inherit = "digest.digest"

    kpi_vertrieb_schlagzahl = fields.Boolean("Activity Rate (Schlagzahl)")
    kpi_vertrieb_schlagzahl_value = fields.Integer(compute="_compute_kpi_vertrieb_schlagzahl_value")

    def _compute_kpi_vertrieb_schlagzahl_value(self):
        """Customer contacts of the period (done activities, held meetings, emails to customers),
        read with the recipient's record rules: a salesperson gets their own count."""
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("Do not have access, skip this data for user's digest email"))
        self._calculate_company_based_kpi(
            "vertrieb.kpi.contact",
            "kpi_vertrieb_schlagzahl_value",
            date_field="date_done",
            additional_domain=[("source", "!=", "target")],
            sum_field="contact_count",
        )

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu_id = self.env.ref("crm_vertrieb.menu_vertrieb_root").id
        res["kpi_vertrieb_schlagzahl"] = f"crm_vertrieb.vertrieb_kpi_cockpit_action?menu_id={menu_id}"
        return res
