# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from collections import defaultdict
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, models
from odoo.tests import tagged
from odoo.tools import SQL, date_utils

from .common import VertriebKpiCommon


def aggregate_differences(env, model, source):
    """The groups where the sums stored for ``model`` differ from the rows of ``source`` summed
    now (empty when the database kept them in step)."""
    Model = env[model]
    keys = [
        name
        for name in ("date", "stage_id", "is_first_stage", "contact_type", "channel_id", "outcome", "has_offer")
        if name in Model._fields
    ]
    keys += ["user_id", "team_id", "company_id"]
    days = "FILTER (WHERE NOT is_won_stage)"
    offers = "FILTER (WHERE is_first_stage AND has_offer"
    measures = (
        {"contact_count": "COUNT(*)"}
        if "contact_count" in Model._fields
        else {
            "row_count": "COUNT(*)",
            "conversion_count": "COUNT(conversion_rate)",
            "conversion_sum": "COALESCE(SUM(conversion_rate), 0)",
            "hit_count": "COUNT(hit_rate)",
            "hit_sum": "COALESCE(SUM(hit_rate), 0)",
            "days_count": f"COUNT(days_done) {days}",
            "days_sum": f"COALESCE(SUM(days_done::numeric) {days}, 0)",
            "open_count": f"COUNT(open_since) {days}",
            "open_since_sum": f"COALESCE(SUM(date_part('epoch', open_since)::numeric) {days}, 0)",
            "offer_count": f"COUNT(*) {offers})",
            "contract_count": f"COUNT(*) {offers} AND outcome = 'won')",
            "offer_decided_count": f"COUNT(*) {offers} AND outcome IN ('won', 'lost'))",
        }
    )
    key_list = SQL(", ").join(SQL.identifier(key) for key in keys)
    summed = SQL(
        "SELECT %s, %s FROM %s GROUP BY %s",
        key_list,
        SQL(", ").join(SQL(expr) for expr in measures.values()),
        SQL.identifier(source),
        key_list,
    )
    stored = SQL(
        "SELECT %s, %s FROM %s",
        key_list,
        SQL(", ").join(SQL.identifier(name) for name in measures),
        SQL.identifier(Model._table),
    )
    # EXCEPT compares NULL keys as equal (a salesperson without a team is a group of its own)
    return env.execute_query(SQL("(%s EXCEPT ALL %s) UNION ALL (%s EXCEPT ALL %s)", summed, stored, stored, summed))


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiContactDay(VertriebKpiCommon):
    """The ledger summed per day (what the cockpit reads) stays equal to the ledger whatever
    changes it: the hooks' syncs, a foreign key's cascade, a reconciliation, an emptied table."""

    def _assert_in_step(self):
        self.env.flush_all()
        self.assertEqual(aggregate_differences(self.env, "vertrieb.kpi.contact.day", "vertrieb_kpi_contact_line"), [])

    def test_sums_follow_the_ledger(self):
        Day = self.env["vertrieb.kpi.contact.day"]
        self.assertTrue(Day.search_count([]))
        self._assert_in_step()
        [(before,)] = Day._read_group([("user_id", "=", self.user_sales_2.id)], [], ["contact_count:sum"])
        message_id = self._done_activity(self.lead_2, self.type_call, self.user_sales_2, self.user_sales_2, 4)
        self._assert_in_step()
        [(after,)] = Day._read_group([("user_id", "=", self.user_sales_2.id)], [], ["contact_count:sum"])
        self.assertEqual(after, before + 1)
        # a message deleted: its ledger row goes by cascade, the sum with it
        self.env["mail.message"].browse(message_id).unlink()
        self._assert_in_step()
        # a salesperson changing teams: their rows move to the other team's sums
        self.env["crm.team.member"].search([("user_id", "=", self.user_sales_2.id)]).unlink()
        self.env["crm.team.member"].create({"user_id": self.user_sales_2.id, "crm_team_id": self.team_1.id})
        self._assert_in_step()
        self.assertEqual(set(Day.search([("user_id", "=", self.user_sales_2.id)]).team_id), {self.team_1})
        # a lead deleted: its contacts go by cascade
        self.lead_1.unlink()
        self._assert_in_step()
        # an emptied ledger rebuilt by the reconciliation
        self.env.execute_query(SQL("TRUNCATE vertrieb_kpi_contact_line"))
        self.assertFalse(Day.search_count([]))
        self.env["vertrieb.kpi.contact.line"]._vertrieb_sync()
        self._assert_in_step()
        self.assertTrue(Day.search_count([]))

    def test_rebuilt_when_the_triggers_are_missing(self):
        """A ledger table built anew (its triggers gone) gets its sums summed again on update."""
        self.env.execute_query(SQL("DROP TRIGGER vertrieb_kpi_contact_day_delete ON vertrieb_kpi_contact_line"))
        self.env.execute_query(SQL("DELETE FROM vertrieb_kpi_contact_line WHERE user_id = %s", self.user_sales_1.id))
        self.assertTrue(aggregate_differences(self.env, "vertrieb.kpi.contact.day", "vertrieb_kpi_contact_line"))
        self.env["vertrieb.kpi.contact.day"]._vertrieb_ensure_aggregate()
        self._assert_in_step()
        [(triggers,)] = self.env.execute_query(
            SQL("SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'vertrieb_kpi_contact_day_%%'")
        )
        self.assertEqual(triggers, 4)

    def test_cockpit_counts_equal_the_report(self):
        """The cockpit's weekly trend, read from the sums, equals the activity-rate report for
        every reader: a manager, each salesperson (own contacts only) and a team leader."""
        users = self.user_sales_1 | self.user_sales_2 | self.user_manager
        seen = set()
        for reader in (self.user_manager, self.user_sales_1, self.user_sales_2, self.user_leader_2):
            trend = self.env["vertrieb.kpi.target"].with_user(reader).get_cockpit_trend(users.ids)
            week_from = trend["week_from"]
            expected = defaultdict(int)
            # the report's rows themselves (its own grouped read would read the same sums)
            for user, day, count in models.BaseModel._read_group(
                self.env["vertrieb.kpi.contact"].with_user(reader),
                [("source", "!=", "target"), ("user_id", "in", users.ids), ("date", ">=", week_from)],
                ["user_id", "date:day"],
                ["contact_count:sum"],
            ):
                expected[(user.id, date_utils.start_of(day, "week"))] += count
            starts = [fields.Date.to_date(week_from) + timedelta(weeks=w) for w in range(len(trend["weeks"]))]
            actual = {row["user_id"]: row["actual"] for row in trend["trend"]}
            for user in users:
                self.assertEqual(actual[user.id], [expected[(user.id, start)] for start in starts], reader.name)
            seen.add(tuple(sum(actual[user.id]) for user in users))
        self.assertGreater(len(seen), 2, "the readers see different contacts")


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiContactReportSums(VertriebKpiCommon):
    """The activity-rate report's pivot and graph read the sums per day (with the targets) when
    they group and filter only by what the sums keep; the groups are those of the report's rows,
    for every reader, and any other grouped read still reads the rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Target = cls.env["vertrieb.kpi.target"]
        for user, kpi, value in (
            (cls.user_sales_1, "contacts", 6),
            (cls.user_sales_1, "contacts_call", 3),
            (cls.user_sales_2, "contacts", 4),
            (cls.user_manager, "offers", 2),
        ):
            Target.create(
                {"user_id": user.id, "kpi": kpi, "period": "week", "date_from": cls.week_start, "target_value": value}
            )
        # a team target (no salesperson) of team 2, and a contact of sales 2 in another month
        team_target = {
            "scope": "team",
            "team_id": cls.team_2.id,
            "kpi": "contacts",
            "period": "week",
            "target_value": 9,
        }
        Target.create(dict(team_target, date_from=cls.week_start))
        cls._done_activity(cls.lead_2, cls.type_call, cls.user_sales_2, cls.user_sales_2, -40)

    def _from_rows(self, reader, domain, groupby, aggregates, order=None):
        """The grouped read over the report's rows themselves (Odoo's own ``_read_group``)."""
        Contact = self.env["vertrieb.kpi.contact"].with_user(reader)
        return models.BaseModel._read_group(Contact, domain, groupby, aggregates, order=order)

    def test_groupings_read_the_sums_and_equal_the_rows(self):
        Summary = type(self.env["vertrieb.kpi.contact.summary"])
        readers = (self.user_manager, self.user_sales_1, self.user_sales_2, self.user_leader_2)
        cases = [
            ([], ["user_id", "date:week"], ["__count", "contact_count:sum", "target_value:sum"], None),
            ([("source", "!=", "target")], ["date:week", "contact_type"], ["contact_count:sum"], None),
            ([("source", "=", "target")], ["team_id"], ["__count", "target_value:sum"], "__count desc, team_id"),
            ([("date", ">=", self.week_start), ("user_id.name", "ilike", "a")], ["date:month"], ["__count"], None),
            (["|", ("contact_type", "=", "call"), ("team_id", "=", False)], [], ["contact_count:sum"], None),
            ([("source", "not in", ["target"]), ("company_id", "!=", False)], ["company_id"], ["__count"], None),
        ]
        seen = set()
        with patch.object(Summary, "_read_group", autospec=True, side_effect=Summary._read_group) as summary:
            for reader in readers:
                for domain, groupby, aggregates, order in cases:
                    Contact = self.env["vertrieb.kpi.contact"].with_user(reader)
                    calls = summary.call_count
                    groups = Contact._read_group(domain, groupby, aggregates, order=order)
                    self.assertEqual(summary.call_count, calls + 1, f"{reader.name}: {groupby} read the sums")
                    expected = self._from_rows(reader, domain, groupby, aggregates, order=order)
                    if order is None:
                        groups, expected = sorted(groups, key=repr), sorted(expected, key=repr)
                    self.assertEqual(groups, expected, f"{reader.name}: {domain} by {groupby}")
                    seen.add(repr(groups))
        self.assertGreater(len(seen), len(cases) * 2, "the readers see different groups")

    def test_pivot_counts_and_targets(self):
        """The pivot's request (``read_group``, lazy) by salesperson: contacts, targets, count."""
        Contact = self.env["vertrieb.kpi.contact"].with_user(self.user_sales_1)
        groups = Contact.read_group(
            [("date", ">=", self.week_start), ("date", "<=", self.week_end)],
            ["contact_count:sum", "target_value:sum"],
            ["user_id"],
        )
        self.assertEqual(
            [(g["user_id"][0], g["contact_count"], g["target_value"], g["user_id_count"]) for g in groups],
            [(self.user_sales_1.id, 6, 9.0, 8)],
        )

    def test_other_groupings_read_the_rows(self):
        """What the sums do not keep (activity type, customer, kind of contact, another measure,
        a ``having``) is read from the report's rows."""
        Summary = type(self.env["vertrieb.kpi.contact.summary"])
        cases = [
            ([], ["activity_type_id"], ["__count"], ()),
            ([("partner_id", "=", self.customer.id)], ["user_id"], ["contact_count:sum"], ()),
            ([("source", "=", "activity")], ["user_id"], ["__count"], ()),
            ([], ["source"], ["__count"], ()),
            ([], ["user_id"], ["contact_count:max"], ()),
            ([], ["user_id"], ["__count"], [("__count", ">", 1)]),
            ([("date_done", ">=", self._at(0))], ["user_id"], ["__count"], ()),
        ]
        with patch.object(Summary, "_read_group", autospec=True, side_effect=Summary._read_group) as summary:
            for domain, groupby, aggregates, having in cases:
                Contact = self.env["vertrieb.kpi.contact"].with_user(self.user_manager)
                groups = Contact._read_group(domain, groupby, aggregates, having=having)
                expected = models.BaseModel._read_group(Contact, domain, groupby, aggregates, having=having)
                self.assertEqual(sorted(groups, key=repr), sorted(expected, key=repr), f"{domain} by {groupby}")
                self.assertTrue(groups, f"{domain} by {groupby}")
            self.assertEqual(summary.call_count, 0)

    def test_rebuilt_sums_keep_the_report(self):
        """Building the sums table anew (a new layout, missing triggers) makes the view on it again."""
        self.env["vertrieb.kpi.contact.day"]._vertrieb_ensure_aggregate()
        self.env.execute_query(SQL("DROP TRIGGER vertrieb_kpi_contact_day_update ON vertrieb_kpi_contact_line"))
        self.assertTrue(self.env["vertrieb.kpi.contact.day"]._vertrieb_ensure_aggregate())
        Contact = self.env["vertrieb.kpi.contact"].with_user(self.user_manager)
        self.assertEqual(
            sorted(Contact._read_group([], ["user_id"], ["__count"]), key=repr),
            sorted(self._from_rows(self.user_manager, [], ["user_id"], ["__count"]), key=repr),
        )
