"""Complaint benchmarks: the SLA report (ISO 10002 times, share within SLA, cost) over 20,000 complaints.

ours: the ORM aggregate behind the pivot (``_read_group`` on stored, computed measures).
baseline: the same figures with one plain SQL aggregate.
"""

from odoo.tools import SQL

from benchmarks.bench import time_call

N_COMPLAINTS = 20_000


def _ensure_complaints(env, count):
    """Bulk-insert ``count`` resolved/open complaints (inside the rolled-back transaction)."""
    company = env.company
    partner = env["res.partner"].search([("is_company", "=", True)], limit=1) or env["res.partner"].create(
        {"name": "Benchmark Kunde GmbH", "is_company": True}
    )
    categories = env["vertrieb.complaint.category"].search([]).ids or [
        env["vertrieb.complaint.category"].create({"name": "Benchmark"}).id
    ]
    stages = env["vertrieb.complaint.stage"].search([])
    open_stage = stages.filtered(lambda s: not s.is_closed)[:1] or stages[:1]
    closed_stage = stages.filtered(lambda s: s.is_closed and not s.is_rejected)[:1] or stages[-1:]
    env["vertrieb.complaint"].flush_model()
    env.execute_query(
        SQL(
            """
            INSERT INTO vertrieb_complaint (
                name, title, complaint_type, severity, channel, company_id, partner_id, currency_id,
                category_id, stage_id, is_closed, is_rejected, active, date_received, date_acknowledged,
                date_resolved, ack_deadline, resolve_deadline, ack_hours, resolve_hours, ack_sla_met,
                resolve_sla_met, sla_met_rate, credited_amount, claimed_amount, accepted_amount,
                create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || g, 'Benchmark ' || g,
                   CASE WHEN mod(g, 3) = 0 THEN 'complaint' ELSE 'claim' END, (mod(g, 4))::varchar, 'email',
                   %(company)s, %(partner)s, %(currency)s,
                   (%(categories)s::int[])[1 + mod(g, %(ncat)s)],
                   CASE WHEN mod(g, 5) = 0 THEN %(open_stage)s ELSE %(closed_stage)s END,
                   mod(g, 5) <> 0, false, true,
                   d.received, d.received + make_interval(hours => mod(g, 30)),
                   CASE WHEN mod(g, 5) = 0 THEN NULL ELSE d.received + make_interval(hours => 24 + mod(g, 300)) END,
                   d.received + interval '24 hours', d.received + interval '240 hours',
                   mod(g, 30), CASE WHEN mod(g, 5) = 0 THEN 0 ELSE 24 + mod(g, 300) END,
                   mod(g, 30) <= 24, mod(g, 5) <> 0 AND 24 + mod(g, 300) <= 240,
                   CASE WHEN mod(g, 30) <= 24 AND mod(g, 5) <> 0 AND 24 + mod(g, 300) <= 240 THEN 100 ELSE 0 END,
                   CASE WHEN mod(g, 7) = 0 THEN (mod(g, 500)) ELSE 0 END, mod(g, 1000), mod(g, 500),
                   1, 1, now(), now()
              FROM generate_series(1, %(count)s) AS g,
                   LATERAL (SELECT now() - make_interval(days => mod(g, 700)) AS received) AS d
            """,
            company=company.id,
            partner=partner.id,
            currency=company.currency_id.id,
            categories=categories,
            ncat=len(categories),
            open_stage=open_stage.id,
            closed_stage=closed_stage.id,
            count=count,
        )
    )
    env["vertrieb.complaint"].invalidate_model()


def complaint_sla_report_20k(env, scale):
    _ensure_complaints(env, N_COMPLAINTS)
    Complaint = env["vertrieb.complaint"]
    domain = [("date_resolved", "!=", False)]
    aggregates = ["__count", "ack_hours:avg", "resolve_hours:avg", "sla_met_rate:avg", "credited_amount:sum"]

    def ours():
        Complaint.invalidate_model()
        return Complaint._read_group(domain, ["category_id"], aggregates)

    def baseline():
        return env.execute_query(
            SQL(
                """
                SELECT category_id, count(*), avg(ack_hours), avg(resolve_hours), avg(sla_met_rate),
                       sum(credited_amount)
                  FROM vertrieb_complaint
                 WHERE date_resolved IS NOT NULL AND active
              GROUP BY category_id
                """
            )
        )

    ours_s, ours_rows = time_call(ours, repeat=5)
    base_s, base_rows = time_call(baseline, repeat=5)
    ours_total = sum(row[1] for row in ours_rows)
    base_total = sum(row[1] for row in base_rows)
    return {
        "name": "complaint_sla_report_20k",
        "ours": ours_s,
        "baseline": base_s,
        "groups": len(ours_rows),
        "rows": ours_total,
        "same_result": ours_total == base_total,
    }


CASES = [complaint_sla_report_20k]
