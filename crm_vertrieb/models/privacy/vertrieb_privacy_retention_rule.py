from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class VertriebPrivacyRetentionRule(models.Model):
    """Legal retention period per kind of record (§ 147 AO, § 257 HGB)."""

    _name = "vertrieb.privacy.retention.rule"
    _description = "Retention Rule"
    _order = "kind, company_id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [
            ("invoice", "Books and invoices"),
            ("voucher", "Accounting vouchers"),
            ("letter", "Business letters"),
        ],
        required=True,
    )
    months = fields.Integer(required=True)
    legal_reference = fields.Char()
    company_id = fields.Many2one("res.company", help="Leave empty for every company.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("kind_company_uniq", "unique(kind, company_id)", "One retention rule per kind and company."),
        ("months_positive", "CHECK(months > 0)", "The retention period must be positive."),
    ]

    @api.model
    def _vertrieb_months(self, kind):
        rule = self.sudo().search(
            [("kind", "=", kind), ("company_id", "in", [self.env.company.id, False])], order="company_id", limit=1
        )
        return rule.months or {"invoice": 120, "voucher": 96, "letter": 72}[kind]

    @api.model
    def _vertrieb_retention_end(self, last_date, kind="invoice"):
        """Retention starts at the end of the calendar year of the last document (§ 147(4) AO)."""
        if not last_date:
            return False
        year_end = last_date.replace(month=12, day=31)
        return year_end + relativedelta(months=self._vertrieb_months(kind))
