from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    vertrieb_channel_id = fields.Many2one(
        "vertrieb.sales.channel",
        string="Sales Channel",
        index="btree_not_null",
        tracking=True,
        help="Sales channel (Vertriebsweg) through which this opportunity is worked.",
    )
