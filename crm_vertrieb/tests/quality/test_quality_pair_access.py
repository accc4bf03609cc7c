from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityPairAccess(VertriebCommon):
    """Issue #12: a duplicate pair is visible only to users who may read both contacts."""

    def test_pair_needs_both_contacts_readable(self):
        company_2 = self.env["res.company"].create({"name": "Vertrieb Nord GmbH"})
        Partner = self.env["res.partner"].sudo()
        shared = Partner.create({"name": "Ludwig Sommer", "email": "l.sommer@example.com"})
        foreign = Partner.create({"name": "Ludwig Somer", "email": "privat@sommer.example", "company_id": company_2.id})
        pair = (
            self.env["vertrieb.partner.duplicate"]
            .sudo()
            .create({"partner_a_id": shared.id, "partner_b_id": foreign.id, "score": 90.0})
        )
        manager_2 = new_test_user(
            self.env,
            "cv_manager_nord",
            groups="sales_team.group_sale_manager",
            company_id=company_2.id,
            company_ids=[(6, 0, (company_2 | self.company).ids)],
        )
        for user in (self.user_manager, self.user_sales_1):
            with self.assertRaises(AccessError):
                foreign.with_user(user).read(["email"])
            self.assertFalse(self.env["vertrieb.partner.duplicate"].with_user(user).search([("id", "=", pair.id)]))
            with self.assertRaises(AccessError):
                pair.with_user(user).read(["partner_b_email"])
        # a manager of both companies reads both contacts, so the pair and its related values
        pair_2 = pair.with_user(manager_2).with_context(allowed_company_ids=(company_2 | self.company).ids)
        self.assertEqual(pair_2.search([("id", "=", pair.id)]), pair)
        self.assertEqual(pair_2.partner_b_email, "privat@sommer.example")
        # the rule reads the contacts' company as stored on the pair: it follows the contact
        foreign.company_id = False
        self.assertEqual(
            self.env["vertrieb.partner.duplicate"].with_user(self.user_manager).search([("id", "=", pair.id)]), pair
        )
        shared.company_id = company_2
        self.assertFalse(
            self.env["vertrieb.partner.duplicate"].with_user(self.user_manager).search([("id", "=", pair.id)])
        )

    def test_related_fields_read_as_the_user(self):
        Pair = self.env["vertrieb.partner.duplicate"]
        for name in ("partner_a_city", "partner_b_city", "partner_a_email", "partner_b_email"):
            self.assertFalse(Pair._fields[name].compute_sudo, name)
        self.assertFalse(self.env["vertrieb.customer.value"]._fields["currency_id"].compute_sudo)
