import logging
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, modules
from odoo.exceptions import UserError
from odoo.tools import SQL

from .common import is_open_move

_logger = logging.getLogger(__name__)


class VertriebPrivacyRetention(models.AbstractModel):
    """The daily retention run: expire consents, delete evidence and erase kept business letters whose
    own retention ended, anonymise erased contacts whose retention ended (re-checked, never trusted
    from the fields), propose or erase contacts whose purposes all ended. Private methods only; the
    cron calls them through ``res.partner._cron_vertrieb_privacy_retention``."""

    _name = "vertrieb.privacy.retention"
    _description = "Retention of Personal Data"

    @api.model
    def _vertrieb_blockers(self, partners):
        """What stops the anonymisation of ``partners`` now: {partner id: (reason, new end of retention
        or False)}. Re-checked at the time of anonymising, not trusted from the erasure: only partners
        the erasure function restricted (audit log), no legal hold, no open or draft entries, and no
        entries posted since the erasure that move the end of the retention."""
        if not partners:
            return {}
        today = fields.Date.context_today(self)
        erased = {
            partner.id
            for [partner] in self.env["vertrieb.privacy.audit"]
            .sudo()
            ._read_group([("partner_id", "in", partners.ids), ("action", "=", "erasure")], ["partner_id"])
        }
        moves = self.env["account.move"].sudo().search([("partner_id", "in", partners.ids), ("state", "!=", "cancel")])
        moves_by_partner = {partner.id: group for partner, group in moves.grouped("partner_id").items()}
        rules = self.env["vertrieb.privacy.retention.rule"]
        blockers = {}
        for partner in partners:
            partner_moves = moves_by_partner.get(partner.id, moves.browse())
            open_moves = partner_moves.filtered(is_open_move)
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

    @api.model
    def _vertrieb_anonymise(self, partners):
        """Anonymise ``partners`` after the retention; all or nothing per batch. Refused with the reasons
        when one of them may not be anonymised now (see the blockers)."""
        partners._vertrieb_privacy_check_officer()
        today = fields.Date.context_today(self)
        todo = partners.filtered(
            lambda p: p.vertrieb_erasure_state != "anonymised"
            and (not p.vertrieb_retention_until or p.vertrieb_retention_until <= today)
        )
        blockers = self._vertrieb_blockers(todo)
        if blockers:
            raise UserError(
                self.env._(
                    "Not anonymised: %(reasons)s.",
                    reasons="; ".join(
                        f"{partners.browse(partner_id).sudo().display_name}: {reason}"
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

    @api.model
    def _vertrieb_anonymise_due(self, partners):
        """One batch of due partners: anonymise those that may be, report (audit log) and skip the
        others; a failure of one partner never stops the batch."""
        blockers = self._vertrieb_blockers(partners)
        skipped = partners.browse(list(blockers))
        for partner in skipped:
            reason, until = blockers[partner.id]
            if until:
                partner.sudo().vertrieb_retention_until = until
            self.env["vertrieb.privacy.audit"]._vertrieb_log(
                partner, "skipped", self.env._("Retention cron skipped the anonymisation: %(reason)s.", reason=reason)
            )
        todo = partners - skipped
        try:
            self._vertrieb_anonymise(todo)
        except Exception:
            for partner in todo:
                try:
                    self._vertrieb_anonymise(partner)
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

    @api.model
    def _vertrieb_run(self, batch_size=500, commit=True):
        """Daily: expire consents, anonymise erased partners whose retention ended, propose (or erase,
        if the company chose so) partners whose purposes all ended. Batched, idempotent, and safe to run
        twice at once (rows are locked with SKIP LOCKED). ``commit``: commit after each batch (the
        benchmarks pass False)."""
        Partner = self.env["res.partner"]
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
            self._vertrieb_commit(commit)
        due = Partner.with_context(active_test=False).search(
            [
                ("vertrieb_erasure_state", "=", "restricted"),
                ("vertrieb_retention_until", "<=", today),
                ("vertrieb_legal_hold", "=", False),
            ],
            order="id",
        )
        candidates = self._vertrieb_candidates()
        total = len(due) + len(candidates)
        done = 0
        skipped = Partner.browse()
        cron = self.env["ir.cron"]
        for start in range(0, len(due), batch_size):
            batch = self._vertrieb_lock(due[start : start + batch_size])
            batch = batch.filtered(lambda p: p.vertrieb_erasure_state == "restricted")
            skipped |= self._vertrieb_anonymise_due(batch)
            done += batch_size
            cron._notify_progress(done=min(done, total), remaining=max(total - done, 0))
            self._vertrieb_commit(commit)
        for start in range(0, len(candidates), batch_size):
            batch = self._vertrieb_lock(candidates[start : start + batch_size])
            skipped |= self._vertrieb_review_or_erase(batch)
            done += batch_size
            cron._notify_progress(done=min(done, total), remaining=max(total - done, 0))
            self._vertrieb_commit(commit)
        if skipped:
            _logger.warning("Retention cron skipped %s partners (see the data-protection audit log).", len(skipped))
        return total

    @api.model
    def _vertrieb_review_or_erase(self, partners):
        """Partners whose purposes all ended: erased in the scope of each company that chose automatic
        erasure (the partner's company; for a contact shared by all companies, each company that chose
        it, whatever company the cron runs in), else proposed to the data-protection officer. Returns
        the partners that could not be erased."""
        skipped = partners.browse()
        auto_companies = self.env["res.company"].sudo().search([("vertrieb_privacy_auto_anonymise", "=", True)])
        for partner in partners:
            companies = auto_companies & partner.company_id if partner.company_id else auto_companies
            if companies and not partner._vertrieb_privacy_open_moves():
                try:
                    for company in companies:
                        partner.with_context(allowed_company_ids=company.ids)._vertrieb_privacy_erase(
                            self.env._("Retention of all purposes ended")
                        )
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
                    continue
            if not partner.vertrieb_erasure_state and not partner.vertrieb_privacy_review:
                # not (fully) erased: a company without automatic erasure keeps data of the contact
                partner.sudo().vertrieb_privacy_review = True
                self.env["vertrieb.privacy.audit"]._vertrieb_log(
                    partner, "review", self.env._("All purposes ended; proposed for erasure.")
                )
        return skipped

    def _vertrieb_commit(self, commit=True):
        if commit and not modules.module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _vertrieb_lock(self, partners):
        """Lock the rows of ``partners``; rows locked by a concurrent run are skipped."""
        if not partners:
            return partners
        rows = self.env.execute_query(
            SQL("SELECT id FROM res_partner WHERE id = ANY(%s) FOR UPDATE SKIP LOCKED", partners.ids)
        )
        partners.invalidate_recordset()
        return partners.browse([row[0] for row in rows])

    @api.model
    def _vertrieb_candidates(self):
        """Partners whose relationship ended and whose purposes' retention periods have all passed."""
        today = fields.Date.context_today(self)
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(
                [
                    ("vertrieb_relationship_end", "!=", False),
                    ("vertrieb_relationship_end", "<", today),
                    ("vertrieb_erasure_state", "=", False),
                    ("vertrieb_legal_hold", "=", False),
                    ("vertrieb_privacy_review", "=", False),
                ]
            )
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
        return partners.browse(result)
