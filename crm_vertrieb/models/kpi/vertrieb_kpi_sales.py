from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..base.stored_rows import ensure_rows_table, refresh_rows

# the invoices and credit notes whose report rows must be rebuilt in this transaction
PENDING = "vertrieb.kpi.sales.pending"


class VertriebKpiSales(models.Model):
    """Sales performance from posted customer invoice lines (credit notes subtract), by product,
    sales channel (Vertriebsweg), customer and salesperson, in company currency."""

    _name = "vertrieb.kpi.sales"
    _inherit = "vertrieb.kpi.report.mixin"
    _description = "Sales Performance (Invoiced)"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"
    _depends = {
        "account.move": [
            "state",
            "move_type",
            "invoice_date",
            "commercial_partner_id",
            "invoice_user_id",
            "vertrieb_channel_id",
            "company_id",
        ],
        "account.move.line": ["move_id", "balance", "quantity", "product_id", "display_type"],
        "vertrieb.customer.value": ["partner_id", "company_id", "abc_class"],
        "crm.team.member": ["user_id", "crm_team_id", "active"],
    }

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Customer Invoice"), ("out_refund", "Customer Credit Note")], string="Type", readonly=True
    )
    date = fields.Date("Invoice Date", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    abc_class = fields.Selection([("a", "A"), ("b", "B"), ("c", "C")], string="ABC Class", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    channel_id = fields.Many2one("vertrieb.sales.channel", string="Sales Channel", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    quantity = fields.Float(readonly=True, aggregator="sum")
    amount = fields.Monetary("Revenue", readonly=True, aggregator="sum", currency_field="currency_id")

    # ------------------------------------------------------------------
    # Stored rows: the posted sales lines, kept in step with the invoices
    # ------------------------------------------------------------------
    # The report is read as a pivot over every posted line (four read_group calls per opening):
    # joining the invoice lines with their invoices at every read took 1.8 s for 200,000 lines.
    # The lines' own figures are stored in a narrow table (they no longer change once posted);
    # what can change on a posted invoice or elsewhere (customer, salesperson, channel, ABC
    # class, team, product category) is joined in the view, by unique keys, so that PostgreSQL
    # leaves out every join a read does not use.
    _rows_table = "vertrieb_kpi_sales_line"
    _rows_columns = {
        "id": "integer PRIMARY KEY REFERENCES account_move_line (id) ON DELETE CASCADE",
        "move_id": "integer NOT NULL REFERENCES account_move (id) ON DELETE CASCADE",
        "move_type": "varchar NOT NULL",
        "date": "date",
        "product_id": "integer",
        "company_id": "integer NOT NULL",
        "quantity": "numeric",
        "amount": "numeric",
    }

    def _rows_query(self, move_ids=None):
        """The stored rows of the moves ``move_ids`` (all when None), columns as ``_rows_columns``."""
        return SQL(
            """
            SELECT l.id, l.move_id, m.move_type, m.invoice_date, l.product_id, m.company_id,
                   CASE WHEN m.move_type = 'out_refund' THEN -l.quantity ELSE l.quantity END,
                   -l.balance
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND l.display_type = 'product'
               AND %s
            """,
            SQL("TRUE") if move_ids is None else SQL("m.id = ANY(%s)", sorted(move_ids)),
        )

    def _view_query(self):
        return SQL(
            """
            WITH membership AS (
                SELECT DISTINCT ON (tm.user_id) tm.user_id, tm.crm_team_id
                  FROM crm_team_member tm
                 WHERE tm.active
                 ORDER BY tm.user_id, tm.create_date, tm.id)
            SELECT s.id, s.move_id, s.move_type, s.date, s.product_id,
                   pt.categ_id AS product_categ_id, m.commercial_partner_id AS partner_id,
                   cv.abc_class AS abc_class, m.invoice_user_id AS user_id, mb.crm_team_id AS team_id,
                   m.vertrieb_channel_id AS channel_id, s.company_id, c.currency_id,
                   s.quantity, s.amount
              FROM %(rows)s s
              LEFT JOIN account_move m ON m.id = s.move_id
              LEFT JOIN res_company c ON c.id = s.company_id
              LEFT JOIN vertrieb_customer_value cv
                     ON cv.partner_id = m.commercial_partner_id AND cv.company_id = s.company_id
              LEFT JOIN product_product pp ON pp.id = s.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN membership mb ON mb.user_id = m.invoice_user_id
            """,
            rows=SQL.identifier(self._rows_table),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        if ensure_rows_table(self.env.cr, self._rows_table, self._rows_columns, indexes=("move_id",)):
            # one statement over the posted lines (seconds for millions)
            self.env.cr.execute(SQL("INSERT INTO %s %s", SQL.identifier(self._rows_table), self._rows_query()))
        return super().init()

    @api.model
    def _vertrieb_sales_refresh(self, move_ids=None):
        """Rebuild the stored rows of the moves ``move_ids`` (all when None), set-based; returns
        ``(deleted, written)`` (a full rebuild of rows in step writes nothing)."""
        if move_ids is not None and not move_ids:
            return 0, 0
        self.env["account.move"].flush_model(["state", "move_type", "invoice_date", "company_id"])
        self.env["account.move.line"].flush_model(["move_id", "product_id", "quantity", "balance", "display_type"])
        if move_ids is None:
            stored = SQL("TRUE")
            # one long query: compiling it (JIT) would cost seconds
            self.env.execute_query(SQL("SET LOCAL jit = off"))
        else:
            stored = SQL("t.move_id = ANY(%s)", sorted(move_ids))
        result = refresh_rows(self.env, self._rows_table, list(self._rows_columns), self._rows_query(move_ids), stored)
        if any(result):
            self.invalidate_model()
        return result

    @api.model
    def _vertrieb_sales_touch(self, move_ids):
        """Mark moves whose lines may have entered, left or changed the report: their rows are
        rebuilt before the report is read in this transaction, at the latest when it commits."""
        data = self.env.cr.precommit.data
        pending = data.get(PENDING)
        if pending is None:
            pending = data[PENDING] = set()
            env = self.env
            self.env.cr.precommit.add(lambda: env["vertrieb.kpi.sales"].sudo()._vertrieb_sales_apply())
        pending.update(i for i in move_ids if isinstance(i, int))

    @api.model
    def _vertrieb_sales_apply(self):
        """Rebuild the rows of the moves marked in this transaction."""
        pending = self.env.cr.precommit.data.pop(PENDING, None)
        if pending:
            self._vertrieb_sales_refresh(pending)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # the rows of invoices posted or changed in this transaction are rebuilt before a read
        if self.env.cr.precommit.data.get(PENDING):
            self.sudo()._vertrieb_sales_apply()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def action_open_document(self):
        self.ensure_one()
        return self._vertrieb_open_form(self.move_id)
