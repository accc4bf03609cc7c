"""Benchmarks of the customer care rhythm (issue #14).

``care_refresh_100k`` recomputes the rhythm fields of all customers after a full ledger rebuild;
``care_due_list_large`` opens the work list (Kundenpflege) as the web client does, for a
salesperson and for a manager. Both use the customers with invoices of ``cases/kpi.py`` (added by
bulk SQL when the dataset holds fewer) and add one done call per customer to the ledger's sources;
everything is rolled back with the case.
"""

import time

from odoo.tools import SQL

from benchmarks.cases.kpi import _ensure_customers, _salespeople, _timed

SIZES = {
    "small": {"customers": 5_000, "salespeople": 10},
    "large": {"customers": 100_000, "salespeople": 50},
}


def _prepare(env, scale):
    """Customers with a salesperson, an ABC class (customer value recompute) and a done call each
    (a ``mail.message`` of the call type on the partner, 0-199 days ago), the ledger rebuilt."""
    size = SIZES[scale]
    customers = _ensure_customers(env, size)
    users = _salespeople(env, size["salespeople"])
    env.flush_all()
    env.execute_query(
        SQL(
            """
            UPDATE res_partner p SET user_id = (%(users)s::int[])[1 + mod(p.id, %(n)s)], customer_rank = 1
             WHERE p.id IN (SELECT DISTINCT commercial_partner_id FROM account_move WHERE state = 'posted')
               AND p.user_id IS NULL
            """,
            users=users.ids,
            n=len(users),
        )
    )
    call = env.ref("mail.mail_activity_data_call").id
    subtype = env.ref("mail.mt_activities").id
    env.execute_query(
        SQL(
            """
            INSERT INTO mail_message (model, res_id, author_id, mail_activity_type_id, subtype_id,
                                      message_type, date, create_date, write_date, body)
            SELECT 'res.partner', p.id, u.partner_id, %(call)s, %(subtype)s, 'notification',
                   now() AT TIME ZONE 'UTC' - mod(p.id, 200) * interval '1 day',
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', ''
              FROM res_partner p JOIN res_users u ON u.id = p.user_id
             WHERE p.customer_rank > 0 AND p.commercial_partner_id = p.id
            """,
            call=call,
            subtype=subtype,
        )
    )
    env.execute_query(SQL("ANALYZE mail_message; ANALYZE res_partner"))
    env.invalidate_all()
    env["res.partner"]._vertrieb_recompute_customer_value()
    return customers, users


def care_refresh_100k(env, scale):
    """Ours: the full refresh of the rhythm table (fresh values of every customer into a temporary
    table, batched upserts) when every stored row is stale; baseline: one SQL aggregate giving the
    same last-contact and due dates (without planning, churn, territory, nor writing). Extra:
    ``rebuild_s`` the full ledger rebuild (with its refresh hook), ``rerun`` a refresh with nothing
    changed."""
    customers, _users = _prepare(env, scale)
    Line = env["vertrieb.kpi.contact.line"]
    Care = env["vertrieb.customer.care"]
    env.execute_query(SQL("TRUNCATE vertrieb_kpi_contact_line"))
    rebuild_s, _res = _timed(Line._vertrieb_sync, repeat=1)
    env.execute_query(SQL("ANALYZE vertrieb_kpi_contact_line; ANALYZE vertrieb_customer_care"))
    # every stored row stale: the refresh rewrites all customers
    env.execute_query(SQL("UPDATE vertrieb_customer_care SET last_contact_date = NULL, next_contact_due = NULL"))
    Care.invalidate_model()
    start = time.perf_counter()
    refreshed = Care._vertrieb_refresh()
    ours_s = time.perf_counter() - start
    rerun_s, _rerun = _timed(Care._vertrieb_refresh, repeat=1)
    company = env.company

    def baseline():
        return env.execute_query(
            SQL(
                """
                SELECT cp.commercial_partner_id, MAX(l.date),
                       MAX(l.date) + CASE v.abc_class WHEN 'a' THEN %(a)s WHEN 'b' THEN %(b)s
                                                      WHEN 'c' THEN %(c)s END
                  FROM vertrieb_kpi_contact_line l
                  JOIN res_partner cp ON cp.id = l.partner_id
                  LEFT JOIN vertrieb_customer_value v
                         ON v.partner_id = cp.commercial_partner_id AND v.company_id = %(company)s
                 GROUP BY cp.commercial_partner_id, v.abc_class
                """,
                a=company.vertrieb_care_interval_a,
                b=company.vertrieb_care_interval_b,
                c=company.vertrieb_care_interval_c,
                company=company.id,
            )
        )

    base_s, base_rows = _timed(baseline)
    stored = dict(
        env.execute_query(
            SQL("SELECT partner_id, next_contact_due FROM vertrieb_customer_care WHERE last_contact_date IS NOT NULL")
        )
    )
    mismatches = sum(1 for partner, _last, due in base_rows if due and stored.get(partner) != due)
    return {
        "name": "care_refresh_100k",
        "ours": ours_s,
        "baseline": base_s,
        "customers": customers,
        "refreshed": refreshed,
        "baseline_rows": len(base_rows),
        "mismatches": mismatches,
        "rebuild_s": round(rebuild_s, 2),
        "rerun": round(rerun_s, 2),
    }


