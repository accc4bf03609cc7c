from odoo import api, fields, models
from odoo.exceptions import UserError

from ..base.reader_lang import reader_env

AUDIT_ACTIONS = [
    ("export", "Access export (Art. 15/20)"),
    ("erasure", "Erasure (Art. 17)"),
    ("anonymise", "Anonymisation after retention"),
    ("restrict", "Restriction (Art. 18)"),
    ("lift", "Restriction lifted"),
    ("blacklist_add", "Added to the blacklist"),
    ("blacklist_remove", "Removed from the blacklist"),
    ("withdraw", "Withdrawn by blacklisting"),
    ("review", "Proposed for review"),
    ("skipped", "Skipped by the retention cron"),
    ("import", "Imported consents"),
]


class VertriebPrivacyAudit(models.Model):
    """Audit log of data-protection actions. Holds no personal data: counts and record ids only."""

    _name = "vertrieb.privacy.audit"
    _description = "Data Protection Audit Log"
    _order = "date desc, id desc"

    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Partner", ondelete="set null", readonly=True, index=True)
    partner_ref = fields.Integer(string="Partner ID", readonly=True, aggregator=False)
    salesperson_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    action = fields.Selection(AUDIT_ACTIONS, required=True, readonly=True)
    summary = fields.Text(readonly=True)

    @api.model
    def _vertrieb_officer_env(self, company):
        """The environment in the language of the data-protection officer of ``company``, who reads
        the audit log, the blacklist and the consent history: what the module's server paths write
        there (the blacklist sync of a withdrawn consent, the demo data) is in their language, not in
        the language of whoever caused it. A dedicated officer comes before the administrators (who
        are officers too)."""
        officers = self.env.ref("crm_vertrieb.group_dpo").sudo().users
        officers = officers.filtered(lambda user: company in user.company_ids)
        return reader_env(self.env, *officers.sorted(lambda user: (user.has_group("base.group_system"), user.id))[:1])

    @api.model
    def _vertrieb_log(self, partners, action, summary):
        """Log ``action`` for every partner (summary must not contain personal data)."""
        return self.sudo().create(
            [
                {
                    "user_id": self.env.uid,
                    "partner_id": partner.id,
                    "partner_ref": partner.id,
                    "salesperson_id": partner.user_id.id,
                    "company_id": partner.company_id.id or self.env.company.id,
                    "action": action,
                    "summary": summary,
                }
                for partner in partners
            ]
        )

    @api.model_create_multi
    def create(self, vals_list):
        # only the module's code (superuser, through _vertrieb_log); never a context key of the caller
        if not self.env.su:
            raise UserError(self.env._("Audit log lines are written by the system only."))
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("The audit log cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The audit log cannot be deleted."))
