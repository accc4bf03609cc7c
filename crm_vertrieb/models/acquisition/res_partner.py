from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

REFERENCE_PURPOSE = "reference_customer"
# the fields that make a partner part of another company (commercial partner)
COMPANY_FIELDS = frozenset({"parent_id", "is_company"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    vertrieb_reference_customer = fields.Boolean(
        string="Reference Customer",
        compute="_compute_vertrieb_reference_customer",
        search="_search_vertrieb_reference_customer",
        help="Won in the acquisition process and consented to be named as a reference (privacy purpose "
        "“Reference customer”).",
    )

    def write(self, vals):
        moved = COMPANY_FIELDS.intersection(vals)
        if moved:
            before = self._vertrieb_report_customers()
        res = super().write(vals)
        if moved:
            # a contact that joins or leaves a company brings its invoices to another customer: the
            # revenue of the won opportunities of both in the cost analysis
            customers = before | self._vertrieb_report_customers()
            self.env["vertrieb.acquisition.cost.report"]._vertrieb_rows_touch(partner_ids=customers.ids)
        return res

    def unlink(self):
        # their opportunities lose the customer (the database clears it): no revenue any more
        leads = self.env["crm.lead"].sudo().with_context(active_test=False).search([("partner_id", "in", self.ids)])
        self.env["vertrieb.acquisition.cost.report"]._vertrieb_rows_touch(lead_ids=leads.ids)
        return super().unlink()

    def _vertrieb_report_customers(self):
        """These partners, their contacts and their companies (commercial partners)."""
        partners = self.sudo().with_context(active_test=False).search([("id", "child_of", self.ids)])
        return partners | partners.commercial_partner_id

    @api.depends_context("company")
    def _compute_vertrieb_reference_customer(self):
        references = self.search([("id", "in", self.ids), *self._vertrieb_reference_domain()]) if self.ids else self
        for partner in self:
            partner.vertrieb_reference_customer = partner in references

    def _search_vertrieb_reference_customer(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the reference customer flag."))
        domain = self._vertrieb_reference_domain()
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model
    def _vertrieb_reference_consent_domain(self):
        """Partners whose consent to be named as a reference is granted (privacy purpose API)."""
        if "vertrieb.privacy.purpose" not in self.env:  # seam: the privacy feature owns the consent
            return expression.FALSE_DOMAIN
        return self._vertrieb_purpose_domain(REFERENCE_PURPOSE)

    @api.model
    def _vertrieb_reference_consented(self, partners):
        """The partners among ``partners`` that may be named as a reference (one query)."""
        if "vertrieb.privacy.purpose" not in self.env or not partners:
            return self.browse()
        return partners._vertrieb_filter_purpose(REFERENCE_PURPOSE)

    @api.model
    def _vertrieb_reference_domain(self):
        """Customers of won acquisition opportunities whose consent to be named is granted."""
        if "vertrieb.privacy.purpose" not in self.env:  # seam: the privacy feature owns the consent
            return expression.FALSE_DOMAIN
        leads = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=True)
            ._search([("vertrieb_step_id", "!=", False), ("stage_id.is_won", "=", True), ("partner_id", "!=", False)])
        )
        customers = self.sudo()._search([("id", "in", leads.subselect(SQL.identifier("crm_lead", "partner_id")))])
        customer_ids = customers.subselect(SQL.identifier("res_partner", "commercial_partner_id"))
        return expression.AND(
            [[("commercial_partner_id", "in", customer_ids)], self._vertrieb_reference_consent_domain()]
        )
