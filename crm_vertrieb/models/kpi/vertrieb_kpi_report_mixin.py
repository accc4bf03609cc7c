from odoo import models, tools
from odoo.tools import SQL


class VertriebKpiReportMixin(models.AbstractModel):
    """Read-only KPI report backed by a PostgreSQL view: the model gives ``_view_query()``; the
    mixin (re)creates the view and opens the document behind a row."""

    _name = "vertrieb.kpi.report.mixin"
    _description = "KPI Report (SQL view)"

    def _view_query(self):
        raise NotImplementedError

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
