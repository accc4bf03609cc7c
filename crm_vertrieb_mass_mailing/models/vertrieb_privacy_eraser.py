from odoo import api, models


class VertriebPrivacyEraser(models.AbstractModel):
    _inherit = "vertrieb.privacy.eraser"

    @api.model
    def _vertrieb_erase_related(self, scope, emails):
        """Mailing list contacts of the person go; mailing traces stay for the mailing statistics, without
        the address."""
        res = super()._vertrieb_erase_related(scope, emails)
        if emails:
            self.env["mailing.contact"].sudo().with_context(active_test=False).search(
                [("email_normalized", "in", emails)]
            ).unlink()
        traces = (
            self.env["mailing.trace"]
            .sudo()
            .search(
                ["|", ("email", "in", emails or [""]), "&", ("model", "=", "res.partner"), ("res_id", "in", scope.ids)]
            )
        )
        if traces:
            traces.write({"email": False})
        return res
