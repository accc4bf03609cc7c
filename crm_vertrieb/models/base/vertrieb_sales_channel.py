from odoo import api, fields, models


class VertriebSalesChannel(models.Model):
    """Sales channel (Vertriebsweg): how a customer is reached and served.

    Used by the acquisition research step and the performance reports by channel.
    """

    _name = "vertrieb.sales.channel"
    _description = "Sales Channel"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short unique code, used in imports and reports.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the sales channel between all companies.",
    )
    lead_count = fields.Integer(compute="_compute_lead_count", string="Leads")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique nulls not distinct (code, company_id)",
            "The code of a sales channel must be unique per company.",
        ),
    ]

    @api.depends_context("allowed_company_ids")
    def _compute_lead_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["crm.lead"]._read_group(
                    [("vertrieb_channel_id", "in", self.ids)],
                    ["vertrieb_channel_id"],
                    ["__count"],
                )
            )
        for channel in self:
            channel.lead_count = counts.get(channel, 0)

    def action_view_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("vertrieb_channel_id", "=", self.id)]
        action["context"] = {"default_vertrieb_channel_id": self.id, "active_test": False}
        return action
