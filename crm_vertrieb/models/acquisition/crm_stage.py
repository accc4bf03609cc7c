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

    def write(self, vals):
        res = super().write(vals)
        # won or not, and the step, are part of the stored rows of the competitor and cost reports
        self.env["vertrieb.acquisition.report.rows"]._vertrieb_rows_touch_stages(self.ids, vals)
        return res
