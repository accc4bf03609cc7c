from odoo import api, models


class MailNotification(models.Model):
    _inherit = "mail.notification"

    @api.model_create_multi
    def create(self, vals_list):
        notifications = super().create(vals_list)
        # an email counts as a customer contact once a recipient outside the company is known
        messages = notifications.filtered(
            lambda n: n.notification_type == "email" and n.mail_message_id.model in ("crm.lead", "res.partner")
        ).mail_message_id
        if messages:
            Ledger = self.env["vertrieb.kpi.contact.line"].sudo()
            # a recipient more changes nothing in the row of a message counted already (its recipients
            # given with the post, the usual case): only the others are synced
            message_ids = set(messages.ids) - Ledger._vertrieb_counted_message_ids(messages.ids)
            if message_ids:
                Ledger._vertrieb_sync(message_ids=list(message_ids))
        return notifications
