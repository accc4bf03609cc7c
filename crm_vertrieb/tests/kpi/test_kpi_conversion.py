from odoo.tests import tagged

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiConversion(VertriebCommon):
    """Conversion per step on a team pipeline S1 -> S2 -> S3 -> Won (after the shared stages):
    lead A goes S1, S2, S3, Won (won); lead B goes S1, S2 and is lost; lead C stays in S1;
    lead D is created in S1 and jumps to S3 (S2 counts as passed).

    S1: 4 leads, 3 reached the next step (75 %); S2: 3 leads (A, B, D), 2 reached S3 (66.7 %);
    S3: 2 leads (A, D), 1 won (50 %). Hit rate won / (won + lost) at S1: 1 / 2 = 50 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        cls.s1, cls.s2, cls.s3, cls.won = (
            Stage.create({"name": "Recherche", "sequence": 1001, "team_id": cls.team_1.id}),
            Stage.create({"name": "Erstkontakt", "sequence": 1002, "team_id": cls.team_1.id}),
            Stage.create({"name": "Angebot", "sequence": 1003, "team_id": cls.team_1.id}),
            Stage.create({"name": "Auftrag", "sequence": 1004, "team_id": cls.team_1.id, "is_won": True}),
        )
        env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        Lead = env["crm.lead"]
        values = {
            "type": "opportunity",
            "team_id": cls.team_1.id,
            "user_id": cls.user_sales_1.id,
            "stage_id": cls.s1.id,
        }
        cls.lead_a, cls.lead_b, cls.lead_c, cls.lead_d = Lead.create(
            [dict(values, name=name) for name in ("A", "B", "C", "D")]
        )
        for stage in (cls.s2, cls.s3, cls.won):
            cls.lead_a.stage_id = stage
            env.flush_all()
        cls.lead_b.stage_id = cls.s2
        env.flush_all()
        cls.lead_b.action_set_lost()
        cls.lead_d.stage_id = cls.s3
        env.flush_all()

    def _by_stage(self, env=None):
        Conversion = (env or self.env)["vertrieb.kpi.conversion"]
        leads = self.lead_a | self.lead_b | self.lead_c | self.lead_d
        return {
            stage: (count, conv, hit)
            for stage, count, conv, hit in Conversion._read_group(
                [("lead_id", "in", leads.ids), ("stage_id", "in", (self.s1 | self.s2 | self.s3 | self.won).ids)],
                ["stage_id"],
                ["__count", "conversion_rate:avg", "hit_rate:avg"],
            )
        }

    def test_conversion_per_step(self):
        result = self._by_stage()
        self.assertEqual(result[self.s1][0], 4)
        self.assertAlmostEqual(result[self.s1][1], 75.0)
        self.assertAlmostEqual(result[self.s1][2], 50.0)
        self.assertEqual(result[self.s2][0], 3)
        self.assertAlmostEqual(result[self.s2][1], 200 / 3)
        self.assertEqual(result[self.s3][0], 2)
        self.assertAlmostEqual(result[self.s3][1], 50.0)
        self.assertAlmostEqual(result[self.s3][2], 100.0)
        self.assertEqual(result[self.won][0], 1)
        self.assertIs(result[self.won][1], False, "no step after the won stage")

    def test_days_in_stage_and_drill_down(self):
        rows = self.env["vertrieb.kpi.conversion"].search(
            [("lead_id", "=", self.lead_c.id), ("stage_id", "=", self.s1.id)]
        )
        self.assertEqual(len(rows), 1)
        self.assertGreaterEqual(rows.days_in_stage, 0)
        self.assertEqual(rows.outcome, "open")
        self.assertEqual(rows.action_open_document()["res_id"], self.lead_c.id)
        skipped = self.env["vertrieb.kpi.conversion"].search(
            [("lead_id", "=", self.lead_d.id), ("stage_id", "=", self.s2.id)]
        )
        self.assertTrue(skipped.reached_next)
        self.assertFalse(skipped.days_in_stage)

    def test_record_rules(self):
        self.assertEqual(self._by_stage(self.env(user=self.user_sales_1))[self.s1][0], 4)
        self.assertFalse(self._by_stage(self.env(user=self.user_sales_2)))
        self.assertEqual(self._by_stage(self.env(user=self.user_manager))[self.s1][0], 4)

    def test_offers_to_contracts(self):
        """Offers on A (won), B (lost) and C (open), none on D: 3 offers, 1 contract, 50 % of the
        decided ones; each lead counts once, whatever stages it passed."""
        offer_type = self.env.ref("crm_vertrieb.mail_activity_type_offer")
        for lead in (self.lead_a, self.lead_b, self.lead_c):
            activity = self.env["mail.activity"].create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": offer_type.id,
                    "user_id": self.user_sales_1.id,
                }
            )
            activity.with_user(self.user_sales_1).action_feedback(feedback="Angebot verschickt")
        leads = self.lead_a | self.lead_b | self.lead_c | self.lead_d
        [(offers, contracts, rate)] = self.env["vertrieb.kpi.conversion"]._read_group(
            [("lead_id", "in", leads.ids)], [], ["offer_count:sum", "contract_count:sum", "offer_contract_rate:avg"]
        )
        self.assertEqual((offers, contracts), (3, 1))
        self.assertAlmostEqual(rate, 50.0)
        offered = self.env["vertrieb.kpi.conversion"].search([("lead_id", "in", leads.ids), ("has_offer", "=", True)])
        self.assertEqual(offered.lead_id, self.lead_a | self.lead_b | self.lead_c)
