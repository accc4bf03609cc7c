from odoo import fields, models


class VertriebComplaintStage(models.Model):
    """Configurable stage of a complaint (Neu, Eingangsbestätigung, In Analyse, ...)."""

    _name = "vertrieb.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    is_acknowledged = fields.Boolean(
        string="Counts as Acknowledged",
        help="Reaching this stage sets the acknowledgement date (ISO 10002) if it is still empty.",
    )
    is_resolved = fields.Boolean(
        string="Counts as Resolved",
        help="Reaching this stage sets the resolution date if it is still empty.",
    )
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Complaints in this stage are closed: the required analysis is checked and the closing date set.",
    )
    is_rejected = fields.Boolean(
        string="Rejection Stage", help="Closing in this stage rejects the complaint; a reason is required."
    )
    description = fields.Text(translate=True)
