from datetime import date

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL

from .common import ANONYMISATION_CLEARS_LINKS, is_open_move, normalised_name, partner_text_fields, text_fields

# messages on these models are evidence of their own (consents, data-subject requests) or accounting
# documents: kept until their own retention ends, never erased with the person
KEPT_MESSAGE_MODELS = (
    "account.move",
    "account.payment",
    "vertrieb.privacy.consent",
    "vertrieb.privacy.request",
)


class VertriebPrivacyEraser(models.AbstractModel):
    """What the Art. 17 erasure does to a person's data, one method per line of the personal-data
    inventory in readme/SECURITY.md (other features and bridge addons extend them with ``super()``).
    Private methods only, called by res.partner's erasure after the officer and company checks; they
    run as superuser."""

    _name = "vertrieb.privacy.eraser"
    _description = "Erasure of Personal Data (Art. 17 GDPR)"

    # The plan (dry run) and the erasure -------------------------------------------------------------
    @api.model
    def _vertrieb_plan(self, partner, name_matches=False):
        """Dry run of the erasure in the officer's companies: what goes now, what is anonymised, what is
        kept (restricted) until which date. A contact shared with companies the officer is not in
        keeps its record; only the data of the officer's companies is erased. Leads that match the
        person by name only are listed apart (``name_leads``) and erased only when the officer
        confirms them (``name_matches``)."""
        partner.ensure_one()
        companies = self.env.companies
        company_ids = [*companies.ids, False]
        today = fields.Date.context_today(partner)
        scope = partner._vertrieb_privacy_scope()
        emails = [email for email in scope.mapped("email_normalized") if email]
        all_moves = partner._vertrieb_privacy_moves(scope)
        moves = all_moves.filtered(lambda m: m.company_id in companies)
        posted = moves.filtered(lambda m: m.state == "posted")
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        lead_link = [("partner_id", "in", scope.ids)]
        if emails:
            # leads linked only by the e-mail address (no contact chosen)
            lead_link = ["|", *lead_link, "&", ("partner_id", "=", False), ("email_normalized", "in", emails)]
        leads = Lead.search([*lead_link, ("company_id", "in", company_ids)])
        name_leads = self._vertrieb_name_matched_leads(scope, leads, company_ids)
        if name_matches:
            leads |= name_leads
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
        shared = other_data and not partner.company_id
        kept_consents = consents.filtered(lambda c: (c._vertrieb_evidence_keep_until() or date.min) > today)
        documented = partner.browse() if shared else posted.partner_id
        messages = self._vertrieb_messages(scope, leads, complaints, with_partner_records=not shared)
        letters = self._vertrieb_letters(messages, scope)
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
            "open_moves": moves.filtered(is_open_move),
            "posted_moves": posted,
            "documented_partners": documented,
            "anonymise_now": partner.browse() if shared else scope - documented,
            "retention_until": self.env["vertrieb.privacy.retention.rule"]._vertrieb_retention_end(
                max(posted.mapped("date"), default=False)
            ),
            "leads": leads,
            "name_leads": name_leads - leads,
            "complaints": complaints,
            "messages": messages.browse([m.id for m in messages if m.id not in letter_ids]),
            "letters": letters,
            "activities": self.env["mail.activity"].sudo().search(records_domain),
            "attachments": self.env["ir.attachment"].sudo().search([*records_domain, ("res_field", "=", False)])
            - kept_attachments,
            "consents": consents - kept_consents,
            "kept_consents": kept_consents,
        }

    @api.model
    def _vertrieb_name_matched_leads(self, scope, leads, company_ids):
        """Leads of the officer's companies with neither a contact nor an e-mail address whose contact
        or company name equals the name of a person of ``scope`` (case and spacing ignored). A name
        alone does not identify a person: the officer confirms these before they are erased."""
        names = {normalised_name(name) for name in scope.mapped("name") if normalised_name(name)}
        if not names:
            return self.env["crm.lead"].sudo().browse()
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        name_domain = []
        for name in names:
            name_domain = expression.OR(
                [name_domain, [("contact_name", "ilike", name)], [("partner_name", "ilike", name)]]
            )
        candidates = Lead.search(
            [
                ("partner_id", "=", False),
                ("email_from", "in", [False, ""]),
                ("company_id", "in", company_ids),
                ("id", "not in", leads.ids),
                *name_domain,
            ]
        )
        return candidates.filtered(
            lambda lead: normalised_name(lead.contact_name) in names or normalised_name(lead.partner_name) in names
        )

    @api.model
    def _vertrieb_erase(self, partner, plan, reason):
        """Art. 17 erasure of ``partner`` following ``plan`` (see ``_vertrieb_plan``): one method per
        line of the personal-data inventory; returns the summary logged in the audit log."""
        partner.ensure_one()
        quiet = {"tracking_disable": True, "mail_notrack": True}
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
        self._vertrieb_blank_messages(plan["messages"].exists())
        self._vertrieb_keep_letters(plan["letters"])
        plan["attachments"].exists().sudo().with_context(**quiet).unlink()
        self._vertrieb_anonymise_records(plan["leads"], self.env._("Anonymised lead"))
        self._vertrieb_anonymise_records(plan["complaints"], self.env._("Anonymised complaint"))
        self._vertrieb_erase_related(plan["scope"], plan["emails"])
        self._vertrieb_erase_consents(plan["consents"], plan["kept_consents"])
        documented = plan["documented_partners"]
        plan["anonymise_now"]._vertrieb_privacy_anonymise_records()
        self._vertrieb_keep_documented(documented, plan["retention_until"], reason)
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
        self.env["vertrieb.privacy.audit"]._vertrieb_log(partner | documented, "erasure", summary)
        return summary

    @api.model
    def _vertrieb_erase_consents(self, consents, kept):
        """Purpose records: deleted, except evidence that must be kept (§ 7a UWG): withdrawn and kept until
        its own retention ends (then deleted by the retention cron)."""
        quiet = {"tracking_disable": True, "mail_notrack": True}
        consents.sudo().with_context(**quiet).unlink()
        kept.filtered(lambda c: c.state != "withdrawn").sudo().with_context(**quiet)._vertrieb_set_state(
            "withdrawn", self.env._("Erasure request (Art. 17 GDPR)")
        )

    @api.model
    def _vertrieb_keep_documented(self, partners, until, reason):
        """Contacts named on posted accounting entries: name, address and VAT number stay unchanged until
        ``until`` (§ 147 AO, § 257 HGB); the rest goes, the contact is restricted (kept for retention)."""
        if not partners:
            return
        quiet = {"tracking_disable": True, "mail_notrack": True}
        partners.sudo().with_context(**quiet).write(
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
                "vertrieb_retention_until": until,
                "vertrieb_erasure_state": "restricted",
                "vertrieb_privacy_review": False,
            }
        )
        partners.sudo().message_follower_ids.unlink()

    # Contact (stage 2: after the retention, or at once) ---------------------------------------------
    @api.model
    def _vertrieb_anonymise_partners(self, records):
        """Stage 2: anonymise the partners for good (batch). Posted moves keep amounts; their printed
        addressee is replaced only now that the retention has ended."""
        if not records:
            return records
        quiet = {"tracking_disable": True, "mail_notrack": True, "active_test": False}
        partners = records.sudo().with_context(**quiet)
        ids = partners.ids
        label = self.env._("Anonymised contact")
        # messages on the contact: content erased, the rows stay for the contact history; business
        # letters still within their own retention stay until the cron erases them
        self._vertrieb_blank_messages(
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
        self._vertrieb_remove_banks(partners)
        # field attachments (image, resized images) go with the partner's personal data
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "res.partner"), ("res_id", "in", ids), ("res_field", "!=", False)]
        ).unlink()
        # One UPDATE for the batch (res.partner.write syncs addresses record by record, far too slow for
        # thousands of partners); modified() then recomputes every stored field depending on these
        # columns (complete name, normalised email, commercial names of contacts ...).
        partners.flush_recordset()
        # every stored text field of the partner, whichever addon added it, plus a few links
        cleared = [*partner_text_fields(records), *ANONYMISATION_CLEARS_LINKS, "vertrieb_retention_until"]
        cleared = [name for name in cleared if name in records._fields and records._fields[name].store]
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
        category = records._fields["category_id"]
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

    # Messages -------------------------------------------------------------------------------------
    @api.model
    def _vertrieb_messages(self, scope, leads, complaints, with_partner_records=True):
        """The messages of a person in the officer's companies: on the contact (unless shared with
        other companies), its leads and complaints, and what the person wrote elsewhere."""
        Message = self.env["mail.message"].sudo()
        own = []
        if with_partner_records:
            own.append([("model", "=", "res.partner"), ("res_id", "in", scope.ids)])
        if leads:
            own.append([("model", "=", "crm.lead"), ("res_id", "in", leads.ids)])
        if complaints:
            own.append([("model", "=", "vertrieb.complaint"), ("res_id", "in", complaints.ids)])
        own.append([("author_id", "in", scope.ids), ("model", "not in", KEPT_MESSAGE_MODELS)])
        messages = Message.search(expression.AND([[("message_type", "!=", "user_notification")], expression.OR(own)]))
        return self._vertrieb_in_companies(messages)

    @api.model
    def _vertrieb_in_companies(self, messages):
        """``messages`` on records of the officer's companies (or of no company)."""
        companies = self.env.companies
        kept = messages.browse()
        for model, group in messages.grouped("model").items():
            if not model or model not in self.env:
                kept |= group
                continue
            records = self.env[model].sudo().with_context(active_test=False).browse(group.mapped("res_id")).exists()
            if "company_id" in records._fields and model != "res.partner":
                records = records.filtered(lambda r: not r.company_id or r.company_id in companies)
            kept |= group.filtered(lambda m, allowed=set(records.ids): m.res_id in allowed)
        return kept

    @api.model
    def _vertrieb_letters(self, messages, scope):
        """Business letters (§ 257 HGB): correspondence with the person (sent to or received from them),
        with the date until which each must be kept. {message: keep until}"""
        rules = self.env["vertrieb.privacy.retention.rule"]
        today = fields.Date.context_today(self)
        letters = {}
        for message in messages:
            if message.message_type not in ("email", "comment") or message.subtype_id.internal:
                continue
            if not (message.author_id & scope or message.partner_ids & scope):
                continue
            until = rules._vertrieb_retention_end(message.date.date(), "letter")
            if until and until > today:
                letters[message] = until
        return letters

    @api.model
    def _vertrieb_blank_messages(self, messages):
        """Replace the content of ``messages`` by a label: the rows stay (the contact history of the
        KPIs counts them), the text, subject, addresses, tracked values, attachments and queued
        emails go."""
        if not messages:
            return
        messages.flush_recordset()
        ids = messages.ids
        label = Markup("<p>%s</p>") % self.env._("Content erased (Art. 17 GDPR)")
        attachments = messages.sudo().attachment_ids
        self.env.execute_query(
            SQL(
                """UPDATE mail_message
                      SET body = %(label)s, subject = NULL, email_from = NULL, reply_to = NULL,
                          record_name = NULL, vertrieb_privacy_kept_until = NULL
                    WHERE id = ANY(%(ids)s)""",
                label=str(label),
                ids=ids,
            )
        )
        self.env.execute_query(SQL("DELETE FROM mail_tracking_value WHERE mail_message_id = ANY(%s)", ids))
        self.env.execute_query(SQL("DELETE FROM mail_mail WHERE mail_message_id = ANY(%s)", ids))
        self.env.execute_query(
            SQL("UPDATE mail_notification SET failure_reason = NULL WHERE mail_message_id = ANY(%s)", ids)
        )
        attachments.unlink()
        messages.invalidate_recordset()
        self.env["mail.tracking.value"].invalidate_model()

    @api.model
    def _vertrieb_keep_letters(self, letters):
        """Mark the business letters kept (restricted) until their own retention ends; the retention
        cron blanks them then."""
        for until, group in self._vertrieb_group_by_value(letters).items():
            group.sudo().write({"vertrieb_privacy_kept_until": until})

    @api.model
    def _vertrieb_group_by_value(self, mapping):
        grouped = {}
        for record, value in mapping.items():
            grouped[value] = grouped.get(value, record.browse()) | record
        return grouped

    # Documents around the person --------------------------------------------------------------------
    @api.model
    def _vertrieb_anonymise_records(self, records, label):
        """Blank every stored text field of ``records`` (leads, complaints), whichever addon added
        it; ``name`` (or the required title) becomes ``label``. The records stay: invoices keep their
        opportunity, the KPIs and complaint rates their history."""
        if not records:
            return
        quiet = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        records = records.sudo().with_context(**quiet)
        keep = {"name"} if records._name == "vertrieb.complaint" else set()
        vals = {}
        for name in text_fields(records, keep):
            field = records._fields[name]
            if field.required:
                vals[name] = label
            else:
                vals[name] = False
        if records._name == "crm.lead":
            vals["name"] = label
        records.write(vals)
        # their activities, followers and attachments go with the texts
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        ).unlink()
        self.env["mail.followers"].sudo().search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        ).unlink()

    @api.model
    def _vertrieb_remove_banks(self, partners):
        """Bank accounts of the anonymised ``partners`` go for good: Odoo only archives them on unlink and logs
        the IBAN in the chatter. Number and holder are blanked, then every account no accounting entry
        points to is deleted; a referenced one stays blank and archived."""
        banks = (
            self.env["res.partner.bank"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)])
        )
        if not banks:
            return
        banks.flush_recordset()
        for model in ("mail.message", "mail.followers", "ir.attachment", "mail.activity"):
            field = "model" if model == "mail.message" else "res_model"
            self.env[model].sudo().search([(field, "=", "res.partner.bank"), ("res_id", "in", banks.ids)]).unlink()
        self.env.execute_query(
            SQL(
                """UPDATE res_partner_bank
                      SET acc_number = %(label)s || id, sanitized_acc_number = %(label)s || id,
                          acc_holder_name = NULL, active = FALSE
                    WHERE id = ANY(%(ids)s)""",
                label="ANON-",
                ids=banks.ids,
            )
        )
        referenced = set()
        for model in self.env.registry.values():
            if model._abstract or not model._auto or model._name == "res.partner.bank":
                continue
            for field in model._fields.values():
                if field.type == "many2one" and field.store and field.comodel_name == "res.partner.bank":
                    rows = self.env.execute_query(
                        SQL(
                            "SELECT DISTINCT %s FROM %s WHERE %s = ANY(%s)",
                            SQL.identifier(field.name),
                            SQL.identifier(model._table),
                            SQL.identifier(field.name),
                            banks.ids,
                        )
                    )
                    referenced.update(row[0] for row in rows)
        unreferenced = [bank_id for bank_id in banks.ids if bank_id not in referenced]
        if unreferenced:
            self.env.execute_query(SQL("DELETE FROM res_partner_bank WHERE id = ANY(%s)", unreferenced))
        banks.invalidate_recordset()
        partners.invalidate_recordset(["bank_ids"])

    @api.model
    def _vertrieb_erase_related(self, scope, emails):
        """The remaining places of a person's data (see the inventory): queued emails, calendar
        attendance, ratings, duplicate pairs. Extended by bridge addons (mailing contacts, traces)."""
        Mail = self.env["mail.mail"].sudo()
        Mail.search(["|", ("recipient_ids", "in", scope.ids), ("email_to", "in", emails or [""])]).unlink()
        attendees = self.env["calendar.attendee"].sudo().search([("partner_id", "in", scope.ids)])
        events = attendees.event_id
        if events:
            events.with_context(no_mail_to_attendees=True, dont_notify=True, mail_notrack=True).write(
                {"partner_ids": [Command.unlink(pid) for pid in scope.ids]}
            )
        attendees.exists().unlink()
        ratings = self.env["rating.rating"].sudo().search([("partner_id", "in", scope.ids)])
        if ratings:
            ratings.write({"partner_id": False, "feedback": False})
        if "vertrieb.competitor" in self.env:  # seam: competitor notes that name the person (acquisition)
            self.env["vertrieb.competitor"]._vertrieb_erase_person_texts(scope, emails)
        if "vertrieb.partner.duplicate" in self.env:
            self.env["vertrieb.partner.duplicate"].sudo().with_context(active_test=False).search(
                ["|", ("partner_a_id", "in", scope.ids), ("partner_b_id", "in", scope.ids)]
            ).unlink()
