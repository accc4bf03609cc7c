from odoo import api, fields, models, tools
from odoo.tools import SQL

from .mail_activity_type import CONTACT_TYPES
from .vertrieb_kpi_contact import TARGET_DEPENDS, contact_targets_sql
from .vertrieb_kpi_contact_line import LEDGER_COLUMNS


class VertriebKpiContactSummary(models.Model):
    """The activity-rate report summed: the ledger's sums per day, salesperson, team, company and
    contact type (``vertrieb.kpi.contact.day``) and the contacts targets, one row each.

    The report's grouped reads (its pivot and graph) are answered from here when they group and
    filter only by what the sums keep (see ``vertrieb.kpi.contact._read_group``): a month of the
    ledger is a few thousand rows here instead of hundreds of thousands. ``row_count`` is the
    number of report rows a row stands for (its contacts, 1 for a target), so that the report's
    count stays what it is. The same record rules as the report.
    """

    _name = "vertrieb.kpi.contact.summary"
    _description = "Customer Contacts and Targets (Sums)"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "date"
    _depends = {
        "vertrieb.kpi.contact.line": list(LEDGER_COLUMNS),
        **TARGET_DEPENDS,
    }

    source = fields.Selection([("contact", "Contacts"), ("target", "Target")], readonly=True)
    contact_type = fields.Selection(CONTACT_TYPES, readonly=True)
    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contact_count = fields.Integer("Contacts", readonly=True, aggregator="sum")
    target_value = fields.Float("Target", readonly=True, aggregator="sum")
    row_count = fields.Integer("Report Rows", readonly=True, aggregator="sum")

    @api.model
    def _vertrieb_create_view(self):
        """(Re)create the view; called by ``vertrieb.kpi.contact.day`` once its sums table exists
        (it builds the table after every model's table, and builds it anew when its layout
        changes, which drops this view)."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT d.id, 'contact'::varchar AS source, d.contact_type, d.date, d.user_id, d.team_id,
                           d.company_id, d.contact_count, 0.0::float8 AS target_value, d.contact_count AS row_count
                      FROM %(sums)s d
                    UNION ALL
                    SELECT g.id, 'target'::varchar AS source, g.contact_type, g.date, g.user_id, g.team_id,
                           g.company_id, 0 AS contact_count, g.target_value, 1 AS row_count
                      FROM (%(targets)s) g
                )
                """,
                view=SQL.identifier(self._table),
                sums=SQL.identifier(self.env["vertrieb.kpi.contact.day"]._table),
                targets=contact_targets_sql(),
            )
        )
