from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintAccess(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_2.member_ids = [Command.link(cls.user_officer_2.id)]
        cls.c_own = cls.Complaint.create(
            {"title": "Eigene", "partner_id": cls.customer.id, "user_id": cls.user_officer.id}
        )
        cls.c_team = cls.Complaint.create(
            {
                "title": "Team Süd",
                "partner_id": cls.customer.id,
                "user_id": cls.user_manager.id,
                "team_id": cls.team_1.id,
            }
        )
        cls.c_other = cls.Complaint.create(
            {
                "title": "Team Nord",
                "partner_id": cls.customer_2.id,
                "user_id": cls.user_officer_2.id,
                "team_id": cls.team_2.id,
            }
        )
        cls.c_unassigned = cls.Complaint.create(
            {"title": "Neu per Mail", "partner_id": cls.customer_2.id, "user_id": False}
        )
        cls.all = cls.c_own | cls.c_team | cls.c_other | cls.c_unassigned

    def _visible(self, user):
        return self.Complaint.with_user(user).search([("id", "in", self.all.ids)])

    def test_officer_own_team_and_unassigned(self):
        self.assertEqual(self._visible(self.user_officer), self.c_own | self.c_team | self.c_unassigned)
        self.c_own.with_user(self.user_officer).title = "Eigene (bearbeitet)"
        with self.assertRaises(AccessError):
            self.c_other.with_user(self.user_officer).read(["title"])
        with self.assertRaises(AccessError):
            self.c_own.with_user(self.user_officer).unlink()
        created = self.Complaint.with_user(self.user_officer).create({"title": "Neu", "partner_id": self.customer.id})
        self.assertEqual(created.user_id, self.user_officer)

    def test_manager_all_and_configuration(self):
        self.assertEqual(self._visible(self.user_complaint_manager), self.all)
        self.env["vertrieb.complaint.category"].with_user(self.user_complaint_manager).create({"name": "Verpackung"})
        with self.assertRaises(AccessError):
            self.env["vertrieb.complaint.category"].with_user(self.user_officer).create({"name": "Verpackung"})

    def test_salesperson_reads_own_customers_only(self):
        # customer belongs to cv_sales1, customer_2 to cv_sales2 (another team)
        self.assertEqual(self._visible(self.user_sales_1), self.c_own | self.c_team)
        self.assertEqual(self._visible(self.user_sales_2), self.c_other | self.c_unassigned)
        with self.assertRaises(AccessError):
            self.c_other.with_user(self.user_sales_1).read(["title"])
        with self.assertRaises(AccessError):
            self.c_own.with_user(self.user_sales_1).write({"title": "Geändert"})
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.user_sales_1).create({"title": "Neu", "partner_id": self.customer.id})
        self.assertEqual(self.customer.with_user(self.user_sales_1).vertrieb_complaint_count, 2)
        self.assertEqual(self.customer_2.with_user(self.user_sales_1).vertrieb_complaint_count, 0)

    def test_accountant_reads_all_and_cannot_create(self):
        self.assertEqual(self._visible(self.user_accountant), self.all)
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.user_accountant).create({"title": "Neu", "partner_id": self.customer.id})

    def test_plain_user_and_portal_see_nothing(self):
        plain = new_test_user(self.env, "cv_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.Complaint.with_user(plain).search([])
        self.assertEqual(self.customer.with_user(plain).vertrieb_complaint_count, 0)
        portal = new_test_user(self.env, "cv_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.Complaint.with_user(portal).search([])

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Vertrieb Schweiz AG"})
        partner = self.env["res.partner"].create({"name": "Bergbahn AG", "is_company": True})
        foreign = self.Complaint.create({"title": "Schweiz", "partner_id": partner.id, "company_id": other_company.id})
        manager = self.user_complaint_manager
        self.assertFalse(self.Complaint.with_user(manager).search([("id", "=", foreign.id)]))
        manager.company_ids = [Command.link(other_company.id)]
        found = (
            self.Complaint.with_user(manager)
            .with_context(allowed_company_ids=[self.company.id, other_company.id])
            .search([("id", "=", foreign.id)])
        )
        self.assertEqual(found, foreign)

    def test_form_opens_for_every_group(self):
        self.c_own.write({"invoice_ids": [Command.link(self.invoice.id)]})
        lead = self.env["crm.lead"].create({"name": "Pumpen", "partner_id": self.customer.id})
        self.c_own.lead_id = lead
        for user in (self.user_officer, self.user_sales_1, self.user_accountant, self.user_complaint_manager):
            form = Form(self.c_own.with_user(user))
            self.assertEqual(form.title, "Eigene")
        form = Form(self.c_own.with_user(self.user_officer))
        self.assertEqual(form.invoice_ids[:], self.invoice)
