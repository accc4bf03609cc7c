from odoo import api, fields, models
from odoo.exceptions import UserError

from .vertrieb_privacy_consent import CONSENT_STATES


class VertriebPrivacyConsentHistory(models.Model):
    """One line per change of a purpose record: append-only."""

    _name = "vertrieb.privacy.consent.history"
    _description = "Purpose Record History"
    _order = "date desc, id desc"

    consent_id = fields.Many2one(
        "vertrieb.privacy.consent", string="Purpose Record", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="consent_id.partner_id", store=True, index=True)
    purpose_id = fields.Many2one(related="consent_id.purpose_id", store=True)
    company_id = fields.Many2one(related="consent_id.company_id", store=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, readonly=True)
    old_state = fields.Selection(CONSENT_STATES, readonly=True)
    new_state = fields.Selection(CONSENT_STATES, readonly=True)
    reason = fields.Char(readonly=True)
    # the evidence at the time of the change: kept when the record is granted again or merged
    consent_date = fields.Datetime(string="Date of Consent", readonly=True)
    channel = fields.Char(readonly=True)
    consent_text = fields.Text(readonly=True)
    consent_version = fields.Char(string="Text Version", readonly=True)
    consent_hash = fields.Char(string="Text Hash (SHA-256)", readonly=True)
    doi_date = fields.Datetime(string="Double Opt-in Confirmed", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["user_id"] = self.env.uid if not self.env.su else vals.get("user_id", self.env.uid)
            vals["date"] = fields.Datetime.now()
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("History lines of purpose records cannot be changed."))
