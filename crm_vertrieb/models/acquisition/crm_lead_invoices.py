from odoo import api, models


class CrmLead(models.Model):
    """Invoices on opportunities: the payment received (step 7), the invoiced, paid and open
    amounts, the opportunities an invoicing user without lead access may link, the invoices' list."""

    _inherit = "crm.lead"

    @api.depends("vertrieb_invoice_ids.state", "vertrieb_invoice_ids.payment_state", "vertrieb_invoice_ids.move_type")
    def _compute_vertrieb_payment_received(self):
        for lead in self:
            invoices = lead.vertrieb_invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice" and m.payment_state != "reversed"
            )
            lead.vertrieb_payment_received = bool(invoices) and all(
                invoice.payment_state in ("paid", "in_payment") for invoice in invoices
            )

    def _compute_vertrieb_invoice_amounts(self):
        data = {}
        if self.ids:
            groups = (
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [
                        ("vertrieb_lead_id", "in", self.ids),
                        ("state", "=", "posted"),
                        ("move_type", "in", ("out_invoice", "out_refund")),
                    ],
                    ["vertrieb_lead_id"],
                    ["__count", "amount_total_signed:sum", "amount_residual_signed:sum"],
                )
            )
            data = {lead.id: (count, total, residual) for lead, count, total, residual in groups}
        for lead in self:
            count, total, residual = data.get(lead.id, (0, 0.0, 0.0))
            lead.vertrieb_invoice_count = count
            lead.vertrieb_amount_invoiced = total
            lead.vertrieb_amount_open = residual
            lead.vertrieb_amount_paid = total - residual

    @api.model
    @api.readonly
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """Invoicing users have no access to leads (least privilege); to link an invoice to its
        opportunity they get the names of the opportunities of customers they invoice, nothing
        else. No context key decides it: the ids the client names in the domain (the invoice's
        ``vertrieb_lead_candidate_ids``) are checked again here."""
        if self.env.su or self.has_access("read") or not self.env.user.has_group("account.group_account_invoice"):
            return super().name_search(name=name, args=args, operator=operator, limit=limit)
        return self._vertrieb_invoice_opportunities(args, name, limit)

    @api.model
    def _vertrieb_invoice_opportunity_domain(self, customers):
        """Open opportunities of the commercial entities ``customers`` in the current user's companies."""
        return [
            ("type", "=", "opportunity"),
            ("partner_id", "child_of", customers.ids),
            ("company_id", "in", [*self.env.companies.ids, False]),
        ]

    @api.model
    def _vertrieb_invoice_opportunities(self, domain, name, limit):
        """(id, name) of the opportunities among the ids of ``domain`` (leaves ``("id", "in", ids)``
        or ``("id", "=", id)``; anything else in it is ignored) that an invoice of the current user
        may be linked to: each belongs to a customer the user invoices (a customer invoice or credit
        note they can read) — never the whole pipeline, whatever the client sends."""
        ids = set()
        for leaf in domain or []:
            if isinstance(leaf, list | tuple) and len(leaf) == 3 and leaf[0] == "id" and leaf[1] in ("in", "="):
                ids.update(value for value in (leaf[2] if leaf[1] == "in" else [leaf[2]]) if isinstance(value, int))
        if not ids:
            return []
        leads = self.sudo().browse(ids).exists()
        invoiced = (
            self.env["account.move"]
            .search(
                [
                    ("commercial_partner_id", "in", leads.partner_id.commercial_partner_id.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ]
            )
            .commercial_partner_id
        )
        if not invoiced:
            return []
        lead_domain = [("id", "in", leads.ids), *self._vertrieb_invoice_opportunity_domain(invoiced)]
        if name:
            lead_domain.append(("name", "ilike", name))
        return [(lead.id, lead.display_name) for lead in self.sudo().search(lead_domain, limit=limit)]

    def action_vertrieb_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("vertrieb_lead_id", "=", self.id)]
        action["context"] = {
            "default_move_type": "out_invoice",
            "default_vertrieb_lead_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
