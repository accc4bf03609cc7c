from odoo import api, fields, models


class VertriebCustomerValue(models.Model):
    """Customer value (Kundenwert) and ABC class of one commercial partner in one company.

    A narrow table of its own, written only by the recompute (``res.partner.
    _vertrieb_recompute_customer_value``): the nightly recompute changes the values of most
    customers, and writing them into ``res_partner`` would update a row of a table with some
    forty indexes (several trigram ones) per customer. Here a recompute touches one narrow row
    per customer and company; the partner shows the row of the current company through related
    fields (searchable, sortable and groupable like stored ones, see ``res.partner.
    _field_to_sql``).

    One row per (commercial partner, company), in the company's currency, from that company's
    invoices only: a customer shared by two companies has two values and an ABC class in each.
    """

    _name = "vertrieb.customer.value"
    _description = "Customer Value"
    _rec_name = "partner_id"
    _log_access = False

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", compute_sudo=False)
    revenue_12m = fields.Monetary("Revenue (12 Months)", readonly=True)
    revenue_total = fields.Monetary("Lifetime Revenue", readonly=True)
    abc_class = fields.Selection([("a", "A"), ("b", "B"), ("c", "C")], string="ABC Class", readonly=True)
    value_date = fields.Datetime("Computed On", readonly=True)

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one customer value per company.",
        ),
    ]

    @api.model
    def _vertrieb_merge_partners(self, src_partners, dst_partner):
        """Before Odoo merges contacts: one value row may remain per company (the survivor's, else
        one of the merged contacts'); the next recompute fills it with the joint revenue."""
        values = self.search([("partner_id", "in", (src_partners | dst_partner).ids)])
        merged = self.browse()
        for in_company in values.grouped("company_id").values():
            keep = in_company.filtered(lambda value: value.partner_id == dst_partner)[:1] or in_company[:1]
            merged |= in_company - keep
        merged.unlink()
