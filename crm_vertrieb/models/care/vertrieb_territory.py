import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# ZIP lengths of the countries a range may restrict by ZIP (DE 5 digits, AT/CH 4 digits)
ZIP_LENGTHS = {"DE": 5, "AT": 4, "CH": 4}


def normalize_zip(value):
    """The ZIP as the ranges compare it: digits only (spaces and a country prefix like "D-" dropped)."""
    return re.sub(r"\D", "", value or "")


class VertriebTerritory(models.Model):
    """Sales territory (Vertriebsgebiet): countries and ZIP ranges with a responsible salesperson
    and team. A customer's territory follows from its address (see ``_vertrieb_match_query``)."""

    _name = "vertrieb.territory"
    _description = "Sales Territory"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible Salesperson", tracking=True, domain="[('share', '=', False)]"
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", tracking=True, check_company=True)
    range_ids = fields.One2many("vertrieb.territory.range", "territory_id", string="Countries and ZIP Ranges")
    note = fields.Html()

    # a new territory's ranges refresh the matching when they are created (see the range model)
    def write(self, vals):
        res = super().write(vals)
        if {"active", "company_id"} & set(vals):
            self.env["vertrieb.customer.care"]._vertrieb_refresh_territories()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["vertrieb.customer.care"]._vertrieb_refresh_territories()
        return res

    @api.model
    def _vertrieb_match_query(self, partners_sql):
        """SQL: ``(partner_id, territory_id)`` for the partners selected by ``partners_sql`` (a query
        giving ``id, zip, country_id, company_id``): the active territory whose range holds the
        partner's country and ZIP, a ZIP range before a whole country, the partner's company first."""
        return SQL(
            """
            SELECT DISTINCT ON (p.id) p.id AS partner_id, t.id AS territory_id
              FROM (%(partners)s) p
              JOIN vertrieb_territory_range r ON r.country_id = p.country_id
              JOIN vertrieb_territory t ON t.id = r.territory_id AND t.active
             WHERE (t.company_id = p.company_id OR p.company_id IS NULL)
               AND (r.zip_from IS NULL
                    OR (length(p.zip_key) = length(r.zip_from) AND p.zip_key BETWEEN r.zip_from AND r.zip_to))
             ORDER BY p.id, r.zip_from IS NULL, t.company_id = p.company_id DESC, t.id
            """,
            partners=partners_sql,
        )


class VertriebTerritoryRange(models.Model):
    _name = "vertrieb.territory.range"
    _description = "Sales Territory Range"
    _order = "territory_id, country_id, zip_from, id"

    territory_id = fields.Many2one("vertrieb.territory", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="territory_id.company_id", store=True, index=True)
    country_id = fields.Many2one("res.country", required=True)
    zip_from = fields.Char("ZIP From", help="Empty: the whole country.")
    zip_to = fields.Char("ZIP To")

    @api.constrains("country_id", "zip_from", "zip_to")
    def _check_zip_range(self):
        for rng in self:
            if not rng.zip_from and not rng.zip_to:
                continue
            length = ZIP_LENGTHS.get(rng.country_id.code)
            if not length:
                raise ValidationError(
                    self.env._(
                        "ZIP ranges are supported for Germany, Austria and Switzerland only; leave the ZIP empty "
                        "for the whole of %(country)s.",
                        country=rng.country_id.name,
                    )
                )
            for value in (rng.zip_from, rng.zip_to):
                if not value or not value.isdigit() or len(value) != length:
                    raise ValidationError(
                        self.env._(
                            "ZIP codes of %(country)s have %(length)s digits: %(value)s is not valid.",
                            country=rng.country_id.name,
                            length=length,
                            value=value or "",
                        )
                    )
            if rng.zip_to < rng.zip_from:
                raise ValidationError(
                    self.env._(
                        "The ZIP range ends (%(to)s) before it starts (%(start)s).", to=rng.zip_to, start=rng.zip_from
                    )
                )

    @api.constrains("country_id", "zip_from", "zip_to", "territory_id")
    def _check_overlap(self):
        self._check_zip_range()  # a malformed range is reported as such, not as an overlap
        self.flush_model()
        self.env["vertrieb.territory"].flush_model(["active", "company_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT r.id, o.id
                  FROM vertrieb_territory_range r
                  JOIN vertrieb_territory t ON t.id = r.territory_id
                  JOIN vertrieb_territory_range o ON o.id != r.id AND o.country_id = r.country_id
                  JOIN vertrieb_territory ot ON ot.id = o.territory_id AND ot.company_id = t.company_id AND ot.active
                 WHERE r.id = ANY(%(ids)s) AND t.active
                   AND COALESCE(r.zip_from, '') <= COALESCE(o.zip_to, '99999')
                   AND COALESCE(o.zip_from, '') <= COALESCE(r.zip_to, '99999')
                 LIMIT 1
                """,
                ids=self.ids,
            )
        )
        if rows:
            rng, other = self.browse(rows[0])
            raise ValidationError(
                self.env._(
                    "The ZIP range %(range)s of territory %(territory)s overlaps the range %(other)s of territory "
                    "%(other_territory)s (same company and country).",
                    range=rng._vertrieb_label(),
                    territory=rng.territory_id.name,
                    other=other._vertrieb_label(),
                    other_territory=other.territory_id.name,
                )
            )

    def _vertrieb_label(self):
        self.ensure_one()
        if not self.zip_from:
            return self.country_id.code or ""
        return f"{self.country_id.code} {self.zip_from}-{self.zip_to}"

    @api.model_create_multi
    def create(self, vals_list):
        ranges = super().create(vals_list)
        self.env["vertrieb.customer.care"]._vertrieb_refresh_territories()
        return ranges

    def write(self, vals):
        res = super().write(vals)
        self.env["vertrieb.customer.care"]._vertrieb_refresh_territories()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["vertrieb.customer.care"]._vertrieb_refresh_territories()
        return res
