from odoo import api, fields, models

# who may open a complaint by email: the alias's own setting (mail.alias alias_contact)
EMAIL_SENDERS = [("partners", "Known contacts only"), ("everyone", "Anyone")]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    vertrieb_complaint_send_ack = fields.Boolean(related="company_id.vertrieb_complaint_send_ack", readonly=False)
    vertrieb_complaint_create_sender_contact = fields.Boolean(
        related="company_id.vertrieb_complaint_create_sender_contact", readonly=False
    )
    vertrieb_complaint_email_senders = fields.Selection(
        EMAIL_SENDERS,
        string="Complaints by Email From",
        default="partners",
        help="Known contacts only: mail from an address no contact has is bounced (Odoo's alias "
        "setting). Anyone: every sender opens a complaint.",
    )
    vertrieb_complaint_rating_request = fields.Boolean(
        related="company_id.vertrieb_complaint_rating_request", readonly=False
    )
    vertrieb_complaint_claim_requires_analysis = fields.Boolean(
        related="company_id.vertrieb_complaint_claim_requires_analysis", readonly=False
    )
    vertrieb_complaint_requires_resolution = fields.Boolean(
        related="company_id.vertrieb_complaint_requires_resolution", readonly=False
    )
    vertrieb_complaint_reject_requires_reason = fields.Boolean(
        related="company_id.vertrieb_complaint_reject_requires_reason", readonly=False
    )

    @api.model
    def get_values(self):
        values = super().get_values()
        alias = self.env.ref("crm_vertrieb.mail_alias_complaint", raise_if_not_found=False)
        contact = alias.sudo().alias_contact if alias else "partners"
        values["vertrieb_complaint_email_senders"] = "everyone" if contact == "everyone" else "partners"
        return values

    def set_values(self):
        res = super().set_values()
        alias = self.env.ref("crm_vertrieb.mail_alias_complaint", raise_if_not_found=False)
        senders = self[:1].vertrieb_complaint_email_senders
        if alias and senders and alias.sudo().alias_contact != senders:
            alias.sudo().alias_contact = senders
        return res
