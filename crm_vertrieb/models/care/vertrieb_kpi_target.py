from odoo import api, fields, models


class VertriebKpiTarget(models.Model):
    _inherit = "vertrieb.kpi.target"

    @api.model
    @api.readonly
    def get_cockpit_data(self):
        data = super().get_cockpit_data()
        data["care"] = self._vertrieb_cockpit_care()
        return data

    @api.model
    def _vertrieb_cockpit_care(self):
        """Care tile of the cockpit, under the reader's record rules: per salesperson the customers
        due today, overdue and the care coverage (% contacted within their rhythm); the customers at
        churn risk. ``None`` for users who may not read the rhythm."""
        Care = self.env["vertrieb.customer.care"]
        if not Care.has_access("read"):
            return None
        today = fields.Date.context_today(self)
        base = [("care_allowed", "=", True), ("company_id", "in", [*self.env.companies.ids, False])]
        groups = Care._read_group(
            [*base, ("contact_interval", ">", 0)],
            ["user_id"],
            ["__count", "coverage:avg"],
        )
        due = dict(Care._read_group([*base, ("next_contact_due", "=", today)], ["user_id"], ["__count"]))
        overdue = dict(Care._read_group([*base, ("next_contact_due", "<", today)], ["user_id"], ["__count"]))
        rows = [
            {
                "user_id": user.id,
                "name": user.name or self.env._("Unassigned"),
                "customers": count,
                "due": due.get(user, 0),
                "overdue": overdue.get(user, 0),
                "coverage": round(coverage) if coverage is not None else None,
                "domain": [*base, ("user_id", "=", user.id), ("next_contact_due", "<=", fields.Date.to_string(today))],
            }
            for user, count, coverage in sorted(groups, key=lambda g: (g[0].name or "", g[0].id))
        ]
        return {
            "rows": rows,
            "churn": Care.search_count([*base, ("churn_risk", "=", True)]),
            "churn_domain": [*base, ("churn_risk", "=", True)],
        }
