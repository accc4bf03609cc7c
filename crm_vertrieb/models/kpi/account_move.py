from odoo import api, fields, models


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
