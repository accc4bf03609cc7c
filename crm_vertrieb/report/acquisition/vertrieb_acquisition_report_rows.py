from odoo import api, models, tools
from odoo.tools import SQL

from ...models.base.stored_rows import ensure_rows_table, refresh_rows

# the leads (by id, by customer, by stage, or all) whose stored rows must be rebuilt in this
# transaction, per report
PENDING = "vertrieb.acquisition.report.pending"


class VertriebAcquisitionReportRows(models.AbstractModel):
    """An acquisition report whose rows are stored in a table of their own, kept in step with the
    opportunities, their competitors, costs and the customers' invoices (like the contact ledger).

    Building the rows joins every opportunity with its links, costs and invoices (seconds for
    300,000 leads); reading them scans a narrow table. The report is a view on that table.
    A change marks the leads whose rows may change (``_vertrieb_rows_touch``: by lead, by customer,
    by stage); their rows are rebuilt set-based before the report is read in the same transaction,
    at the latest when it commits. Deleted leads and competitors take their rows with them
    (foreign keys), deleted users, teams, ... leave them without (as on the lead).
    """

    _name = "vertrieb.acquisition.report.rows"
    _description = "Acquisition Report on Stored Rows"

    # the table of the stored rows
    _rows_table = None
    # column -> SQL type, in the order of the columns of _rows_query(); "id" (the report's id,
    # primary key) and "lead_id" first
    _rows_columns = {}
    _rows_indexes = ("lead_id",)
    # fields of crm.lead and crm.stage whose change changes the rows of the lead
    _rows_lead_fields = frozenset()
    _rows_stage_fields = frozenset({"is_won"})
    # models whose pending changes are flushed before the rows are built
    _rows_models = ("crm.lead", "crm.stage")

    def _rows_query(self, lead_ids):
        """The rows of the leads ``lead_ids`` (all leads when None), columns as ``_rows_columns``."""
        raise NotImplementedError

    @api.model
    def _rows_scopes(self, lead_ids, *columns):
        """For ``_rows_query``: one condition per column of lead ids (``"alias.column"``) that keeps
        the rows of the leads ``lead_ids`` (``TRUE`` for all leads when None)."""
        if lead_ids is None:
            return tuple(SQL("TRUE") for _column in columns)
        return tuple(SQL("%s = ANY(%s)", SQL.identifier(*column.split(".")), lead_ids) for column in columns)

    def init(self):
        if self._abstract:
            return
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        table = self._rows_table
        if ensure_rows_table(cr, table, self._rows_columns, self._rows_indexes):
            # after every model's table exists (the leads' pending computes may read any of them)
            self.pool.post_init(self._vertrieb_rows_refresh)
        columns = SQL(", ").join(SQL.identifier("r", name) for name in self._rows_columns)
        cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT %s FROM %s r)",
                SQL.identifier(self._table),
                columns,
                SQL.identifier(table),
            )
        )

    # ------------------------------------------------------------------
    # Stored rows kept in step
    # ------------------------------------------------------------------
    @api.model
    def _vertrieb_rows_refresh(self, lead_ids=None):
        """Rebuild the stored rows of the leads ``lead_ids`` (all when None), set-based: rows the
        leads no longer produce are deleted, new and changed ones written, unchanged ones left
        alone (a full rebuild of rows in step writes nothing). Returns ``(deleted, written)``."""
        if lead_ids is not None and not lead_ids:
            return 0, 0
        for model in self._rows_models:
            self.env[model].flush_model()
        if lead_ids is None:
            stored = SQL("TRUE")
            # one long query: compiling it (JIT) would cost seconds
            self.env.execute_query(SQL("SET LOCAL jit = off"))
        else:
            lead_ids = sorted(lead_ids)
            stored = SQL("t.lead_id = ANY(%s)", lead_ids)
        deleted, written = refresh_rows(
            self.env, self._rows_table, list(self._rows_columns), self._rows_query(lead_ids), stored
        )
        if deleted or written:
            self.invalidate_model()
        return deleted, written

    @api.model
    def _vertrieb_rows_touch(self, lead_ids=(), partner_ids=(), stage_ids=(), everything=False):
        """Mark leads whose rows must be rebuilt: by id, by customer (the leads of these partners
        and of the contacts of these companies) or by stage; rebuilt before the report is read and
        at the latest when the transaction commits."""
        data = self.env.cr.precommit.data
        key = f"{PENDING}.{self._name}"
        pending = data.get(key)
        if pending is None:
            pending = data[key] = {"leads": set(), "partners": set(), "stages": set(), "all": False}
            env, name = self.env, self._name
            self.env.cr.precommit.add(lambda: env[name].sudo()._vertrieb_rows_apply())
        pending["leads"].update(i for i in lead_ids if isinstance(i, int))
        pending["partners"].update(i for i in partner_ids if isinstance(i, int))
        pending["stages"].update(i for i in stage_ids if isinstance(i, int))
        pending["all"] = pending["all"] or everything

    @api.model
    def _vertrieb_rows_apply(self):
        """Rebuild the rows marked by ``_vertrieb_rows_touch`` in this transaction."""
        pending = self.env.cr.precommit.data.pop(f"{PENDING}.{self._name}", None)
        if not pending:
            return
        if pending["all"]:
            self._vertrieb_rows_refresh()
            return
        lead_ids = set(pending["leads"])
        if pending["partners"]:
            # the leads of these partners and of their companies' contacts (one index look-up each)
            self.env["res.partner"].flush_model(["commercial_partner_id"])
            self.env["crm.lead"].flush_model(["partner_id"])
            partners = sorted(pending["partners"])
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT lead.id FROM crm_lead lead
                     WHERE lead.partner_id IN (SELECT partner.id FROM res_partner partner
                                                WHERE partner.id = ANY(%(partners)s)
                                                   OR partner.commercial_partner_id = ANY(%(partners)s))
                    """,
                    partners=partners,
                )
            )
            lead_ids.update(lead_id for (lead_id,) in rows)
        if pending["stages"]:
            self.env["crm.lead"].flush_model(["stage_id"])
            rows = self.env.execute_query(
                SQL("SELECT id FROM crm_lead WHERE stage_id = ANY(%s)", sorted(pending["stages"]))
            )
            lead_ids.update(lead_id for (lead_id,) in rows)
        self._vertrieb_rows_refresh(lead_ids)

    @api.model
    def _vertrieb_rows_reports(self):
        """The reports built on stored rows."""
        return [
            self.env[name] for name in self.pool.descendants([self._name], "_inherit") if not self.env[name]._abstract
        ]

    @api.model
    def _vertrieb_rows_touch_leads(self, lead_ids, names=None):
        """Mark ``lead_ids`` in every report that reads one of the lead fields ``names`` (all
        reports when None: new leads)."""
        for report in self._vertrieb_rows_reports():
            if names is None or report._rows_lead_fields.intersection(names):
                report._vertrieb_rows_touch(lead_ids=lead_ids)

    @api.model
    def _vertrieb_rows_touch_stages(self, stage_ids, names):
        """Mark the leads of ``stage_ids`` in every report that reads one of the stage fields ``names``."""
        for report in self._vertrieb_rows_reports():
            if report._rows_stage_fields.intersection(names):
                report._vertrieb_rows_touch(stage_ids=stage_ids)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # the rows of leads changed in this transaction are rebuilt before they are read
        if self.env.cr.precommit.data.get(f"{PENDING}.{self._name}"):
            self.sudo()._vertrieb_rows_apply()
        return super()._search(domain, offset=offset, limit=limit, order=order)
