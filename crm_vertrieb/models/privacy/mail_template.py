from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    vertrieb_purpose_id = fields.Many2one(
        "vertrieb.privacy.purpose",
        string="Processing Purpose",
        domain=[("is_marketing", "=", True)],
        help="Marketing template: the composer warns when a recipient is not allowed for this purpose.",
    )
