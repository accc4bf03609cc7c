from odoo import fields, models

CONTACT_TYPES = [
    ("call", "Call"),
    ("meeting", "Meeting / Visit"),
    ("email", "Email"),
    ("offer", "Offer"),
]


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    vertrieb_contact_type = fields.Selection(
        CONTACT_TYPES,
        string="Customer Contact Type",
        help="When an activity of this type is marked as done on a lead or a customer, it counts as a "
        "customer contact of this type in the activity-rate KPIs (Schlagzahl). Leave empty for "
        "activity types that are no customer contact (e.g. internal to-dos).",
    )

    # PRIVACY: activities of this type only for partners allowed for the purpose
    vertrieb_purpose_id = fields.Many2one(
        "vertrieb.privacy.purpose",
        string="Processing Purpose",
        help="Activities of this type may only be planned for partners allowed for this purpose "
        "(e.g. phone advertising needs the Telefonwerbung consent).",
    )

    # KPI: a changed mapping changes which done activities count (the ledger follows at once)
    def write(self, vals):
        res = super().write(vals)
        if {"vertrieb_contact_type", "category"} & vals.keys():
            self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(activity_type_ids=self.ids)
        return res

    def unlink(self):
        ids = self.ids
        res = super().unlink()
        # the done activities of a deleted type no longer carry it: they stop counting
        self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(activity_type_ids=ids)
        return res
