from odoo import Command, api, models
from odoo.exceptions import UserError, ValidationError

from ..base.reader_lang import reader_env


class VertriebComplaint(models.Model):
    """The complaint's credit notes: the one way to link them (checked: each reverses an invoice of
    the complaint), their count and amount, the refusal to delete a complaint that has some, and the
    actions that open the credit-note wizard and the linked credit notes."""

    _inherit = "vertrieb.complaint"

    @api.depends("credit_note_ids")
    def _compute_credit_note_count(self):
        for complaint in self:
            complaint.credit_note_count = len(complaint.credit_note_ids)

    @api.depends("credit_note_ids.state", "credit_note_ids.amount_untaxed_signed")
    def _compute_credited_amount(self):
        for complaint in self:
            complaint.credited_amount = -sum(
                complaint.credit_note_ids.filtered(lambda m: m.state == "posted").mapped("amount_untaxed_signed")
            )

    @api.constrains("credit_note_ids", "invoice_ids")
    def _check_credit_notes(self):
        for complaint in self:
            for move in complaint.sudo().credit_note_ids:
                if move.move_type != "out_refund" or move.reversed_entry_id not in complaint.sudo().invoice_ids:
                    raise ValidationError(
                        self.env._(
                            "%(move)s is not a credit note reversing an invoice of the complaint %(complaint)s.",
                            move=move.display_name,
                            complaint=complaint.display_name,
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_credit_notes(self):
        if self.credit_note_ids:
            raise UserError(self.env._("A complaint with credit notes cannot be deleted; archive it instead."))

    def _vertrieb_link_credit_notes(self, credit_notes, extra_vals=None):
        """Link ``credit_notes`` to the complaint: the one way the credit-note wizards write
        ``credit_note_ids`` (a module field); ``_check_credit_notes`` checks that each reverses an
        invoice of the complaint."""
        self.ensure_one()
        self.check_access("write")
        vals = dict(extra_vals or {}, credit_note_ids=[Command.link(move.id) for move in credit_notes])
        self.sudo().write(vals)

    def _vertrieb_credit_note_messages(self, credit_notes, from_invoice):
        """The notes that link a complaint and its new credit notes both ways, each in the language of
        its reader: the complaint's handler, the credit note's salesperson (not the accountant's or
        the demo loader's)."""
        self.ensure_one()
        env = reader_env(self.env, self.user_id)
        for move in credit_notes:
            link = move._get_html_link()
            self.message_post(
                body=env._("Credit note %(move)s created from the invoice.", move=link)
                if from_invoice
                else env._("Credit note %(move)s created.", move=link)
            )
            move.message_post(
                body=reader_env(self.env, move.invoice_user_id, self.user_id)._(
                    "Credit note for the complaint %(complaint)s.", complaint=self._get_html_link()
                )
            )

    def action_create_credit_note(self):
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(self.env._("Only accountants can create credit notes."))
        invoices = self.invoice_ids.filtered(lambda m: m.state == "posted")
        if not invoices:
            raise UserError(self.env._("Link a posted customer invoice to the complaint first."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create Credit Note"),
            "res_model": "vertrieb.complaint.credit.note",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id, "default_invoice_id": invoices[:1].id},
        }

    def action_view_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_refund_type")
        action["domain"] = [("id", "in", self.credit_note_ids.ids)]
        action["context"] = {"default_move_type": "out_refund", "create": False}
        if len(self.credit_note_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.credit_note_ids.id)
        return action
