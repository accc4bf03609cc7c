from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    vertrieb_step_id = fields.Many2one(
        "vertrieb.acquisition.step",
        string="Acquisition Step",
        index="btree_not_null",
        ondelete="restrict",
        help="Acquisition step this stage stands for: moving a lead into the stage moves it to the step.",
    )
