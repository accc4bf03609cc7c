from odoo import api, models

# the stage fields a pipeline is made of (its stages in sequence, the won stage)
PIPELINE_FIELDS = frozenset({"sequence", "team_id", "is_won"})


class CrmStage(models.Model):
    _inherit = "crm.stage"

    def _vertrieb_conversion_touch_pipelines(self):
        """The conversion rows of every lead whose pipeline contains these stages are rebuilt: the
        leads of the stages' teams, all leads when a stage is shared by all teams."""
        Conversion = self.env["vertrieb.kpi.conversion"]
        if any(not stage.team_id for stage in self):
            Conversion._vertrieb_conversion_touch(everything=True)
        else:
            Conversion._vertrieb_conversion_touch(team_ids=self.team_id.ids)

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        stages._vertrieb_conversion_touch_pipelines()
        return stages

    def write(self, vals):
        changed = PIPELINE_FIELDS & vals.keys()
        if changed:
            self._vertrieb_conversion_touch_pipelines()  # the pipelines they leave
        res = super().write(vals)
        if changed:
            self._vertrieb_conversion_touch_pipelines()  # the pipelines they join
        return res

    def unlink(self):
        self._vertrieb_conversion_touch_pipelines()
        return super().unlink()
