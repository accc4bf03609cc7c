from odoo import api, fields, models

from ..base.stored_rows import ensure_aggregate
from .mail_activity_type import CONTACT_TYPES


class VertriebKpiContactDay(models.Model):
    """The customer contact ledger summed per day, salesperson, team, company and contact type:
    what the cockpit reads for its weeks and months (a few thousand rows instead of the ledger's
    hundreds of thousands). The database keeps the sums in step with the ledger after every
    statement on it, a foreign key's cascade included (see ``stored_rows.ensure_aggregate``)."""

    _name = "vertrieb.kpi.contact.day"
    _description = "Customer Contacts per Day"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "date"

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contact_type = fields.Selection(CONTACT_TYPES, readonly=True)
    contact_count = fields.Integer("Contacts", readonly=True, aggregator="sum")

    def init(self):
        res = super().init()
        # after every model's table exists (the ledger's among them)
        self.pool.post_init(self._vertrieb_ensure_aggregate)
        return res

    @api.model
    def _vertrieb_ensure_aggregate(self):
        rebuilt = ensure_aggregate(
            self.env.cr,
            self._table,
            self.env["vertrieb.kpi.contact.line"]._table,
            {
                "date": "date",
                "user_id": "integer",
                "team_id": "integer",
                "company_id": "integer",
                "contact_type": "varchar",
            },
            "contact_count",
        )
        # the activity-rate report's sums with its targets, a view on this table
        self.env["vertrieb.kpi.contact.summary"]._vertrieb_create_view()
        return rebuilt
