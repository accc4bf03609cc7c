from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.mail import email_normalize, email_normalize_all, email_split_and_format

from .common import PERSONAL_FIELDS, guard_lifted, is_open_move

# written only by the module's own code (the restriction and erasure functions, the retention cron)
MODULE_FIELDS = frozenset(
    {
        "vertrieb_privacy_restricted",
        "vertrieb_restriction_kind",
        "vertrieb_restriction_date",
        "vertrieb_erasure_state",
        "vertrieb_retention_until",
        "vertrieb_anonymised_date",
    }
)
# decided by a person: the data-protection officer
OFFICER_FIELDS = frozenset({"vertrieb_restriction_reason", "vertrieb_legal_hold", "vertrieb_privacy_review"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    vertrieb_consent_ids = fields.One2many("vertrieb.privacy.consent", "partner_id", string="Purpose Records")
    vertrieb_granted_purpose_ids = fields.Many2many(
        "vertrieb.privacy.purpose",
        string="Granted Purposes",
        compute="_compute_vertrieb_granted_purpose_ids",
        help="Purposes with a granted purpose record in the current company.",
    )
    vertrieb_allowed_purpose = fields.Char(
        string="Allowed Purpose (code)",
        compute="_compute_vertrieb_allowed_purpose",
        search="_search_vertrieb_allowed_purpose",
        help="Search only: ('vertrieb_allowed_purpose', '=', code) selects the partners whose data may be "
        "processed for the purpose with this code.",
    )
    vertrieb_privacy_restricted = fields.Boolean(
        string="Processing Restricted", tracking=True, copy=False, index=True, help="Art. 18 GDPR."
    )
    vertrieb_restriction_kind = fields.Selection(
        [("request", "Restriction request (Art. 18)"), ("retention", "Kept for legal retention (Art. 17(3)(b))")],
        string="Restriction Kind",
        copy=False,
    )
    vertrieb_restriction_reason = fields.Text(string="Restriction Reason", copy=False)
    vertrieb_restriction_date = fields.Date(string="Restricted Since", copy=False)
    vertrieb_legal_hold = fields.Boolean(
        string="Legal Hold", copy=False, tracking=True, help="Never erase or anonymise while set (litigation, audit)."
    )
    vertrieb_relationship_end = fields.Date(
        string="End of Relationship", copy=False, help="Retention periods of the purposes run from this date."
    )
    vertrieb_retention_until = fields.Date(string="Kept Until", copy=False, readonly=True)
    vertrieb_erasure_state = fields.Selection(
        [("restricted", "Erased, kept for retention"), ("anonymised", "Anonymised")],
        string="Erasure",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    vertrieb_anonymised_date = fields.Date(string="Anonymised On", copy=False, readonly=True)
    vertrieb_privacy_review = fields.Boolean(
        string="Retention Review", copy=False, help="Proposed to the data-protection officer for erasure."
    )

    def _compute_vertrieb_granted_purpose_ids(self):
        groups = (
            self.env["vertrieb.privacy.consent"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "=", "granted"),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["purpose_id:recordset"],
            )
        )
        granted = {partner.id: purposes for partner, purposes in groups}
        empty = self.env["vertrieb.privacy.purpose"]
        for partner in self:
            partner.vertrieb_granted_purpose_ids = granted.get(partner._origin.id, empty).sudo(False)

    def _compute_vertrieb_allowed_purpose(self):
        self.vertrieb_allowed_purpose = False

    def _search_vertrieb_allowed_purpose(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, str):
            raise UserError(self.env._("Search the allowed purpose with = or != and a purpose code."))
        domain = self._vertrieb_purpose_domain(value)
        return domain if operator == "=" else ["!", *expression.normalize_domain(domain)]

    @api.model
    def _vertrieb_purpose_domain(self, code):
        """Domain on res.partner: partners whose data may be processed for purpose ``code``.

        Allowed = not anonymised, not restricted (unless the purpose is a legal obligation, Art. 6(1)(c))
        and, for consent-based purposes, a granted purpose record; for the other purposes, no objection
        (withdrawn record). The record counts in the partner's own company (a partner shared by all
        companies: the current company), so a cron running in one company checks the partners of
        another against their own company's records. One SQL sub-query, no per-record work.
        """
        purpose = self.env["vertrieb.privacy.purpose"]._vertrieb_get(code)
        if not purpose:
            return expression.FALSE_DOMAIN
        domain = [("vertrieb_erasure_state", "!=", "anonymised")]
        if purpose.legal_basis != "c":
            domain.append(("vertrieb_privacy_restricted", "=", False))
        for model, names in (
            ("vertrieb.privacy.consent", ["partner_id", "purpose_id", "state", "company_id"]),
            ("vertrieb.privacy.purpose", ["code"]),
            ("res.partner", ["company_id"]),
        ):
            self.env[model].flush_model(names)
        state = "granted" if purpose.consent_required else "withdrawn"
        records = SQL(
            """(SELECT consent.partner_id
                 FROM vertrieb_privacy_consent consent
                 JOIN vertrieb_privacy_purpose purpose ON purpose.id = consent.purpose_id
                 JOIN res_partner partner ON partner.id = consent.partner_id
                WHERE purpose.code = %(code)s AND consent.state = %(state)s
                  AND consent.company_id = COALESCE(partner.company_id, %(company)s))""",
            code=code,
            state=state,
            company=self.env.company.id,
        )
        domain.append(("id", "in" if purpose.consent_required else "not in", records))
        return domain

    def _vertrieb_filter_purpose(self, code):
        """Public enforcement filter: the partners of ``self`` that may be processed for ``code``.

        One query for the purpose and one for the partners, whatever the size of ``self``.
        """
        if not self:
            return self
        allowed = (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "in", self.ids), *self._vertrieb_purpose_domain(code)])
        )
        return self.browse(allowed.ids)

    def _vertrieb_check_purpose(self, code):
        """Public enforcement check: raise a UserError unless every partner of ``self`` may be processed
        for the purpose ``code``."""
        purpose = self.env["vertrieb.privacy.purpose"]._vertrieb_get(code)
        if not purpose:
            raise UserError(self.env._("Unknown processing purpose “%(code)s”.", code=code))
        refused = self - self._vertrieb_filter_purpose(code)
        if refused:
            names = ", ".join(refused[:5].mapped("display_name"))
            if all(p.vertrieb_privacy_restricted or p.vertrieb_erasure_state for p in refused):
                reason = self.env._("processing is restricted (Art. 18 GDPR)")
            elif purpose.consent_required:
                reason = self.env._("there is no granted consent")
            else:
                reason = self.env._("the person objected (Art. 21 GDPR)")
            raise UserError(
                self.env._(
                    "Purpose limitation: %(partners)s may not be processed for “%(purpose)s”: %(reason)s.",
                    partners=names,
                    purpose=purpose.name,
                    reason=reason,
                )
            )
        return True

    # Restriction of outbound messages (Art. 18) ----------------------------------------------------
    @api.model
    def _vertrieb_privacy_command_ids(self, commands):
        """Partner ids linked by x2many commands (set / link) or given as a plain list of ids."""
        ids = []
        for command in commands or []:
            if isinstance(command, int):
                ids.append(command)
            elif command[0] == Command.SET:
                ids += list(command[2])
            elif command[0] == Command.LINK:
                ids.append(command[1])
        return ids

    @api.model
    def _vertrieb_privacy_restricted_of(self, partner_ids, emails=None):
        """The restricted partners (as superuser) among ``partner_ids`` and the owners of ``emails``
        (a string of addresses): one query."""
        normalized = email_normalize_all(emails) if emails else []
        if not partner_ids and not normalized:
            return self.sudo().browse()
        domain = [("id", "in", list(partner_ids))]
        if normalized:
            domain = expression.OR([domain, [("email_normalized", "in", normalized)]])
        return self.sudo().with_context(active_test=False).search([("vertrieb_privacy_restricted", "=", True), *domain])

    def _vertrieb_privacy_check_outbound(self):
        """Entry point of the privacy feature for everything that sends: raise a UserError naming the
        partners of ``self`` whose processing is restricted (Art. 18 GDPR)."""
        restricted = self.sudo().filtered("vertrieb_privacy_restricted")
        if restricted:
            raise UserError(
                self.env._(
                    "Processing of %(partners)s is restricted (Art. 18 GDPR): no message may be sent to this "
                    "contact. Nothing was sent.",
                    partners=", ".join(restricted[:5].mapped("display_name")),
                )
            )
        return True

    @api.model
    def _vertrieb_privacy_strip_emails(self, emails, restricted):
        """``emails`` (comma-separated) without the addresses of the ``restricted`` partners."""
        blocked = set(restricted.mapped("email_normalized"))
        kept = [address for address in email_split_and_format(emails) if email_normalize(address) not in blocked]
        return ", ".join(kept)

    @api.model
    def _vertrieb_privacy_personal_fields(self):
        """Fields holding personal data: blocked for restricted partners, cleared by anonymisation."""
        return PERSONAL_FIELDS

    def _vertrieb_privacy_check_protected(self, vals):
        """State and audit fields: the module's code only (superuser); decisions: the officer only."""
        if guard_lifted(self.env):
            return
        names = {name for name in MODULE_FIELDS if name in vals}
        if names:
            raise UserError(
                self.env._(
                    "The fields %(fields)s are set by the data-protection functions only (restriction, erasure, "
                    "retention); use the buttons on the Data Protection tab.",
                    fields=", ".join(sorted(self._fields[name].string for name in names)),
                )
            )
        if OFFICER_FIELDS.intersection(vals) and not self.env.user.has_group("crm_vertrieb.group_dpo"):
            raise UserError(self.env._("Only the data-protection officer may restrict processing or set a legal hold."))

    def _vertrieb_privacy_check_write(self, vals):
        self._vertrieb_privacy_check_protected(vals)
        if guard_lifted(self.env) or self.env.user.has_group("crm_vertrieb.group_dpo"):
            return
        if self._vertrieb_privacy_personal_fields().intersection(vals) and any(
            partner.vertrieb_privacy_restricted for partner in self
        ):
            raise UserError(
                self.env._(
                    "Processing of %(partner)s is restricted (Art. 18 GDPR): only the data-protection officer "
                    "may edit it.",
                    partner=self.filtered("vertrieb_privacy_restricted")[:1].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        defaults = {
            name[len("default_") :]: value
            for name, value in self.env.context.items()
            if name.startswith("default_vertrieb_") and value
        }
        for vals in vals_list:
            given = {name: value for name, value in {**defaults, **vals}.items() if value}
            self._vertrieb_privacy_check_protected(given)
        return super().create(vals_list)

    def write(self, vals):
        self._vertrieb_privacy_check_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_privacy_evidence(self):
        """Consent evidence and data-subject requests are never dropped with their contact."""
        if not self:
            return
        consents = self.env["vertrieb.privacy.consent"].sudo().with_context(active_test=False)
        requests = self.env["vertrieb.privacy.request"].sudo().with_context(active_test=False)
        blocked = consents.search([("partner_id", "in", self.ids)]).partner_id
        blocked |= requests.search([("partner_id", "in", self.ids)]).partner_id
        if blocked:
            raise UserError(
                self.env._(
                    "%(partners)s cannot be deleted: purpose records with consent evidence or data-subject "
                    "requests are kept for their own retention. Archive the contact instead, or have the "
                    "data-protection officer erase it (Art. 17 GDPR).",
                    partners=", ".join(blocked.sudo()[:5].mapped("display_name")),
                )
            )

    # Rights of the data subject -----------------------------------------------------------------
    def _vertrieb_privacy_check_officer(self):
        if not (self.env.su or self.env.user.has_group("crm_vertrieb.group_dpo")):
            raise AccessError(self.env._("Only the data-protection officer may do this."))
        for partner in self:
            if partner.company_id and partner.company_id not in self.env.companies:
                raise UserError(
                    self.env._(
                        "%(partner)s belongs to another company; switch to that company first.",
                        partner=partner.display_name,
                    )
                )

    def _vertrieb_privacy_scope(self):
        """The partner with all its contacts (archived included): the data subject's records."""
        return self.with_context(active_test=False).search([("id", "child_of", self.ids)])

    def _vertrieb_privacy_moves(self, scope=None):
        scope = scope or self._vertrieb_privacy_scope()
        return self.env["account.move"].sudo().search([("partner_id", "in", scope.ids)])

    def _vertrieb_privacy_open_moves(self, scope=None):
        return self._vertrieb_privacy_moves(scope).filtered(is_open_move)

    def _vertrieb_privacy_erasure_plan(self, name_matches=False):
        """Dry run of the erasure (see ``vertrieb.privacy.eraser._vertrieb_plan``)."""
        self.ensure_one()
        return self.env["vertrieb.privacy.eraser"]._vertrieb_plan(self, name_matches=name_matches)

    def _vertrieb_privacy_erase(self, reason=False, name_matches=False):
        """Art. 17 erasure, stage 1: erase at once what no law requires; keep and restrict what must be kept
        (the addressee of posted invoices) until the retention ends. All or nothing per partner.
        ``name_matches``: the officer confirmed that the leads matching the person by name only are
        theirs (listed in the dry run)."""
        self._vertrieb_privacy_check_officer()
        for partner in self:
            plan = partner._vertrieb_privacy_erasure_plan(name_matches=name_matches)
            partner._vertrieb_privacy_check_erasable(plan)
            with self.env.cr.savepoint():
                self.env["vertrieb.privacy.eraser"]._vertrieb_erase(partner, plan, reason)
        return True

    def _vertrieb_privacy_check_erasable(self, plan):
        self.ensure_one()
        if self.vertrieb_legal_hold:
            raise UserError(
                self.env._("%(partner)s is under legal hold and cannot be erased.", partner=self.display_name)
            )
        if plan["open_moves"]:
            raise UserError(
                self.env._(
                    "%(partner)s cannot be erased: %(count)s invoice(s) or entries are still open or in draft "
                    "(%(refs)s). Settle them first.",
                    partner=self.display_name,
                    count=len(plan["open_moves"]),
                    refs=", ".join(plan["open_moves"][:5].mapped("display_name")),
                )
            )
        if plan["scope"].sudo().user_ids:
            raise UserError(
                self.env._(
                    "%(partner)s is linked to a user account; archive the user first.", partner=self.display_name
                )
            )

    def _vertrieb_privacy_anonymise_records(self):
        """Stage 2: anonymise the partners for good (batch; see ``vertrieb.privacy.eraser``)."""
        return self.env["vertrieb.privacy.eraser"]._vertrieb_anonymise_partners(self)

    def _vertrieb_privacy_anonymise(self):
        """Anonymise after the retention; refused with the reasons when a partner may not be anonymised
        now (see ``vertrieb.privacy.retention``)."""
        return self.env["vertrieb.privacy.retention"]._vertrieb_anonymise(self)

    def _vertrieb_privacy_restrict(self, reason):
        self._vertrieb_privacy_check_officer()
        if not (reason or "").strip():
            raise UserError(self.env._("A restriction needs a reason."))
        self.sudo().write(
            {
                "vertrieb_privacy_restricted": True,
                "vertrieb_restriction_kind": "request",
                "vertrieb_restriction_reason": reason,
                "vertrieb_restriction_date": fields.Date.context_today(self),
            }
        )
        self.env["vertrieb.privacy.audit"]._vertrieb_log(self, "restrict", self.env._("Processing restricted."))

    def action_vertrieb_lift_restriction(self):
        self._vertrieb_privacy_check_officer()
        if any(p.vertrieb_erasure_state for p in self):
            raise UserError(self.env._("An erased partner stays restricted until it is anonymised."))
        self.sudo().write(
            {
                "vertrieb_privacy_restricted": False,
                "vertrieb_restriction_kind": False,
                "vertrieb_restriction_reason": False,
                "vertrieb_restriction_date": False,
            }
        )
        self.env["vertrieb.privacy.audit"]._vertrieb_log(self, "lift", self.env._("Restriction lifted."))

    def _vertrieb_privacy_wizard(self, model):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_vertrieb_privacy_export(self):
        return self._vertrieb_privacy_wizard("vertrieb.privacy.export.wizard")

    def action_vertrieb_privacy_erase(self):
        return self._vertrieb_privacy_wizard("vertrieb.privacy.erasure.wizard")

    def action_vertrieb_privacy_restrict(self):
        return self._vertrieb_privacy_wizard("vertrieb.privacy.restrict.wizard")

    # Retention cron ------------------------------------------------------------------------------
    @api.model
    def _cron_vertrieb_privacy_retention(self, batch_size=500, commit=True):
        """Daily retention run (see ``vertrieb.privacy.retention._vertrieb_run``)."""
        return self.env["vertrieb.privacy.retention"]._vertrieb_run(batch_size=batch_size, commit=commit)
