from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, users

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityScore(VertriebCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.de = cls.env.ref("base.de")
        cls.at = cls.env.ref("base.at")
        cls.good = cls.env["res.partner"].create(
            {
                "name": "Stadtwerke Beispiel GmbH",
                "is_company": True,
                "street": "Königstraße 1",
                "zip": "70173",
                "city": "Stuttgart",
                "country_id": cls.de.id,
                "vat": "DE136695976",
                "email": "info@stadtwerke-beispiel.de",
                "phone": "+49 711 2160",
                "bank_ids": [(0, 0, {"acc_number": "DE89 3704 0044 0532 0130 00"})],
            }
        )

    def test_complete_verified_partner_scores_100(self):
        self.assertLess(self.good.vertrieb_quality_score, 100, "never verified costs the timeliness share")
        self.assertIn("Never verified", self.good.vertrieb_quality_problems)
        self.good.action_vertrieb_verify()
        self.assertEqual(self.good.vertrieb_verified_by_id, self.env.user)
        self.assertEqual(self.good.vertrieb_quality_score, 100)
        self.assertEqual(self.good.vertrieb_quality_problem_count, 0)
        self.assertEqual(self.good.vertrieb_quality_level, "good")
        self.assertFalse(self.good.vertrieb_quality_problems)

    def test_problems_are_named_and_score_recomputed_on_write(self):
        self.good.action_vertrieb_verify()
        # an invalid VAT number as imported data carries it (base_vat, where installed, refuses it
        # on entry: no_vat_validation is its own key for such imports)
        self.good.with_context(no_vat_validation=True).write({"zip": False, "vat": "DE136695977"})
        problems = self.good.vertrieb_quality_problems
        self.assertIn("ZIP code missing", problems)
        self.assertIn("VAT number invalid: check digit", problems)
        self.assertEqual(self.good.vertrieb_quality_problem_count, 2)
        # completeness 5/6, validity 3/4 (email, phone, IBAN ok; VAT not), rest full
        expected = round(30 * 5 / 6 + 30 * 3 / 4 + 10 + 15 + 15)
        self.assertEqual(self.good.vertrieb_quality_score, expected)
        self.good.bank_ids.acc_number = "DE89370400440532013001"
        self.assertIn("IBAN DE89370400440532013001 invalid: check digit", self.good.vertrieb_quality_problems)

    def test_vat_refused_by_base_vat_is_reported_once(self):
        """On a German database (l10n_de brings base_vat) an invalid VAT number is refused on entry;
        one that came in by import is named once by the quality score, as base_vat judges it."""
        if "vies_valid" not in self.env["res.partner"]._fields:
            self.skipTest("base_vat is not installed")
        with self.assertRaisesRegex(ValidationError, "DE136695977"):
            self.good.write({"vat": "DE136695977"})
        self.good.with_context(no_vat_validation=True).write({"vat": "DE136695977"})
        self.assertFalse(self.env["res.partner"]._run_vat_test("DE136695977", self.de, True))
        self.assertEqual(self.good.vertrieb_quality_problems.count("VAT number invalid"), 1)

    def test_vat_without_country_follows_base_vat(self):
        """A VAT number without a known prefix on a company without a country ("XX123"). Without
        base_vat the score names it invalid; base_vat accepts it until a country is set (it cannot
        judge it), and the score agrees: the missing country is the one problem named. Once the
        country is set base_vat refuses it on entry; imported anyway, the score names it once
        (invalid, not again for its prefix)."""
        partner = self.env["res.partner"].create({"name": "Ohne Land GmbH", "is_company": True, "vat": "XX123"})
        problems = partner.vertrieb_quality_problems
        self.assertIn("Country missing", problems)
        base_vat = "vies_vat_to_check" in partner._fields
        if base_vat:
            self.assertNotIn("VAT number", problems)
            with self.assertRaisesRegex(ValidationError, "XX123"):
                partner.country_id = self.de
            partner.with_context(no_vat_validation=True).country_id = self.de
        else:
            self.assertIn("VAT number invalid: unknown country code XX", problems)
            partner.country_id = self.de
        problems = partner.vertrieb_quality_problems
        self.assertIn("VAT number invalid: unknown country code XX", problems)
        self.assertEqual(problems.count("VAT number"), 1, problems)

    def test_consistency(self):
        self.good.write({"phone": "+43 1 53114", "vat": "ATU13585627"})
        problems = self.good.vertrieb_quality_problems
        self.assertIn("Phone prefix of +43 1 53114 belongs to AT, the country is DE", problems)
        self.assertIn("VAT number prefix AT does not match the country DE", problems)
        self.good.country_id = self.at
        self.good.zip = "1010"
        self.assertNotIn("Phone prefix", self.good.vertrieb_quality_problems)

    def test_roles(self):
        person = self.env["res.partner"].create({"name": "Eva Lang", "parent_id": self.good.id})
        self.assertIn("Job position missing", person.vertrieb_quality_problems)
        self.assertIn("E-mail or phone missing", person.vertrieb_quality_problems)
        self.assertNotIn("Street missing", person.vertrieb_quality_problems, "the company holds the address")
        invoice_address = self.env["res.partner"].create(
            {"type": "invoice", "parent_id": self.good.id, "street": "Postfach 10", "city": "Stuttgart"}
        )
        self.assertIn("ZIP code missing", invoice_address.vertrieb_quality_problems)
        self.assertIn("Country missing", invoice_address.vertrieb_quality_problems)
        company_without_vat = self.env["res.partner"].create(
            {
                "name": "Ohne USt GmbH",
                "is_company": True,
                "street": "A 1",
                "zip": "10115",
                "city": "Berlin",
                "country_id": self.de.id,
            }
        )
        self.assertIn("VAT number missing", company_without_vat.vertrieb_quality_problems)

    def test_timeliness_and_cron(self):
        with freeze_time(fields.Datetime.now() - timedelta(days=400)):
            self.good.action_vertrieb_verify()
            self.assertEqual(self.good.vertrieb_quality_score, 100, "fresh verification at that time")
        self.env.flush_all()
        # 400 days later nothing was written on the partner: the daily cron finds the aged verification
        done = self.env["res.partner"]._cron_vertrieb_quality_recompute(batch_size=100000)
        self.assertGreaterEqual(done, 1)
        self.assertEqual(self.good.vertrieb_quality_date, fields.Date.context_today(self.good))
        self.assertIn("more than 365 days ago", self.good.vertrieb_quality_problems)
        self.assertEqual(self.good.vertrieb_quality_score, 85)
        self.assertEqual(self.good.vertrieb_quality_level, "good")
        self.assertEqual(self.env["res.partner"]._cron_vertrieb_quality_recompute(), 0, "nothing left today")

    def test_cron_writes_only_changed_scores(self):
        """The daily pass goes over all partners in batches and writes only changed scores."""
        Partner = self.env["res.partner"]
        others = Partner.create([{"name": f"Kunde {i}", "zip": "70173"} for i in range(5)])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET vertrieb_quality_date = '2020-01-01' WHERE id IN %s",
            [tuple((self.good | others).ids)],
        )
        self.env.cr.execute(
            "UPDATE res_partner SET vertrieb_quality_score = 1, vertrieb_quality_level = 'poor' WHERE id = %s",
            [others[0].id],
        )
        self.env.invalidate_all()
        expected_score = others[1].vertrieb_quality_score
        all_count = Partner.with_context(active_test=False).search_count([])
        calls, done, progress = 0, 0, []
        batch_size = max(all_count // 3, 1)

        def notify_progress(cron, done, remaining, deactivate=False):
            progress.append((done, remaining))

        with (
            freeze_time(fields.Datetime.now() + timedelta(days=1)),
            patch.object(type(self.env["ir.cron"]), "_notify_progress", notify_progress),
        ):
            while count := Partner._cron_vertrieb_quality_recompute(batch_size=batch_size):
                calls += 1
                done += count
            tomorrow = fields.Date.context_today(Partner)
        self.assertEqual(done, all_count, "every partner is visited once per day")
        self.assertGreaterEqual(calls, 3)
        self.assertEqual(progress[0], (batch_size, all_count - batch_size))
        self.assertEqual(progress[-2][1], 0, "the last batch reports nothing remaining")
        self.assertEqual([r for _d, r in progress], sorted((r for _d, r in progress), reverse=True))
        self.env.invalidate_all()
        self.assertEqual(others[0].vertrieb_quality_score, expected_score, "the wrong score is corrected")
        self.assertEqual(others[0].vertrieb_quality_level, "poor" if expected_score < 50 else "fair")
        self.assertEqual(others[0].vertrieb_quality_date, tomorrow, "a changed score gets the day of the change")
        self.assertEqual(
            set((self.good | others[1:]).mapped("vertrieb_quality_date")),
            {fields.Date.to_date("2020-01-01")},
            "unchanged scores are not written",
        )
        # new weights change every score: the next day's pass writes them
        self.company.vertrieb_quality_weight_timeliness = 0
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            Partner._cron_vertrieb_quality_recompute(batch_size=100000)
        self.env.invalidate_all()
        self.assertEqual(self.good.vertrieb_quality_score, 100, "never verified no longer counts")

    def test_refresh_matches_orm_compute(self):
        """The cron's SQL path gives the same score and problem count as the ORM compute."""
        Partner = self.env["res.partner"]
        partners = self.good | Partner.create(
            [
                {"name": "Eva Lang", "parent_id": self.good.id, "phone": "+43 1 53114", "email": "kaputt@"},
                {"name": "Ohne Land", "phone": "12", "vat": "XX", "zip": "ABCDE"},
                {"type": "invoice", "parent_id": self.good.id, "street": "Postfach 10"},
                {
                    "name": "Wiener Holz GmbH",
                    "is_company": True,
                    "country_id": self.at.id,
                    "zip": "10115",
                    "vat": "DE136695976",
                    "bank_ids": [(0, 0, {"acc_number": "DE89370400440532013001"})],
                },
            ]
        )
        self.env.flush_all()
        expected = {p.id: (p.vertrieb_quality_score, p.vertrieb_quality_problem_count) for p in partners}
        self.env.cr.execute(
            "UPDATE res_partner SET vertrieb_quality_score = NULL, vertrieb_quality_problem_count = NULL "
            "WHERE id IN %s",
            [tuple(partners.ids)],
        )
        self.env.invalidate_all()
        # the stored data parts are reused: only uniqueness, timeliness and weights are applied
        self.assertEqual(partners._vertrieb_quality_refresh(), len(partners))
        found = {p.id: (p.vertrieb_quality_score, p.vertrieb_quality_problem_count) for p in partners}
        self.assertEqual(found, expected)
        self.assertEqual(partners._vertrieb_quality_refresh(), 0, "nothing changed: nothing written")
        self.assertEqual(partners._vertrieb_quality_refresh(full=True), 0, "the validators agree with the parts")
        # without stored parts the validators run on the values read by SQL
        parts = {p.id: p.vertrieb_quality_parts for p in partners}
        self.env.cr.execute(
            "UPDATE res_partner SET vertrieb_quality_parts = NULL, vertrieb_quality_score = NULL WHERE id IN %s",
            [tuple(partners.ids)],
        )
        self.env.invalidate_all()
        self.assertEqual(partners._vertrieb_quality_refresh(), len(partners))
        found = {p.id: (p.vertrieb_quality_score, p.vertrieb_quality_problem_count) for p in partners}
        self.assertEqual(found, expected)
        self.assertEqual({p.id: p.vertrieb_quality_parts for p in partners}, parts)
        # the verification ages without a write: the cheap path sees it
        with freeze_time(fields.Datetime.now() - timedelta(days=400)):
            self.good.action_vertrieb_verify()
            self.env.flush_all()
            self.assertEqual(self.good.vertrieb_quality_score, 100)
        self.assertEqual(self.good._vertrieb_quality_refresh(), 1)
        self.assertEqual(self.good.vertrieb_quality_score, 85)

    def test_weights(self):
        self.company.vertrieb_quality_weight_validity = 0
        self.company.vertrieb_quality_weight_consistency = 0
        self.company.vertrieb_quality_weight_uniqueness = 0
        self.company.vertrieb_quality_weight_timeliness = 0
        self.good.zip = False
        self.assertEqual(self.good.vertrieb_quality_score, round(100 * 5 / 6))
        with self.assertRaises(ValidationError):
            self.company.vertrieb_quality_weight_completeness = -1
        with self.assertRaises(ValidationError):
            self.company.vertrieb_quality_weight_completeness = 0

    def test_batch_compute_query_count(self):
        """The score compute does not run a query per partner."""
        Partner = self.env["res.partner"]
        few = Partner.create([{"name": f"Kunde {i}", "zip": "1234"} for i in range(3)])
        many = Partner.create([{"name": f"Kunde {i}", "zip": "1234"} for i in range(30)])
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=40) as counter_few:  # noqa: F841
            few._vertrieb_quality_recompute()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=40):
            many._vertrieb_quality_recompute()
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_partner SET vertrieb_quality_score = NULL WHERE id IN %s", [tuple(many.ids)])
        self.env.invalidate_all()
        # one SELECT, one duplicate count, one UPDATE, the settings: the same for 30 as for 3
        with self.assertQueryCount(__system__=10):
            many._vertrieb_quality_refresh()

    def test_settings_form(self):
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(self.company.vertrieb_invoice_address_guard, "warn", "default: post and warn")
        settings.vertrieb_invoice_address_guard = "block"
        settings.vertrieb_revenue_factor = 50
        settings.save().execute()
        self.assertEqual(self.company.vertrieb_invoice_address_guard, "block")
        self.assertEqual(self.company.vertrieb_revenue_factor, 50)

    @users("cv_sales1")
    def test_verify_as_salesperson(self):
        partner = self.env["res.partner"].create({"name": "Neukunde AG", "is_company": True})
        partner.action_vertrieb_verify()
        self.assertEqual(partner.vertrieb_verified_by_id, self.user_sales_1)


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityInvoiceGuard(VertriebCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.incomplete = cls.env["res.partner"].create({"name": "Unvollständig GmbH", "street": "Weg 1"})
        cls.customer.vat = False

    def _invoice(self, partner):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [(0, 0, {"name": "Beratung", "quantity": 1, "price_unit": 100.0})],
            }
        )

    def test_block(self):
        self.company.vertrieb_invoice_address_guard = "block"
        invoice = self._invoice(self.incomplete)
        self.assertEqual(invoice.vertrieb_address_missing, "ZIP code, city, country")
        with self.assertRaises(UserError) as err:
            invoice.with_user(self.user_accountant).action_post()
        self.assertIn("ZIP code, city, country missing", str(err.exception))
        self.assertIn("Unvollständig GmbH", str(err.exception))
        self.assertEqual(invoice.state, "draft")
        self.incomplete.write({"zip": "10115", "city": "Berlin", "country_id": self.env.ref("base.de").id})
        self.assertFalse(invoice.vertrieb_address_missing)
        invoice.with_user(self.user_accountant).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_invalid_zip_blocks(self):
        self.company.vertrieb_invoice_address_guard = "block"
        self.incomplete.write({"zip": "1011", "city": "Berlin", "country_id": self.env.ref("base.de").id})
        with self.assertRaisesRegex(UserError, "valid ZIP code"):
            self._invoice(self.incomplete).action_post()

    def test_warn_and_off(self):
        self.company.vertrieb_invoice_address_guard = "warn"
        invoice = self._invoice(self.incomplete)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertIn(
            "incomplete", invoice.message_ids[:3].mapped("body")[-1] + "".join(invoice.message_ids.mapped("body"))
        )
        self.company.vertrieb_invoice_address_guard = "off"
        other = self._invoice(self.incomplete)
        other.action_post()
        self.assertEqual(other.state, "posted")

    def test_vendor_bills_not_guarded(self):
        self.company.vertrieb_invoice_address_guard = "block"
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.incomplete.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [(0, 0, {"name": "Material", "quantity": 1, "price_unit": 50.0})],
            }
        )
        bill.action_post()
        self.assertEqual(bill.state, "posted")


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityRevenuePlausibility(VertriebCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.env["crm.lead"].create(
            [
                {
                    "name": f"Gewonnen {amount}",
                    "type": "opportunity",
                    "team_id": cls.team_1.id,
                    "expected_revenue": amount,
                    "stage_id": won.id,
                }
                for amount in (8000, 10000, 12000)
            ]
        )

    def test_implausible_revenue_needs_confirmation(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_1)
        with self.assertRaises(UserError) as err:
            Lead.create(
                {
                    "name": "Großauftrag",
                    "type": "opportunity",
                    "team_id": self.team_1.id,
                    "expected_revenue": 1_000_000_000,
                }
            )
        self.assertIn("100000 times the median", str(err.exception))
        lead = Lead.create(
            {"name": "Großauftrag", "type": "opportunity", "team_id": self.team_1.id, "expected_revenue": 900_000}
        )
        self.assertFalse(lead.vertrieb_revenue_warning, "90x the median is plausible")
        with self.assertRaises(UserError):
            lead.expected_revenue = 5_000_000
        lead.write({"expected_revenue": 5_000_000, "vertrieb_revenue_confirmed": True})
        self.assertEqual(lead.expected_revenue, 5_000_000)
        with self.assertRaises(UserError, msg="a new amount needs a new confirmation"):
            lead.expected_revenue = 6_000_000

    def test_form_shows_warning(self):
        form = Form(self.env["crm.lead"].with_context(default_type="opportunity"))
        form.name = "Tippfehler"
        form.team_id = self.team_1
        form.expected_revenue = 2_000_000
        self.assertIn("Revenue Confirmed", form.vertrieb_revenue_warning)
        form.vertrieb_revenue_confirmed = True
        self.assertFalse(form.vertrieb_revenue_warning)
        form.save()

    def test_kanban_quick_create(self):
        """The pipeline's quick create shows the same check and creates once the amount is confirmed."""
        Lead = (
            self.env["crm.lead"]
            .with_user(self.user_sales_1)
            .with_context(default_type="opportunity", default_team_id=self.team_1.id)
        )
        form = Form(Lead, view="crm.quick_create_opportunity_form")
        form.name = "Schnell erfasst"
        form.expected_revenue = 900_000
        self.assertFalse(form.vertrieb_revenue_warning, "a plausible amount: nothing to confirm")
        form.expected_revenue = 2_000_000
        self.assertIn("200 times the median", form.vertrieb_revenue_warning)
        with self.assertRaises(UserError, msg="still protected when not confirmed"):
            form.save()
        form.vertrieb_revenue_confirmed = True
        self.assertFalse(form.vertrieb_revenue_warning)
        lead = form.save()
        self.assertEqual(lead.expected_revenue, 2_000_000)
        self.assertTrue(lead.vertrieb_revenue_confirmed)
        arch = Lead.get_view(self.env.ref("crm.quick_create_opportunity_form").id)["arch"]
        self.assertIn('name="vertrieb_revenue_confirmed"', arch)

    def test_no_won_deals_no_check(self):
        lead = self.env["crm.lead"].create(
            {"name": "Nord", "type": "opportunity", "team_id": self.team_2.id, "expected_revenue": 10**9}
        )
        self.assertFalse(lead.vertrieb_revenue_warning)

    def test_context_key_does_not_skip(self):
        """Trust: the client controls the context; the former key no longer skips the check."""
        Lead = self.env["crm.lead"].with_user(self.user_sales_1).with_context(vertrieb_skip_revenue_check=True)
        with self.assertRaisesRegex(UserError, "times the median"):
            Lead.create(
                {
                    "name": "Großauftrag",
                    "type": "opportunity",
                    "team_id": self.team_1.id,
                    "expected_revenue": 1_000_000_000,
                }
            )
