from odoo import api, fields, models

from ..base.stored_rows import ensure_aggregate
from .vertrieb_kpi_conversion import PENDING, ROW_TABLE


class VertriebKpiConversionStage(models.Model):
    """The conversion report's rows summed per stage, salesperson, team and company: what the
    cockpit reads for the conversion and hit rate of each step and the hit rate of all decided
    leads (averages as sums and counts: ``conversion_sum / conversion_count``). The database keeps
    the sums in step with the stored rows after every statement on them (see
    ``stored_rows.ensure_aggregate``)."""

    _name = "vertrieb.kpi.conversion.stage"
    _description = "Pipeline Conversion per Step (Sums)"
    _auto = False
    _order = "id"
    _rec_name = "stage_id"

    stage_id = fields.Many2one("crm.stage", string="Stage", readonly=True)
    is_first_stage = fields.Boolean("First Stage of the Pipeline", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    row_count = fields.Integer("Leads", readonly=True, aggregator="sum")
    conversion_count = fields.Integer("Leads with a Next Stage", readonly=True, aggregator="sum")
    conversion_sum = fields.Float("Conversion (Sum)", readonly=True, aggregator="sum")
    hit_count = fields.Integer("Decided Leads", readonly=True, aggregator="sum")
    hit_sum = fields.Float("Hit Rate (Sum)", readonly=True, aggregator="sum")

    def init(self):
        res = super().init()
        # after the conversion report has created its row table
        self.pool.post_init(self._vertrieb_ensure_aggregate)
        return res

    @api.model
    def _vertrieb_ensure_aggregate(self):
        ensure_aggregate(
            self.env.cr,
            self._table,
            ROW_TABLE,
            {
                "stage_id": "integer",
                "is_first_stage": "boolean",
                "user_id": "integer",
                "team_id": "integer",
                "company_id": "integer",
            },
            "row_count",
            {
                "conversion_count": ("integer", "count(conversion_rate)"),
                "conversion_sum": ("double precision", "sum(conversion_rate)"),
                "hit_count": ("integer", "count(hit_rate)"),
                "hit_sum": ("double precision", "sum(hit_rate)"),
            },
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # the rows of leads changed in this transaction are rebuilt (and so summed) before a read
        if self.env.cr.precommit.data.get(PENDING):
            self.env["vertrieb.kpi.conversion"].sudo()._vertrieb_conversion_apply()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _vertrieb_rates(self, domain, groupby):
        """Average conversion and hit rate in percent per group of ``groupby`` (``None`` without
        rows), read with the reader's record rules: ``{group: (conversion, hit)}``."""
        return {
            group: (conversion / counted if counted else None, hit / decided if decided else None)
            for group, counted, conversion, decided, hit in self._read_group(
                domain,
                groupby,
                ["conversion_count:sum", "conversion_sum:sum", "hit_count:sum", "hit_sum:sum"],
            )
        }

    @api.model
    def _vertrieb_hit_rate(self):
        """Won / (won + lost) in percent of the leads the reader may see, ``None`` while none is
        decided: the average hit rate of the first-stage rows (one per lead)."""
        [(decided, hit)] = self._read_group([("is_first_stage", "=", True)], [], ["hit_count:sum", "hit_sum:sum"])
        return hit / decided if decided else None
