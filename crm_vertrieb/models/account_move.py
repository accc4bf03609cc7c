from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import quality_tools as qt


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------------------------------
    # ACQUISITION: Acquisition process (Neukundengewinnung)
    # ------------------------------------------------------------------------------------------

    vertrieb_lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        copy=False,
        help="Opportunity this customer invoice or credit note belongs to (acquisition process).",
    )
    vertrieb_lead_partner_confirmed = fields.Boolean(
        string="Different Customer Confirmed",
        copy=False,
        help="The accountant confirms that the invoice belongs to the opportunity although its customer differs.",
    )

    @api.constrains("vertrieb_lead_id", "move_type", "partner_id", "company_id", "vertrieb_lead_partner_confirmed")
    def _check_vertrieb_lead_id(self):
        for move in self.filtered("vertrieb_lead_id"):
            lead = move.vertrieb_lead_id
            if move.move_type not in ("out_invoice", "out_refund"):
                raise ValidationError(
                    self.env._(
                        "Only customer invoices and credit notes can be linked to an opportunity, not %(move)s.",
                        move=move.display_name,
                    )
                )
            if lead.company_id and lead.company_id != move.company_id:
                raise ValidationError(
                    self.env._(
                        "%(move)s belongs to %(company)s, the opportunity %(lead)s to %(lead_company)s.",
                        move=move.display_name,
                        company=move.company_id.name,
                        lead=lead.display_name,
                        lead_company=lead.company_id.name,
                    )
                )
            customer = lead.partner_id.commercial_partner_id
            if customer != move.commercial_partner_id and not move.vertrieb_lead_partner_confirmed:
                raise ValidationError(
                    self.env._(
                        "The customer of the opportunity %(lead)s (%(customer)s) is not the customer of "
                        "%(move)s (%(partner)s). Tick 'Different Customer Confirmed' to link it anyway.",
                        lead=lead.display_name,
                        customer=customer.display_name or self.env._("none"),
                        move=move.display_name,
                        partner=move.commercial_partner_id.display_name,
                    )
                )

    def _reverse_moves(self, default_values_list=None, cancel=False):
        """A credit note of an invoice linked to an opportunity belongs to the same opportunity."""
        default_values_list = default_values_list or [{} for _move in self]
        for move, default_values in zip(self, default_values_list, strict=True):
            if move.vertrieb_lead_id and move.move_type == "out_invoice":
                default_values.setdefault("vertrieb_lead_id", move.vertrieb_lead_id.id)
                default_values.setdefault("vertrieb_lead_partner_confirmed", move.vertrieb_lead_partner_confirmed)
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    # ------------------------------------------------------------------------------------------
    # KPI: Activity-rate KPIs, customer value (Schlagzahl-Management)
    # ------------------------------------------------------------------------------------------

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

    # ------------------------------------------------------------------------------------------
    # COMPLAINT: Complaints (Beschwerde- und Reklamationsmanagement)
    # ------------------------------------------------------------------------------------------

    vertrieb_complaint_count = fields.Integer(string="Complaints", compute="_compute_vertrieb_complaint_count")

    def _compute_vertrieb_complaint_count(self):
        counts = {}
        complaint_model = self.env["vertrieb.complaint"]
        if self.ids and complaint_model.has_access("read"):
            for field in ("invoice_ids", "credit_note_ids"):
                for move, count in complaint_model._read_group([(field, "in", self.ids)], [field], ["__count"]):
                    counts[move] = counts.get(move, 0) + count
        for move in self:
            move.vertrieb_complaint_count = counts.get(move, 0)

    def action_view_vertrieb_complaints(self):
        self.ensure_one()
        context = {}
        if self.move_type == "out_invoice":
            context = {
                "default_partner_id": self.commercial_partner_id.id,
                "default_invoice_ids": [self.id],
            }
        return self.env["vertrieb.complaint"]._action_for_domain(
            ["|", ("invoice_ids", "in", self.ids), ("credit_note_ids", "in", self.ids)], context
        )

    # ------------------------------------------------------------------------------------------
    # QUALITY: Information quality (Informationsqualität)
    # ------------------------------------------------------------------------------------------

    vertrieb_address_missing = fields.Char(
        string="Missing Invoice Address Parts",
        compute="_compute_vertrieb_address_missing",
        help="Parts of the customer's invoice address that are missing or invalid.",
    )

    @api.depends(
        "move_type",
        "state",
        "partner_id",
        "partner_id.name",
        "partner_id.street",
        "partner_id.zip",
        "partner_id.city",
        "partner_id.country_id",
    )
    def _compute_vertrieb_address_missing(self):
        for move in self:
            relevant = move.state == "draft" and move.move_type in ("out_invoice", "out_refund")
            missing = move._vertrieb_missing_address_parts() if relevant else []
            move.vertrieb_address_missing = ", ".join(missing) or False

    def _vertrieb_missing_address_parts(self):
        """Names of the missing (or invalid) parts of the invoice address, translated."""
        self.ensure_one()
        partner = self.partner_id
        if not partner:
            return []
        _ = self.env._
        missing = []
        if not (partner.name or partner.commercial_partner_id.name):
            missing.append(_("name"))
        if not (partner.street or partner.street2):
            missing.append(_("street"))
        if not partner.zip:
            missing.append(_("ZIP code"))
        elif qt.check_zip(self.env, partner.zip, partner.country_id.code):
            missing.append(_("valid ZIP code"))
        if not partner.city:
            missing.append(_("city"))
        if not partner.country_id:
            missing.append(_("country"))
        return missing

    def _vertrieb_quality_check_invoice_address(self):
        """Block (or note, per company setting) customer invoices to an incomplete address."""
        blocked = []
        for move in self.filtered(lambda m: m.state == "draft" and m.move_type in ("out_invoice", "out_refund")):
            mode = move.company_id.vertrieb_invoice_address_guard
            if mode == "off":
                continue
            missing = move._vertrieb_missing_address_parts()
            if not missing:
                continue
            text = self.env._(
                "%(invoice)s to %(partner)s: %(missing)s missing",
                invoice=move.name if move.name and move.name != "/" else self.env._("Draft invoice"),
                partner=move.partner_id.display_name,
                missing=", ".join(missing),
            )
            if mode == "block":
                blocked.append(text)
            else:
                move.message_post(
                    body=self.env._("Posted although the invoice address is incomplete: %(text)s", text=text)
                )
        if blocked:
            raise UserError(
                self.env._(
                    "The invoice address is incomplete, so the invoice cannot be posted:\n%(problems)s\n"
                    "Complete the customer's invoice address first.",
                    problems="\n".join(blocked),
                )
            )

    def _post(self, soft=True):
        self._vertrieb_quality_check_invoice_address()
        return super()._post(soft=soft)

    # ------------------------------------------------------------------------------------------
    # PRIVACY: Data protection by purpose (Zweckbindung)
    # ------------------------------------------------------------------------------------------
