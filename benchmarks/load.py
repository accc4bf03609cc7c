"""Load harness (issue #13): many users at once on a multi-process Odoo, over JSON-RPC.

``benchmarks/load`` (``make load``) prepares the benchmark database, then this script:

1. prepares users: ``--salespeople`` bench salespeople and ``--managers`` sales managers get the
   password ``bench`` (managers ``bench_manager_NN`` are created once); each salesperson's open
   opportunities are read once;
2. starts Odoo with ``--workers`` on 127.0.0.1 (loopback only; with ``--replica-port`` also
   ``--db_replica_host/--db_replica_port``);
3. logs everybody in over JSON-RPC and, for ``--duration`` seconds, lets salespeople log calls
   (activity created and marked done), send e-mails to customers (``message_post``), move leads a
   stage and create complaints, and managers open the cockpit and the activity-rate, sales and
   conversion reports (the calls the web client makes); a salesperson waits ``--think`` seconds
   between two saves (default 2-6; 0.2-1.0 is a stress test); with ``--warmup`` seconds first
   whose timings are not counted (the freshly forked workers fill their caches; default 20);
4. prints one line per action ``LOAD <action> n= errors= refused= p50_ms= p95_ms= max_ms=``
   (``refused``: a business rule said no with a message, e.g. a stage gate; ``errors``: anything
   else, including a serialization failure that reached the client), then checks that nothing
   was lost: the contact ledger and the conversion report's rows equal a full rebuild, every
   created record exists exactly once.

Never part of the tests; the timing figures are printed, not asserted.
"""

import argparse
import datetime
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from dateutil.relativedelta import relativedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
PASSWORD = "bench"


