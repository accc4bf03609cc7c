"""Benchmarks of the activity-rate KPIs and the customer value / ABC recompute (issue #4).

Both cases use the base dataset of benchmarks/generate.py (done activities as ``mail.message``
rows with ``mail_activity_type_id``, authored by the salespeople's partners; posted customer
invoices). When the dataset holds fewer rows than the case needs, the case adds the missing rows
itself with bulk SQL inside its rolled-back transaction.
"""

import resource
import time

from odoo.tools import SQL

SIZES = {
    "small": {"activities": 50_000, "salespeople": 50, "customers": 5_000},
    "large": {"activities": 1_000_000, "salespeople": 50, "customers": 100_000},
    "xlarge": {"activities": 10_000_000, "salespeople": 100, "customers": 1_000_000},
}


def _timed(func, repeat=3):
    best, value = None, None
    for _i in range(repeat):
        start = time.perf_counter()
        value = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, value


def _salespeople(env, count):
    users = env["res.users"].search(
        [("share", "=", False), ("groups_id", "in", env.ref("sales_team.group_sale_salesman").id)],
        limit=count,
        order="id",
    )
    missing = count - len(users)
    if missing > 0:
        users |= (
            env["res.users"]
            .with_context(no_reset_password=True, mail_create_nolog=True)
            .create(
                [
                    {
                        "name": f"Bench Verkauf {i}",
                        "login": f"bench_kpi_sales_{i}",
                        "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
                    }
                    for i in range(missing)
                ]
            )
        )
    return users


def _ensure_activities(env, size):
    """At least ``size['activities']`` done activities on leads, by ``size['salespeople']`` users."""
    env.flush_all()
    [(existing,)] = env.execute_query(
        SQL(
            "SELECT COUNT(*) FROM mail_message WHERE mail_activity_type_id IS NOT NULL"
            " AND model IN ('crm.lead', 'res.partner')"
        )
    )
    missing = size["activities"] - existing
    if missing <= 0:
        return existing
    users = _salespeople(env, size["salespeople"])
    types = [
        env.ref(xmlid).id
        for xmlid in (
            "mail.mail_activity_data_call",
            "mail.mail_activity_data_meeting",
            "mail.mail_activity_data_email",
            "crm_vertrieb.mail_activity_type_offer",
        )
    ]
    subtype = env.ref("mail.mt_activities").id
    leads = env["crm.lead"].create([{"name": f"Bench-Lead {i}", "type": "opportunity"} for i in range(500)])
    env.flush_all()
    env.execute_query(
        SQL(
            """
            INSERT INTO mail_message (model, res_id, author_id, mail_activity_type_id, subtype_id,
                                      message_type, date, create_date, write_date, body)
            SELECT 'crm.lead', (%(leads)s::int[])[1 + mod(g, %(nleads)s)],
                   (%(authors)s::int[])[1 + mod(g / 7, %(nauthors)s)],
                   (%(types)s::int[])[1 + mod(g, 4)], %(subtype)s, 'notification',
                   now() AT TIME ZONE 'UTC' - mod(g, 365) * interval '1 day',
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', ''
              FROM generate_series(1, %(missing)s) g
            """,
            leads=leads.ids,
            nleads=len(leads),
            authors=users.partner_id.ids,
            nauthors=len(users),
            types=types,
            subtype=subtype,
            missing=missing,
        )
    )
    env.execute_query(SQL("ANALYZE mail_message"))
    return size["activities"]


def kpi_activity_rate_week(env, scale):
    """Weekly activity rate per salesperson and contact type over all done activities: ours is
    the ``vertrieb.kpi.contact`` report (all three sources: activities, meetings, emails, read from
    the stored contact ledger) read with ``_read_group``, what a user waits for; the baseline a
    hand-written aggregate over the done activities in ``mail_message`` only.

    The rows added by raw SQL bypass the ledger hooks: the ledger is built before timing. Extra
    figures: ``build_s`` builds the ledger from empty (as at install), ``reconcile_s`` the nightly
    reconciliation of the built ledger (nothing left to change)."""
    size = SIZES[scale]
    activities = _ensure_activities(env, size)
    Contact = env["vertrieb.kpi.contact"]
    Line = env["vertrieb.kpi.contact.line"]
    # the full reconciliation brings the ledger in step with the rows inserted above
    reconcile_s, (rec_deleted, rec_inserted) = _timed(Line._vertrieb_sync, repeat=1)
    if rec_deleted or rec_inserted:
        env.execute_query(SQL("ANALYZE vertrieb_kpi_contact_line"))

    def ours():
        Contact.invalidate_model()
        return Contact._read_group(
            [("source", "!=", "target")], ["user_id", "date:week", "contact_type"], ["contact_count:sum"]
        )

    def baseline():
        return env.execute_query(
            SQL(
                """
                SELECT u.user_id, date_trunc('week', m.date::date), t.vertrieb_contact_type, COUNT(*)
                  FROM mail_message m
                  JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                  JOIN (SELECT DISTINCT ON (partner_id) partner_id, id AS user_id
                          FROM res_users WHERE share IS NOT TRUE ORDER BY partner_id, id) u
                    ON u.partner_id = m.author_id
                 WHERE m.mail_activity_type_id IS NOT NULL AND m.model IN ('crm.lead', 'res.partner')
                   AND t.vertrieb_contact_type IS NOT NULL
                 GROUP BY 1, 2, 3
                """
            )
        )

    ours_s, ours_rows = _timed(ours)
    base_s, base_rows = _timed(baseline)
    # building the ledger from empty, as at install (rolled back with the case)
    env.execute_query(SQL("TRUNCATE vertrieb_kpi_contact_line"))
    build_s, (_deleted, built) = _timed(Line._vertrieb_sync, repeat=1)
    total_ours = sum(count for *_g, count in ours_rows)
    total_base = sum(row[3] for row in base_rows)
    return {
        "name": "kpi_activity_rate_week",
        "ours": ours_s,
        "baseline": base_s,
        "activities": activities,
        "groups": len(ours_rows),
        "contacts_ours": total_ours,
        "contacts_baseline": total_base,
        "ledger_rows": built,
        "build_s": round(build_s, 2),
        "reconcile_s": round(reconcile_s, 2),
        "reconcile_changes": rec_deleted + rec_inserted,
    }


