from datetime import datetime

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintModel(ComplaintCommon):
    def test_reference_per_company(self):
        first = self._complaint()
        second = self._complaint()
        year = fields.Date.context_today(first).year
        self.assertRegex(first.name, rf"^REK/{year}/\d{{5}}$")
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)
        other_company = self.env["res.company"].create({"name": "Vertrieb Schweiz AG"})
        partner = self.env["res.partner"].create({"name": "Bergbahn AG", "is_company": True})
        other = self.Complaint.create(
            {"title": "Falsche Lieferung", "partner_id": partner.id, "company_id": other_company.id}
        )
        self.assertEqual(other.name, f"REK/{year}/00001")

    def test_customer_is_commercial_partner(self):
        complaint = self._complaint(partner_id=self.contact.id)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(self.contact.vertrieb_complaint_count, 1)
        self.assertEqual(self.customer.vertrieb_complaint_count, 1)

    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "needs a customer"):
            self.Complaint.create({"title": "Ohne Kunde"})
        with self.assertRaisesRegex(ValidationError, "does not belong to the customer"):
            self._complaint(contact_id=self.customer_2.id)
        vendor_bill = self._create_invoice(self.customer, [(self.product_pump, 1, 50.0)], move_type="in_invoice")
        with self.assertRaisesRegex(ValidationError, "not a customer invoice"):
            self._complaint(invoice_ids=[Command.link(vendor_bill.id)])
        with self.assertRaisesRegex(ValidationError, "not to the customer"):
            self._complaint(invoice_ids=[Command.link(self.invoice_2.id)])
        other_company = self.env["res.company"].create({"name": "Vertrieb Österreich GmbH"})
        self.env.user.company_ids = [Command.link(other_company.id)]
        self.customer.company_id = False
        self.env["account.chart.template"].try_loading("generic_coa", company=other_company, install_demo=False)
        foreign_invoice = self._create_invoice(self.customer, [(self.product_pump, 1, 50.0)], company=other_company)
        with self.assertRaisesRegex(ValidationError, "another company"):
            self._complaint(invoice_ids=[Command.link(foreign_invoice.id)])
        with self.assertRaisesRegex(ValidationError, "cannot exceed the invoiced amount"):
            self._complaint(invoice_ids=[Command.link(self.invoice.id)], accepted_amount=1050.01)
        with self.assertRaisesRegex(ValidationError, "acknowledgement date cannot be before"):
            self._complaint(date_received=datetime(2026, 3, 5, 10), date_acknowledged=datetime(2026, 3, 5, 9))
        complaint = self._complaint(invoice_ids=[Command.link(self.invoice.id)], accepted_amount=1050.0)
        with self.assertRaisesRegex(UserError, "needs a customer"):
            complaint.partner_id = False
        with self.assertRaisesRegex(ValidationError, "Every invoice line"):
            complaint.invoice_line_ids = [Command.link(self.invoice_2.invoice_line_ids[0].id)]
        self.assertEqual(self.Complaint.search_count([("title", "=", "Ohne Kunde")]), 0)

    def test_stage_dates_and_required_analysis(self):
        complaint = self._complaint(date_received=datetime(2026, 3, 5, 10))
        self.assertEqual(complaint.stage_id, self.stage_new)
        self.assertFalse(complaint.date_acknowledged)
        complaint.stage_id = self.stage_ack
        self.assertTrue(complaint.date_acknowledged)
        complaint.stage_id = self.stage_resolved
        self.assertTrue(complaint.date_resolved)
        with self.assertRaisesRegex(UserError, "requires the root cause"):
            complaint.stage_id = self.stage_closed
        self.assertEqual(complaint.stage_id, self.stage_resolved)
        self.assertFalse(complaint.date_closed)
        complaint.write(
            {
                "root_cause_category": "material",
                "root_cause": "Dichtung aus falscher Charge",
                "corrective_action": "Charge gesperrt, Lieferant informiert",
                "stage_id": self.stage_closed.id,
            }
        )
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed)
        # a Beschwerde needs a resolution text, a rejection a reason
        beschwerde = self._complaint(complaint_type="complaint")
        with self.assertRaisesRegex(UserError, "requires a resolution text"):
            beschwerde.stage_id = self.stage_closed
        with self.assertRaisesRegex(UserError, "requires a reason"):
            beschwerde.stage_id = self.stage_rejected
        beschwerde.write({"reject_reason": "Kein Mangel feststellbar", "stage_id": self.stage_rejected.id})
        self.assertTrue(beschwerde.is_rejected)
        # configurable per type
        self.company.vertrieb_complaint_claim_requires_analysis = False
        other = self._complaint()
        other.stage_id = self.stage_closed
        self.assertTrue(other.is_closed)

    def test_late_notice_and_warranty(self):
        self.category_defect.write({"notice_days": 7, "warranty_months": 12})
        complaint = self._complaint(
            category_id=self.category_defect.id,
            invoice_ids=[Command.link(self.invoice.id)],
            date_received=datetime(2026, 3, 6, 9),
        )
        self.assertEqual(complaint.goods_date, fields.Date.to_date("2026-03-02"))
        self.assertTrue(complaint.merchant_transaction)
        self.assertFalse(complaint.late_notice)
        complaint.date_received = datetime(2026, 3, 20, 9)
        self.assertTrue(complaint.late_notice)
        self.assertFalse(complaint.outside_warranty)
        complaint.date_received = datetime(2027, 4, 1, 9)
        self.assertTrue(complaint.outside_warranty)
        # the user decides, the flag is kept
        complaint.late_notice = False
        complaint.title = "Undichte Pumpe (geprüft)"
        self.assertFalse(complaint.late_notice)
        # a Beschwerde is never a late notice of defect
        beschwerde = self._complaint(
            complaint_type="complaint",
            invoice_ids=[Command.link(self.invoice.id)],
            date_received=datetime(2026, 6, 1, 9),
        )
        self.assertFalse(beschwerde.late_notice)

    def test_smart_button_counts(self):
        lead = self.env["crm.lead"].create({"name": "Pumpen 2026", "partner_id": self.customer.id})
        complaint = self._complaint(
            lead_id=lead.id,
            invoice_ids=[Command.link(self.invoice.id)],
            product_ids=[Command.link(self.product_pump.id)],
        )
        self._complaint()
        self.assertEqual(self.customer.vertrieb_complaint_count, 2)
        self.assertEqual(self.customer_2.vertrieb_complaint_count, 0)
        self.assertEqual(lead.vertrieb_complaint_count, 1)
        self.assertEqual(self.invoice.vertrieb_complaint_count, 1)
        self.assertEqual(self.invoice_2.vertrieb_complaint_count, 0)
        self.assertEqual(self.product_pump.product_tmpl_id.vertrieb_complaint_count, 1)
        self.assertEqual(self.product_seal.product_tmpl_id.vertrieb_complaint_count, 0)
        action = self.invoice.action_vertrieb_view_complaints()
        self.assertEqual(self.Complaint.search(action["domain"]), complaint)
        partners = self.customer | self.customer_2 | self.contact
        partners.invalidate_recordset(["vertrieb_complaint_count"])
        with self.assertQueryCount(__system__=2):
            partners.mapped("vertrieb_complaint_count")

    def test_complaint_rate_per_customer(self):
        self._create_invoice(self.customer, [(self.product_pump, 1, 100.0)])
        self._create_invoice(self.customer, [(self.product_pump, 1, 100.0)])
        self._create_invoice(self.customer, [(self.product_pump, 1, 100.0)])
        self._complaint(invoice_ids=[Command.link(self.invoice.id)])
        self.env.flush_all()
        report = self.env["vertrieb.complaint.customer.report"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(report.complaint_count, 1)
        self.assertEqual(report.invoice_count, 4)
        self.assertAlmostEqual(report.complaint_rate, 25.0)
        other = self.env["vertrieb.complaint.customer.report"].search([("partner_id", "=", self.customer_2.id)])
        self.assertEqual((other.complaint_count, other.invoice_count, other.complaint_rate), (0, 1, 0.0))
        # the pivot measures of the analysis are aggregated by the ORM
        complaint = self._complaint(date_received=datetime(2026, 3, 5, 10))
        complaint.write({"date_acknowledged": datetime(2026, 3, 5, 12), "date_resolved": datetime(2026, 3, 6, 10)})
        [(count, ack, resolve)] = self.Complaint._read_group(
            [("id", "=", complaint.id)], [], ["__count", "ack_hours:avg", "resolve_hours:avg"]
        )
        self.assertEqual((count, ack, resolve), (1, 2.0, 24.0))
