from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    vertrieb_complaint_send_ack = fields.Boolean(
        string="Send Complaint Acknowledgement",
        help="Send the acknowledgement email to the customer when a complaint is created.",
    )
    vertrieb_complaint_create_sender_contact = fields.Boolean(
        string="Create Contacts for Unknown Senders",
        help="A complaint by email from an address no contact has creates a contact. Off: the complaint "
        "has no customer until the handler assigns one (no contact is made of spam).",
    )
    vertrieb_complaint_rating_request = fields.Boolean(
        string="Complaint Satisfaction Survey", help="Ask the customer for a rating when a complaint is closed."
    )
    vertrieb_complaint_claim_requires_analysis = fields.Boolean(
        string="Claims Require Root Cause",
        default=True,
        help="Closing a claim (Reklamation) requires the root cause and the corrective action.",
    )
    vertrieb_complaint_requires_resolution = fields.Boolean(
        string="Complaints Require Resolution",
        default=True,
        help="Closing a complaint (Beschwerde) requires a resolution text.",
    )
    vertrieb_complaint_reject_requires_reason = fields.Boolean(
        string="Rejection Requires Reason", default=True, help="Rejecting a complaint requires a reason."
    )
