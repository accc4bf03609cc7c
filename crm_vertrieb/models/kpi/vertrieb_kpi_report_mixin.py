from odoo import api, models, tools
from odoo.tools import SQL


class VertriebKpiReportMixin(models.AbstractModel):
    """Read-only KPI report backed by a PostgreSQL view: the model gives ``_view_query()``; the
    mixin (re)creates the view and opens the document behind a row.

    A report whose rows are also kept summed (a few thousand sums instead of hundreds of
    thousands of rows) names the model of its sums in ``_vertrieb_summary``: a grouped read (its
    pivot and graph) that groups and filters only by keys of the sums, with measures the sums
    give, reads them instead of the rows, with the reader's record rules on the sums (which
    has the report's rules). ``_vertrieb_summary_aggregates`` maps the report's aggregates to
    those of the sums (``__count``, the number of report rows, to a sum).
    """

    _name = "vertrieb.kpi.report.mixin"
    _description = "KPI Report (SQL view)"

    _vertrieb_summary = None
    _vertrieb_summary_keys = frozenset()
    _vertrieb_summary_aggregates = {}

    def _view_query(self):
        raise NotImplementedError

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        summary = self._vertrieb_summary_read(domain, groupby, aggregates, having, order)
        if summary is None:
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        self.browse().check_access("read")
        summary_aggregates, summary_order = summary
        return self.env[self._vertrieb_summary]._read_group(
            domain, groupby, summary_aggregates, offset=offset, limit=limit, order=summary_order
        )

    @api.model
    def _vertrieb_summary_read(self, domain, groupby, aggregates, having, order):
        """``(aggregates, order)`` of the sums giving the same groups as this grouped read, or
        ``None`` when the sums cannot answer it: a filter or grouping by what they do not keep,
        another measure, a ``having``."""
        if not self._vertrieb_summary or having or not self._vertrieb_summary_domain(domain):
            return None
        if any(spec.split(":")[0] not in self._vertrieb_summary_keys for spec in groupby):
            return None
        mapping = self._vertrieb_summary_aggregates
        if any(spec not in mapping for spec in aggregates):
            return None
        summary_order = []
        for term in filter(None, (term.strip() for term in (order or "").split(","))):
            spec, *direction = term.split()
            if spec in mapping:
                spec = mapping[spec]
            elif spec not in groupby:
                return None
            summary_order.append(" ".join([spec, *direction]))
        return [mapping[spec] for spec in aggregates], ", ".join(summary_order) or None

    @api.model
    def _vertrieb_summary_domain(self, domain):
        """Whether every condition of ``domain`` is as true of a row of the sums as of each
        report row it stands for."""
        for leaf in domain:
            if isinstance(leaf, str):  # '&', '|', '!'
                continue
            if not isinstance(leaf, list | tuple) or len(leaf) != 3:
                return False
            name, operator, value = leaf
            if isinstance(name, int):  # (1, '=', 1), (0, '=', 1)
                continue
            if not self._vertrieb_summary_leaf(name.split(".")[0], operator, value):
                return False
        return True

    @api.model
    def _vertrieb_summary_leaf(self, name, operator, value):
        """Whether the condition ``(name, operator, value)`` can be evaluated on the sums."""
        return name in self._vertrieb_summary_keys

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._view_query()))

    def _vertrieb_open_form(self, record):
        """Action opening ``record`` in its form view (drill-down from a report row)."""
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
            "target": "current",
        }
