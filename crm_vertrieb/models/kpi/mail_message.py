from odoo import api, models

# fields of a message that the counting rules of the activity rate read
KPI_MESSAGE_FIELDS = {
    "author_id",
    "date",
    "model",
    "res_id",
    "message_type",
    "subtype_id",
    "is_internal",
    "mail_activity_type_id",
    "partner_ids",
}


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        messages._vertrieb_kpi_sync()
        return messages

    def write(self, vals):
        res = super().write(vals)
        if KPI_MESSAGE_FIELDS & vals.keys():
            self._vertrieb_kpi_sync(all_messages=True)
        return res

    def _vertrieb_kpi_sync(self, all_messages=False):
        """Keep the customer contact ledger in step: a done activity or an email on a lead or a
        customer counts at once (deleted messages drop out by the foreign key)."""
        messages = (
            self
            if all_messages
            else self.filtered(
                lambda m: m.model in ("crm.lead", "res.partner")
                and (m.mail_activity_type_id or m.message_type in ("email", "comment"))
            )
        )
        if messages:
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(message_ids=messages.ids)
