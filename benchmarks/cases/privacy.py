"""Benchmarks of the data-protection feature (issue #7).

- ``anonymise_10k``: the retention cron anonymising 10,000 erased partners whose retention ended
  (target <= 60 s); baseline: a plain ORM write of the same anonymised values on 10,000 other partners.
- ``purpose_filter_100k``: the recipients of a mailing over 100,000 partners filtered by the
  email-marketing purpose, against the same recipient computation without the filter (target ratio
  <= 1.3, bounded number of queries).

Each case creates the rows it needs by cloning one partner in SQL (the runner rolls back).
"""

import time
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL


def _clone_partners(env, count, prefix, extra_sets=None):
    """Insert ``count`` copies of a fresh partner with one SQL statement; return their recordset."""
    Partner = env["res.partner"].with_context(tracking_disable=True)
    template = Partner.create({"name": "Vorlage", "email": "vorlage@example.com", "street": "Weg 1", "city": "Ulm"})
    env.flush_all()
    columns = [
        row[0]
        for row in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner' "
                "AND column_name NOT IN ('id', 'name', 'email', 'email_normalized', 'complete_name')"
            )
        )
    ]
    cols = SQL(", ").join(SQL.identifier(col) for col in columns)
    rows = env.execute_query(
        SQL(
            """INSERT INTO res_partner (name, email, email_normalized, complete_name, %(cols)s)
               SELECT %(prefix)s || n, %(prefix)s || n || '@example.com', lower(%(prefix)s) || n || '@example.com',
                      %(prefix)s || n, %(cols)s
                 FROM res_partner, generate_series(1, %(count)s) AS n
                WHERE res_partner.id = %(template)s
            RETURNING id""",
            cols=cols,
            prefix=prefix,
            count=count,
            template=template.id,
        )
    )
    ids = [row[0] for row in rows]
    env.execute_query(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", ids))
    if extra_sets:
        env.execute_query(SQL("UPDATE res_partner SET %s WHERE id = ANY(%s)", extra_sets, ids))
    env.invalidate_all()
    return Partner.browse(ids)


def anonymise_10k(env, scale):
    count = 10000
    past = fields.Date.today() - timedelta(days=1)
    restricted = SQL(
        "vertrieb_privacy_restricted = TRUE, vertrieb_restriction_kind = 'retention', "
        "vertrieb_erasure_state = 'restricted', vertrieb_retention_until = %s",
        past,
    )
    ours_partners = _clone_partners(env, count, "Anon", restricted)
    baseline_partners = _clone_partners(env, count, "Base")
    env.flush_all()
    start = time.perf_counter()
    baseline_partners.with_context(tracking_disable=True).write(
        {"name": "Anonymised contact", "email": False, "street": False, "city": False, "active": False}
    )
    env.flush_all()
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    env["res.partner"]._cron_vertrieb_privacy_retention(batch_size=1000, commit=False)
    env.flush_all()
    ours = time.perf_counter() - start
    done = (
        env["res.partner"]
        .with_context(active_test=False)
        .search_count([("id", "in", ours_partners.ids), ("vertrieb_erasure_state", "=", "anonymised")])
    )
    return {"name": "anonymise_10k", "ours": ours, "baseline": baseline, "anonymised": done, "target_s": 60}


def purpose_filter_100k(env, scale):
    count = 100000
    partners = _clone_partners(env, count, "Empf")
    purpose = env.ref("crm_vertrieb.privacy_purpose_email_marketing")
    env.flush_all()
    env.execute_query(
        SQL(
            """INSERT INTO vertrieb_privacy_consent (partner_id, purpose_id, company_id, state, legal_basis,
                       consent_date, channel, consent_text, recorded_by_id, create_date, write_date)
               SELECT id, %(purpose)s, %(company)s, CASE WHEN mod(id, 10) = 0 THEN 'withdrawn' ELSE 'granted' END, 'a',
                      now(), 'web_form', 'Ja', %(uid)s, now(), now()
                 FROM res_partner WHERE id = ANY(%(ids)s) AND mod(id, 3) = 0""",
            purpose=purpose.id,
            company=env.company.id,
            uid=env.uid,
            ids=partners.ids,
        )
    )
    env.invalidate_all()
    domain = [("id", ">=", partners[0].id), ("email", "!=", False)]
    Partner = env["res.partner"]
    if "mailing.mailing" in env:
        mailing = env["mailing.mailing"].create(
            {
                "subject": "Bench",
                "body_html": "<p>x</p>",
                "mailing_model_id": env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr(domain),
            }
        )
        mailing_domain = mailing._parse_mailing_domain()

        def baseline_call():
            return Partner.search(mailing_domain).ids

        def ours_call():
            return mailing._get_recipients()
    else:

        def baseline_call():
            return Partner.search(domain).ids

        def ours_call():
            return Partner.search(domain + Partner._vertrieb_purpose_domain("email_marketing")).ids

    def timed(func):
        best, result, queries = None, None, 0
        for _i in range(3):
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            result = func()
            elapsed = time.perf_counter() - start
            queries = env.cr.sql_log_count - before
            best = elapsed if best is None else min(best, elapsed)
        return best, result, queries

    baseline, all_ids, _q = timed(baseline_call)
    ours, allowed_ids, queries = timed(ours_call)
    return {
        "name": "purpose_filter_100k",
        "ours": ours,
        "baseline": baseline,
        "recipients": len(all_ids),
        "allowed": len(allowed_ids),
        "queries": queries,
    }


CASES = [anonymise_10k, purpose_filter_100k]
