from datetime import UTC

from odoo import api, fields, models
from odoo.tools import SQL

from ..base.stored_rows import ensure_aggregate
from .vertrieb_kpi_conversion import PENDING, ROW_TABLE


def _ratio(total, count, factor=1):
    """SQL of an average from sums: ``factor * SUM(total) / SUM(count)`` over the columns of a
    function of column names, as float (NULL without a count)."""
    return lambda col: SQL("%s * SUM(%s)::float8 / NULLIF(SUM(%s), 0)", factor, col(total), col(count))


# the report's averages of a group, from its sums
RATIOS = {
    "conversion_rate:avg": _ratio("conversion_sum", "conversion_count"),
    "hit_rate:avg": _ratio("hit_sum", "hit_count"),
    # the days in a stage an open lead is still in count until now, as in the report
    "days_in_stage:avg": lambda col: SQL(
        """((SUM(%s) + (SUM(%s) * date_part('epoch', now() AT TIME ZONE 'UTC')::numeric - SUM(%s)) / 86400)
            / NULLIF(SUM(%s), 0))::float8""",
        col("days_sum"),
        col("open_count"),
        col("open_since_sum"),
        col("days_count"),
    ),
    "offer_contract_rate:avg": _ratio("contract_count", "offer_decided_count", 100),
}


class VertriebKpiConversionStage(models.Model):
    """The conversion report's rows summed per stage, salesperson, team, company, sales channel,
    outcome and offer made: what the cockpit reads for the conversion and hit rate of each step
    and the hit rate of all decided leads, and what the report's pivot and graph read when they
    group and filter by these (see ``vertrieb.kpi.report.mixin``). Averages are kept as sums and
    counts (``conversion_sum / conversion_count``); the days in a stage as the days of finished
    spans and the start of the spans still open (exact ``numeric`` sums: they are added and
    taken away again). The database keeps the sums in step with the stored rows after every
    statement on them (see ``stored_rows.ensure_aggregate``)."""

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
    channel_id = fields.Many2one("vertrieb.sales.channel", string="Sales Channel", readonly=True)
    outcome = fields.Selection([("open", "Open"), ("won", "Won"), ("lost", "Lost")], readonly=True)
    has_offer = fields.Boolean("Offer Made", readonly=True)
    row_count = fields.Integer("Leads", readonly=True, aggregator="sum")
    conversion_count = fields.Integer("Leads with a Next Stage", readonly=True, aggregator="sum")
    conversion_sum = fields.Float("Conversion (Sum)", readonly=True, aggregator="sum")
    hit_count = fields.Integer("Decided Leads", readonly=True, aggregator="sum")
    hit_sum = fields.Float("Hit Rate (Sum)", readonly=True, aggregator="sum")
    days_count = fields.Integer("Leads with Days in Stage", readonly=True, aggregator="sum")
    days_sum = fields.Float("Days of Finished Spans (Sum)", readonly=True, aggregator="sum")
    open_count = fields.Integer("Open Spans", readonly=True, aggregator="sum")
    open_since_sum = fields.Float("Start of Open Spans (Sum of Epoch Seconds)", readonly=True, aggregator="sum")
    offer_count = fields.Integer("Offers", readonly=True, aggregator="sum")
    contract_count = fields.Integer("Contracts", readonly=True, aggregator="sum")
    offer_decided_count = fields.Integer("Decided Offers", readonly=True, aggregator="sum")
    # the report's averages of a group of sums (read grouped, they are computed from the sums)
    conversion_rate = fields.Float("Conversion (%)", compute="_compute_rates", aggregator="avg")
    hit_rate = fields.Float("Hit Rate (%)", compute="_compute_rates", aggregator="avg")
    days_in_stage = fields.Float("Days in Stage", compute="_compute_rates", aggregator="avg", digits=(16, 1))
    offer_contract_rate = fields.Float("Offers to Contracts (%)", compute="_compute_rates", aggregator="avg")

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
                "channel_id": "integer",
                "outcome": "varchar",
                "has_offer": "boolean",
            },
            "row_count",
            {
                "conversion_count": ("integer", "count(conversion_rate)"),
                "conversion_sum": ("double precision", "sum(conversion_rate)"),
                "hit_count": ("integer", "count(hit_rate)"),
                "hit_sum": ("double precision", "sum(hit_rate)"),
                "days_count": ("integer", "count(days_done) FILTER (WHERE NOT is_won_stage)"),
                "days_sum": ("numeric", "sum(days_done::numeric) FILTER (WHERE NOT is_won_stage)"),
                "open_count": ("integer", "count(open_since) FILTER (WHERE NOT is_won_stage)"),
                "open_since_sum": (
                    "numeric",
                    "sum(date_part('epoch', open_since)::numeric) FILTER (WHERE NOT is_won_stage)",
                ),
                "offer_count": ("integer", "count(*) FILTER (WHERE is_first_stage AND has_offer)"),
                "contract_count": (
                    "integer",
                    "count(*) FILTER (WHERE is_first_stage AND has_offer AND outcome = 'won')",
                ),
                "offer_decided_count": (
                    "integer",
                    "count(*) FILTER (WHERE is_first_stage AND has_offer AND outcome IN ('won', 'lost'))",
                ),
            },
        )

    @api.depends(
        "conversion_sum",
        "conversion_count",
        "hit_sum",
        "hit_count",
        "days_count",
        "days_sum",
        "open_count",
        "open_since_sum",
        "contract_count",
        "offer_decided_count",
    )
    def _compute_rates(self):
        # the transaction's time in UTC, as the report's SQL reads it (now() AT TIME ZONE 'UTC')
        now = self.env.cr.now().replace(tzinfo=UTC).timestamp()
        for row in self:
            row.conversion_rate = row.conversion_sum / row.conversion_count if row.conversion_count else 0.0
            row.hit_rate = row.hit_sum / row.hit_count if row.hit_count else 0.0
            row.days_in_stage = (
                (row.days_sum + (row.open_count * now - row.open_since_sum) / 86400) / row.days_count
                if row.days_count
                else 0.0
            )
            row.offer_contract_rate = (
                100.0 * row.contract_count / row.offer_decided_count if row.offer_decided_count else 0.0
            )

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec in RATIOS:
            return RATIOS[aggregate_spec](lambda fname: self._field_to_sql(self._table, fname, query))
        return super()._read_group_select(aggregate_spec, query)

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