class Client:
    """One logged-in browser session (JSON-RPC over HTTP)."""

    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.session = requests.Session()
        self.uid = None

    def rpc(self, path, params):
        response = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": random.randint(1, 10**9), "params": params},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RpcError(body["error"])
        return body["result"]

    def authenticate(self):
        result = self.rpc("/web/session/authenticate", {"db": self.db, "login": self.login, "password": PASSWORD})
        self.uid = result["uid"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")

    @property
    def refused(self):
        """A business rule refused the action with a message for the user (not a failure)."""
        return self.name.endswith(("UserError", "ValidationError", "AccessError", "RedirectWarning"))


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        # timings of actions started before this moment (perf_counter) are not counted: the first
        # requests a freshly forked worker serves fill its caches (errors always count)
        self.counted_from = 0.0
        self.warm_up = 0
        self.times = {}
        self.errors = {}
        self.refused = {}
        self.samples = {}
        self.refusals = {}

    def add(self, action, seconds=None, error=None, started=None):
        with self.lock:
            self.times.setdefault(action, [])
            self.errors.setdefault(action, 0)
            self.refused.setdefault(action, 0)
            if error is None and started is not None and started < self.counted_from:
                self.warm_up += 1
            elif error is None:
                self.times[action].append(seconds * 1000)
            elif isinstance(error, RpcError) and error.refused:
                self.refused[action] += 1
                self.refusals.setdefault(action, str(error)[:300])
            else:
                self.errors[action] += 1
                self.samples.setdefault(action, str(error)[:300])

    def lines(self):
        for action in sorted(self.times):
            values = sorted(self.times[action])
            n = len(values)
            p50 = statistics.median(values) if values else 0
            p95 = values[min(n - 1, int(0.95 * n))] if values else 0
            peak = values[-1] if values else 0
            yield (
                f"LOAD {action} n={n} errors={self.errors[action]} refused={self.refused[action]}"
                f" p50_ms={p50:.0f} p95_ms={p95:.0f} max_ms={peak:.0f}"
            )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(registry, args):
    """Passwords, managers, each salesperson's open opportunities, the stages, a few ids."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
        sales = Users.search([("login", "=like", "bench_sales_%")], order="login", limit=args.salespeople)
        if len(sales) < args.salespeople:
            raise SystemExit(f"only {len(sales)} bench salespeople in the database (generate it first)")
        managers = Users.browse()
        manager_group = env.ref("sales_team.group_sale_manager")
        for i in range(1, args.managers + 1):
            login = f"bench_manager_{i:02d}"
            manager = Users.search([("login", "=", login)]) or Users.create(
                {"name": f"Bench Vertriebsleitung {i}", "login": login, "groups_id": [(6, 0, [manager_group.id])]}
            )
            managers |= manager
        (sales | managers).write({"password": PASSWORD})
        # salespeople only read complaints (access matrix, #12): the ones taking a customer's
        # complaint on the phone here also record complaints (complaint officer group); without it
        # every creation was refused with an access error
        sales.write({"groups_id": [(4, env.ref("crm_vertrieb.group_complaint_user").id)]})
        leads = {}
        for user in sales:
            leads[user.login] = list(
                env.execute_query(
                    SQL(
                        """SELECT l.id, l.partner_id, l.stage_id FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
                            WHERE l.user_id = %s AND l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
                              AND l.partner_id IS NOT NULL
                            ORDER BY l.id LIMIT 200""",
                        user.id,
                    )
                )
            )
        stages = [stage.id for stage in env["crm.stage"].search([("team_id", "=", False)], order="sequence, id")]
        info = {
            "sales": sales.mapped("login"),
            "managers": managers.mapped("login"),
            "leads": leads,
            "stages": stages,
            "lead_model": env["ir.model"]._get_id("crm.lead"),
            "call_type": env.ref("mail.mail_activity_data_call").id,
        }
        cr.commit()
    return info


def start_server(args, port):
    command = [
        sys.executable,
        str(Path(odoo.__file__).resolve().parent.parent / "odoo-bin"),
        f"--addons-path={odoo.tools.config['addons_path']}",
        f"--db_host={odoo.tools.config['db_host']}",
        f"--db_port={odoo.tools.config['db_port']}",
        f"--db_user={odoo.tools.config['db_user']}",
        f"--data-dir={odoo.tools.config['data_dir']}",
        f"--database={args.db}",
        f"--db-filter=^{args.db}$",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        "--limit-time-real=600",
        "--limit-time-cpu=300",
        "--limit-memory-soft=2147483648",
        "--limit-memory-hard=2684354560",
        "--log-level=warn",
        f"--logfile={args.logfile}",
    ]
    if odoo.tools.config.get("db_password"):
        command.append(f"--db_password={odoo.tools.config['db_password']}")
    if args.replica_port:
        command += [f"--db_replica_host={args.replica_host}", f"--db_replica_port={args.replica_port}"]
    process = subprocess.Popen(command, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _i in range(240):
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code < 500:
                return process, url
        except requests.RequestException:
            pass
        if process.poll() is not None:
            raise SystemExit(f"Odoo stopped while starting (log: {args.logfile})")
        time.sleep(0.5)
    raise SystemExit(f"Odoo did not answer on {url} (log: {args.logfile})")


def timed(stats, action, func):
    start = time.perf_counter()
    try:
        func()
    except Exception as error:
        stats.add(action, error=error)
        return
    stats.add(action, time.perf_counter() - start, started=start)


def salesperson(client, info, stats, created, deadline, run_id, think):
    rng = random.Random(client.login)
    think = [float(value) for value in think.split("-")]
    leads = info["leads"][client.login]
    stages = info["stages"]
    while time.time() < deadline and leads:
        lead_id, partner_id, stage_id = rng.choice(leads)
        token = f"{run_id}-{uuid.uuid4().hex[:12]}"
        action = rng.choices(["log_call", "send_email", "move_stage", "create_complaint"], [45, 25, 20, 10])[0]
        if action == "log_call":

            def log_call(lead_id=lead_id, token=token):
                activity_id = client.call(
                    "mail.activity",
                    "create",
                    {
                        "res_model_id": info["lead_model"],
                        "res_id": lead_id,
                        "activity_type_id": info["call_type"],
                        "summary": "Nachfassen",
                        "user_id": client.uid,
                    },
                )
                client.call("mail.activity", "action_feedback", [activity_id], feedback=f"Anruf {token}")
                created.append(("call", token))

            timed(stats, action, log_call)
        elif action == "send_email":

            def send_email(lead_id=lead_id, partner_id=partner_id, token=token):
                client.call(
                    "crm.lead",
                    "message_post",
                    [lead_id],
                    body=f"<p>Ihr Angebot {token}</p>",
                    subject="Ihr Angebot",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=[partner_id],
                )
                created.append(("email", token))

            timed(stats, action, send_email)
        elif action == "move_stage":
            position = stages.index(stage_id) if stage_id in stages else 0
            target = stages[min(position + 1, len(stages) - 1)] if rng.random() < 0.7 else stages[max(position - 1, 0)]
            timed(
                stats,
                action,
                lambda lead_id=lead_id, target=target: client.call(
                    "crm.lead", "write", [lead_id], {"stage_id": target}
                ),
            )
        else:

            def create_complaint(partner_id=partner_id, token=token):
                client.call(
                    "vertrieb.complaint",
                    "create",
                    {"title": f"Lieferung beschädigt {token}", "partner_id": partner_id, "complaint_type": "claim"},
                )
                created.append(("complaint", token))

            timed(stats, action, create_complaint)
        time.sleep(rng.uniform(*think))  # think time between two saves


def cockpit(client):
    """The two calls of the cockpit screen (vertrieb_cockpit.js ``load``)."""
    data = client.call("vertrieb.kpi.target", "get_cockpit_data")
    return client.call("vertrieb.kpi.target", "get_cockpit_trend", [row["user_id"] for row in data["rows"]], None)


def manager(client, stats, deadline):
    rng = random.Random(client.login)
    today = datetime.date.today()
    month = (today.replace(day=1).isoformat(), (today.replace(day=1) + relativedelta(months=1, days=-1)).isoformat())
    while time.time() < deadline:
        action = rng.choices(
            ["cockpit", "report_activity_rate", "report_sales", "report_conversion"], [40, 25, 20, 15]
        )[0]
        if action == "cockpit":
            timed(stats, action, lambda: cockpit(client))
        elif action == "report_activity_rate":
            timed(
                stats,
                action,
                lambda: client.call(
                    "vertrieb.kpi.contact",
                    "web_read_group",
                    # the action opens on this month (search_default_filter_date), as the screen case
                    [("source", "!=", "target"), ("date", ">=", month[0]), ("date", "<=", month[1])],
                    ["contact_count:sum"],
                    ["user_id", "date:week"],
                    lazy=False,
                ),
            )
        elif action == "report_conversion":
            timed(
                stats,
                action,
                lambda: client.call(
                    "vertrieb.kpi.conversion",
                    "web_read_group",
                    [],
                    ["conversion_rate:avg", "hit_rate:avg", "days_in_stage:avg"],
                    ["stage_id"],
                    lazy=False,
                ),
            )
        else:
            timed(
                stats,
                action,
                lambda: client.call(
                    "vertrieb.kpi.sales", "web_read_group", [], ["amount:sum"], ["user_id", "date:month"], lazy=False
                ),
            )
        time.sleep(rng.uniform(1.0, 3.0))


def check(registry, created):
    """Nothing lost: the ledger equals a full rebuild; every created record exists exactly once."""
    problems = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        deleted, inserted = env["vertrieb.kpi.contact.line"]._vertrieb_sync()
        cr.rollback()
        if deleted or inserted:
            problems.append(f"contact ledger differs from a full rebuild ({deleted} rows too many, {inserted} missing)")
        deleted, inserted = env["vertrieb.kpi.conversion"]._vertrieb_conversion_refresh()
        cr.rollback()
        if deleted or inserted:
            problems.append(f"conversion rows differ from a full rebuild ({deleted} rows too many, {inserted} missing)")
        queries = {
            "call": "SELECT COUNT(*) FROM mail_message WHERE mail_activity_type_id IS NOT NULL AND body::text LIKE %s",
            "email": "SELECT COUNT(*) FROM mail_message WHERE message_type = 'comment' AND body::text LIKE %s",
            "complaint": "SELECT COUNT(*) FROM vertrieb_complaint WHERE title LIKE %s",
        }
        counts = {}
        for kind, token in created:
            [(count,)] = env.execute_query(SQL(queries[kind], f"%{token}%"))
            counts[kind] = counts.get(kind, 0) + 1
            if count != 1:
                problems.append(f"{kind} {token}: {count} records instead of 1")
        print(
            "LOAD check created="
            + " ".join(f"{k}:{v}" for k, v in sorted(counts.items()))
            + f" ledger_changes={deleted + inserted}"
        )
    return problems


def replica_counters(args):
    """Statement counters of both servers: tuples read per table and transactions (pg_stat_*)."""
    query = (
        "SELECT relname, seq_scan + COALESCE(idx_scan, 0), n_tup_ins + n_tup_upd FROM pg_stat_user_tables"
        " WHERE relname IN ('crm_lead', 'vertrieb_kpi_contact_line', 'mail_message', 'vertrieb_complaint')"
        " ORDER BY relname"
    )
    result = {}
    for name, host, port in (
        ("primary", args.primary_host, args.primary_port),
        ("replica", args.replica_host, args.replica_port),
    ):
        output = subprocess.run(
            [args.psql, "-h", host, "-p", str(port), "-U", args.psql_user, "-d", args.db, "-Atc", query],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        result[name] = {line.split("|")[0]: tuple(int(x) for x in line.split("|")[1:]) for line in output.split()}
    return result


def wait_for_replica(args, timeout=900):
    """Wait until the replica has replayed what the primary holds now (the users and passwords the
    run prepared): a read-only request checks the session against the replica, and a password the
    replica does not know yet expires the session. Returns the seconds waited."""

    def psql(host, port, query):
        return subprocess.run(
            [args.psql, "-h", host, "-p", str(port), "-U", args.psql_user, "-d", args.db, "-Atc", query],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    start = time.time()
    target = psql(args.primary_host, args.primary_port, "SELECT pg_current_wal_lsn()")
    while time.time() - start < timeout:
        if psql(args.replica_host, args.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'") == "t":
            return time.time() - start
        time.sleep(1)
    raise SystemExit(f"LOAD the replica did not replay {target} within {timeout}s")


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--salespeople", type=int, default=8)
    parser.add_argument("--managers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    # seconds a salesperson waits between two saves (uniform): a save every ~4 s per person, still
    # far more often than a person at work logs contacts; 0.2-1.0 is a stress test (~9 saves a
    # second for 8 salespeople saturate two cores)
    parser.add_argument("--think", default="2-6")
    # seconds before the measured duration whose timings are not counted (a fresh worker's first
    # requests fill its caches; the workers of a running server are warm); 0 counts the cold start
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--logfile", default="/tmp/crm_vertrieb_load.log")
    parser.add_argument("--replica-host", default="")
    parser.add_argument("--replica-port", type=int, default=0)
    parser.add_argument("--primary-host", default="")
    parser.add_argument("--primary-port", type=int, default=0)
    parser.add_argument("--psql", default="psql")
    parser.add_argument("--psql-user", default="odoo")
    return parser.parse_known_args()


def main():
    args, odoo_args = parse_args()
    odoo.tools.config.parse_config(odoo_args)
    dbname = odoo.tools.config["db_name"]
    args.db = dbname[0] if isinstance(dbname, list) else dbname
    registry = odoo.modules.registry.Registry(args.db)
    info = prepare(registry, args)
    if args.replica_port:
        print(f"LOAD replica caught up after {wait_for_replica(args):.0f}s")
    before = replica_counters(args) if args.replica_port else None
    process, url = start_server(args, free_port())
    stats, created = Stats(), []
    run_id = uuid.uuid4().hex[:8]
    try:
        clients = [Client(url, args.db, login) for login in info["sales"] + info["managers"]]
        for client in clients:
            client.authenticate()
        # the warm-up runs before the measured duration, its timings not counted
        deadline = time.time() + args.warmup + args.duration
        stats.counted_from = time.perf_counter() + args.warmup
        threads = [
            threading.Thread(target=salesperson, args=(c, info, stats, created, deadline, run_id, args.think))
            for c in clients[: len(info["sales"])]
        ] + [threading.Thread(target=manager, args=(c, stats, deadline)) for c in clients[len(info["sales"]) :]]
        print(
            f"LOAD start salespeople={len(info['sales'])} managers={len(info['managers'])} workers={args.workers}"
            f" duration={args.duration}s warmup={args.warmup}s think={args.think}s"
            f" replica={'yes' if args.replica_port else 'no'}"
            f" load_avg={os.getloadavg()[0]:.1f}"
        )
        sys.stdout.flush()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    for line in stats.lines():
        print(line)
    for action, sample in stats.samples.items():
        print(f"LOAD error_sample {action}: {sample}")
    for action, sample in stats.refusals.items():
        print(f"LOAD refused_sample {action}: {sample}")
    print(f"LOAD end load_avg={os.getloadavg()[0]:.1f} warm_up_actions_not_timed={stats.warm_up}")
    problems = check(registry, created)
    serialization = [s for s in stats.samples.values() if "serializ" in s or "concurrent update" in s]
    if args.replica_port:
        after = replica_counters(args)
        for server in ("primary", "replica"):
            for table, (scans, writes) in sorted(after[server].items()):
                old_scans, old_writes = before[server].get(table, (0, 0))
                print(f"LOAD {server} {table} scans+={scans - old_scans} writes+={writes - old_writes}")
    for problem in problems + [f"serialization error reached a client: {s}" for s in serialization]:
        print(f"LOAD PROBLEM {problem}")
    print(json.dumps({"problems": len(problems) + len(serialization)}))
    return 1 if problems or serialization else 0


if __name__ == "__main__":
    sys.exit(main())
