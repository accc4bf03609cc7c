# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from collections import defaultdict
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL, date_utils

from .common import VertriebKpiCommon


def aggregate_differences(env, model, source):
    """The groups where the sums stored for ``model`` differ from the rows of ``source`` summed
    now (empty when the database kept them in step)."""
    Model = env[model]
    keys = [name for name in ("date", "stage_id", "is_first_stage", "contact_type") if name in Model._fields]
    keys += ["user_id", "team_id", "company_id"]
    measures = (
        {"contact_count": "COUNT(*)"}
        if "contact_count" in Model._fields
        else {
            "row_count": "COUNT(*)",
            "conversion_count": "COUNT(conversion_rate)",
            "conversion_sum": "COALESCE(SUM(conversion_rate), 0)",
            "hit_count": "COUNT(hit_rate)",
            "hit_sum": "COALESCE(SUM(hit_rate), 0)",
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
            for user, day, count in (
                self.env["vertrieb.kpi.contact"]
                .with_user(reader)
                ._read_group(
                    [("source", "!=", "target"), ("user_id", "in", users.ids), ("date", ">=", week_from)],
                    ["user_id", "date:day"],
                    ["contact_count:sum"],
                )
            ):
                expected[(user.id, date_utils.start_of(day, "week"))] += count
            starts = [fields.Date.to_date(week_from) + timedelta(weeks=w) for w in range(len(trend["weeks"]))]
            actual = {row["user_id"]: row["actual"] for row in trend["trend"]}
            for user in users:
                self.assertEqual(actual[user.id], [expected[(user.id, start)] for start in starts], reader.name)
            seen.add(tuple(sum(actual[user.id]) for user in users))
        self.assertGreater(len(seen), 2, "the readers see different contacts")