def care_due_list_large(env, scale):
    """Opening the work list as the web client does (``web_search_read`` of the first 80 due rows
    with the list's fields and the count), for a salesperson and for a manager; ``ours`` is the
    slower of the two; baseline the same rows by one SQL query."""
    _customers, users = _prepare(env, scale)
    env["vertrieb.customer.care"]._vertrieb_refresh()
    env.flush_all()
    manager = env.ref("base.user_admin")
    # a salesperson under the record rule "own customers and led team" (not the admin, who is
    # among the first users of the salesman group and reads everything)
    salesperson = users.filtered(lambda u: not u.has_group("sales_team.group_sale_salesman_all_leads"))[:1]
    today = time.strftime("%Y-%m-%d")
    domain = [
        ("care_allowed", "=", True),
        ("contact_interval", ">", 0),
        ("next_contact_due", "<=", today),
    ]
    spec = {
        name: {}
        for name in (
            "partner_id",
            "abc_class",
            "zip",
            "city",
            "phone",
            "user_id",
            "last_contact_date",
            "contact_interval",
            "next_contact_due",
            "days_overdue",
            "next_planned_date",
            "is_overdue",
        )
    }
    spec["partner_id"] = {"fields": {"display_name": {}}}
    spec["user_id"] = {"fields": {"display_name": {}}}

    def open_list(user):
        Care = env["vertrieb.customer.care"].with_user(user)
        Care.invalidate_model()
        env["res.partner"].invalidate_model()
        return Care.web_search_read(domain, spec, limit=80, count_limit=10001)

    sales_s, sales_res = _timed(lambda: open_list(salesperson))
    manager_s, manager_res = _timed(lambda: open_list(manager))

    def baseline():
        return env.execute_query(
            SQL(
                """
                SELECT c.id, p.name, c.abc_class, p.zip, p.city, c.last_contact_date, c.next_contact_due
                  FROM vertrieb_customer_care c JOIN res_partner p ON p.id = c.partner_id
                 WHERE c.care_allowed AND c.contact_interval > 0 AND c.next_contact_due <= %s
                 ORDER BY c.abc_class, c.next_contact_due, c.id LIMIT 80
                """,
                today,
            )
        )

    base_s, _rows = _timed(baseline)
    return {
        "name": "care_due_list_large",
        "ours": max(sales_s, manager_s),
        "baseline": base_s,
        "salesperson_s": round(sales_s, 3),
        "manager_s": round(manager_s, 3),
        "salesperson_due": sales_res["length"],
        "manager_due": manager_res["length"],
    }


CASES = [care_refresh_100k, care_due_list_large]
