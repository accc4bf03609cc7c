"""Acquisition process: moving many leads one step forward through the stage gates, and the
competitor and acquisition cost reports.

``acquisition_step_change_1000``: one ``write`` moving 1,000 complete leads from Research to
Identification in the pipeline "New Customer Acquisition" (gate check, step history, deadlines),
against the same write on 1,000 leads of a pipeline whose stages have no acquisition step.

``competitor_report_large``: the web client's pivot of the competitor analysis (won, lost, hit
rate, lost revenue per competitor, then per competitor and sales channel) as a sales manager, on
the dataset with its generated competitors (benchmarks/generate.py: about a third of the
opportunities meet one to three of 40 competitors, lost ones are lost to one of them), against
the plain SQL aggregate of the same figures.

``acquisition_cost_report_large``: the web client's pivot of the acquisition cost analysis (cost,
won customers, cost per won customer, revenue of the first 12 months, return on acquisition per
channel and per salesperson) and the costs per step, as a sales manager, with the generated costs
(one to three entries on a fifth of the opportunities), against the plain SQL sum of the costs per
channel.
"""

import time

from odoo.tools import SQL

from .foundation import _best
from .screens import _users

N_LEADS = {"small": 1000, "large": 1000, "xlarge": 1000}


def _research_values(env):
    industry = env["res.partner.industry"].search([], limit=1) or env["res.partner.industry"].create(
        {"name": "Bench Industrie"}
    )
    return {
        "vertrieb_target_group": "Mittelstand",
        "vertrieb_industry_id": industry.id,
        "vertrieb_territory": "DACH",
        "vertrieb_revenue_class": "medium",
        "vertrieb_channel_id": env.ref("crm_vertrieb.sales_channel_field").id,
    }


def _timed_write(env, leads, stage):
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    leads.write({"stage_id": stage.id})
    env.flush_all()
    return time.perf_counter() - start


def acquisition_step_change_1000(env, scale):
    count = N_LEADS.get(scale, 1000)
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    values = _research_values(env)
    team = env.ref("crm_vertrieb.team_acquisition")
    research = env.ref("crm_vertrieb.stage_acquisition_research")
    identification = env.ref("crm_vertrieb.stage_acquisition_identification")
    base_team = env["crm.team"].create({"name": "Bench pipeline without gates"})
    base_from = env["crm.stage"].create({"name": "Bench A", "team_id": base_team.id, "sequence": 900})
    base_to = env["crm.stage"].create({"name": "Bench B", "team_id": base_team.id, "sequence": 901})
    Lead = env["crm.lead"]
    ours = Lead.create(
        [
            dict(values, name=f"Bench acquisition {i}", type="opportunity", team_id=team.id, stage_id=research.id)
            for i in range(count)
        ]
    )
    baseline = Lead.create(
        [
            dict(values, name=f"Bench baseline {i}", type="opportunity", team_id=base_team.id, stage_id=base_from.id)
            for i in range(count)
        ]
    )
    baseline_seconds = _timed_write(env, baseline, base_to)
    ours_seconds = _timed_write(env, ours, identification)
    moved = Lead.search_count([("id", "in", ours.ids), ("stage_id", "=", identification.id)])
    history = env["vertrieb.lead.step.history"].search_count(
        [("lead_id", "in", ours.ids), ("step_id", "=", identification.vertrieb_step_id.id)]
    )
    assert moved == count and history == count, (moved, history)
    return {
        "name": "acquisition_step_change_1000",
        "ours": ours_seconds,
        "baseline": baseline_seconds,
        "leads": count,
    }


def competitor_report_large(env, scale):
    Report = env(user=_users(env)["manager"])["vertrieb.competitor.report"]
    measures = ["won_count:sum", "lost_count:sum", "lost_to_count:sum", "hit_rate:avg", "lost_revenue:sum"]
    domain = [("outcome", "in", ("won", "lost"))]

    def ours():
        by_competitor = Report.web_read_group(domain, measures, ["competitor_id"], lazy=False)
        by_channel = Report.web_read_group(domain, measures, ["competitor_id", "channel_id"], lazy=False)
        return by_competitor, by_channel

    def baseline():
        return env.execute_query(
            SQL(
                """
                WITH links AS (
                    SELECT lead_id, competitor_id FROM crm_lead_vertrieb_competitor_rel
                     UNION
                    SELECT id, vertrieb_lost_to_id FROM crm_lead WHERE vertrieb_lost_to_id IS NOT NULL
                )
                SELECT l.competitor_id, count(*) FILTER (WHERE lead.active AND stage.is_won),
                       count(*) FILTER (WHERE NOT lead.active AND lead.probability = 0)
                  FROM links l JOIN crm_lead lead ON lead.id = l.lead_id
                  LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                 WHERE lead.type = 'opportunity'
                 GROUP BY l.competitor_id
                """
            )
        )

    ours_s, (groups, _by_channel) = _best(ours, before=env.invalidate_all)
    base_s, rows = _best(baseline)
    ours_won = sorted((g["competitor_id"][0], g["won_count"], g["lost_count"]) for g in groups["groups"])
    base_won = sorted((cid, won, lost) for cid, won, lost in rows if won or lost)
    if ours_won != base_won:
        raise AssertionError("competitor_report_large: ORM and SQL figures differ")
    return {
        "name": "competitor_report_large",
        "ours": ours_s,
        "baseline": base_s,
        "competitors": len(groups["groups"]),
        "rows": Report.search_count([]),
        "scale": scale,
    }


def acquisition_cost_report_large(env, scale):
    manager = _users(env)["manager"]
    Report = env(user=manager)["vertrieb.acquisition.cost.report"]
    measures = ["cost:sum", "won_count:sum", "cost_per_won", "revenue_12m:sum", "return_on_cost"]

    def ours():
        by_channel = Report.web_read_group([], measures, ["channel_id"], lazy=False)
        by_user = Report.web_read_group([], measures, ["user_id"], lazy=False)
        by_step = env(user=manager)["vertrieb.acquisition.cost"].web_read_group(
            [], ["amount:sum"], ["step_id"], lazy=False
        )
        return by_channel, by_user, by_step

    def baseline():
        return env.execute_query(
            SQL(
                """
                SELECT lead.vertrieb_channel_id, sum(cost.amount)
                  FROM vertrieb_acquisition_cost cost JOIN crm_lead lead ON lead.id = cost.lead_id
                 WHERE lead.type = 'opportunity'
                 GROUP BY lead.vertrieb_channel_id
                """
            )
        )

    ours_s, (by_channel, _by_user, _by_step) = _best(ours, before=env.invalidate_all)
    base_s, rows = _best(baseline)
    ours_total = round(sum(g["cost"] or 0 for g in by_channel["groups"]), 2)
    base_total = round(float(sum(amount for _channel, amount in rows)), 2)
    if abs(ours_total - base_total) > 0.01:
        raise AssertionError(f"acquisition_cost_report_large: {ours_total} != {base_total}")
    return {
        "name": "acquisition_cost_report_large",
        "ours": ours_s,
        "baseline": base_s,
        "costs": env["vertrieb.acquisition.cost"].search_count([]),
        "cost_total": ours_total,
        "scale": scale,
    }


CASES = [acquisition_step_change_1000, competitor_report_large, acquisition_cost_report_large]
