from odoo import api, fields, models

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

    # a changed mapping changes which done activities count (the ledger follows at once)
    def write(self, vals):
        res = super().write(vals)
        Ledger = self.env["vertrieb.kpi.contact.line"].sudo()
        # at the install, the default mapping comes before the ledger is built from every message
        if {"vertrieb_contact_type", "category"} & vals.keys() and Ledger._vertrieb_ledger_built():
            Ledger._vertrieb_sync(activity_type_ids=self.ids)
        return res

    def unlink(self):
        ids = self.ids
        res = super().unlink()
        # the done activities of a deleted type no longer carry it: they stop counting
        self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(activity_type_ids=ids)
        return res

    @api.model
    def _vertrieb_map_default_contact_types(self):
        """Databases that had the module before the activity-rate KPIs existed never loaded the
        default mapping (a noupdate record of a module already installed): map Odoo's call,
        meeting and email types once, when none of them is mapped; never again afterwards, so a
        mapping removed on purpose stays removed."""
        Param = self.env["ir.config_parameter"].sudo()
        if Param.get_param("crm_vertrieb.default_contact_types"):
            return False
        Param.set_param("crm_vertrieb.default_contact_types", "1")
        defaults = {
            "mail.mail_activity_data_call": "call",
            "mail.mail_activity_data_meeting": "meeting",
            "mail.mail_activity_data_email": "email",
        }
        types = {xmlid: self.env.ref(xmlid, raise_if_not_found=False) for xmlid in defaults}
        if any(activity_type.vertrieb_contact_type for activity_type in types.values() if activity_type):
            return False
        for xmlid, activity_type in types.items():
            if activity_type:
                activity_type.vertrieb_contact_type = defaults[xmlid]
        return True
