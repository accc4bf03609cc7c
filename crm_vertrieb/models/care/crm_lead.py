from odoo import api, fields, models
from odoo.tools import SQL

from ..base.column_fill import create_computed_columns, fill_from_query


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Research step (Recherche): the target territory is one of the sales territories, proposed
    # from the lead's address; the gate of the step requires it (see ``_vertrieb_care_gate_on_territory``).
    # The free text of earlier versions stays for history and follows the territory in the form.
    vertrieb_territory_id = fields.Many2one(
        "vertrieb.territory",
        string="Sales Territory",
        compute="_compute_vertrieb_territory_id",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
        index="btree_not_null",
        help="Target territory of the research step. Proposed from the address (country and ZIP); a territory "
        "picked by hand stays when the address lies in no territory.",
    )

    def _auto_init(self):
        # the first fill on existing leads: one statement (models/base/column_fill.py)
        created = create_computed_columns(self, ["vertrieb_territory_id"])
        res = super()._auto_init()
        if created:
            self.pool.post_init(self._vertrieb_fill_territory)
        return res

    @api.model
    def _vertrieb_fill_territory(self, ids=None):
        """``_compute_vertrieb_territory_id`` in SQL: the territory holding the lead's address; a
        lead outside every territory keeps its own."""
        source = SQL(
            "SELECT m.partner_id AS id, m.territory_id AS vertrieb_territory_id FROM (%s) m",
            self.env["vertrieb.territory"]._vertrieb_match_query(
                SQL(
                    """SELECT l.id, regexp_replace(COALESCE(l.zip, ''), '\\D', '', 'g') AS zip_key, l.country_id,
                              l.company_id
                         FROM crm_lead l
                        WHERE l.country_id IS NOT NULL"""
                )
            ),
        )
        return fill_from_query(self, "Sales territories of existing leads", ["vertrieb_territory_id"], source, ids)

    @api.depends("zip", "country_id", "company_id")
    def _compute_vertrieb_territory_id(self):
        """The territory holding the lead's country and ZIP (one query for all leads); a lead whose
        address lies in no territory keeps the one it has."""
        located = self.filtered("country_id")
        matched = {}
        if located:
            self.env["vertrieb.territory"].flush_model()
            self.env["vertrieb.territory.range"].flush_model()
            rows = SQL(", ").join(
                SQL(
                    "(%s, %s, %s::int, %s::int)",
                    index,
                    "".join(ch for ch in lead.zip or "" if ch.isdigit()),
                    lead.country_id.id,
                    lead.company_id.id or None,
                )
                for index, lead in enumerate(located)
            )
            matched = dict(
                self.env.execute_query(
                    self.env["vertrieb.territory"]._vertrieb_match_query(
                        SQL("SELECT * FROM (VALUES %s) AS v(id, zip_key, country_id, company_id)", rows)
                    )
                )
            )
        Territory = self.env["vertrieb.territory"]
        position = {lead: index for index, lead in enumerate(located)}
        for lead in self:
            territory_id = matched.get(position.get(lead, -1))
            lead.vertrieb_territory_id = Territory.browse(territory_id) if territory_id else lead.vertrieb_territory_id

    @api.onchange("vertrieb_territory_id")
    def _onchange_vertrieb_territory_id(self):
        for lead in self.filtered("vertrieb_territory_id"):
            lead.vertrieb_territory = lead.vertrieb_territory_id.name

    # ------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------

    def write(self, vals):
        # the lead's activities are planned contacts of its customer (an archived lead's
        # activities are deleted by Odoo: models/care/mail_activity.py follows them)
        if "partner_id" in vals:
            Care = self.env["vertrieb.customer.care"].sudo()
            Care._vertrieb_touch(self.sudo().partner_id.ids)
            res = super().write(vals)
            Care._vertrieb_touch(self.sudo().partner_id.ids)
            return res
        return super().write(vals)

    def unlink(self):
        # its activities go with it: their customers are marked while the lead still names them
        self.env["vertrieb.customer.care"].sudo()._vertrieb_touch(self.sudo().partner_id.ids)
        return super().unlink()

    @api.model
    def _vertrieb_gate_field_names(self):
        return [*super()._vertrieb_gate_field_names(), "vertrieb_territory_id"]

    @api.model
    def _vertrieb_care_gate_on_territory(self):
        """The acquisition steps that require the free-text target territory require the sales
        territory instead (new databases: data file; updated ones: migration 18.0.1.2.0)."""
        text = self.env.ref("crm_vertrieb.field_crm_lead__vertrieb_territory")
        territory = self.env.ref("crm_vertrieb.field_crm_lead__vertrieb_territory_id")
        steps = self.env["vertrieb.acquisition.step"].sudo().with_context(active_test=False)
        steps = steps.search([("required_field_ids", "in", text.ids)])
        steps.write({"required_field_ids": [fields.Command.unlink(text.id), fields.Command.link(territory.id)]})
        return steps
