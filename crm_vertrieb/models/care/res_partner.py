from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# partner fields whose change moves the customer's rhythm, salesperson or territory
_CARE_TRIGGERS = {
    "user_id",
    "company_id",
    "zip",
    "country_id",
    "parent_id",
    "active",
    "is_company",
    "customer_rank",
    "vertrieb_care_interval_custom",
    "vertrieb_care_interval_days",
    "vertrieb_privacy_restricted",
}

# the rhythm fields of the partner and the columns of its row in vertrieb.customer.care they show:
# the partner list sorts and groups by them through a join on that table (see ``_field_to_sql``)
_CARE_COLUMNS = {
    "vertrieb_last_contact_date": "last_contact_date",
    "vertrieb_contact_interval": "contact_interval",
    "vertrieb_next_contact_due": "next_contact_due",
    "vertrieb_contact_overdue": "next_contact_due",
    "vertrieb_contacts_90d": "contacts_90d",
    "vertrieb_contacts_365d": "contacts_365d",
    "vertrieb_next_planned_contact": "next_planned_date",
    "vertrieb_territory_id": "territory_id",
    "vertrieb_churn_risk": "churn_risk",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # the customer's own rhythm, overriding the one of its ABC class
    vertrieb_care_interval_custom = fields.Boolean(
        "Own Contact Rhythm", help="Contact this customer at its own interval instead of the one of its ABC class."
    )
    vertrieb_care_interval_days = fields.Integer("Own Rhythm (Days)")
    # the rhythm lives in its own narrow table (vertrieb.customer.care), refreshed set-based from
    # the contact ledger; the partner shows its row
    vertrieb_care_id = fields.Many2one(
        "vertrieb.customer.care",
        string="Customer Care",
        compute="_compute_vertrieb_care",
        search="_search_vertrieb_care_id",
    )
    vertrieb_last_contact_date = fields.Date(
        "Last Contact", compute="_compute_vertrieb_care", search="_search_vertrieb_last_contact_date"
    )
    vertrieb_contact_interval = fields.Integer(
        "Contact Rhythm (Days)", compute="_compute_vertrieb_care", search="_search_vertrieb_contact_interval"
    )
    vertrieb_next_contact_due = fields.Date(
        "Next Contact Due", compute="_compute_vertrieb_care", search="_search_vertrieb_next_contact_due"
    )
    vertrieb_contact_overdue = fields.Boolean(
        "Contact Overdue", compute="_compute_vertrieb_care", search="_search_vertrieb_contact_overdue"
    )
    vertrieb_contacts_90d = fields.Integer("Contacts (90 Days)", compute="_compute_vertrieb_care")
    vertrieb_contacts_365d = fields.Integer("Contacts (365 Days)", compute="_compute_vertrieb_care")
    vertrieb_next_planned_contact = fields.Date("Next Planned Contact", compute="_compute_vertrieb_care")
    vertrieb_territory_id = fields.Many2one(
        "vertrieb.territory",
        string="Sales Territory",
        compute="_compute_vertrieb_care",
        search="_search_vertrieb_territory_id",
    )
    vertrieb_churn_risk = fields.Boolean(
        "Churn Risk", compute="_compute_vertrieb_care", search="_search_vertrieb_churn_risk"
    )

    @api.constrains("vertrieb_care_interval_custom", "vertrieb_care_interval_days")
    def _check_vertrieb_care_interval(self):
        for partner in self:
            if partner.vertrieb_care_interval_custom and partner.vertrieb_care_interval_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The contact rhythm of %(customer)s must be at least one day.", customer=partner.display_name
                    )
                )

    @api.depends_context("uid")
    def _compute_vertrieb_care(self):
        """The customer's row (its commercial partner's), read under the user's record rules."""
        commercial = self.commercial_partner_id
        rows = self.env["vertrieb.customer.care"].search([("partner_id", "in", commercial.ids)])
        by_partner = {row.partner_id.id: row for row in rows}
        for partner in self:
            row = by_partner.get(partner.commercial_partner_id.id)
            partner.vertrieb_care_id = row
            partner.vertrieb_last_contact_date = row.last_contact_date if row else False
            partner.vertrieb_contact_interval = row.contact_interval if row else 0
            partner.vertrieb_next_contact_due = row.next_contact_due if row else False
            partner.vertrieb_contact_overdue = bool(
                row and row.next_contact_due and row.next_contact_due < fields.Date.context_today(self)
            )
            partner.vertrieb_contacts_90d = row.contacts_90d if row else 0
            partner.vertrieb_contacts_365d = row.contacts_365d if row else 0
            partner.vertrieb_next_planned_contact = row.next_planned_date if row else False
            partner.vertrieb_territory_id = row.territory_id if row else False
            partner.vertrieb_churn_risk = bool(row and row.churn_risk)

    def _vertrieb_search_care(self, domain):
        """Partners (the customers and their contacts) whose row matches ``domain``."""
        rows = self.env["vertrieb.customer.care"]._search(domain)
        return [("commercial_partner_id", "in", rows.subselect("partner_id"))]

    def _search_vertrieb_care_id(self, operator, value):
        if operator == "any":
            return self._vertrieb_search_care(value)
        return self._vertrieb_search_care([("id", operator, value)])

    def _search_vertrieb_last_contact_date(self, operator, value):
        return self._vertrieb_search_care([("last_contact_date", operator, value)])

    def _search_vertrieb_contact_interval(self, operator, value):
        return self._vertrieb_search_care([("contact_interval", operator, value)])

    def _search_vertrieb_next_contact_due(self, operator, value):
        return self._vertrieb_search_care([("next_contact_due", operator, value)])

    def _search_vertrieb_contact_overdue(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        overdue = (operator == "=") == bool(value)
        today = fields.Date.context_today(self)
        if overdue:
            return self._vertrieb_search_care([("next_contact_due", "<", today)])
        return ["!", *self._vertrieb_search_care([("next_contact_due", "<", today)])]

    def _search_vertrieb_territory_id(self, operator, value):
        return self._vertrieb_search_care([("territory_id", operator, value)])

    def _search_vertrieb_churn_risk(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        risk = (operator == "=") == bool(value)
        domain = self._vertrieb_search_care([("churn_risk", "=", True)])
        return domain if risk else ["!", *domain]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The rhythm fields as SQL, for sorting and grouping the partner list: the column of the
        commercial partner's row, joined once per query (LEFT JOIN on the unique ``partner_id``) and
        read under the reader's record rules (another salesperson's customer sorts and groups as
        one without a row). No copy on ``res_partner``: the refresh of 100,000 rows stays a write on
        the narrow care table, not an UPDATE of the partner table and its forty indexes."""
        column = _CARE_COLUMNS.get(fname)
        if column is None or query is None:
            return super()._field_to_sql(alias, fname, query, flush)
        self.check_field_access_rights("read", [fname])
        Care = self.env["vertrieb.customer.care"]
        care_alias = query.make_alias(alias, "vertrieb_care")
        columns = dict.fromkeys(("partner_id", *_CARE_COLUMNS.values()))
        query.add_join(
            "LEFT JOIN",
            care_alias,
            Care._search([]).subselect(*(SQL.identifier(Care._table, name) for name in columns)),
            SQL(
                "%s = %s",
                SQL.identifier(care_alias, "partner_id"),
                super()._field_to_sql(alias, "commercial_partner_id", query, flush),
            ),
        )
        if flush:
            Care.flush_model()
        sql = SQL.identifier(care_alias, column)
        if fname == "vertrieb_contact_overdue":
            return SQL("COALESCE(%s < %s, FALSE)", sql, fields.Date.context_today(self))
        if self._fields[fname].type in ("boolean", "integer"):
            return SQL("COALESCE(%s, %s)", sql, False if self._fields[fname].type == "boolean" else 0)
        return sql

    # ------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # a new partner has no contacts nor ABC class yet: only its own rhythm makes it due at
        # once; the others get their row from the next trigger or the nightly refresh
        if own_rhythm := partners.filtered("vertrieb_care_interval_custom"):
            self.env["vertrieb.customer.care"].sudo()._vertrieb_refresh(own_rhythm.ids)
        return partners

    def write(self, vals):
        old_commercial = self.commercial_partner_id if "parent_id" in vals else self.browse()
        res = super().write(vals)
        if _CARE_TRIGGERS & set(vals):
            self.env["vertrieb.customer.care"].sudo()._vertrieb_refresh((self | old_commercial).ids)
        return res

    # ------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------

    def action_vertrieb_open_care(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_vertrieb.vertrieb_customer_care_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
