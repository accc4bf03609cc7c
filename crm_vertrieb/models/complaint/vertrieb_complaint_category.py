from odoo import fields, models


class VertriebComplaintCategory(models.Model):
    """Configurable complaint category with its notice and warranty periods (§ 377 HGB)."""

    _name = "vertrieb.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    complaint_type = fields.Selection(
        [("complaint", "Complaint (Beschwerde)"), ("claim", "Claim (Reklamation)")],
        string="Type",
        help="Leave empty to use the category for both types.",
    )
    company_id = fields.Many2one("res.company", help="Leave empty to share the category between all companies.")
    notice_days = fields.Integer(
        string="Notice Period (Days)",
        default=7,
        help="Calendar days after delivery within which a defect must be notified between merchants "
        "(§ 377 HGB, 'unverzüglich'). Later claims are flagged as late notice of defect.",
    )
    warranty_months = fields.Integer(
        string="Warranty Period (Months)",
        default=12,
        help="Claims received later than this after delivery are flagged as outside the warranty period.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("notice_days_positive", "CHECK(notice_days >= 0)", "The notice period cannot be negative."),
        ("warranty_months_positive", "CHECK(warranty_months >= 0)", "The warranty period cannot be negative."),
    ]
