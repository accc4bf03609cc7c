from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL

from .common import text_fields

# messages on these models are evidence of their own (consents, data-subject requests) or accounting
# documents: kept until their own retention ends, never erased with the person
KEPT_MESSAGE_MODELS = (
    "account.move",
    "account.payment",
    "vertrieb.privacy.consent",
    "vertrieb.privacy.request",
)


class VertriebPrivacyEraser(models.AbstractModel):
    """What the Art. 17 erasure does to the records around a person (see the personal-data inventory
    in readme/SECURITY.md). Private methods only, called by res.partner's erasure after the officer
    and company checks; they run as superuser."""

    _name = "vertrieb.privacy.eraser"
    _description = "Erasure of Personal Data (Art. 17 GDPR)"

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
