from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Research step (Recherche): the target territory picked from the sales territories; the free
    # text of the acquisition gate follows it
    vertrieb_territory_id = fields.Many2one(
        "vertrieb.territory", string="Sales Territory", tracking=True, check_company=True, index="btree_not_null"
    )

    @api.onchange("vertrieb_territory_id")
    def _onchange_vertrieb_territory_id(self):
        for lead in self.filtered("vertrieb_territory_id"):
            lead.vertrieb_territory = lead.vertrieb_territory_id.name
