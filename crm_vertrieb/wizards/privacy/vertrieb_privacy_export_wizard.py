import base64
import json

from odoo import api, fields, models

from ...models.privacy.common import EXPORT_SKIPS, PERSONAL_FIELDS

# the person's own data: the personal fields, plus what the export adds to explain them
PARTNER_FIELDS = [
    "is_company",
    *sorted(PERSONAL_FIELDS - EXPORT_SKIPS),
    "create_date",
    "vertrieb_privacy_restricted",
    "vertrieb_relationship_end",
]


def _plain(value):
    """JSON-friendly value of a read() result."""
    if isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[0], int):
        return value[1]
    if isinstance(value, bytes):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class VertriebPrivacyExportWizard(models.TransientModel):
    """Art. 15/20 GDPR: everything stored about a person, as JSON and as a PDF report."""

    _name = "vertrieb.privacy.export.wizard"
    _description = "Data-Subject Access Export"

    partner_id = fields.Many2one("res.partner", string="Data Subject", required=True)
    request_id = fields.Many2one("vertrieb.privacy.request", string="Request")
    json_file = fields.Binary(string="JSON File", readonly=True)
    json_filename = fields.Char(readonly=True)

    @api.model
    def _vertrieb_rows(self, records, field_names):
        names = [name for name in field_names if name in records._fields]
        return [{key: _plain(value) for key, value in row.items()} for row in records.read(names)]

    @api.model
    def _vertrieb_collect(self, partner):
        """The personal data of ``partner`` and its contacts across the database (read as superuser after
        the officer and company checks)."""
        partner = partner.with_env(self.env)
        partner._vertrieb_privacy_check_officer()
        env = self.env(su=True)
        # the person and their own addresses; the people of a company (child contacts of type
        # "contact") are third parties with their own rights
        scope = partner._vertrieb_privacy_scope().sudo().filtered(lambda p: p.id == partner.id or p.type != "contact")
        main = scope.filtered(lambda p: p.id == partner.id)
        companies = [*self.env.companies.ids, False]
        leads = (
            env["crm.lead"]
            .with_context(active_test=False)
            .search([("partner_id", "in", scope.ids), ("company_id", "in", companies)])
        )
        messages = self._vertrieb_own_messages(env, scope, leads)
        activities = env["mail.activity"].search(
            [
                "|",
                "&",
                ("res_model", "=", "res.partner"),
                ("res_id", "in", scope.ids),
                "&",
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids or [0]),
            ]
        )
        consents = env["vertrieb.privacy.consent"].search(
            [("partner_id", "in", scope.ids), ("company_id", "in", self.env.companies.ids)]
        )
        moves = env["account.move"].search(
            [("partner_id", "in", scope.ids), ("state", "=", "posted"), ("company_id", "in", self.env.companies.ids)]
        )
        data = {
            "generated": fields.Datetime.now().isoformat(),
            "company": self.env.company.name,
            "partner": self._vertrieb_rows(main, PARTNER_FIELDS)[0],
            "contacts": self._vertrieb_rows(scope - main, PARTNER_FIELDS),
            "leads": self._vertrieb_rows(
                leads,
                [
                    "name",
                    "type",
                    "email_from",
                    "phone",
                    "contact_name",
                    "partner_name",
                    "stage_id",
                    "user_id",
                    "expected_revenue",
                    "create_date",
                    "date_closed",
                    "description",
                ],
            ),
            "messages": [
                {
                    "date": _plain(message.date),
                    "model": message.model,
                    "subject": message.subject or "",
                    "body": message.preview or "",
                    "author": message.author_id.display_name or "",
                }
                for message in messages
            ],
            "activities": self._vertrieb_rows(
                activities, ["res_model", "summary", "activity_type_id", "date_deadline", "user_id", "note"]
            ),
            "purposes": [
                {
                    "purpose": consent.purpose_id.name,
                    "code": consent.purpose_id.code,
                    "state": consent.state,
                    "legal_basis": consent.legal_basis,
                    "date": _plain(consent.consent_date),
                    "channel": consent.channel,
                    "text_version": consent.consent_version,
                    "text_hash": consent.consent_hash,
                    "tied_to": consent.contact_value,
                    "double_opt_in": _plain(consent.doi_date),
                    "history": [
                        {
                            "date": _plain(line.date),
                            "old": line.old_state,
                            "new": line.new_state,
                            "reason": line.reason,
                        }
                        for line in consent.history_ids
                    ],
                }
                for consent in consents
            ],
            "invoices": self._vertrieb_rows(
                moves,
                [
                    "name",
                    "move_type",
                    "invoice_date",
                    "date",
                    "amount_total",
                    "currency_id",
                    "payment_state",
                    "partner_id",
                ],
            ),
        }
        if "vertrieb.complaint" in self.env:
            complaints = env["vertrieb.complaint"].search(
                [("partner_id", "in", scope.ids), ("company_id", "in", self.env.companies.ids)]
            )
            data["complaints"] = self._vertrieb_rows(complaints, ["name", "create_date", "state", "description"])
        return data

    @api.model
    def _vertrieb_own_messages(self, env, scope, leads):
        """The person's correspondence in the officer's companies: what the person wrote or received,
        and what the staff noted on the person's own contact and leads. Not included: messages of
        third parties (other customers, the person's colleagues) not addressed to the person, and
        anything on records of other companies."""
        on_own_records = [
            "|",
            "&",
            ("model", "=", "res.partner"),
            ("res_id", "in", scope.ids),
            "&",
            ("model", "=", "crm.lead"),
            ("res_id", "in", leads.ids or [0]),
        ]
        domain = [
            ("message_type", "!=", "user_notification"),
            "|",
            "|",
            ("author_id", "in", scope.ids),
            ("partner_ids", "in", scope.ids),
            "&",
            *on_own_records,
            "|",
            ("author_id", "=", False),
            ("author_id.partner_share", "=", False),
        ]
        messages = env["mail.message"].search(domain)
        return self.env["vertrieb.privacy.eraser"]._vertrieb_in_companies(messages).sorted("id")

    def _vertrieb_log(self, kind):
        self.env["vertrieb.privacy.audit"]._vertrieb_log(
            self.partner_id, "export", self.env._("Access export as %(kind)s.", kind=kind)
        )
        if self.request_id:
            self.request_id.message_post(body=self.env._("Access export generated as %(kind)s.", kind=kind))

    def action_export_json(self):
        self.ensure_one()
        data = self._vertrieb_collect(self.partner_id)
        payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        self.write(
            {
                "json_file": base64.b64encode(payload),
                "json_filename": f"datenauskunft_{self.partner_id.id}.json",
            }
        )
        self._vertrieb_log("JSON")
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_export_pdf(self):
        self.ensure_one()
        self.partner_id._vertrieb_privacy_check_officer()
        self._vertrieb_log("PDF")
        return self.env.ref("crm_vertrieb.action_report_vertrieb_privacy_export").report_action(self)
