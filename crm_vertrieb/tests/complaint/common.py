from datetime import datetime

import pytz

from odoo import Command
from odoo.tests import new_test_user

from ..common import VertriebCommon


class ComplaintCommon(VertriebCommon):
    """Complaint officers, a posted customer invoice and a Berlin working-time calendar."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["vertrieb.complaint"]
        cls.user_officer = new_test_user(
            cls.env, "cv_complaint_officer", groups="crm_vertrieb.group_complaint_user", name="Olga Reklamation"
        )
        cls.user_officer_2 = new_test_user(
            cls.env, "cv_complaint_officer2", groups="crm_vertrieb.group_complaint_user", name="Otto Reklamation"
        )
        cls.user_complaint_manager = new_test_user(
            cls.env, "cv_complaint_manager", groups="crm_vertrieb.group_complaint_manager", name="Lena Leitung"
        )
        cls.team_1.member_ids = [Command.link(cls.user_officer.id)]
        cls.customer.user_id = cls.user_sales_1
        cls.contact = cls.env["res.partner"].create(
            {"name": "Hans Müller", "parent_id": cls.customer.id, "email": "hans.mueller@mueller-bau.example"}
        )
        cls.customer_2 = cls.env["res.partner"].create(
            {
                "name": "Nordlicht Handel GmbH",
                "is_company": True,
                "user_id": cls.user_sales_2.id,
                "email": "info@nordlicht.example",
            }
        )
        cls.product_pump = cls.env["product.product"].create({"name": "Pumpe P-200", "list_price": 100.0})
        cls.product_seal = cls.env["product.product"].create({"name": "Dichtung D-5", "list_price": 10.0})
        cls.invoice = cls._create_invoice(cls.customer, [(cls.product_pump, 10, 100.0), (cls.product_seal, 5, 10.0)])
        cls.invoice_2 = cls._create_invoice(cls.customer_2, [(cls.product_pump, 1, 100.0)])
        cls.stage_new = cls.env.ref("crm_vertrieb.complaint_stage_new")
        cls.stage_ack = cls.env.ref("crm_vertrieb.complaint_stage_acknowledged")
        cls.stage_analysis = cls.env.ref("crm_vertrieb.complaint_stage_analysis")
        cls.stage_resolved = cls.env.ref("crm_vertrieb.complaint_stage_resolved")
        cls.stage_closed = cls.env.ref("crm_vertrieb.complaint_stage_closed")
        cls.stage_rejected = cls.env.ref("crm_vertrieb.complaint_stage_rejected")
        cls.category_defect = cls.env.ref("crm_vertrieb.complaint_category_defect")
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Berlin 40h",
                "tz": "Europe/Berlin",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, end, period in ((8, 12, "morning"), (13, 17, "afternoon"))
                ],
            }
        )
        cls.company.resource_calendar_id = cls.calendar
        # only the policies of the tests apply
        cls.env["vertrieb.complaint.sla.policy"].search([]).active = False

    @classmethod
    def _create_invoice(cls, partner, lines, move_type="out_invoice", post=True, company=None):
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": "2026-03-02",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": qty,
                                "price_unit": price,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for product, qty, price in lines
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @staticmethod
    def berlin(*args):
        """Naive UTC datetime of a Berlin wall-clock time."""
        local = pytz.timezone("Europe/Berlin").localize(datetime(*args))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _complaint(self, **vals):
        values = {"title": "Undichte Pumpe", "partner_id": self.customer.id, "complaint_type": "claim"}
        values.update(vals)
        return self.Complaint.create(values)
