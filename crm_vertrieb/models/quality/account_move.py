from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools import validators


class AccountMove(models.Model):
    _inherit = "account.move"

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
        elif validators.check_zip(self.env, partner.zip, partner.country_id.code):
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
