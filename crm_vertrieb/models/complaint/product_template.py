from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    vertrieb_complaint_count = fields.Integer(string="Complaints", compute="_compute_vertrieb_complaint_count")

    def _compute_vertrieb_complaint_count(self):
        variants = self.with_context(active_test=False).product_variant_ids
        counts = {}
        for product, count in self.env["vertrieb.complaint"]._vertrieb_count_by("product_ids", variants).items():
            counts[product.product_tmpl_id] = counts.get(product.product_tmpl_id, 0) + count
        for template in self:
            template.vertrieb_complaint_count = counts.get(template, 0)

    def action_vertrieb_view_complaints(self):
        self.ensure_one()
        variants = self.with_context(active_test=False).product_variant_ids
        return self.env["vertrieb.complaint"]._action_for_domain([("product_ids", "in", variants.ids)])
