from unittest.mock import patch

import psycopg2

from odoo import models
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..common import VertriebCommon
from .test_kpi_aggregates import aggregate_differences


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
        self._offer(self.lead_a | self.lead_b | self.lead_c)
        leads = self.lead_a | self.lead_b | self.lead_c | self.lead_d
        [(offers, contracts, rate)] = self.env["vertrieb.kpi.conversion"]._read_group(
            [("lead_id", "in", leads.ids)], [], ["offer_count:sum", "contract_count:sum", "offer_contract_rate:avg"]
        )
        self.assertEqual((offers, contracts), (3, 1))
        self.assertAlmostEqual(rate, 50.0)
        offered = self.env["vertrieb.kpi.conversion"].search([("lead_id", "in", leads.ids), ("has_offer", "=", True)])
        self.assertEqual(offered.lead_id, self.lead_a | self.lead_b | self.lead_c)

    def _offer(self, leads):
        """An offer made (a done activity of the offer type) on each of ``leads``: the messages."""
        offer_type = self.env.ref("crm_vertrieb.mail_activity_type_offer")
        message_ids = []
        for lead in leads:
            activity = self.env["mail.activity"].create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": offer_type.id,
                    "user_id": self.user_sales_1.id,
                }
            )
            message_ids.append(activity.with_user(self.user_sales_1).action_feedback(feedback="Angebot verschickt"))
        return self.env["mail.message"].browse(message_ids)

    def _offer_flags(self):
        self.env.flush_all()
        self.env["vertrieb.kpi.conversion"].search([], limit=1)  # the rows of the leads marked are built
        return dict(
            self.env.execute_query(
                SQL(
                    "SELECT lead_id, bool_and(has_offer) FROM vertrieb_kpi_conversion_row"
                    " WHERE lead_id = ANY(%s) GROUP BY lead_id",
                    (self.lead_a | self.lead_b | self.lead_c | self.lead_d).ids,
                )
            )
        )

    def test_offers_follow_the_ledger(self):
        """Whether an offer was made on a lead is stored with its rows (and summed per step) and
        follows the ledger at once: an offer counted, its message deleted, a ledger emptied."""
        Stage = self.env["vertrieb.kpi.conversion.stage"]
        a, b, c, d = (lead.id for lead in (self.lead_a, self.lead_b, self.lead_c, self.lead_d))
        self.assertEqual(self._offer_flags(), {a: False, b: False, c: False, d: False})
        messages = self._offer(self.lead_a | self.lead_c)
        self.assertEqual(self._offer_flags(), {a: True, b: False, c: True, d: False})
        self.assertEqual(aggregate_differences(self.env, Stage._name, "vertrieb_kpi_conversion_row"), [])
        messages[0].unlink()
        self.assertEqual(self._offer_flags(), {a: False, b: False, c: True, d: False})
        self.assertEqual(self.env["vertrieb.kpi.conversion"]._vertrieb_conversion_refresh(), (0, 0))
        # a counted contact whose type changes (a reconciliation rewriting the ledger's rows)
        retype = "UPDATE vertrieb_kpi_contact_line SET contact_type = %s WHERE lead_id = %s AND contact_type = %s"
        self.env.execute_query(SQL(retype, "call", c, "offer"))
        self.assertEqual(self._offer_flags(), {a: False, b: False, c: False, d: False})
        self.env.execute_query(SQL(retype, "offer", c, "call"))
        self.assertEqual(self._offer_flags(), {a: False, b: False, c: True, d: False})
        self.assertEqual(aggregate_differences(self.env, Stage._name, "vertrieb_kpi_conversion_row"), [])
        self.env.execute_query(SQL("TRUNCATE vertrieb_kpi_contact_line"))
        self.assertEqual(self._offer_flags(), {a: False, b: False, c: False, d: False})
        self.assertEqual(aggregate_differences(self.env, Stage._name, "vertrieb_kpi_conversion_row"), [])
        self.assertEqual(self.env["vertrieb.kpi.conversion"]._vertrieb_conversion_refresh(), (0, 0))

    def test_sums_read_as_records_give_their_rates(self):
        """A row of the sums read as a record gives the averages of the report's rows it sums."""
        self._offer(self.lead_a | self.lead_b)
        Conversion = self.env["vertrieb.kpi.conversion"]
        measures = ["conversion_rate:avg", "hit_rate:avg", "days_in_stage:avg", "offer_contract_rate:avg"]
        sums = self.env["vertrieb.kpi.conversion.stage"].search([("stage_id", "in", (self.s1 | self.s2).ids)])
        self.assertTrue(sums)
        for row in sums:
            keys = ["stage_id", "is_first_stage", "user_id", "team_id", "company_id", "channel_id", "outcome"]
            domain = [(key, "=", row[key].id if key.endswith("_id") else row[key]) for key in keys]
            domain.append(("has_offer", "=", row.has_offer))
            [expected] = models.BaseModel._read_group(Conversion, domain, [], measures)
            rates = (row.conversion_rate, row.hit_rate, row.days_in_stage, row.offer_contract_rate)
            # the days as the field shows them (one decimal)
            expected = (expected[0], expected[1], round(expected[2] or 0.0, 1), expected[3])
            for rate, want in zip(rates, expected, strict=True):
                self.assertAlmostEqual(rate, want or 0.0, places=6, msg=f"{row.stage_id.name} {row.outcome}")

    def test_missing_offer_triggers_set_again(self):
        """Rows stored without the triggers (an update from 18.0.1.5, a ledger built anew) get
        their offers set when the triggers are made."""
        self._offer(self.lead_b)
        self._offer_flags()
        self.env.execute_query(SQL("DROP TRIGGER vertrieb_kpi_conversion_offers_insert ON vertrieb_kpi_contact_line"))
        self.env.execute_query(SQL("UPDATE vertrieb_kpi_conversion_row SET has_offer = NOT has_offer"))
        self.assertTrue(self.env["vertrieb.kpi.conversion"]._vertrieb_ensure_offer_triggers())
        a, b, c, d = (lead.id for lead in (self.lead_a, self.lead_b, self.lead_c, self.lead_d))
        self.assertEqual(self._offer_flags(), {a: False, b: True, c: False, d: False})
        self.assertFalse(self.env["vertrieb.kpi.conversion"]._vertrieb_ensure_offer_triggers())

    def _assert_groups_equal(self, groups, expected, keys, msg):
        """Grouped reads equal: the same groups, the same counts, averages to rounding."""
        groups = sorted(groups, key=lambda row: repr(row[:keys]))
        expected = sorted(expected, key=lambda row: repr(row[:keys]))
        self.assertEqual([row[:keys] for row in groups], [row[:keys] for row in expected], msg)
        for row, other in zip(groups, expected, strict=True):
            for value, want in zip(row[keys:], other[keys:], strict=True):
                if isinstance(want, float) and isinstance(value, float):
                    self.assertAlmostEqual(value, want, places=6, msg=msg)
                else:
                    self.assertEqual(value, want, msg)

    def test_groupings_read_the_sums_and_equal_the_rows(self):
        """The report's pivot and graph (by stage, salesperson, team, sales channel, outcome, offer
        made) read the sums per step; their groups equal those of the rows for every reader."""
        leader = new_test_user(self.env, "cv_leader", groups="sales_team.group_sale_salesman", name="Lea Leitung")
        self.team_1.user_id = leader
        self._offer(self.lead_a | self.lead_b | self.lead_c)
        self.env.execute_query(
            SQL(
                "UPDATE vertrieb_kpi_conversion_row SET open_since = now() AT TIME ZONE 'UTC' - interval '2 days'"
                " WHERE lead_id = %s AND open_since IS NOT NULL",
                self.lead_c.id,
            )
        )
        measures = [
            "__count",
            "conversion_rate:avg",
            "hit_rate:avg",
            "days_in_stage:avg",
            "offer_count:sum",
            "contract_count:sum",
            "offer_contract_rate:avg",
        ]
        team_or_channel = ["|", ("team_id", "=", self.team_1.id), ("channel_id", "!=", False)]
        cases = [
            ([], ["stage_id"], measures),
            ([("outcome", "=", "open")], ["user_id"], measures),
            ([("has_offer", "=", True)], ["outcome"], measures),
            ([("is_first_stage", "=", True)], [], ["hit_rate:avg", "__count"]),
            (team_or_channel, ["channel_id", "stage_id"], measures),
        ]
        Summary = type(self.env["vertrieb.kpi.conversion.stage"])
        seen = set()
        with patch.object(Summary, "_read_group", autospec=True, side_effect=Summary._read_group) as summary:
            for reader in (self.user_manager, self.user_sales_1, self.user_sales_2, leader):
                Conversion = self.env["vertrieb.kpi.conversion"].with_user(reader)
                for domain, groupby, aggregates in cases:
                    calls = summary.call_count
                    groups = Conversion._read_group(domain, groupby, aggregates)
                    self.assertEqual(summary.call_count, calls + 1, f"{reader.name}: {groupby} read the sums")
                    expected = models.BaseModel._read_group(Conversion, domain, groupby, aggregates)
                    self._assert_groups_equal(groups, expected, len(groupby), f"{reader.name}: {domain} by {groupby}")
                    seen.add(repr([row[: len(groupby) + 1] for row in groups]))
        self.assertGreater(len(seen), len(cases), "the readers see different groups")

    def test_other_groupings_read_the_rows(self):
        """By lead, customer or creation date, or another measure, the report reads its rows."""
        Summary = type(self.env["vertrieb.kpi.conversion.stage"])
        Conversion = self.env["vertrieb.kpi.conversion"].with_user(self.user_manager)
        cases = [
            ([("lead_id", "=", self.lead_a.id)], ["stage_id"], ["__count"]),
            ([], ["date:month"], ["__count"]),
            ([], ["stage_id"], ["days_in_stage:max"]),
            ([("reached_next", "=", True)], ["stage_id"], ["__count"]),
        ]
        with patch.object(Summary, "_read_group", autospec=True, side_effect=Summary._read_group) as summary:
            for domain, groupby, aggregates in cases:
                groups = Conversion._read_group(domain, groupby, aggregates)
                self.assertTrue(groups, f"{domain} by {groupby}")
                expected = models.BaseModel._read_group(Conversion, domain, groupby, aggregates)
                self.assertEqual(groups, expected)
            self.assertEqual(summary.call_count, 0)

    def test_cockpit_hit_rate_equals_the_view(self):
        """The cockpit's hit rate (won / decided leads, from the stored first-stage rows) equals
        the view's average hit rate of the first-stage rows for every reader: a manager, the
        salesperson of the leads, another salesperson, and a salesperson leading the team."""
        leader = new_test_user(self.env, "cv_leader", groups="sales_team.group_sale_salesman", name="Lea Leitung")
        self.team_1.user_id = leader
        seen = set()
        for user in (self.env.user, self.user_manager, self.user_sales_1, self.user_sales_2, leader):
            Conversion = self.env["vertrieb.kpi.conversion"].with_user(user)
            # the report's rows themselves (its own grouped read would read the same sums)
            [(view_first,)] = models.BaseModel._read_group(
                Conversion, [("is_first_stage", "=", True)], [], ["hit_rate:avg"]
            )
            ours = self.env["vertrieb.kpi.conversion.stage"].with_user(user)._vertrieb_hit_rate()
            cockpit = self.env["vertrieb.kpi.target"].with_user(user).get_cockpit_data()["hit_rate"]
            if view_first in (None, False):
                self.assertIsNone(ours, user.name)
                self.assertIsNone(cockpit, user.name)
            else:
                self.assertAlmostEqual(ours, view_first, msg=user.name)
                self.assertEqual(cockpit, round(view_first), user.name)
            seen.add(ours)
        self.assertGreater(len(seen), 1, "the readers see different leads")

    def test_stage_sums_follow_the_rows(self):
        """The rows summed per stage (what the cockpit reads) stay equal to the stored rows when
        leads move, are decided or deleted and when the pipeline changes."""
        Stage = self.env["vertrieb.kpi.conversion.stage"]

        def differences():
            Stage.search_count([])  # a read rebuilds the rows marked in this transaction
            return aggregate_differences(self.env, Stage._name, "vertrieb_kpi_conversion_row")

        self.assertEqual(differences(), [])
        [(leads,)] = Stage._read_group([("stage_id", "=", self.s1.id)], [], ["row_count:sum"])
        self.assertEqual(leads, 4)
        self.lead_c.stage_id = self.s2
        self.assertEqual(differences(), [])
        self.lead_c.action_set_lost()
        self.assertEqual(differences(), [])
        self.lead_b.unlink()
        self.assertEqual(differences(), [])
        self.s2.sequence = 1010
        self.assertEqual(differences(), [])
        [(leads,)] = Stage._read_group([("stage_id", "=", self.s1.id)], [], ["row_count:sum"])
        self.assertEqual(leads, 3)

    def test_cockpit_stage_rates_equal_the_view(self):
        """The cockpit's conversion and hit rate per step, read from the sums, equal the report's
        averages for every reader (their record rules apply to the sums as to the rows)."""
        leader = new_test_user(self.env, "cv_leader", groups="sales_team.group_sale_salesman", name="Lea Leitung")
        self.team_1.user_id = leader
        stages = self.s1 | self.s2 | self.s3 | self.won
        seen = set()
        for user in (self.user_manager, self.user_sales_1, self.user_sales_2, leader):
            trend = self.env["vertrieb.kpi.target"].with_user(user).get_cockpit_trend([], team_id=self.team_1.id)
            ours = {
                step["stage_id"]: (step["conversion"], step["hit_rate"])
                for step in trend["pipeline_stages"]
                if step["stage_id"] in stages.ids
            }
            view = {
                stage.id: tuple(None if value in (None, False) else round(value) for value in (conversion, hit))
                for stage, conversion, hit in models.BaseModel._read_group(
                    self.env["vertrieb.kpi.conversion"].with_user(user),
                    [("stage_id", "in", stages.ids)],
                    ["stage_id"],
                    ["conversion_rate:avg", "hit_rate:avg"],
                )
            }
            self.assertEqual(ours, {stage.id: view.get(stage.id, (None, None)) for stage in stages}, user.name)
            seen.add(tuple(sorted(ours.items())))
        self.assertEqual(len(seen), 2, "the salesperson of the leads, their leader and the manager see them")

    def _rebuild_changes(self):
        """What a full rebuild of the stored rows would still change (nothing when in step)."""
        Conversion = self.env["vertrieb.kpi.conversion"]
        Conversion.search([], limit=1)  # reading the report rebuilds the rows marked so far
        self.env.cr.flush()  # the stage tracking, written at commit, and the rows it marks
        return Conversion._vertrieb_conversion_refresh()

    def _stored(self, lead):
        return {
            stage: (reached, outcome)
            for stage, reached, outcome in self.env.execute_query(
                SQL(
                    "SELECT stage_id, reached_next, outcome FROM vertrieb_kpi_conversion_row"
                    " WHERE lead_id = %s AND stage_id = ANY(%s)",
                    lead.id,
                    (self.s1 | self.s2 | self.s3 | self.won).ids,
                )
            )
        }

    def test_rows_stored_and_kept_in_step(self):
        """The report reads stored rows; every change of a lead, of its stage history or of the
        pipeline is in them before the report is read, and a full rebuild then changes nothing."""
        self.assertEqual(self._rebuild_changes(), (0, 0))
        self.assertEqual(
            self._stored(self.lead_d),
            {self.s1.id: (True, "open"), self.s2.id: (True, "open"), self.s3.id: (False, "open")},
        )
        # a salesperson moves a lead on and wins another: stored with the tracking of the move
        env = self.env(user=self.user_sales_1, context=dict(self.env.context, tracking_disable=False))
        env["crm.lead"].browse(self.lead_c.id).stage_id = self.s2
        env["crm.lead"].browse(self.lead_d.id).action_set_won()
        new = env["crm.lead"].create({"name": "E", "type": "opportunity", "team_id": self.team_1.id})
        self.assertEqual(self._rebuild_changes(), (0, 0))
        self.assertEqual(self._stored(self.lead_c), {self.s1.id: (True, "open"), self.s2.id: (False, "open")})
        self.assertEqual(self._stored(self.lead_d)[self.won.id], (False, "won"))
        self.assertTrue(
            self.env.execute_query(SQL("SELECT 1 FROM vertrieb_kpi_conversion_row WHERE lead_id = %s", new.id))
        )
        # the pipeline changes: S3 before S2 (D went S1 -> S3 -> Won: S2 still passed; C now stops
        # after S1 with S3 not reached)
        self.s3.sequence = 1001
        self.assertFalse(self._stored(self.lead_c)[self.s2.id][0])
        self.assertEqual(self._rebuild_changes(), (0, 0))
        # a stage of the team deleted, a lead deleted: their rows go with them
        self.lead_b.unlink()
        self.s3.unlink()
        self.assertFalse(self._stored(self.lead_b))
        self.assertNotIn(self.s3.id, self._stored(self.lead_a))
        self.assertEqual(self._rebuild_changes(), (0, 0))

    def test_days_in_open_stage_count_until_now(self):
        """The days in the stage an open lead is still in are not stored: they grow until now."""
        self.env["vertrieb.kpi.conversion"].search([], limit=1)  # the rows of the leads built
        self.env.execute_query(
            SQL(
                "UPDATE vertrieb_kpi_conversion_row SET open_since = now() AT TIME ZONE 'UTC' - interval '3 days'"
                " WHERE lead_id = %s AND stage_id = %s",
                self.lead_c.id,
                self.s1.id,
            )
        )
        self.env.invalidate_all()
        row = self.env["vertrieb.kpi.conversion"].search(
            [("lead_id", "=", self.lead_c.id), ("stage_id", "=", self.s1.id)]
        )
        self.assertAlmostEqual(row.days_in_stage, 3.0, delta=0.1)

    def test_cockpit_is_read_only(self):
        """The cockpit is marked read-only (served by a replica when one is configured) and runs in
        a read-only transaction, where PostgreSQL refuses any write."""
        Target = self.env["vertrieb.kpi.target"]
        self.assertTrue(getattr(type(Target).get_cockpit_data, "_readonly", False))
        for user in (self.user_manager, self.user_sales_1):
            self.env.flush_all()
            # what the commit of the writing request does before any read-only request can start
            self.env["vertrieb.kpi.conversion"].sudo()._vertrieb_conversion_apply()
            savepoint = self.env.cr.savepoint(flush=False)
            try:
                self.env.cr.execute("SET TRANSACTION READ ONLY")
                data = Target.with_user(user).get_cockpit_data()
                self.assertIn("rows", data)
                self.assertIn("hit_rate", data)
                with mute_logger("odoo.sql_db"), self.assertRaisesRegex(psycopg2.Error, "read-only transaction"):
                    self.env.cr.execute("UPDATE crm_lead SET name = name WHERE id = %s", [self.lead_a.id])
            finally:
                savepoint.close(rollback=True)
                self.env.invalidate_all()
