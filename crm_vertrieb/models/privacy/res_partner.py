import logging
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, modules
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.mail import email_normalize, email_normalize_all, email_split_and_format

from .common import ANONYMISATION_CLEARS_LINKS, PERSONAL_FIELDS, guard_lifted, partner_text_fields

_logger = logging.getLogger(__name__)

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


def _is_open_move(move):
    """A draft entry, or a posted invoice not fully paid: blocks erasure and anonymisation."""
    return move.state == "draft" or (
        move.state == "posted" and move.is_invoice(True) and move.payment_state in ("not_paid", "partial", "in_payment")
    )


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
        and, for consent-based purposes, a granted purpose record in the current company; for the
        other purposes, no objection (withdrawn record). One SQL sub-query, no per-record work.
        """
        purpose = self.env["vertrieb.privacy.purpose"]._vertrieb_get(code)
        if not purpose:
            return expression.FALSE_DOMAIN
        consents = self.env["vertrieb.privacy.consent"].sudo().with_context(active_test=False)
        base = [("company_id", "=", self.env.company.id), ("purpose_id", "=", purpose.id)]
        domain = [("vertrieb_erasure_state", "!=", "anonymised")]
        if purpose.legal_basis != "c":
            domain.append(("vertrieb_privacy_restricted", "=", False))
        column = SQL.identifier(consents._table, "partner_id")
        if purpose.consent_required:
            query = consents._search([*base, ("state", "=", "granted")])
            domain.append(("id", "in", query.subselect(column)))
        else:
            query = consents._search([*base, ("state", "=", "withdrawn")])
            domain.append(("id", "not in", query.subselect(column)))
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
        return self._vertrieb_privacy_moves(scope).filtered(_is_open_move)

    def _vertrieb_privacy_erasure_plan(self):
        """Dry run of the erasure in the officer's companies: what goes now, what is anonymised, what is
        kept (restricted) until which date. A contact shared with companies the officer is not in
        keeps its record; only the data of the officer's companies is erased."""
        self.ensure_one()
        Eraser = self.env["vertrieb.privacy.eraser"]
        companies = self.env.companies
        company_ids = [*companies.ids, False]
        today = fields.Date.context_today(self)
        scope = self._vertrieb_privacy_scope()
        emails = [email for email in scope.mapped("email_normalized") if email]
        all_moves = self._vertrieb_privacy_moves(scope)
        moves = all_moves.filtered(lambda m: m.company_id in companies)
        posted = moves.filtered(lambda m: m.state == "posted")
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        lead_link = [("partner_id", "in", scope.ids)]
        if emails:
            # leads linked only by the e-mail address (no contact chosen)
            lead_link = ["|", *lead_link, "&", ("partner_id", "=", False), ("email_normalized", "in", emails)]
        leads = Lead.search([*lead_link, ("company_id", "in", company_ids)])
        other_data = bool(
            (all_moves - moves) or Lead.search_count([*lead_link, ("company_id", "not in", company_ids)], limit=1)
        )
        complaints = []
        if "vertrieb.complaint" in self.env:
            complaint_link = ["|", ("partner_id", "in", scope.ids), ("contact_id", "in", scope.ids)]
            Complaint = self.env["vertrieb.complaint"].sudo().with_context(active_test=False)
            complaints = Complaint.search([*complaint_link, ("company_id", "in", companies.ids)])
            other_data = other_data or bool(
                Complaint.search_count([*complaint_link, ("company_id", "not in", companies.ids)], limit=1)
            )
        Consent = self.env["vertrieb.privacy.consent"].sudo()
        consents = Consent.search([("partner_id", "in", scope.ids), ("company_id", "in", companies.ids)])
        other_data = other_data or bool(
            Consent.search_count([("partner_id", "in", scope.ids), ("company_id", "not in", companies.ids)], limit=1)
        )
        shared = other_data and not self.company_id
        kept_consents = consents.filtered(lambda c: (c._vertrieb_evidence_keep_until() or date.min) > today)
        documented = self.browse() if shared else posted.partner_id
        messages = Eraser._vertrieb_messages(scope, leads, complaints, with_partner_records=not shared)
        letters = Eraser._vertrieb_letters(messages, scope)
        letter_ids = [message.id for message in letters]
        record_domains = [[("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)]]
        if not shared:
            record_domains.append([("res_model", "=", "res.partner"), ("res_id", "in", scope.ids)])
        if complaints:
            record_domains.append([("res_model", "=", "vertrieb.complaint"), ("res_id", "in", complaints.ids)])
        records_domain = expression.OR(record_domains)
        kept_attachments = messages.browse(letter_ids).attachment_ids
        return {
            "scope": scope,
            "shared": shared,
            "emails": emails,
            "open_moves": moves.filtered(_is_open_move),
            "posted_moves": posted,
            "documented_partners": documented,
            "anonymise_now": self.browse() if shared else scope - documented,
            "retention_until": self.env["vertrieb.privacy.retention.rule"]._vertrieb_retention_end(
                max(posted.mapped("date"), default=False)
            ),
            "leads": leads,
            "complaints": complaints,
            "messages": messages.browse([m.id for m in messages if m.id not in letter_ids]),
            "letters": letters,
            "activities": self.env["mail.activity"].sudo().search(records_domain),
            "attachments": self.env["ir.attachment"].sudo().search([*records_domain, ("res_field", "=", False)])
            - kept_attachments,
            "consents": consents - kept_consents,
            "kept_consents": kept_consents,
        }

    def _vertrieb_privacy_erase(self, reason=False):
        """Art. 17 erasure, stage 1: erase at once what no law requires; keep and restrict what must be kept
        (the addressee of posted invoices) until the retention ends. All or nothing per partner."""
        self._vertrieb_privacy_check_officer()
        for partner in self:
            plan = partner._vertrieb_privacy_erasure_plan()
            partner._vertrieb_privacy_check_erasable(plan)
            with self.env.cr.savepoint():
                partner._vertrieb_privacy_do_erase(plan, reason)
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

    def _vertrieb_privacy_do_erase(self, plan, reason):
        self.ensure_one()
        quiet = {"tracking_disable": True, "mail_notrack": True}
        Eraser = self.env["vertrieb.privacy.eraser"]
        counts = {
            "leads": len(plan["leads"]),
            "complaints": len(plan["complaints"]),
            "messages": len(plan["messages"]),
            "letters": len(plan["letters"]),
            "activities": len(plan["activities"]),
            "attachments": len(plan["attachments"]),
            "purpose_records": len(plan["consents"]),
        }
        plan["activities"].sudo().with_context(**quiet).unlink()
        Eraser._vertrieb_blank_messages(plan["messages"].exists())
        Eraser._vertrieb_keep_letters(plan["letters"])
        plan["attachments"].exists().sudo().with_context(**quiet).unlink()
        Eraser._vertrieb_anonymise_records(plan["leads"], self.env._("Anonymised lead"))
        Eraser._vertrieb_anonymise_records(plan["complaints"], self.env._("Anonymised complaint"))
        Eraser._vertrieb_erase_related(plan["scope"], plan["emails"])
        plan["consents"].sudo().with_context(**quiet).unlink()
        plan["kept_consents"].filtered(lambda c: c.state != "withdrawn").sudo().with_context(
            vertrieb_privacy_reason=self.env._("Erasure request (Art. 17 GDPR)"), **quiet
        ).write({"state": "withdrawn"})
        documented = plan["documented_partners"]
        (plan["anonymise_now"])._vertrieb_privacy_anonymise_records()
        if documented:
            documented.sudo().with_context(**quiet).write(
                {
                    "email": False,
                    "phone": False,
                    "mobile": False,
                    "website": False,
                    "function": False,
                    "comment": False,
                    "image_1920": False,
                    "category_id": [Command.clear()],
                    "vertrieb_privacy_restricted": True,
                    "vertrieb_restriction_kind": "retention",
                    "vertrieb_restriction_reason": reason
                    or self.env._("Erased except the data on accounting documents (Art. 17(3)(b) GDPR)"),
                    "vertrieb_restriction_date": fields.Date.context_today(self),
                    "vertrieb_retention_until": plan["retention_until"],
                    "vertrieb_erasure_state": "restricted",
                    "vertrieb_privacy_review": False,
                }
            )
            documented.sudo().message_follower_ids.unlink()
        summary = self.env._(
            "Erased: %(leads)s leads and %(complaints)s complaints anonymised, %(messages)s messages erased, "
            "%(letters)s business letters kept, %(activities)s activities, %(attachments)s attachments, "
            "%(purpose_records)s purpose records; %(anonymised)s contacts anonymised, %(kept)s kept for "
            "retention until %(until)s%(shared)s.",
            shared=self.env._("; contact shared with other companies: kept for them") if plan["shared"] else "",
            anonymised=len(plan["anonymise_now"]),
            kept=len(documented),
            until=plan["retention_until"] or "-",
            **counts,
        )
        self.env["vertrieb.privacy.audit"]._vertrieb_log(self | documented, "erasure", summary)
        return summary

    def _vertrieb_privacy_anonymise_records(self):
        """Stage 2: anonymise the partners for good (batch). Posted moves keep amounts; their printed
        addressee is replaced only now that the retention has ended."""
        if not self:
            return self
        quiet = {"tracking_disable": True, "mail_notrack": True, "active_test": False}
        partners = self.sudo().with_context(**quiet)
        ids = partners.ids
        label = self.env._("Anonymised contact")
        # messages on the contact: content erased, the rows stay for the contact history; business
        # letters still within their own retention stay until the cron erases them
        self.env["vertrieb.privacy.eraser"]._vertrieb_blank_messages(
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", ids),
                    "|",
                    ("vertrieb_privacy_kept_until", "=", False),
                    ("vertrieb_privacy_kept_until", "<=", fields.Date.context_today(self)),
                ]
            )
        )
        self.env["mail.activity"].sudo().search([("res_model", "=", "res.partner"), ("res_id", "in", ids)]).unlink()
        self.env["ir.attachment"].sudo().search([("res_model", "=", "res.partner"), ("res_id", "in", ids)]).unlink()
        self.env["mail.followers"].sudo().search([("res_model", "=", "res.partner"), ("res_id", "in", ids)]).unlink()
        consents = self.env["vertrieb.privacy.consent"].sudo().search([("partner_id", "in", ids)])
        today = fields.Date.context_today(self)
        consents.filtered(lambda c: (c._vertrieb_evidence_keep_until() or date.min) <= today).with_context(
            **quiet
        ).unlink()
        self.env["vertrieb.privacy.eraser"]._vertrieb_remove_banks(partners)
        # field attachments (image, resized images) go with the partner's personal data
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "res.partner"), ("res_id", "in", ids), ("res_field", "!=", False)]
        ).unlink()
        # One UPDATE for the batch (res.partner.write syncs addresses record by record, far too slow for
        # thousands of partners); modified() then recomputes every stored field depending on these
        # columns (complete name, normalised email, commercial names of contacts ...).
        partners.flush_recordset()
        # every stored text field of the partner, whichever addon added it, plus a few links
        cleared = [*partner_text_fields(self), *ANONYMISATION_CLEARS_LINKS, "vertrieb_retention_until"]
        cleared = [name for name in cleared if name in self._fields and self._fields[name].store]
        assignments = SQL(", ").join(SQL("%s = NULL", SQL.identifier(name)) for name in cleared)
        self.env.execute_query(
            SQL(
                """UPDATE res_partner
                      SET name = %(label)s, active = FALSE, %(assignments)s,
                          vertrieb_privacy_restricted = TRUE, vertrieb_restriction_kind = 'retention',
                          vertrieb_erasure_state = 'anonymised', vertrieb_anonymised_date = %(today)s,
                          vertrieb_privacy_review = FALSE, write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                    WHERE id = ANY(%(ids)s)""",
                label=label,
                assignments=assignments,
                today=today,
                uid=self.env.uid,
                ids=ids,
            )
        )
        category = self._fields["category_id"]
        self.env.execute_query(
            SQL(
                "DELETE FROM %s WHERE %s = ANY(%s)",
                SQL.identifier(category.relation),
                SQL.identifier(category.column1),
                ids,
            )
        )
        changed = ["name", "active", "category_id", *cleared]
        partners.invalidate_recordset()
        partners.modified(changed)
        partners.flush_recordset()
        # an addon may compute the name from cleared columns (partner_firstname): the label wins
        self.env.execute_query(SQL("UPDATE res_partner SET name = %s WHERE id = ANY(%s)", label, ids))
        partners.invalidate_recordset(["name"])
        partners.modified(["name"])
        partners.flush_recordset()
        moves = self.env["account.move"].sudo().search([("partner_id", "in", ids)])
        if moves:
            moves.flush_model(["invoice_partner_display_name"])
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET invoice_partner_display_name = %s WHERE id = ANY(%s)",
                    label,
                    moves.ids,
                )
            )
            moves.invalidate_recordset(["invoice_partner_display_name"])
        return partners

    def _vertrieb_privacy_anonymise_blockers(self):
        """What stops the anonymisation of the partners of ``self`` now: {partner id: (reason, new end of
        retention or False)}. Re-checked at the time of anonymising, not trusted from the erasure:
        only partners the erasure function restricted (audit log), no legal hold, no open or draft
        entries, and no entries posted since the erasure that move the end of the retention."""
        if not self:
            return {}
        today = fields.Date.context_today(self)
        erased = {
            partner.id
            for [partner] in self.env["vertrieb.privacy.audit"]
            .sudo()
            ._read_group([("partner_id", "in", self.ids), ("action", "=", "erasure")], ["partner_id"])
        }
        moves = self.env["account.move"].sudo().search([("partner_id", "in", self.ids), ("state", "!=", "cancel")])
        moves_by_partner = {partner.id: group for partner, group in moves.grouped("partner_id").items()}
        rules = self.env["vertrieb.privacy.retention.rule"]
        blockers = {}
        for partner in self:
            partner_moves = moves_by_partner.get(partner.id, moves.browse())
            open_moves = partner_moves.filtered(_is_open_move)
            posted = partner_moves.filtered(lambda m: m.state == "posted")
            until = rules._vertrieb_retention_end(max(posted.mapped("date"), default=False))
            if partner.vertrieb_legal_hold:
                blockers[partner.id] = (self.env._("legal hold"), False)
            elif partner.vertrieb_erasure_state == "restricted" and partner.id not in erased:
                blockers[partner.id] = (self.env._("not erased through the erasure function (marked only)"), False)
            elif open_moves:
                blockers[partner.id] = (
                    self.env._("%(count)s open or draft accounting entries", count=len(open_moves)),
                    False,
                )
            elif until and until > today:
                blockers[partner.id] = (
                    self.env._("accounting entries posted since the erasure; kept until %(date)s", date=until),
                    until,
                )
        return blockers

    def _vertrieb_privacy_anonymise(self):
        """Anonymise after the retention (called by the cron); all or nothing per batch. Refused with the
        reasons when a partner of ``self`` may not be anonymised now (see the blockers)."""
        self._vertrieb_privacy_check_officer()
        today = fields.Date.context_today(self)
        todo = self.filtered(
            lambda p: p.vertrieb_erasure_state != "anonymised"
            and (not p.vertrieb_retention_until or p.vertrieb_retention_until <= today)
        )
        blockers = todo._vertrieb_privacy_anonymise_blockers()
        if blockers:
            raise UserError(
                self.env._(
                    "Not anonymised: %(reasons)s.",
                    reasons="; ".join(
                        f"{self.browse(partner_id).sudo().display_name}: {reason}"
                        for partner_id, (reason, _until) in blockers.items()
                    ),
                )
            )
        with self.env.cr.savepoint():
            todo._vertrieb_privacy_anonymise_records()
            self.env["vertrieb.privacy.audit"]._vertrieb_log(
                todo, "anonymise", self.env._("Anonymised after the end of the retention period.")
            )
        return todo

    def _vertrieb_privacy_anonymise_due(self):
        """The retention cron's part for one batch of due partners: anonymise those that may be, report
        (audit log) and skip the others; a failure of one partner never stops the batch."""
        blockers = self._vertrieb_privacy_anonymise_blockers()
        skipped = self.browse(list(blockers))
        for partner in skipped:
            reason, until = blockers[partner.id]
            if until:
                partner.sudo().vertrieb_retention_until = until
            self.env["vertrieb.privacy.audit"]._vertrieb_log(
                partner, "skipped", self.env._("Retention cron skipped the anonymisation: %(reason)s.", reason=reason)
            )
        todo = self - skipped
        try:
            todo._vertrieb_privacy_anonymise()
        except Exception:
            for partner in todo:
                try:
                    partner._vertrieb_privacy_anonymise()
                except Exception as error:
                    _logger.exception("Anonymising partner %s failed; retried on the next run.", partner.id)
                    skipped |= partner
                    self.env["vertrieb.privacy.audit"]._vertrieb_log(
                        partner,
                        "skipped",
                        self.env._(
                            "Retention cron could not anonymise the contact: %(error)s.",
                            error=type(error).__name__,
                        ),
                    )
        return skipped

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
    def _cron_vertrieb_privacy_retention(self, batch_size=500):
        """Daily: expire consents, anonymise erased partners whose retention ended, propose (or erase,
        if the company chose so) partners whose purposes all ended. Batched, idempotent, and safe to run
        twice at once (rows are locked with SKIP LOCKED)."""
        self.env["vertrieb.privacy.consent"]._cron_vertrieb_expire()
        today = fields.Date.context_today(self)
        # evidence of anonymised persons whose own retention (§ 7a UWG) ended
        evidence = (
            self.env["vertrieb.privacy.consent"]
            .sudo()
            .search([("partner_id.vertrieb_erasure_state", "=", "anonymised")])
            .filtered(lambda c: (c._vertrieb_evidence_keep_until() or date.min) <= today)
        )
        evidence.unlink()
        # business letters of erased persons whose own retention (§ 257 HGB) ended
        letters = self.env["mail.message"].sudo().search([("vertrieb_privacy_kept_until", "<=", today)])
        for start in range(0, len(letters), batch_size):
            self.env["vertrieb.privacy.eraser"]._vertrieb_blank_messages(letters[start : start + batch_size])
            self._vertrieb_privacy_commit()
        due = self.with_context(active_test=False).search(
            [
                ("vertrieb_erasure_state", "=", "restricted"),
                ("vertrieb_retention_until", "<=", today),
                ("vertrieb_legal_hold", "=", False),
            ],
            order="id",
        )
        candidates = self._vertrieb_privacy_retention_candidates()
        total = len(due) + len(candidates)
        done = 0
        skipped = self.browse()
        cron = self.env["ir.cron"]
        for start in range(0, len(due), batch_size):
            batch = self._vertrieb_privacy_lock(due[start : start + batch_size])
            batch = batch.filtered(lambda p: p.vertrieb_erasure_state == "restricted")
            skipped |= batch._vertrieb_privacy_anonymise_due()
            done += batch_size
            cron._notify_progress(done=min(done, total), remaining=max(total - done, 0))
            self._vertrieb_privacy_commit()
        for start in range(0, len(candidates), batch_size):
            batch = self._vertrieb_privacy_lock(candidates[start : start + batch_size])
            for partner in batch:
                company = partner.company_id or self.env.company
                if company.vertrieb_privacy_auto_anonymise and not partner._vertrieb_privacy_open_moves():
                    try:
                        partner._vertrieb_privacy_erase(self.env._("Retention of all purposes ended"))
                    except Exception as error:
                        _logger.warning("Retention cron could not erase partner %s: %s", partner.id, error)
                        skipped |= partner
                        self.env["vertrieb.privacy.audit"]._vertrieb_log(
                            partner,
                            "skipped",
                            self.env._(
                                "Retention cron could not erase the contact: %(error)s.", error=type(error).__name__
                            ),
                        )
                elif not partner.vertrieb_privacy_review:
                    partner.sudo().vertrieb_privacy_review = True
                    self.env["vertrieb.privacy.audit"]._vertrieb_log(
                        partner, "review", self.env._("All purposes ended; proposed for erasure.")
                    )
            done += batch_size
            cron._notify_progress(done=min(done, total), remaining=max(total - done, 0))
            self._vertrieb_privacy_commit()
        if skipped:
            _logger.warning("Retention cron skipped %s partners (see the data-protection audit log).", len(skipped))
        return total

    def _vertrieb_privacy_commit(self):
        if not modules.module.current_test and not self.env.context.get("vertrieb_privacy_no_commit"):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _vertrieb_privacy_lock(self, partners):
        """Lock the rows of ``partners``; rows locked by a concurrent run are skipped."""
        if not partners:
            return partners
        rows = self.env.execute_query(
            SQL("SELECT id FROM res_partner WHERE id = ANY(%s) FOR UPDATE SKIP LOCKED", partners.ids)
        )
        partners.invalidate_recordset()
        return partners.browse([row[0] for row in rows])

    @api.model
    def _vertrieb_privacy_retention_candidates(self):
        """Partners whose relationship ended and whose purposes' retention periods have all passed."""
        today = fields.Date.context_today(self)
        partners = self.with_context(active_test=False).search(
            [
                ("vertrieb_relationship_end", "!=", False),
                ("vertrieb_relationship_end", "<", today),
                ("vertrieb_erasure_state", "=", False),
                ("vertrieb_legal_hold", "=", False),
                ("vertrieb_privacy_review", "=", False),
            ]
        )
        if not partners:
            return partners
        consents = self.env["vertrieb.privacy.consent"].sudo()
        alive = {
            partner.id
            for [partner] in consents._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "=", "granted"),
                    ("purpose_id.consent_required", "=", True),
                ],
                ["partner_id"],
            )
        }
        months_by_partner = {
            partner.id: max(purposes.mapped("retention_months"), default=0)
            for partner, purposes in consents._read_group(
                [("partner_id", "in", partners.ids)], ["partner_id"], ["purpose_id:recordset"]
            )
        }
        result = [
            partner.id
            for partner in partners
            if partner.id not in alive
            and partner.vertrieb_relationship_end + relativedelta(months=months_by_partner.get(partner.id, 0)) <= today
        ]
        return self.browse(result)
