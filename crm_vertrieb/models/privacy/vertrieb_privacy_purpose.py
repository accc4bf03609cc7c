from odoo import api, fields, models

LEGAL_BASIS = [
    ("a", "Art. 6(1)(a) Consent"),
    ("b", "Art. 6(1)(b) Contract"),
    ("c", "Art. 6(1)(c) Legal obligation"),
    ("d", "Art. 6(1)(d) Vital interests"),
    ("e", "Art. 6(1)(e) Public interest"),
    ("f", "Art. 6(1)(f) Legitimate interests"),
]


class VertriebPrivacyPurpose(models.Model):
    """A processing purpose (Verarbeitungszweck), master data of the data-protection officer."""

    _name = "vertrieb.privacy.purpose"
    _description = "Processing Purpose"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Technical code used by the enforcement API, e.g. email_marketing.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", help="Leave empty to use the purpose in every company.")
    description = fields.Text(translate=True)
    legal_basis = fields.Selection(LEGAL_BASIS, required=True, default="a", tracking=True)
    consent_required = fields.Boolean(
        tracking=True,
        help="Processing for this purpose needs a granted consent record of the person. "
        "Without consent requirement the purpose applies unless the person objected (Art. 21).",
    )
    is_marketing = fields.Boolean(string="Marketing", tracking=True)
    marketing_medium = fields.Selection(
        [("email", "Email"), ("phone", "Phone"), ("other", "Other")],
        help="Medium of a marketing purpose. Email purposes are synchronised with the email blacklist.",
    )
    retention_months = fields.Integer(
        string="Retention (months)",
        tracking=True,
        help="How long the data is kept after the end of the business relationship.",
    )
    evidence_retention_months = fields.Integer(
        string="Evidence Retention (months)",
        help="Minimum time the consent evidence is kept (60 months for phone advertising, § 7a UWG).",
    )
    consent_validity_months = fields.Integer(
        string="Consent Validity (months)",
        help="A granted consent expires after this many months; 0 means it does not expire.",
    )
    data_categories = fields.Text(translate=True, help="Categories of personal data processed (Art. 30).")
    subject_categories = fields.Text(
        string="Data Subjects", translate=True, help="Categories of data subjects (Art. 30)."
    )
    recipients = fields.Text(translate=True, help="Recipients or categories of recipients (Art. 30).")
    third_country = fields.Text(
        string="Third-Country Transfers", translate=True, help="Transfers to third countries and safeguards."
    )
    consent_count = fields.Integer(compute="_compute_consent_count", string="Purpose Records")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The purpose code must be unique per company."),
        ("retention_positive", "CHECK(retention_months >= 0)", "The retention period cannot be negative."),
    ]

    def _compute_consent_count(self):
        counts = dict(
            self.env["vertrieb.privacy.consent"]._read_group(
                [("purpose_id", "in", self.ids), ("state", "=", "granted")], ["purpose_id"], ["__count"]
            )
        )
        for purpose in self:
            purpose.consent_count = counts.get(purpose, 0)

    @api.model
    def _vertrieb_get(self, code):
        """The purpose with ``code`` valid in the current company (company-specific first)."""
        return self.sudo().search(
            [("code", "=", code), ("company_id", "in", [self.env.company.id, False])],
            order="company_id",
            limit=1,
        )

    def action_view_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_vertrieb.vertrieb_privacy_consent_action")
        action["domain"] = [("purpose_id", "=", self.id)]
        action["context"] = {"default_purpose_id": self.id}
        return action
