"""Foundation cases: prove the harness end to end on the generated dataset."""

import time
from datetime import datetime, timedelta

from odoo.tools import SQL


def _best(func, repeat=3, before=None):
    best, value = None, None
    for _i in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        value = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, value


def lead_groupby_channel(env, scale):
    """Leads of the last year by sales channel and salesperson: ORM _read_group vs plain SQL."""
    since = datetime.now() - timedelta(days=365)
    Lead = env["crm.lead"]

    def ours():
        return Lead._read_group(
            [("create_date", ">=", since)],
            ["vertrieb_channel_id", "user_id"],
            ["__count", "expected_revenue:sum"],
        )

    def baseline():
        return env.execute_query(
            SQL(
                """
            SELECT vertrieb_channel_id, user_id, count(*), sum(expected_revenue)
              FROM crm_lead
             WHERE active AND create_date >= %s
             GROUP BY vertrieb_channel_id, user_id
            """,
                since,
            )
        )

    ours_s, groups = _best(ours, before=env.invalidate_all)
    base_s, rows = _best(baseline)
    if sorted(count for *_keys, count, _rev in groups) != sorted(count for *_keys, count, _rev in rows):
        raise AssertionError("lead_groupby_channel: ORM and SQL counts differ")
    return {
        "name": "lead_groupby_channel",
        "ours": ours_s,
        "baseline": base_s,
        "groups": len(groups),
        "leads": sum(row[2] for row in rows),
    }


CASES = [lead_groupby_channel]
