from odoo import api, fields, models
from odoo.tools import SQL

from ..base.column_fill import create_computed_columns, fill_from_query

# the fields of an invoice stored in the rows of the sales performance report (the others are
# joined when the report is read)
SALES_FIELDS = frozenset({"state", "move_type", "invoice_date", "company_id", "line_ids", "invoice_line_ids"})


class AccountMove(models.Model):
    _inherit = "account.move"

    vertrieb_channel_id = fields.Many2one(
        "vertrieb.sales.channel",
        string="Sales Channel",
        compute="_compute_vertrieb_channel_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="Sales channel (Vertriebsweg) the revenue of this invoice is reported under. Proposed from "
        "the customer's latest won opportunity with a channel (else their latest opportunity with one).",
    )

    def _auto_init(self):
        # the first fill on existing invoices: one statement (models/base/column_fill.py)
        created = create_computed_columns(self, ["vertrieb_channel_id"])
        res = super()._auto_init()
        if created:
            self.pool.post_init(self._vertrieb_fill_channel)
        return res

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        # created posted (imports): their lines enter the sales performance report
        self.env["vertrieb.kpi.sales"]._vertrieb_sales_touch(moves.ids)
        return moves

    def write(self, vals):
        res = super().write(vals)
        # posted, reset to draft or cancelled: the lines enter or leave the sales performance report
        if SALES_FIELDS.intersection(vals):
            self.env["vertrieb.kpi.sales"]._vertrieb_sales_touch(self.ids)
        return res

    @api.model
    def _vertrieb_fill_channel(self, ids=None):
        """``_compute_vertrieb_channel_id`` in SQL: the channel of the customer's latest won
        opportunity with a channel, else of their latest opportunity with one (any salesperson,
        archived ones included), for the sale documents without a channel."""
        source = SQL(
            """SELECT m.id, c.channel_id AS vertrieb_channel_id
                 FROM account_move m
                 JOIN res_partner mp ON mp.id = m.partner_id
                 JOIN (SELECT DISTINCT ON (p.commercial_partner_id)
                              p.commercial_partner_id, l.vertrieb_channel_id AS channel_id
                         FROM crm_lead l
                         JOIN res_partner p ON p.id = l.partner_id
                        WHERE l.vertrieb_channel_id IS NOT NULL
                        ORDER BY p.commercial_partner_id, COALESCE(l.active AND l.probability = 100, FALSE) DESC,
                                 l.id DESC) c ON c.commercial_partner_id = mp.commercial_partner_id
                WHERE m.move_type IN ('out_invoice', 'out_refund', 'out_receipt') AND m.vertrieb_channel_id IS NULL"""
        )
        return fill_from_query(self, "Sales channels of existing invoices", ["vertrieb_channel_id"], source, ids)

    @api.depends("partner_id")
    def _compute_vertrieb_channel_id(self):
        moves = self.filtered(
            lambda m: m.partner_id and not m.vertrieb_channel_id and m.is_sale_document(include_receipts=True)
        )
        channels = {}
        if moves:
            partners = moves.partner_id.commercial_partner_id
            # the channel is shared configuration: reading it through the leads does not expose them
            leads = (
                self.env["crm.lead"]
                .sudo()
                .with_context(active_test=False)
                .search_read(
                    [("partner_id", "child_of", partners.ids), ("vertrieb_channel_id", "!=", False)],
                    ["partner_id", "vertrieb_channel_id", "probability", "active"],
                    order="id desc",
                )
            )
            commercial = {
                p.id: p.commercial_partner_id.id
                for p in self.env["res.partner"].browse({lead["partner_id"][0] for lead in leads})
            }
            ranked = sorted(leads, key=lambda lead: (lead["active"] and lead["probability"] == 100), reverse=True)
            for lead in ranked:
                channels.setdefault(commercial[lead["partner_id"][0]], lead["vertrieb_channel_id"][0])
        for move in self:
            if move in moves:
                move.vertrieb_channel_id = channels.get(move.partner_id.commercial_partner_id.id, False)
            else:
                move.vertrieb_channel_id = move.vertrieb_channel_id
