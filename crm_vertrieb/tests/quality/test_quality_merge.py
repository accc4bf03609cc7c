from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..privacy.common import PrivacyCommon


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityMerge(PrivacyCommon):
    """Merging two contacts with Odoo's wizard keeps every linked document on the survivor: leads,
    invoices, complaints, purpose records (consent evidence), duplicate decisions, customer value."""

    def _merge(self, src, dst):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(src | dst).ids)
            .create({})
        )
        wizard.dst_partner_id = dst
        wizard.action_merge()
        self.assertFalse(src.exists())

    def test_merge_keeps_all_documents(self):
        Partner = self.env["res.partner"]
        dst = Partner.create({"name": "Meier Bau GmbH", "is_company": True, "zip": "70173", "city": "Stuttgart"})
        src = Partner.create({"name": "Meyer Bau GmbH", "is_company": True, "zip": "70173", "city": "Stuttgart"})
        third = Partner.create({"name": "Maier Bau KG", "is_company": True, "zip": "70174", "city": "Stuttgart"})
        lead = self.env["crm.lead"].create({"name": "Hallenbau", "partner_id": src.id})
        invoice = self._invoice(src, 250.0)
        complaint = self.env["vertrieb.complaint"].create({"title": "Risse im Estrich", "partner_id": src.id})
        # purpose records: email marketing on both (the source's decision is the later one),
        # phone marketing only on the source
        old = fields.Datetime.now() - timedelta(days=400)
        withdrawn = self._grant(dst, self.purpose_email, consent_date=old, contact_value="info@meier.example")
        withdrawn.action_withdraw()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE vertrieb_privacy_consent_history SET date = %s WHERE consent_id = %s", (old, withdrawn.id)
        )
        self.env.cr.execute(
            "UPDATE vertrieb_privacy_consent SET withdrawal_date = %s, create_date = %s WHERE id = %s",
            (old, old, withdrawn.id),
        )
        self.env.invalidate_all()
        granted = self._grant(src, self.purpose_email, consent_text="Ja, Newsletter.", consent_version="v7")
        phone = self._grant(src, self.purpose_phone)
        history_before = (withdrawn | granted).history_ids
        self.assertTrue(history_before)
        # duplicate decisions: source-dst is settled by the merge; the source's "no duplicate"
        # with the third contact is remembered on the survivor's pair
        Pair = self.env["vertrieb.partner.duplicate"]
        pair_inner = Pair.create({"partner_a_id": dst.id, "partner_b_id": src.id, "score": 90})
        pair_dst = Pair.create({"partner_a_id": dst.id, "partner_b_id": third.id, "score": 70})
        pair_src = Pair.create({"partner_a_id": src.id, "partner_b_id": third.id, "score": 70, "state": "no_duplicate"})
        # customer values on both
        Value = self.env["vertrieb.customer.value"]
        Value.create([{"partner_id": dst.id, "revenue_total": 1}, {"partner_id": src.id, "revenue_total": 2}])

        self._merge(src, dst)

        self.assertEqual(lead.partner_id, dst)
        self.assertEqual(invoice.partner_id, dst)
        self.assertEqual(invoice.commercial_partner_id, dst)
        self.assertEqual(complaint.partner_id, dst)
        consents = self.env["vertrieb.privacy.consent"].search([("partner_id", "=", dst.id)])
        self.assertEqual(consents.purpose_id, self.purpose_email | self.purpose_phone, "no purpose record lost")
        self.assertTrue(phone.exists())
        survivor = consents.filtered(lambda consent: consent.purpose_id == self.purpose_email)
        self.assertEqual(survivor, granted, "the later decision applies")
        self.assertEqual(survivor.state, "granted")
        self.assertFalse(withdrawn.exists())
        self.assertLessEqual(history_before.exists(), survivor.history_ids, "every history line kept")
        self.assertIn("joined into this one", survivor.history_ids[0].reason)
        self.assertTrue(
            any("Contacts merged" in (body or "") for body in survivor.message_ids.mapped("body")),
            "the evidence of the joined record is in the chatter",
        )
        self.assertFalse(pair_inner.exists())
        pairs = Pair.search(["|", ("partner_a_id", "=", dst.id), ("partner_b_id", "=", dst.id)])
        self.assertEqual(pairs, pair_dst, "one pair with the third contact")
        self.assertEqual(pair_dst.state, "no_duplicate", "the decision is remembered")
        self.assertFalse(pair_src.exists())
        self.assertEqual(Value.search_count([("partner_id", "=", dst.id)]), 1)

    def test_merge_moves_pairs_with_third_contacts(self):
        Partner = self.env["res.partner"]
        # created in this order so that Odoo's plain UPDATE would leave the pair unordered
        src, third, dst = Partner.create(
            [{"name": "Schmitt Elektro"}, {"name": "Elektro Schmid"}, {"name": "Schmidt Elektro"}]
        )
        Pair = self.env["vertrieb.partner.duplicate"]
        first, second = sorted((src.id, third.id))
        pair = Pair.create({"partner_a_id": first, "partner_b_id": second, "score": 80})
        self._merge(src, dst)
        self.assertTrue(pair.exists())
        self.assertEqual(pair.partner_a_id | pair.partner_b_id, dst | third)
        self.assertLess(pair.partner_a_id.id, pair.partner_b_id.id)
