from odoo import fields, models
from odoo.exceptions import UserError


class MailMessage(models.Model):
    _inherit = "mail.message"

    vertrieb_privacy_kept_until = fields.Date(
        string="Kept Until (Erasure)",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Business letter of an erased person (§ 257 HGB): kept, restricted, until this date; the "
        "retention cron then erases its content.",
    )

    def write(self, vals):
        if "vertrieb_privacy_kept_until" in vals and not self.env.su:
            raise UserError(self.env._("The retention date of a kept business letter is set by the erasure only."))
        return super().write(vals)
