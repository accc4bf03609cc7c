from odoo import api, fields, models
from odoo.tools import SQL

from .mail_activity_type import CONTACT_TYPES
from .vertrieb_kpi_contact_line import LEDGER_COLUMNS
from .vertrieb_kpi_target import CONTACT_KPIS, contact_type_sql

# what the contacts targets as report rows read
TARGET_DEPENDS = {
    "crm.team.member": ["user_id", "crm_team_id", "active"],
    "vertrieb.kpi.target": ["kpi", "user_id", "team_id", "date_from", "target_value", "company_id", "active"],
}


def contact_targets_sql():
    """SQL: the targets of the "contacts" KPIs as rows of the activity-rate report (negative ids;
    columns ``id, contact_type, date, user_id, team_id, company_id, target_value``). A target of a
    salesperson without a team counts for the first team they joined."""
    return SQL(
        """
        SELECT -t.id::bigint AS id, %(contact_type)s AS contact_type, t.date_from AS date, t.user_id,
               COALESCE(t.team_id, mb.crm_team_id) AS team_id, t.company_id, t.target_value::float8 AS target_value
          FROM vertrieb_kpi_target t
          LEFT JOIN LATERAL (SELECT tm.crm_team_id FROM crm_team_member tm
                              WHERE tm.user_id = t.user_id AND tm.active
                              ORDER BY tm.create_date, tm.id LIMIT 1) mb ON TRUE
         WHERE t.active AND t.kpi = ANY(%(contact_kpis)s)
        """,
        contact_type=contact_type_sql(SQL("t.kpi")),
        contact_kpis=list(CONTACT_KPIS),
    )


class VertriebKpiContact(models.Model):
    """Customer contacts counted for the activity rate (Schlagzahl), one row per contact: the
    report model of the pivot, graph and list views, the cockpit and the digest.

    A thin SQL view over the stored ledger ``vertrieb.kpi.contact.line`` (one narrow row per
    counted contact, kept in sync with its sources; the counting rules live there, see
    readme/USAGE.md, "Counting rules"), plus the targets of the "contacts" KPIs as rows with
    ``source = 'target'`` carrying only the ``target_value`` measure, so that pivots show the
    count against the target.
    """

    _name = "vertrieb.kpi.contact"
    _inherit = "vertrieb.kpi.report.mixin"
    _description = "Customer Contact (Activity Rate)"
    _auto = False
    _order = "date_done desc, id desc"
    _rec_name = "contact_type"
    _depends = {
        "vertrieb.kpi.contact.line": list(LEDGER_COLUMNS),
        **TARGET_DEPENDS,
    }
    # the pivot and graph by salesperson, team, week or month, contact type read the sums per day
    _vertrieb_summary = "vertrieb.kpi.contact.summary"
    _vertrieb_summary_keys = frozenset({"date", "user_id", "team_id", "company_id", "contact_type"})
    _vertrieb_summary_aggregates = {
        "__count": "row_count:sum",
        "contact_count:sum": "contact_count:sum",
        "target_value:sum": "target_value:sum",
    }

    source = fields.Selection(
        [("activity", "Done Activity"), ("calendar", "Meeting"), ("email", "Email"), ("target", "Target")],
        readonly=True,
    )
    contact_type = fields.Selection(CONTACT_TYPES, readonly=True)
    activity_type_id = fields.Many2one("mail.activity.type", readonly=True)
    date_done = fields.Datetime("Done On", readonly=True)
    date = fields.Date(readonly=True, help="Local date of the salesperson (their time zone).")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contact_count = fields.Integer("Contacts", readonly=True, aggregator="sum")
    target_value = fields.Float("Target", readonly=True, aggregator="sum")

    def _view_query(self):
        # both branches give exactly the same column types: PostgreSQL then flattens the view into
        # a (parallel) scan of the ledger, the target branch drops out when filtered away
        return SQL(
            """
            SELECT c.id::bigint AS id, c.source, c.contact_type, c.activity_type_id, c.date_done, c.date,
                   c.user_id, c.team_id, c.lead_id, c.partner_id, c.res_model, c.res_id, c.company_id,
                   1 AS contact_count, 0.0::float8 AS target_value
              FROM vertrieb_kpi_contact_line c
            UNION ALL
            SELECT g.id, 'target'::varchar AS source, g.contact_type, NULL::integer AS activity_type_id,
                   g.date::timestamp AS date_done, g.date, g.user_id, g.team_id, NULL::integer AS lead_id,
                   NULL::integer AS partner_id, NULL::varchar AS res_model, NULL::integer AS res_id,
                   g.company_id, 0 AS contact_count, g.target_value
              FROM (%s) g
            """,
            contact_targets_sql(),
        )

    @api.model
    def _vertrieb_summary_leaf(self, name, operator, value):
        # "is (not) a target" is as true of a row of the sums as of each contact it sums
        if name == "source":
            targets = [value] if operator in ("=", "!=") else value if operator in ("in", "not in") else None
            return isinstance(targets, list | tuple) and list(targets) == ["target"]
        return super()._vertrieb_summary_leaf(name, operator, value)

    # ------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------

    def action_open_document(self):
        """Drill down from a counted contact to the lead, customer or meeting it was made on."""
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return self._vertrieb_open_form(self.env[self.res_model].browse(self.res_id))