def _ensure_customers(env, size):
    """At least ``size['customers']`` commercial partners with posted customer invoices."""
    env.flush_all()
    [(existing,)] = env.execute_query(
        SQL(
            "SELECT COUNT(DISTINCT commercial_partner_id) FROM account_move"
            " WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')"
        )
    )
    missing = size["customers"] - existing
    if missing <= 0:
        return existing
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    account = journal.default_account_id
    env.execute_query(
        SQL(
            """
            WITH partners AS (
                INSERT INTO res_partner (name, is_company, active, autopost_bills, create_date, write_date)
                SELECT 'Bench-Kunde ' || g, TRUE, TRUE, 'ask', now(), now()
                  FROM generate_series(1, %(missing)s) g
                RETURNING id
            ), fix AS (
                UPDATE res_partner p SET commercial_partner_id = p.id FROM partners n WHERE p.id = n.id
            ), moves AS (
                -- two invoices per customer (one older than a year) and a credit note for every tenth
                INSERT INTO account_move (move_type, state, date, invoice_date, journal_id, currency_id,
                                          company_id, partner_id, commercial_partner_id, auto_post, name)
                SELECT CASE WHEN k = 3 THEN 'out_refund' ELSE 'out_invoice' END, 'posted',
                       CURRENT_DATE - (k * 200 + mod(n.id, 150)), CURRENT_DATE - (k * 200 + mod(n.id, 150)),
                       %(journal)s, %(currency)s, %(company)s, n.id, n.id, 'no', 'BENCH/' || n.id || '/' || k
                  FROM partners n CROSS JOIN generate_series(1, 3) k
                 WHERE k < 3 OR mod(n.id, 10) = 0
                RETURNING id, move_type, partner_id
            )
            INSERT INTO account_move_line (move_id, display_type, account_id, company_id, journal_id,
                                           currency_id, company_currency_id, partner_id, parent_state,
                                           balance, debit, credit, amount_currency, quantity, date)
            SELECT m.id, 'product', %(account)s, %(company)s, %(journal)s, %(currency)s, %(currency)s,
                   m.partner_id, 'posted', s.balance, GREATEST(s.balance, 0), GREATEST(-s.balance, 0),
                   s.balance, 1, CURRENT_DATE
              FROM moves m
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN m.move_type = 'out_refund' THEN 1 ELSE -1 END
                         * (10 + mod(m.partner_id::bigint * 7919, 5000))::numeric AS balance
              ) s
            """,
            missing=missing,
            journal=journal.id,
            currency=company.currency_id.id,
            company=company.id,
            account=account.id,
        )
    )
    env.execute_query(SQL("ANALYZE account_move; ANALYZE account_move_line; ANALYZE res_partner"))
    env.invalidate_all()
    return size["customers"]


def abc_recompute_100k(env, scale):
    """Customer value (12 months, lifetime) and ABC class of all customers: ours is the full
    recompute (aggregate, then batched upserts with progress) when every customer's values
    changed; the baseline one SQL aggregate producing the same numbers without writing them.

    Also reported: ``first_run`` (customers valued for the first time: their value rows are
    created and each partner is linked to its row once, the only write into res_partner) and
    ``rerun`` (nothing changed, nothing written)."""
    size = SIZES[scale]
    customers = _ensure_customers(env, size)
    Partner = env["res.partner"]
    Value = env["vertrieb.customer.value"]
    query = Partner._vertrieb_customer_value_query()
    first_s, _first = _timed(Partner._vertrieb_recompute_customer_value, repeat=1)
    # every stored value stale: the recompute rewrites all customers, like a run after a
    # change of the thresholds
    env.execute_query(
        SQL("UPDATE vertrieb_customer_value SET revenue_12m = NULL, revenue_total = NULL, abc_class = NULL")
    )
    Value.invalidate_model()
    base_s, base_rows = _timed(lambda: env.execute_query(query), repeat=1)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    updated = Partner._vertrieb_recompute_customer_value()
    ours_s = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rerun_s, _rerun = _timed(Partner._vertrieb_recompute_customer_value, repeat=1)
    [(classified,)] = env.execute_query(SQL("SELECT COUNT(*) FROM vertrieb_customer_value WHERE abc_class IS NOT NULL"))
    # the ORM sees the values on the partners (related fields), grouped like the partner list
    groups = dict(Partner._read_group([("vertrieb_abc_class", "!=", False)], ["vertrieb_abc_class"], ["__count"]))
    return {
        "name": "abc_recompute_100k",
        "ours": ours_s,
        "baseline": base_s,
        "customers": customers,
        "updated": updated,
        "baseline_rows": len(base_rows),
        "classified": classified,
        "orm_classified": sum(groups.values()),
        "first_run": round(first_s, 2),
        "rerun": round(rerun_s, 4),
        "peak_rss_mb": round(max(rss_before, rss_after) / 1024),
    }


CASES = [kpi_activity_rate_week, abc_recompute_100k]
