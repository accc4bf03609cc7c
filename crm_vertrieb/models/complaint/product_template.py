from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    complaint_count = fields.Integer(string="Complaints", compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = {}
        complaint_model = self.env["vertrieb.complaint"]
        if self.ids and complaint_model.has_access("read"):
            variants = self.with_context(active_test=False).product_variant_ids
            for product, count in complaint_model._read_group(
                [("product_ids", "in", variants.ids)], ["product_ids"], ["__count"]
            ):
                counts[product.product_tmpl_id] = counts.get(product.product_tmpl_id, 0) + count
        for template in self:
            template.complaint_count = counts.get(template, 0)

    def action_view_complaints(self):
        self.ensure_one()
        variants = self.with_context(active_test=False).product_variant_ids
        return self.env["vertrieb.complaint"]._action_for_domain([("product_ids", "in", variants.ids)])
