from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..base.reader_lang import reader_env


class VertriebComplaint(models.Model):
    """The mail side of a complaint: intake by email (every inbound path), who may write (the
    sender policy), the acknowledgement and the rating request."""

    _inherit = "vertrieb.complaint"

    # ------------------------------------------------------------------------------------------
    # INBOUND
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_complaint_senders(self):
        """Who may open a complaint by email: ``partners`` (known contacts, the default) or
        ``everyone``. One setting for every inbound path: the complaint alias's own
        ``alias_contact`` (Odoo bounces there before a complaint is made), read here again for the
        paths that reach ``message_new`` without the alias (a fetchmail server whose action creates
        complaints, another alias of the model)."""
        alias = self.env.ref("crm_vertrieb.mail_alias_complaint", raise_if_not_found=False)
        return "everyone" if alias and alias.sudo().alias_contact == "everyone" else "partners"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Mail gateway: a complaint from an incoming email, customer matched by the sender.

        The sender policy holds whatever routed the email here: an unknown sender is refused
        unless anyone may write; then the complaint has no customer unless the company creates
        contacts of unknown senders, and it never gets an acknowledgement."""
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from") or ""
        partner = self.env["res.partner"]
        author_id = msg_dict.get("author_id")
        if author_id:
            partner = partner.browse(author_id)
        if not partner:
            partner = self._mail_find_partner_from_emails([email_from], force_create=False)[0]
        sender_unknown = not partner
        if sender_unknown and self._vertrieb_complaint_senders() != "everyone":
            raise UserError(
                self.env._(
                    "No complaint was created from the email of %(sender)s: only known contacts may open a "
                    "complaint by email (setting “Complaints by Email From”).",
                    sender=email_from or self.env._("an unknown sender"),
                )
            )
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        if sender_unknown and company.vertrieb_complaint_create_sender_contact:
            partner = self.env["res.partner"].find_or_create(email_from)
        values.update(
            {
                "name": "/",  # the gateway would put the subject into the reference
                "title": msg_dict.get("subject") or self.env._("Complaint by email"),
                "email_from": email_from,
                "channel": "email",
                "partner_id": partner.commercial_partner_id.id,
                "contact_id": partner.id if partner.commercial_partner_id != partner else False,
                "user_id": values.get("user_id", False),
                "sender_unknown": sender_unknown,
            }
        )
        if partner.commercial_partner_id.user_id.sale_team_id:
            values.setdefault("team_id", partner.commercial_partner_id.user_id.sale_team_id.id)
        if msg_dict.get("body"):
            values.setdefault("description", msg_dict["body"])
        return super().message_new(msg_dict, custom_values=values)

    # ------------------------------------------------------------------------------------------
    # OUTBOUND
    # ------------------------------------------------------------------------------------------

    def _vertrieb_complaint_restricted(self):
        """The customers (contact or company) of ``self`` whose processing is restricted (Art. 18
        GDPR), through the privacy feature's entry point; none without it."""
        partners = self.mapped(lambda complaint: complaint._rating_get_partner())
        if "vertrieb.privacy.purpose" not in self.env or not partners:
            return self.env["res.partner"]
        return self.env["res.partner"]._vertrieb_privacy_restricted_of(partners.ids)

    def _vertrieb_complaint_send_acknowledgement(self):
        """The acknowledgement email to the customer. ``date_acknowledged`` records what was sent:
        only a complaint whose customer got the email has it; a restricted customer gets none, and
        the handler reads why in the chatter."""
        template = self.env.ref("crm_vertrieb.mail_template_complaint_acknowledgement", raise_if_not_found=False)
        if not template:
            return
        # to known contacts only: never to the address of an unknown sender (spam, backscatter)
        to_ack = self.filtered(
            lambda c: c.company_id.vertrieb_complaint_send_ack
            and not c.sender_unknown
            and (c.contact_id.email or c.partner_id.email)
            and not c.date_acknowledged
        )
        restricted = to_ack._vertrieb_complaint_restricted()
        sent = self.browse()
        for complaint in to_ack:
            customer = complaint._rating_get_partner()
            if customer in restricted:
                complaint.sudo().message_post(
                    body=Markup("<p>%s</p>")
                    % reader_env(self.env, complaint.user_id)._(
                        "No acknowledgement was sent: processing of %(partner)s is restricted (Art. 18 GDPR). "
                        "Acknowledge the complaint in another way if the law allows it, e.g. by phone.",
                        partner=customer.display_name,
                    ),
                    message_type="notification",
                    subtype_xmlid="mail.mt_note",
                )
                continue
            message = complaint.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
            notified = message.sudo().notification_ids.filtered(
                lambda notification, customer=customer: notification.res_partner_id == customer
                and notification.notification_type == "email"
            )
            if notified:
                sent |= complaint
        if sent:
            sent.sudo().write({"date_acknowledged": fields.Datetime.now()})

    def _vertrieb_complaint_request_rating(self):
        template = self.env.ref("crm_vertrieb.mail_template_complaint_rating", raise_if_not_found=False)
        if not template:
            return
        for complaint in self.filtered(lambda c: c.company_id.vertrieb_complaint_rating_request):
            if complaint._rating_get_partner().email:
                complaint.rating_send_request(template, force_send=False)

    def _rating_get_partner(self):
        return self.contact_id or self.partner_id

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        partner = self.contact_id or self.partner_id
        if partner and partner.email:
            self._message_add_suggested_recipient(recipients, partner=partner, reason=self.env._("Customer"))
        return recipients
