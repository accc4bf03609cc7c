import hashlib

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, email_normalize

from .common import guard_lifted, server_flag, server_flag_set
from .vertrieb_privacy_purpose import LEGAL_BASIS

CONSENT_STATES = [
    ("pending", "Pending"),
    ("granted", "Granted"),
    ("withdrawn", "Withdrawn"),
    ("expired", "Expired"),
]

# Evidence: fixed at creation, only the data-protection officer may correct it.
EVIDENCE_FIELDS = frozenset(
    {
        "partner_id",
        "purpose_id",
        "company_id",
        "legal_basis",
        "consent_date",
        "channel",
        "consent_text",
        "consent_version",
        "consent_hash",
        "contact_value",
        "attachment_id",
        "recorded_by_id",
    }
)


# evidence a new grant after a withdrawal must bring along (the earlier one stays in the history)
REGRANT_FIELDS = frozenset({"consent_date", "channel", "consent_text", "consent_version", "contact_value"})
# evidence copied to every history line
HISTORY_EVIDENCE_FIELDS = ("consent_date", "channel", "consent_text", "consent_version", "consent_hash", "doi_date")


class VertriebPrivacyConsent(models.Model):
    """A purpose record of one person: state, legal basis and append-only evidence."""

    _name = "vertrieb.privacy.consent"
    _description = "Purpose Record (Consent)"
    _inherit = ["mail.thread"]
    _order = "partner_id, purpose_id"
    _rec_name = "purpose_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Person / Company", required=True, ondelete="restrict", index=True
    )
    purpose_id = fields.Many2one(
        "vertrieb.privacy.purpose",
        string="Purpose",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    purpose_code = fields.Char(related="purpose_id.code")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    state = fields.Selection(CONSENT_STATES, required=True, default="pending", tracking=True, index=True)
    legal_basis = fields.Selection(
        LEGAL_BASIS, compute="_compute_legal_basis", store=True, readonly=False, precompute=True, required=True
    )
    consent_required = fields.Boolean(related="purpose_id.consent_required")
    # Evidence
    consent_date = fields.Datetime(string="Date of Consent")
    channel = fields.Selection(
        [
            ("web_form", "Web form"),
            ("email", "Email"),
            ("phone", "Phone"),
            ("paper", "Paper"),
            ("contract", "Contract"),
        ]
    )
    consent_text = fields.Text(help="The exact wording shown to the person.")
    consent_version = fields.Char(string="Text Version")
    consent_hash = fields.Char(
        string="Text Hash (SHA-256)",
        compute="_compute_consent_hash",
        store=True,
        readonly=True,
        help="SHA-256 of the consent text as shown; proves the wording was not changed afterwards.",
    )
    contact_value = fields.Char(
        string="Email / Phone", help="The email address or phone number the consent is tied to."
    )
    doi_date = fields.Datetime(string="Double Opt-in Confirmed")
    attachment_id = fields.Many2one("ir.attachment", string="Source Document", ondelete="restrict")
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True
    )
    withdrawal_date = fields.Datetime(readonly=True)
    valid_until = fields.Date(compute="_compute_valid_until", store=True)
    change_reason = fields.Char(string="Reason for Change", help="Why the state changes; copied to the history line.")
    history_ids = fields.One2many("vertrieb.privacy.consent.history", "consent_id", string="History")

    _sql_constraints = [
        (
            "partner_purpose_company_uniq",
            "unique(partner_id, purpose_id, company_id)",
            "A person has one record per purpose; change its state instead of adding a second one.",
        ),
    ]

    @api.depends("purpose_id")
    def _compute_legal_basis(self):
        for consent in self:
            consent.legal_basis = consent.purpose_id.legal_basis or consent.legal_basis or "a"

    @api.depends("consent_text")
    def _compute_consent_hash(self):
        for consent in self:
            text = consent.consent_text
            consent.consent_hash = hashlib.sha256(text.encode()).hexdigest() if text else False

    @api.depends("state", "consent_date", "purpose_id.consent_validity_months")
    def _compute_valid_until(self):
        for consent in self:
            months = consent.purpose_id.consent_validity_months
            if consent.state == "granted" and consent.consent_date and months:
                consent.valid_until = consent.consent_date.date() + relativedelta(months=months)
            else:
                consent.valid_until = False

    @api.constrains("state", "consent_date", "channel", "consent_text", "withdrawal_date")
    def _check_evidence(self):
        for consent in self:
            if consent.state == "granted" and consent.consent_required:
                if not consent.consent_date or not consent.channel:
                    raise ValidationError(
                        self.env._(
                            "A consent for “%(purpose)s” needs the date and the channel on which it was given.",
                            purpose=consent.purpose_id.name,
                        )
                    )
                if not consent.consent_text:
                    raise ValidationError(
                        self.env._(
                            "The purpose “%(purpose)s” is based on consent: record the exact consent text shown.",
                            purpose=consent.purpose_id.name,
                        )
                    )
            if consent.withdrawal_date and consent.consent_date and consent.withdrawal_date < consent.consent_date:
                raise ValidationError(self.env._("A withdrawal cannot be dated before the consent."))

    # ------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            vals.setdefault("recorded_by_id", self.env.uid)
            if vals.get("state") == "withdrawn":
                purpose = self.env["vertrieb.privacy.purpose"].browse(vals.get("purpose_id"))
                if purpose.consent_required:
                    raise UserError(self.env._("A consent cannot be withdrawn before it was granted."))
                vals.setdefault("withdrawal_date", now)
        consents = super().create(vals_list)
        # a consent created as granted is a grant: the same checks
        consents.filtered(lambda c: c.state == "granted")._vertrieb_check_grant()
        self.env["vertrieb.privacy.consent.history"].sudo().create(
            [
                {
                    "consent_id": consent.id,
                    "old_state": False,
                    "new_state": consent.state,
                    "reason": consent.change_reason,
                    **consent._vertrieb_evidence_snapshot(),
                }
                for consent in consents
            ]
        )
        consents._vertrieb_sync_blacklist()
        return consents

    def write(self, vals):
        # after a withdrawal or expiry the new consent's evidence may be recorded (then granted)
        regrant = all(c.state in ("withdrawn", "expired") for c in self)
        self._vertrieb_check_evidence_write(vals, regrant=regrant)
        old_states = {consent.id: consent.state for consent in self}
        if "state" in vals:
            self._vertrieb_check_transition(vals["state"], vals)
            if vals["state"] == "withdrawn" and "withdrawal_date" not in vals:
                vals = dict(vals, withdrawal_date=fields.Datetime.now())
            elif vals["state"] == "granted" and any(c.withdrawal_date for c in self):
                # a new consent: the withdrawal stays in the history
                vals = dict(vals, withdrawal_date=False)
        res = super().write(vals)
        if "state" in vals or EVIDENCE_FIELDS.intersection(vals):
            history = []
            for consent in self:
                if consent.state != old_states[consent.id] or EVIDENCE_FIELDS.intersection(vals):
                    reason = vals.get("change_reason")
                    if EVIDENCE_FIELDS.intersection(vals) and not reason:
                        reason = self.env._("Evidence corrected by the data-protection officer")
                    history.append(
                        {
                            "consent_id": consent.id,
                            "old_state": old_states[consent.id],
                            "new_state": consent.state,
                            "reason": reason,
                            **consent._vertrieb_evidence_snapshot(),
                        }
                    )
            self.env["vertrieb.privacy.consent.history"].sudo().create(history)
            changed = self.filtered(lambda c: c.state != old_states[c.id])
            changed._vertrieb_sync_blacklist()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_check_evidence_retention(self):
        if guard_lifted(self.env):
            return
        if not self.env.user.has_group("crm_vertrieb.group_dpo"):
            raise UserError(self.env._("Consent evidence can only be deleted by the data-protection officer."))
        today = fields.Date.context_today(self)
        for consent in self:
            keep_until = consent._vertrieb_evidence_keep_until()
            if keep_until and keep_until > today:
                raise UserError(
                    self.env._(
                        "The evidence of “%(purpose)s” must be kept until %(date)s.",
                        purpose=consent.purpose_id.name,
                        date=keep_until,
                    )
                )

    # ------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------
    def _vertrieb_evidence_keep_until(self):
        """Date until which the evidence must be kept (e.g. 5 years for phone advertising)."""
        self.ensure_one()
        months = self.purpose_id.evidence_retention_months
        if not months or not self.consent_date:
            return False
        start = self.withdrawal_date or self.consent_date
        return start.date() + relativedelta(months=months)

    def _vertrieb_evidence_snapshot(self):
        """The evidence as it stands, copied to a history line: it survives a new grant and a merge."""
        self.ensure_one()
        return {name: self[name] for name in HISTORY_EVIDENCE_FIELDS}

    def _vertrieb_check_evidence_write(self, vals, regrant=False):
        touched = EVIDENCE_FIELDS.intersection(vals)
        if regrant:
            # a new consent after a withdrawal brings its own evidence (the old one stays in the history)
            touched = touched - REGRANT_FIELDS
        if "doi_date" in vals and any(consent.doi_date for consent in self):
            touched = touched | {"doi_date"}
        if not touched or guard_lifted(self.env):
            return
        if not self.env.user.has_group("crm_vertrieb.group_dpo"):
            fields_desc = ", ".join(sorted(self._fields[name].string for name in touched))
            raise UserError(
                self.env._(
                    "Consent evidence is append-only (%(fields)s). Record a new state with a reason "
                    "instead; only the data-protection officer may correct evidence.",
                    fields=fields_desc,
                )
            )

    def _vertrieb_check_grant(self):
        for consent in self:
            if consent.partner_id.vertrieb_privacy_restricted:
                raise UserError(
                    self.env._(
                        "%(partner)s is restricted (Art. 18 GDPR): no purpose can be granted.",
                        partner=consent.partner_id.display_name,
                    )
                )

    def _vertrieb_check_transition(self, new_state, vals=None):
        vals = vals or {}
        for consent in self:
            if consent.state == new_state:
                continue
            if new_state == "withdrawn" and consent.consent_required and consent.state != "granted":
                raise UserError(
                    self.env._(
                        "“%(purpose)s” of %(partner)s cannot be withdrawn: it was never granted.",
                        purpose=consent.purpose_id.name,
                        partner=consent.partner_id.display_name,
                    )
                )
            if new_state == "granted":
                consent._vertrieb_check_grant()
                if consent.consent_required and consent.state in ("withdrawn", "expired"):
                    consent._vertrieb_check_new_evidence(vals)

    def _vertrieb_check_new_evidence(self, vals):
        """Granting again after a withdrawal or expiry needs a new consent: date, channel and text."""
        self.ensure_one()
        new_date = fields.Datetime.to_datetime(vals.get("consent_date") or self.consent_date)
        channel = vals.get("channel", self.channel)
        text = vals.get("consent_text", self.consent_text)
        previous = self.withdrawal_date or (self.valid_until and fields.Datetime.to_datetime(self.valid_until))
        if not (new_date and channel and text) or (previous and new_date <= previous):
            raise UserError(
                self.env._(
                    "“%(purpose)s” of %(partner)s was withdrawn or expired: granting it again needs new "
                    "evidence (date after the withdrawal, channel and consent text).",
                    purpose=self.purpose_id.name,
                    partner=self.partner_id.display_name,
                )
            )

    def _vertrieb_contact_email(self):
        self.ensure_one()
        value = self.contact_value or ""
        return value if "@" in value else self.partner_id.email

    def _vertrieb_other_objections(self, email):
        """Withdrawn email purposes for the same address other than this record (another email
        purpose, or the same purpose in another company): the blacklist then stays, as the grant
        speaks only for its own purpose and company."""
        self.ensure_one()
        others = self.sudo().search(
            [
                ("id", "!=", self.id),
                ("state", "=", "withdrawn"),
                ("purpose_id.marketing_medium", "=", "email"),
                "|",
                ("contact_value", "=ilike", email),
                ("partner_id.email_normalized", "=", email_normalize(email)),
            ]
        )
        return others.filtered(lambda c: email_normalize(c._vertrieb_contact_email() or "") == email_normalize(email))

    def _vertrieb_sync_blacklist(self):
        """Withdrawal/objection of an email-marketing purpose -> blacklist; a new grant -> unblacklist."""
        if server_flag_set(self.env, "from_blacklist"):
            return
        with server_flag(self.env, "from_consent"):
            self._vertrieb_sync_blacklist_now()

    def _vertrieb_sync_blacklist_now(self):
        blacklist = self.env["mail.blacklist"].sudo()
        for consent in self.filtered(lambda c: c.purpose_id.marketing_medium == "email"):
            email = consent._vertrieb_contact_email()
            if not email:
                continue
            env = self.env["vertrieb.privacy.audit"]._vertrieb_officer_env(consent.company_id or self.env.company)
            if consent.state == "withdrawn":
                blacklist._add(
                    email,
                    message=env._(
                        "Blacklisted: purpose “%(purpose)s” withdrawn (purpose record %(id)s).",
                        purpose=consent.purpose_id.with_env(env).name,
                        id=consent.id,
                    ),
                )
                self.env["vertrieb.privacy.audit"]._vertrieb_log(
                    consent.partner_id, "blacklist_add", env._("Address added to the email blacklist.")
                )
            elif (
                consent.state == "granted"
                and blacklist.search([("email", "=", email)])
                and not consent._vertrieb_other_objections(email)
            ):
                blacklist._remove(
                    email,
                    message=env._(
                        "Removed from the blacklist: new consent for “%(purpose)s” (purpose record %(id)s).",
                        purpose=consent.purpose_id.with_env(env).name,
                        id=consent.id,
                    ),
                )
                self.env["vertrieb.privacy.audit"]._vertrieb_log(
                    consent.partner_id, "blacklist_remove", env._("Address removed from the email blacklist.")
                )

    # ------------------------------------------------------------------------------------------
    # MERGE OF CONTACTS
    # ------------------------------------------------------------------------------------------
    @api.model
    def _vertrieb_merge_partners(self, src_partners, dst_partner):
        """Before Odoo merges contacts: one purpose record per purpose and company may remain.
        The latest decision (consent or withdrawal) survives; the others' history lines, chatter
        and evidence documents move to it and a history line records what they said."""
        consents = self.search([("partner_id", "in", (src_partners | dst_partner).ids)])
        for group in consents.grouped(lambda consent: (consent.purpose_id, consent.company_id)).values():
            if len(group) < 2:
                continue
            survivor = max(group, key=lambda c: (c._vertrieb_decision_date(), c.partner_id == dst_partner, c.id))
            for other in group - survivor:
                survivor._vertrieb_absorb(other)

    def _vertrieb_decision_date(self):
        self.ensure_one()
        dates = [self.consent_date, self.withdrawal_date, self.create_date, *self.history_ids.mapped("date")]
        return max(date for date in dates if date)

    def _vertrieb_absorb(self, other):
        """Take over ``other`` (same purpose, a contact merged into this one's) and delete it."""
        self.ensure_one()
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                "UPDATE vertrieb_privacy_consent_history SET consent_id = %s WHERE consent_id = %s",
                self.id,
                other.id,
            )
        )
        self.env["vertrieb.privacy.consent.history"].invalidate_model(["consent_id"])
        self.invalidate_recordset(["history_ids"])
        self.env["base.partner.merge.automatic.wizard"]._update_reference_fields_generic(self._name, other, self)
        states = dict(self._fields["state"]._description_selection(self.env))
        summary = self.env._(
            "Contacts merged: the purpose record of %(partner)s (%(state)s, consent of %(date)s, channel "
            "%(channel)s, text version %(version)s, text hash %(hash)s) was joined into this one; the "
            "later decision (%(current)s) applies.",
            partner=other.partner_id.display_name,
            state=states.get(other.state),
            date=other.consent_date or "-",
            channel=other.channel or "-",
            version=other.consent_version or "-",
            hash=other.consent_hash or "-",
            current=states.get(self.state),
        )
        self.env["vertrieb.privacy.consent.history"].create(
            {
                "consent_id": self.id,
                "old_state": other.state,
                "new_state": self.state,
                "reason": summary[:250],
                **other._vertrieb_evidence_snapshot(),
            }
        )
        self.message_post(
            body=summary,
            attachment_ids=other.attachment_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        other.unlink()

    # ------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------
    def _vertrieb_set_state(self, state, reason):
        """Change the state on behalf of the module (erasure, blacklist, expiry) with ``reason`` for the
        history: an explicit argument, never a context key of the caller."""
        return self.write({"state": state, "change_reason": reason})

    def action_grant(self):
        self.write({"state": "granted"})

    def action_withdraw(self):
        self.write({"state": "withdrawn"})

    @api.model
    def _cron_vertrieb_expire(self):
        expired = self.search(
            [("state", "=", "granted"), ("valid_until", "!=", False), ("valid_until", "<", fields.Date.today())]
        )
        expired._vertrieb_set_state("expired", self.env._("Consent validity ended"))
        return expired
