from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    # activities of this type only for partners allowed for the purpose
    vertrieb_purpose_id = fields.Many2one(
        "vertrieb.privacy.purpose",
        string="Processing Purpose",
        help="Activities of this type may only be planned for partners allowed for this purpose "
        "(e.g. phone advertising needs the Telefonwerbung consent).",
    )
