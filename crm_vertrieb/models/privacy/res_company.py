from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    vertrieb_privacy_auto_anonymise = fields.Boolean(
        string="Erase Automatically After Retention",
        help="When all purposes of a partner have ended, the retention cron erases it instead of proposing it "
        "to the data-protection officer.",
    )
