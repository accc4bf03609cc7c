from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_amount

from ..base.reader_lang import reader_env


class VertriebAcquisitionCost(models.Model):
    """One cost of winning a customer: per opportunity and acquisition step (Akquisekosten)."""

    _name = "vertrieb.acquisition.cost"
    _description = "Acquisition Cost"
    _order = "date desc, id desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, index=True, ondelete="cascade")
    name = fields.Char(string="Description", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    cost_type = fields.Selection(
        [
            ("travel", "Travel"),
            ("samples", "Samples"),
            ("trade_fair", "Trade Fair"),
            ("external", "External Service"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="travel",
    )
    step_id = fields.Many2one(
        "vertrieb.acquisition.step",
        string="Step",
        compute="_compute_step_id",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    amount = fields.Monetary(required=True, currency_field="currency_id")
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Vendor Bill Line",
        index="btree_not_null",
        domain="[('move_id.move_type', 'in', ('in_invoice', 'in_refund')), ('display_type', '=', 'product')]",
        ondelete="set null",
    )
    user_id = fields.Many2one(related="lead_id.user_id", store=True, string="Salesperson", index=True)
    team_id = fields.Many2one(related="lead_id.team_id", store=True, string="Sales Team")
    channel_id = fields.Many2one(related="lead_id.vertrieb_channel_id", store=True, string="Sales Channel")

    @api.depends("lead_id")
    def _compute_step_id(self):
        for cost in self:
            if not cost.step_id:
                cost.step_id = cost.lead_id.vertrieb_step_id

    @api.constrains("amount")
    def _check_amount(self):
        for cost in self:
            if cost.currency_id.compare_amounts(cost.amount, 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "The cost “%(name)s” of %(lead)s cannot be negative (%(amount)s).",
                        name=cost.name,
                        lead=cost.lead_id.display_name,
                        amount=cost.amount,
                    )
                )

    @api.constrains("lead_id", "company_id", "move_line_id")
    def _check_lead_company(self):
        for cost in self:
            lead_company = cost.lead_id.sudo().company_id
            if lead_company and lead_company != cost.company_id:
                raise ValidationError(
                    self.env._(
                        "The cost “%(name)s” is booked in %(company)s, the opportunity %(lead)s belongs to "
                        "%(lead_company)s.",
                        name=cost.name,
                        company=cost.company_id.name,
                        lead=cost.lead_id.sudo().display_name,
                        lead_company=lead_company.name,
                    )
                )
            line = cost.move_line_id.sudo()
            if line and (
                line.move_id.move_type not in ("in_invoice", "in_refund") or line.company_id != cost.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "The cost “%(name)s” can only be linked to a line of a vendor bill of its company.",
                        name=cost.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("lead_id") and "company_id" not in vals:
                # the lead's company when the user works in it; else the constraint below refuses
                company = self.env["crm.lead"].browse(vals["lead_id"]).sudo().company_id
                if company and company in self.env.companies:
                    vals["company_id"] = company.id
        costs = super().create(vals_list)
        self._vertrieb_report_touch(costs.lead_id)
        self._vertrieb_budget_check(costs.lead_id)
        return costs

    def write(self, vals):
        if "lead_id" in vals:
            self._vertrieb_report_touch(self.lead_id)  # the leads the costs leave
        res = super().write(vals)
        if {"amount", "lead_id"} & set(vals):
            self._vertrieb_report_touch(self.lead_id)
            self._vertrieb_budget_check(self.lead_id)
        return res

    def unlink(self):
        self._vertrieb_report_touch(self.lead_id)
        return super().unlink()

    @api.model
    def _vertrieb_report_touch(self, leads):
        """The stored rows of the cost analysis of ``leads`` are rebuilt (their cost)."""
        self.env["vertrieb.acquisition.cost.report"]._vertrieb_rows_touch(lead_ids=leads.ids)

    @api.model
    def _vertrieb_budget_check(self, leads):
        """Warn the salesperson of each lead whose costs exceed its budget: one open activity of the
        budget type per lead, in the salesperson's language (whoever booked the cost)."""
        leads = (
            leads.sudo()
            .filtered("vertrieb_budget_exceeded")
            .with_context(
                mail_activity_quick_update=self.env["vertrieb.acquisition.trigger"]._vertrieb_quiet(leads.user_id)
            )
        )
        if not leads:
            return
        activity_type = self.env.ref("crm_vertrieb.mail_activity_type_budget_exceeded")
        open_ids = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        for lead in leads:
            if lead.id in open_ids:
                continue
            user = lead.user_id or self.env.user
            env = reader_env(self.env, user)
            lead.activity_schedule(
                activity_type_id=activity_type.id,
                summary=env._("Acquisition budget exceeded"),
                note=env._(
                    "The costs of %(cost)s exceed the acquisition budget of %(budget)s.",
                    cost=format_amount(env, lead.vertrieb_actual_cost, lead.company_currency),
                    budget=format_amount(env, lead.vertrieb_budget, lead.company_currency),
                ),
                user_id=user.id,
            )

    @api.model
    def _vertrieb_migrate_typed_costs(self):
        """Update scripts: the acquisition cost typed on a lead before cost entries existed (saved by
        a pre-migration in the table ``vertrieb_migration_actual_cost``) becomes one cost entry of
        type "Other", so the lead's acquisition cost stays what it was. Set-based (a large database
        has hundreds of thousands of them); no budget activity for the past."""
        cr = self.env.cr
        cr.execute("SELECT to_regclass('vertrieb_migration_actual_cost')")
        if not cr.fetchone()[0]:
            return self.browse()
        self.env["crm.lead"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO vertrieb_acquisition_cost
                       (lead_id, name, date, cost_type, step_id, company_id, amount, user_id, team_id, channel_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT lead.id, %(name)s, coalesce(lead.write_date, lead.create_date)::date, 'other',
                       lead.vertrieb_step_id, coalesce(lead.company_id, %(company)s), typed.amount, lead.user_id,
                       lead.team_id, lead.vertrieb_channel_id, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM vertrieb_migration_actual_cost typed
                  JOIN crm_lead lead ON lead.id = typed.lead_id
                 WHERE typed.amount > 0
             RETURNING id
                """,
                name=self.env._("Acquisition cost recorded before cost entries"),
                company=self.env.company.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        # the stored cost and budget flag of the leads (computed before the entries existed), by the
        # set-based fill of these fields (the compute in SQL)
        migrated = [
            lead_id for (lead_id,) in self.env.execute_query(SQL("SELECT lead_id FROM vertrieb_migration_actual_cost"))
        ]
        self.env["crm.lead"]._vertrieb_fill_acquisition_columns(
            ["vertrieb_actual_cost", "vertrieb_budget_exceeded"], migrated
        )
        # the cost analysis' stored rows of these leads (built before this script ran)
        self.env["vertrieb.acquisition.cost.report"]._vertrieb_rows_refresh(migrated)
        cr.execute("DROP TABLE vertrieb_migration_actual_cost")
        self.env["crm.lead"].invalidate_model(["vertrieb_actual_cost", "vertrieb_budget_exceeded", "vertrieb_cost_ids"])
        return self.browse([row[0] for row in rows])
