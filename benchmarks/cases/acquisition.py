"""Acquisition process: moving many leads one step forward through the stage gates.

``acquisition_step_change_1000``: one ``write`` moving 1,000 complete leads from Research to
Identification in the pipeline "New Customer Acquisition" (gate check, step history, deadlines),
against the same write on 1,000 leads of a pipeline whose stages have no acquisition step.
"""

import time

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


CASES = [acquisition_step_change_1000]
