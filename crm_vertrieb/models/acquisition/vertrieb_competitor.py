import re

from odoo import api, fields, models

# free texts about the competitor; a note naming a person is erased with the person (Art. 17)
NOTE_FIELDS = ("strengths", "weaknesses", "segments")


class VertriebCompetitor(models.Model):
    """A competitor (Wettbewerber): market information integrated in the CRM.

    Competitor names and their market data are not personal data. Notes about people are: the model
    has no field for them on purpose, and a free text that names a person anyway is erased with
    that person (``_vertrieb_erase_person_texts``, called by the privacy eraser; readme/SECURITY.md).
    """

    _name = "vertrieb.competitor"
    _description = "Competitor"
    _order = "name, id"

    name = fields.Char(required=True, index="trigram")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", help="Leave empty to share across companies.")
    website = fields.Char()
    strengths = fields.Text(help="About the competing company and its offer, not about people.")
    weaknesses = fields.Text(help="About the competing company and its offer, not about people.")
    price_level = fields.Selection(
        [("low", "Low"), ("market", "At Market Level"), ("high", "High"), ("premium", "Premium")],
    )
    product_category_ids = fields.Many2many(
        "product.category", string="Products / Segments", help="Product categories the competitor sells in."
    )
    segments = fields.Char(string="Market Segments")
    lead_ids = fields.Many2many(
        "crm.lead", "crm_lead_vertrieb_competitor_rel", "competitor_id", "lead_id", string="Opportunities"
    )
    lead_count = fields.Integer(compute="_compute_lead_count", string="Opportunities Count")

    _sql_constraints = [("name_company_uniq", "unique (name, company_id)", "This competitor already exists.")]

    @api.depends("lead_ids")
    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group([("vertrieb_competitor_ids", "in", self.ids)], ["vertrieb_competitor_ids"], ["__count"])
        )
        for competitor in self:
            competitor.lead_count = counts.get(competitor, 0)

    @api.model_create_multi
    def create(self, vals_list):
        competitors = super().create(vals_list)
        if any("lead_ids" in vals for vals in vals_list):
            competitors._vertrieb_report_touch()
        return competitors

    def write(self, vals):
        if "lead_ids" in vals:
            self._vertrieb_report_touch()  # the opportunities they leave
        res = super().write(vals)
        if "lead_ids" in vals:
            self._vertrieb_report_touch()
        return res

    def _vertrieb_report_touch(self):
        """The stored rows of the competitor analysis of the competitors' opportunities are rebuilt."""
        self.env["vertrieb.competitor.report"]._vertrieb_rows_touch(
            lead_ids=self.with_context(active_test=False).sudo().lead_ids.ids
        )

    @api.model
    def _vertrieb_erase_person_texts(self, persons, emails):
        """Art. 17: replace the names and e-mail addresses of ``persons`` (and ``emails``) in the free
        texts of all competitors by "[…]" (the rest of the market information stays). Called by the
        privacy eraser, as superuser; one search per field."""
        terms = {term.strip() for term in [*persons.mapped("name"), *(emails or [])] if term and len(term.strip()) > 2}
        if not terms:
            return self.browse()
        pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)
        Competitor = self.sudo().with_context(active_test=False)
        changed = Competitor.browse()
        for name in NOTE_FIELDS:
            domain = ["|"] * (len(terms) - 1) + [(name, "ilike", term) for term in terms]
            for competitor in Competitor.search(domain):
                competitor[name] = pattern.sub("[…]", competitor[name])
                changed |= competitor
        return changed

    def action_view_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action["domain"] = [("vertrieb_competitor_ids", "in", self.ids)]
        action["context"] = {"active_test": False}
        return action
