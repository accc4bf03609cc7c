"""Synthetic German B2B dataset for the benchmarks (schema: benchmarks/README.md).

``ensure_dataset(env, scale)`` generates it once per database: the ir.config_parameter
``crm_vertrieb.bench_dataset`` holds the scale afterwards and a second call does nothing.
Users, teams, products and the chart of accounts go through the ORM; partners, leads, completed
activities and invoices are bulk SQL (``INSERT … SELECT generate_series``/``unnest``) with
ids taken from the tables' own sequences, so no sequence needs resetting.

The Odoo part (partners, leads, activities, meetings, invoices) needs only the addon's
dependencies; what belongs to crm_vertrieb (its columns and tables) is a separate step,
``Generator.addon_parts``, that ``ensure_dataset(env, scale, addon=False)`` leaves out: the
database of ``benchmarks/install_into_large``, into which crm_vertrieb is installed afterwards.
A later ``ensure_dataset(env, scale)`` on such a database (with the addon installed by then) runs
the addon step alone.
"""

import bisect
import io
import random
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytz

from odoo.tools import SQL

from odoo.addons.crm_vertrieb.models.base.column_fill import indexes_built_after
from odoo.addons.crm_vertrieb.models.kpi.vertrieb_kpi_conversion import ROW_TABLE as CONVERSION_ROWS
from odoo.addons.crm_vertrieb.tools.duplicate_scoring import KEY_FIELDS

from benchmarks import germandata as g
from benchmarks.cases.screens import _users

MARKER = "crm_vertrieb.bench_dataset"
# set once the crm_vertrieb step of the generator ran (a dataset generated without the addon lacks it)
ADDON_MARKER = "crm_vertrieb.bench_dataset_addon"
# sales channels of the generated leads (xml ids of crm_vertrieb's data, weight in %)
CHANNEL_WEIGHTS = (
    ("sales_channel_field", 35),
    ("sales_channel_inside", 35),
    ("sales_channel_partner", 15),
    ("sales_channel_online", 15),
)
SEED = 20261127

SCALES = {
    # tiny: only for trying the generator by hand (the runner accepts small and large)
    "tiny": {"partners": 300, "leads": 600, "activities": 2000, "invoice_lines": 400, "salespeople": 5, "products": 40},
    "small": {
        "partners": 2000,
        "leads": 6000,
        "activities": 20000,
        "invoice_lines": 4000,
        "salespeople": 10,
        "products": 200,
    },
    "large": {
        "partners": 100000,
        "leads": 300000,
        "activities": 1000000,
        "invoice_lines": 200000,
        "salespeople": 50,
        "products": 200,
    },
    # cost as the work grows (issue #13): not part of CI; generating it takes about an hour and
    # some 30 GB of disk on the development machine
    "xlarge": {
        "partners": 1000000,
        "leads": 3000000,
        "activities": 10000000,
        "invoice_lines": 2000000,
        "salespeople": 100,
        "products": 200,
    },
}
USERS_PER_TEAM = 5
DUPLICATE_SHARE = 0.05
LOOKALIKE_SHARE = 0.01
COMPANY_SHARE = 0.40
BATCH = 10000
# Tables filled in bulk: their plain indexes are dropped during the insert and rebuilt afterwards.
BULK_TABLES = (
    "res_partner",
    "crm_lead",
    "mail_message",
    "calendar_event",
    "calendar_attendee",
    "account_move",
    "account_move_line",
)

COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value):
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).translate(COPY_ESCAPE)


def log(message):
    print(f"[bench generate] {message}", flush=True)


@contextmanager
def step(name, timings):
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    timings[name] = elapsed
    log(f"{name}: {elapsed:.1f}s")


def addon_installed(env):
    return "vertrieb_channel_id" in env["crm.lead"]._fields


def ensure_dataset(env, scale, addon=True):
    """Generate the dataset of ``scale`` unless this database already has one. With ``addon``
    (crm_vertrieb installed) the crm_vertrieb step runs too, also alone on a dataset generated
    without it. Returns the timings dict ({part: seconds}) or None when nothing was done."""
    params = env["ir.config_parameter"].sudo()
    if addon and not addon_installed(env):
        raise ValueError("crm_vertrieb is not installed in this database: generate with addon=False")
    present = params.get_param(MARKER)
    if present:
        if present != scale:
            log(f"database already holds the '{present}' dataset; use another BENCH_DB for '{scale}'")
            return None
        log(f"dataset '{scale}' already present")
        if not addon or params.get_param(ADDON_MARKER):
            return None
        timings = Generator(env, scale, addon=True).run_addon_parts()
        params.set_param(ADDON_MARKER, "1")
        return timings
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}, expected one of {sorted(SCALES)}")
    timings = Generator(env, scale, addon=addon).run()
    params.set_param(MARKER, scale)
    if addon:
        params.set_param(ADDON_MARKER, "1")
    return timings


class Generator:
    def __init__(self, env, scale, addon=True):
        self.env = env
        self.scale = scale
        self.addon = addon
        self.size = SCALES[scale]
        self.rng = random.Random(SEED)
        self.now = datetime.now().replace(microsecond=0)
        self.timings = {}

    def sql(self, code, *args, **kwargs):
        return self.env.execute_query(SQL(code, *args, **kwargs))

    def run(self):
        log(f"generating the '{self.scale}' dataset: {self.size}")
        total = time.perf_counter()
        with step("company+chart", self.timings):
            self.prepare_company()
        with step("salespeople+teams", self.timings):
            self.create_salespeople()
        with step("products", self.timings):
            self.create_products()
        self.env.flush_all()
        self.sql("SELECT setseed(0.2026)")
        self.sql("SET LOCAL maintenance_work_mem = '512MB'; SET LOCAL work_mem = '64MB'")
        with step("drop indexes+foreign keys", self.timings):
            indexes = self.drop_indexes(BULK_TABLES)
            foreign_keys = self.drop_foreign_keys(BULK_TABLES)
        with step("partners", self.timings):
            self.create_partners()
        with step("leads", self.timings):
            self.create_leads()
        with step("activities", self.timings):
            self.create_activities()
        with step("meetings", self.timings):
            self.create_meetings()
        with step("invoices", self.timings):
            self.create_invoices()
        if self.addon:
            self.addon_parts()
        with step("recreate indexes+foreign keys", self.timings):
            for _name, definition in indexes:
                self.sql(definition)  # from pg_get_indexdef: no parameters
            for table, name, definition in foreign_keys:
                self.sql(
                    "ALTER TABLE %s ADD CONSTRAINT %s %s",
                    SQL.identifier(table),
                    SQL.identifier(name),
                    SQL(definition),  # from pg_get_constraintdef: no parameters
                )
        with step("analyze", self.timings):
            self.env.invalidate_all()
            for table in (
                "res_partner",
                "crm_lead",
                "mail_message",
                "account_move",
                "account_move_line",
                "calendar_event",
                "calendar_attendee",
                "bench_dup_truth",
                "bench_lookalike",
            ):
                self.sql("ANALYZE %s", SQL.identifier(table))
        with step("verify", self.timings):
            self.verify()
        self.sql(
            "DROP TABLE IF EXISTS bench_t_user, bench_t_company, bench_t_lead, bench_t_product,"
            " bench_t_line, bench_t_move, bench_t_event"
        )
        self.timings["total"] = time.perf_counter() - total
        log(f"total: {self.timings['total']:.1f}s")
        return self.timings

    def addon_parts(self):
        """What belongs to crm_vertrieb: the generated leads' sales channels. Runs after the Odoo
        part, which draws the same random numbers with and without the addon."""
        with step("crm_vertrieb: sales channels", self.timings):
            self.assign_channels()

    def run_addon_parts(self):
        """The crm_vertrieb step alone, on a dataset generated without the addon."""
        log(f"adding crm_vertrieb's part to the '{self.scale}' dataset")
        self.sql("SELECT setseed(0.2027)")
        self.addon_parts()
        self.env.invalidate_all()
        return self.timings

    def assign_channels(self):
        channel_ids = []
        for xmlid, weight in CHANNEL_WEIGHTS:
            channel = self.env.ref(f"crm_vertrieb.{xmlid}", raise_if_not_found=False)
            if channel:
                channel_ids += [channel.id] * weight
        if not channel_ids:
            return
        self.env.flush_all()
        self.sql(
            """
            UPDATE crm_lead l SET vertrieb_channel_id = (%s::int4[])[1 + floor(random() * %s)::int]
              FROM res_users u
             WHERE u.id = l.user_id AND u.login LIKE %s AND l.vertrieb_channel_id IS NULL
            """,
            channel_ids,
            len(channel_ids),
            "bench\\_sales\\_%",
        )
        self.env.invalidate_all()

    def drop_indexes(self, tables):
        """Drop the plain (non-unique, non-constraint) indexes of ``tables`` for the bulk insert:
        maintaining Odoo's trigram GIN indexes row by row is what makes a large insert slow.
        Returns [(name, definition)] to recreate them afterwards (same transaction)."""
        indexes = self.sql(
            """
            SELECT c.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            """,
            list(tables),
        )
        for name, _definition in indexes:
            self.sql("DROP INDEX %s", SQL.identifier(name))
        return indexes

    def drop_foreign_keys(self, tables):
        """Drop the foreign keys of ``tables`` for the bulk insert (a per-row check of ~10 keys
        per row costs more than the insert); re-adding them validates all rows in one query each.
        Returns [(table, name, definition)]."""
        keys = self.sql(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
              FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            """,
            list(tables),
        )
        for table, name, _definition in keys:
            self.sql("ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(table), SQL.identifier(name))
        return keys

    # --------------------------------------------------------------------------------------------
    # ORM part: company, chart of accounts, salespeople, teams, products
    # --------------------------------------------------------------------------------------------
    def prepare_company(self):
        env = self.env
        company = self.company = env.company
        if not company.chart_template:
            env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        has_lines = env["account.move.line"].search_count([("company_id", "=", company.id)], limit=1)
        eur = env.ref("base.EUR")
        if company.currency_id != eur and not has_lines:
            eur.active = True
            company.currency_id = eur
        if company.country_id != env.ref("base.de") and not has_lines:
            company.country_id = env.ref("base.de")
        self.currency_id = company.currency_id.id
        self.journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        self.income_account_id = self.journal.default_account_id.id
        receivable = company.partner_id.with_company(company).property_account_receivable_id
        if not receivable:
            receivable = env["account.account"].search(
                [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1
            )
        self.receivable_account_id = receivable.id
        self.payment_term_id = env.ref("account.account_payment_term_30days", raise_if_not_found=False)
        self.payment_term_id = self.payment_term_id.id if self.payment_term_id else None
        langs = env["res.lang"].search([("active", "=", True)]).mapped("code")
        self.lang = "de_DE" if "de_DE" in langs else (env.lang or "en_US")
        self.sql("""
            CREATE TABLE IF NOT EXISTS bench_dup_truth (
                partner_a int NOT NULL, partner_b int NOT NULL, kind varchar);
            CREATE TABLE IF NOT EXISTS bench_lookalike (partner_a int NOT NULL, partner_b int NOT NULL);
            TRUNCATE bench_dup_truth, bench_lookalike
        """)

    def create_salespeople(self):
        env, rng = self.env, self.rng
        group = env.ref("sales_team.group_sale_salesman")
        Users = env["res.users"].with_context(
            no_reset_password=True, mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        vals_list = []
        for n in range(1, self.size["salespeople"] + 1):
            first, last = rng.choice(g.FIRST_NAMES), rng.choice(g.SURNAMES)
            vals_list.append(
                {
                    "name": f"{first} {last}",
                    "login": f"bench_sales_{n:02d}",
                    "email": f"{g.slug(first)}.{g.slug(last)}@bench-vertrieb.de",
                    "groups_id": [(6, 0, [group.id])],
                    "company_id": self.company.id,
                    "company_ids": [(6, 0, [self.company.id])],
                    "tz": "Europe/Berlin",
                }
            )
        users = Users.create(vals_list)
        Team = env["crm.team"].with_context(tracking_disable=True, mail_create_nolog=True)
        team_of = {}
        for t in range(0, len(users), USERS_PER_TEAM):
            members = users[t : t + USERS_PER_TEAM]
            team = Team.create(
                {
                    "name": f"Bench Team {t // USERS_PER_TEAM + 1}",
                    "user_id": members[0].id,
                    "company_id": self.company.id,
                    "use_leads": True,
                    "use_opportunities": True,
                    "crm_team_member_ids": [(0, 0, {"user_id": u.id}) for u in members],
                }
            )
            for user in members:
                team_of[user.id] = team.id
        self.users = users
        env.flush_all()
        self.sql("DROP TABLE IF EXISTS bench_t_user")
        self.sql(
            """
            CREATE TEMP TABLE bench_t_user AS
            SELECT row_number() OVER (ORDER BY u.id)::int AS rn, u.id AS user_id,
                   u.partner_id, t.team_id, p.name AS user_name,
                   '"' || p.name || '" <' || p.email || '>' AS email_formatted
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
              JOIN unnest(%s::int4[], %s::int4[]) AS t(user_id, team_id) ON t.user_id = u.id
        """,
            list(team_of),
            list(team_of.values()),
        )
        self.sql("CREATE UNIQUE INDEX ON bench_t_user (rn); CREATE UNIQUE INDEX ON bench_t_user (user_id)")
        self.sql("ANALYZE bench_t_user")

    def create_products(self):
        env, rng = self.env, self.rng
        vals_list = []
        combos = [(grp, var) for grp in g.PRODUCT_GROUPS for var in g.PRODUCT_VARIANTS]
        rng.shuffle(combos)
        for n, ((name, base), variant) in enumerate(combos[: self.size["products"]], start=1):
            vals_list.append(
                {
                    "name": f"{name} {variant}",
                    "default_code": f"BP-{n:04d}",
                    "type": "service"
                    if name in ("Wartungsvertrag", "Schulung", "Inbetriebnahme", "Kalibrierung", "Montagestunden")
                    else "consu",
                    "list_price": round(base * rng.uniform(0.7, 1.6), 2),
                    "taxes_id": [(6, 0, [])],
                    "sale_ok": True,
                }
            )
        products = env["product.product"].with_context(tracking_disable=True).create(vals_list)
        env.flush_all()
        self.sql("DROP TABLE IF EXISTS bench_t_product")
        self.sql(
            """
            CREATE TEMP TABLE bench_t_product AS
            SELECT row_number() OVER (ORDER BY pp.id)::int AS rn, pp.id AS product_id,
                   pt.name->>'en_US' AS name, pt.list_price AS price, pt.uom_id
              FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pp.id = ANY(%s)
        """,
            products.ids,
        )
        self.sql("CREATE UNIQUE INDEX ON bench_t_product (rn); ANALYZE bench_t_product")
        self.n_products = len(products)

    # --------------------------------------------------------------------------------------------
    # Partners: Python builds the names (misspellings, VAT check digits), SQL unnest inserts
    # --------------------------------------------------------------------------------------------
    def insert_rows(self, table, columns, rows):
        """Insert ``rows`` (list of dicts) into ``table`` with COPY, ``BATCH`` rows at a time;
        ``columns`` is {column: type} (the type only documents the column)."""
        statement = SQL(
            "COPY %s (%s) FROM STDIN",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(col) for col in columns),
        )
        for start in range(0, len(rows), BATCH):
            buffer = io.StringIO()
            for row in rows[start : start + BATCH]:
                buffer.write("\t".join(copy_value(row.get(col)) for col in columns))
                buffer.write("\n")
            buffer.seek(0)
            self.env.cr.copy_expert(statement.code, buffer)

    def new_ids(self, sequence, count):
        return [r[0] for r in self.sql("SELECT nextval(%s) FROM generate_series(1, %s)", sequence, count)]

    PARTNER_COLUMNS = {
        "id": "int",
        "name": "str",
        "complete_name": "str",
        "type": "str",
        "is_company": "bool",
        "parent_id": "int",
        "commercial_partner_id": "int",
        "commercial_company_name": "str",
        "street": "str",
        "zip": "str",
        "city": "str",
        "country_id": "int",
        "email": "str",
        "email_normalized": "str",
        "phone": "str",
        "phone_sanitized": "str",
        "mobile": "str",
        "website": "str",
        "vat": "str",
        "ref": "str",
        "function": "str",
        "user_id": "int",
        "customer_rank": "int",
        "supplier_rank": "int",
        "active": "bool",
        "lang": "str",
        "tz": "str",
        "partner_share": "bool",
        "employee": "bool",
        "autopost_bills": "str",
        "color": "int",
        "message_bounce": "int",
        "create_date": "ts",
        "write_date": "ts",
        "create_uid": "int",
        "write_uid": "int",
    }

    def random_created(self, days=730):
        return self.now - timedelta(days=self.rng.uniform(0, days), hours=self.rng.uniform(0, 10))

    def make_company(self, pid, user_ids, countries, surname=None, exclude=None):
        rng = self.rng
        country = g.weighted(rng, g.COUNTRY_WEIGHTS)
        cities = [c for c in g.CITIES[country] if not exclude or c[0] != exclude.get("city")]
        city, low, high, area = rng.choice(cities)
        surname = surname or rng.choice(g.SURNAMES)
        branches = [b for b in g.BRANCHES if not exclude or b != exclude.get("branch")]
        branch = rng.choice(branches)
        legal_form = g.weighted(rng, g.LEGAL_FORMS[country])
        name = g.company_name(surname, branch, legal_form)
        domain = f"{g.slug(surname)}-{g.slug(branch)}.{g.TLD[country]}"
        vat = None
        if rng.random() < 0.6:
            if country == "DE":
                vat = g.de_vat(rng, valid=rng.random() < 0.9)
            else:
                vat = g.at_vat(rng) if country == "AT" else g.ch_vat(rng)
        phone = g.phone_number(rng, country, area)
        created = self.random_created()
        email = f"{rng.choice(['info', 'kontakt', 'office', 'vertrieb', 'einkauf'])}@{domain}"
        user_id = rng.choice(user_ids)
        return {
            "id": pid,
            "name": name,
            "complete_name": name,
            "type": "contact",
            "is_company": True,
            "commercial_partner_id": pid,
            "commercial_company_name": name,
            "street": g.street_line(rng, country),
            "zip": g.zip_code(rng, country, low, high),
            "city": city,
            "country_id": countries[country],
            "email": email,
            "email_normalized": email.lower(),
            "phone": phone,
            "phone_sanitized": g.sanitize_phone(phone),
            "website": f"https://www.{domain}",
            "vat": vat,
            "ref": f"K{100000 + pid}",
            "user_id": user_id,
            "customer_rank": rng.randint(1, 40),
            "supplier_rank": 0,
            "active": True,
            "lang": self.lang,
            "tz": g.TIMEZONES[country],
            "partner_share": True,
            "employee": False,
            "autopost_bills": "ask",
            "color": 0,
            "message_bounce": 0,
            "create_date": created,
            "write_date": created,
            "create_uid": user_id,
            "write_uid": user_id,
            # helper keys (not columns)
            "surname": surname,
            "branch": branch,
            "legal_form": legal_form,
            "country": country,
            "domain": domain,
            "area": area,
        }

    def make_contact(self, pid, parent):
        rng = self.rng
        first, last = rng.choice(g.FIRST_NAMES), rng.choice(g.SURNAMES)
        name = f"{first} {last}"
        email = f"{g.slug(first)}.{g.slug(last)}@{parent['domain']}"
        phone = f"{parent['phone']}-{rng.randint(10, 399)}"
        created = parent["create_date"] + timedelta(days=rng.uniform(0, 30))
        created = min(created, self.now)
        row = {k: parent[k] for k in ("street", "zip", "city", "country_id", "user_id", "lang", "tz")}
        row.update(
            {
                "id": pid,
                "name": name,
                "complete_name": f"{parent['name']}, {name}",
                "type": "contact",
                "is_company": False,
                "parent_id": parent["id"],
                "commercial_partner_id": parent["id"],
                "commercial_company_name": parent["name"],
                "email": email,
                "email_normalized": email.lower(),
                "phone": phone,
                "phone_sanitized": g.sanitize_phone(phone),
                "mobile": g.mobile_number(rng, parent["country"]) if rng.random() < 0.5 else None,
                "function": rng.choice(g.FUNCTIONS),
                "customer_rank": 0,
                "supplier_rank": 0,
                "active": True,
                "partner_share": True,
                "employee": False,
                "autopost_bills": "ask",
                "color": 0,
                "message_bounce": 0,
                "create_date": created,
                "write_date": created,
                "create_uid": parent["user_id"],
                "write_uid": parent["user_id"],
                "first": first,
                "last": last,
            }
        )
        return row

    def make_duplicates(self, companies, contacts, ids, n_dup):
        """Duplicates: 70 % of companies, 30 % of contact persons, typed a second time.
        Returns (rows, [(source id, duplicate id, kind)])."""
        rng, user_ids = self.rng, self.users.ids
        dups, truth = [], []
        for _i in range(n_dup):
            if rng.random() < 0.7:
                src = rng.choice(companies)
                changes, kind = g.duplicate_company(rng, src)
                dup = dict(src, id=next(ids), commercial_partner_id=None, **changes)
                dup["commercial_partner_id"] = dup["id"]
                dup["complete_name"] = dup["commercial_company_name"] = dup["name"]
                dup["ref"] = None
                if kind != "same_email" and rng.random() < 0.5:
                    dup["email"] = None
                if rng.random() < 0.3:  # another colleague typed it, in national format
                    dup["phone"] = "0" + src["phone"].split(" ", 1)[1] if src["country"] == "DE" else src["phone"]
                if rng.random() < 0.4:
                    dup["vat"] = None
                dup["user_id"] = rng.choice(user_ids)
            else:
                src = rng.choice(contacts)
                changes, kind = g.duplicate_person(rng, src)
                dup = dict(src, id=next(ids), **changes)
                dup["complete_name"] = f"{src['commercial_company_name']}, {dup['name']}"
                if kind != "same_email" and rng.random() < 0.3:
                    dup["email"] = None
            dup["email_normalized"] = dup["email"].lower() if dup.get("email") else None
            dup["phone_sanitized"] = g.sanitize_phone(dup["phone"]) or src["phone_sanitized"]
            dup["create_date"] = dup["write_date"] = min(
                src["create_date"] + timedelta(days=rng.uniform(1, 300)), self.now
            )
            dups.append(dup)
            truth.append((src["id"], dup["id"], kind))
        return dups, truth

    def create_partners(self):
        rng, env = self.rng, self.env
        total = self.size["partners"]
        n_dup = round(total * DUPLICATE_SHARE)
        n_look = round(total * LOOKALIKE_SHARE)
        n_base = total - n_dup - n_look
        n_comp = round(n_base * COMPANY_SHARE)
        n_cont = n_base - n_comp
        user_ids = self.users.ids
        countries = {code: env.ref(f"base.{code.lower()}").id for code in ("DE", "AT", "CH")}
        ids = iter(self.new_ids("res_partner_id_seq", total))
        companies = [self.make_company(next(ids), user_ids, countries) for _i in range(n_comp)]
        contacts = [self.make_contact(next(ids), rng.choice(companies)) for _i in range(n_cont)]
        dups, truth = self.make_duplicates(companies, contacts, ids, n_dup)
        # Look-alikes: same surname, other industry and other city: NOT the same customer.
        looks, look_pairs = [], []
        for _i in range(n_look):
            src = rng.choice(companies)
            other = self.make_company(next(ids), user_ids, countries, surname=src["surname"], exclude=src)
            looks.append(other)
            look_pairs.append((src["id"], other["id"]))
        self.insert_rows("res_partner", self.PARTNER_COLUMNS, companies + [d for d in dups if d["is_company"]] + looks)
        self.insert_rows("res_partner", self.PARTNER_COLUMNS, contacts + [d for d in dups if not d["is_company"]])
        self.insert_rows(
            "bench_dup_truth",
            {"partner_a": "int", "partner_b": "int", "kind": "str"},
            [{"partner_a": a, "partner_b": b, "kind": k} for a, b, k in truth],
        )
        self.insert_rows(
            "bench_lookalike",
            {"partner_a": "int", "partner_b": "int"},
            [{"partner_a": a, "partner_b": b} for a, b in look_pairs],
        )
        self.partner_ids = (min(c["id"] for c in companies), max(d["id"] for d in companies + contacts + dups + looks))
        del companies, contacts, dups, looks
        # Companies (incl. duplicates and look-alikes) to pick customers from, in SQL.
        self.sql("DROP TABLE IF EXISTS bench_t_company")
        self.sql(
            """
            CREATE TEMP TABLE bench_t_company AS
            SELECT row_number() OVER (ORDER BY p.id)::int AS rn, p.id, p.name, p.email, p.phone,
                   p.phone_sanitized, p.street, p.zip, p.city, p.country_id, p.user_id, u.team_id
              FROM res_partner p JOIN bench_t_user u ON u.user_id = p.user_id
             WHERE p.is_company AND p.id BETWEEN %s AND %s
        """,
            *self.partner_ids,
        )
        self.sql("CREATE UNIQUE INDEX ON bench_t_company (rn); ANALYZE bench_t_company")
        self.n_companies = self.sql("SELECT count(*) FROM bench_t_company")[0][0]
        log(f"partners: {total} ({n_comp} companies, {n_cont} contacts, {n_dup} duplicates, {n_look} look-alikes)")

    # --------------------------------------------------------------------------------------------
    # Leads
    # --------------------------------------------------------------------------------------------
    def create_leads(self):
        env = self.env
        stages = env["crm.stage"].search([], order="sequence, id")
        won = stages.filtered("is_won")[:1]
        open_stages = (stages - stages.filtered("is_won"))[:3]
        lost_reasons = env["crm.lost.reason"].search([]).ids
        topics = [name for name, _price in g.PRODUCT_GROUPS]
        self.sql(
            """
            WITH s AS MATERIALIZED (
                SELECT gs, 1 + floor(random() * %(ncomp)s)::int AS pick,
                       1 + floor(random() * %(nusers)s)::int AS upick,
                       random() AS r_state, random() AS r_won, random() AS r_type, random() AS r_stage,
                       random() AS r_user, random() AS r_rev, random() AS r_nopartner,
                       random() AS r_close, random() AS r_prio, random() AS r_topic, random() AS r_lost,
                       random() AS r_first, random() AS r_last,
                       (now() AT TIME ZONE 'UTC') - random() * interval '365 days' AS created
                  FROM generate_series(1, %(n)s) gs
            ), t AS MATERIALIZED (
                SELECT s.*, c.id AS partner_id, c.name AS partner_name, c.email, c.phone,
                       c.phone_sanitized, c.street, c.zip, c.city, c.country_id,
                       CASE WHEN s.r_user < 0.85 THEN c.user_id ELSE ru.user_id END AS user_id,
                       CASE WHEN s.r_state < least(0.85, extract(epoch FROM (now() AT TIME ZONE 'UTC') - s.created)
                                                           / 86400 / 120)
                            THEN CASE WHEN s.r_won < 0.45 THEN 'won' ELSE 'lost' END
                            ELSE 'open' END AS state
                  FROM s JOIN bench_t_company c ON c.rn = s.pick
                  JOIN bench_t_user ru ON ru.rn = s.upick
            ), v AS MATERIALIZED (
                SELECT t.*, u.team_id,
                       CASE WHEN t.state = 'won' THEN 'opportunity'
                            WHEN t.r_type < 0.15 THEN 'lead' ELSE 'opportunity' END AS type,
                       CASE WHEN t.state = 'won' THEN %(won)s
                            ELSE (%(open_stages)s::int4[])[width_bucket(t.r_stage, ARRAY[0, 0.35, 0.7]::float8[])]
                            END AS stage_id,
                       CASE WHEN t.state = 'won' THEN 100.0 WHEN t.state = 'lost' THEN 0.0
                            ELSE (ARRAY[10, 30, 60]::float8[])[width_bucket(t.r_stage, ARRAY[0, 0.35, 0.7]::float8[])]
                                 + round((t.r_close * 10 - 5)::numeric)::float8 END AS probability,
                       CASE WHEN t.state = 'open' THEN NULL
                            ELSE least((now() AT TIME ZONE 'UTC') - interval '1 hour',
                                       t.created + (3 + t.r_close * 110) * interval '1 day') END AS date_closed,
                       round((500 * power(400, t.r_rev))::numeric, -2) AS expected_revenue
                  FROM t JOIN bench_t_user u ON u.user_id = t.user_id
            )
            INSERT INTO crm_lead (
                name, type, priority, active, user_id, team_id, company_id, stage_id, partner_id,
                partner_name, contact_name, email_from, email_normalized, email_domain_criterion, phone,
                phone_sanitized,
                street, zip, city, country_id, expected_revenue, prorated_revenue, probability,
                automated_probability, lost_reason_id, date_open, date_closed, date_last_stage_update,
                date_conversion, date_deadline, day_open, day_close, color, message_bounce,
                create_date, write_date, create_uid, write_uid)
            SELECT
                CASE WHEN v.type = 'lead' THEN 'Anfrage ' ELSE '' END
                    || (%(topics)s::varchar[])[1 + floor(v.r_topic * %(ntopics)s)::int] || %(dash)s || v.partner_name,
                v.type,
                (ARRAY['0', '1', '2', '3'])[width_bucket(v.r_prio, ARRAY[0, 0.55, 0.85, 0.97]::float8[])],
                v.state <> 'lost',
                v.user_id, v.team_id, %(company)s, v.stage_id,
                CASE WHEN v.type = 'lead' AND v.r_nopartner < 0.33 THEN NULL ELSE v.partner_id END,
                v.partner_name,
                (%(firsts)s::varchar[])[1 + floor(v.r_first * %(nfirst)s)::int] || ' '
                    || (%(lasts)s::varchar[])[1 + floor(v.r_last * %(nlast)s)::int],
                v.email, lower(v.email), '@' || split_part(lower(v.email), '@', 2), v.phone, v.phone_sanitized,
                v.street, v.zip, v.city, v.country_id,
                v.expected_revenue, round(v.expected_revenue * v.probability::numeric / 100, 2),
                v.probability, v.probability,
                CASE WHEN v.state = 'lost' THEN (%(lost)s::int4[])[1 + floor(v.r_lost * %(nlost)s)::int] END,
                v.created, v.date_closed,
                coalesce(v.date_closed, v.created + v.r_close * ((now() AT TIME ZONE 'UTC') - v.created)),
                CASE WHEN v.type = 'opportunity' THEN v.created END,
                CASE WHEN v.state = 'open' THEN (v.created + (30 + v.r_close * 90) * interval '1 day')::date END,
                0, extract(epoch FROM v.date_closed - v.created) / 86400, 0, 0,
                v.created, coalesce(v.date_closed, v.created), v.user_id, v.user_id
              FROM v
        """,
            n=self.size["leads"],
            ncomp=self.n_companies,
            nusers=len(self.users),
            won=won.id,
            open_stages=open_stages.ids,
            topics=topics,
            ntopics=len(topics),
            company=self.company.id,
            firsts=g.FIRST_NAMES,
            nfirst=len(g.FIRST_NAMES),
            lasts=g.SURNAMES,
            nlast=len(g.SURNAMES),
            dash=" \N{EN DASH} ",
            lost=lost_reasons,
            nlost=len(lost_reasons),
        )
        self.sql("DROP TABLE IF EXISTS bench_t_lead")
        self.sql(
            """
            CREATE TEMP TABLE bench_t_lead AS
            SELECT row_number() OVER (ORDER BY l.id)::int AS rn, l.id, l.name, l.user_id, l.create_date,
                   coalesce(l.date_closed, now() AT TIME ZONE 'UTC') AS end_date, l.partner_id, l.city
              FROM crm_lead l WHERE l.company_id = %s AND l.user_id IN (SELECT user_id FROM bench_t_user)
        """,
            self.company.id,
        )
        self.sql("CREATE UNIQUE INDEX ON bench_t_lead (rn); ANALYZE bench_t_lead")
        self.n_leads = self.sql("SELECT count(*) FROM bench_t_lead")[0][0]

    # --------------------------------------------------------------------------------------------
    # Completed activities (as mail.activity.action_feedback posts them) and sent e-mails
    # --------------------------------------------------------------------------------------------
    def create_activities(self):
        env = self.env
        types = []  # (xmlid, weight, German label)
        for xmlid, weight, label in (
            ("mail_activity_data_call", 40, "Anruf"),
            ("mail_activity_data_email", 25, "E-Mail"),
            ("mail_activity_data_meeting", 15, "Besprechung"),
            ("mail_activity_data_todo", 15, "Aufgabe"),
            ("mail_activity_data_upload_document", 5, "Dokument hochladen"),
        ):
            record = env.ref(f"mail.{xmlid}", raise_if_not_found=False)
            if record:
                types.append((record.id, weight, label, record.icon or "fa-tasks"))
        total = sum(t[1] for t in types)
        thresholds, acc = [], 0.0
        for t in types:
            thresholds.append(acc)
            acc += t[1] / total
        subtype = env.ref("mail.mt_activities").id
        n = self.size["activities"]
        n_partner = round(n * 0.15)
        common = SQL(
            """
            (%(type_ids)s::int4[])[k] AS type_id,
            '<div><p><span class="fa ' || (%(icons)s::varchar[])[k] || ' fa-fw"></span><span>'
                || (%(labels)s::varchar[])[k] || '</span> erledigt<span>: </span><span>'
                || (%(summaries)s::varchar[])[1 + floor(r_sum * %(nsum)s)::int] || '</span></p></div>' AS body
        """,
            type_ids=[t[0] for t in types],
            icons=[t[3] for t in types],
            labels=[t[2] for t in types],
            summaries=g.ACTIVITY_SUMMARIES,
            nsum=len(g.ACTIVITY_SUMMARIES),
        )
        workday = self.workday = SQL("""
            date_trunc('day', at_ts) - CASE extract(isodow FROM at_ts)
                                       WHEN 6 THEN (1 + floor(r_dow * 5)) * interval '1 day'
                                       WHEN 7 THEN (2 + floor(r_dow * 5)) * interval '1 day' ELSE interval '0' END
                + interval '6 hours' + r_hour * interval '10 hours'
        """)
        self.sql(
            """
            WITH s AS MATERIALIZED (
                SELECT gs, 1 + floor(random() * %(nleads)s)::int AS pick, random() AS r_at,
                       random() AS r_hour, random() AS r_sum, random() AS r_dow,
                       width_bucket(random(), %(thr)s::float8[]) AS k
                  FROM generate_series(1, %(nlead_msgs)s) gs
            ), ld AS MATERIALIZED (
                SELECT s.*, l.id AS res_id, l.name AS record_name, l.user_id,
                       l.create_date + s.r_at * (l.end_date - l.create_date) AS at_ts
                  FROM s JOIN bench_t_lead l ON l.rn = s.pick
            ), p AS MATERIALIZED (
                SELECT gs, 1 + floor(random() * %(ncomp)s)::int AS pick, random() AS r_hour,
                       random() AS r_sum, random() AS r_dow, width_bucket(random(), %(thr)s::float8[]) AS k,
                       (now() AT TIME ZONE 'UTC') - random() * interval '365 days' AS at_ts
                  FROM generate_series(1, %(npartner_msgs)s) gs
            ), q AS MATERIALIZED (
                SELECT p.*, c.id AS res_id, c.name AS record_name, c.user_id
                  FROM p JOIN bench_t_company c ON c.rn = p.pick
            ), msgs AS (
                SELECT 'crm.lead' AS model, res_id, record_name, user_id, %(workday)s AS date, %(common)s FROM ld
                UNION ALL
                SELECT 'res.partner', res_id, record_name, user_id, %(workday)s, %(common)s FROM q
            )
            INSERT INTO mail_message (
                model, res_id, record_name, record_company_id, message_type, subtype_id,
                mail_activity_type_id, author_id, email_from, body, date, message_id, is_internal,
                reply_to_force_new, create_date, write_date, create_uid, write_uid)
            SELECT m.model, m.res_id, m.record_name, %(company)s, 'notification', %(subtype)s,
                   m.type_id, u.partner_id, u.email_formatted, m.body, dt,
                   '<' || md5(random()::text) || '-bench-activity@bench-vertrieb.de>',
                   false, false, dt, dt, m.user_id, m.user_id
              FROM msgs m JOIN bench_t_user u ON u.user_id = m.user_id,
                   LATERAL (SELECT CASE WHEN m.date > now() AT TIME ZONE 'UTC'
                                        THEN m.date - interval '7 days' ELSE m.date END AS dt) x
        """,
            nleads=self.n_leads,
            ncomp=self.n_companies,
            thr=thresholds,
            nlead_msgs=n - n_partner,
            npartner_msgs=n_partner,
            workday=workday,
            common=common,
            company=self.company.id,
            subtype=subtype,
        )
        # Sent e-mails on opportunities (5 % of the activity count), for realism.
        self.sql(
            """
            WITH s AS MATERIALIZED (
                SELECT 1 + floor(random() * %(nleads)s)::int AS pick, random() AS r_at, random() AS r_hour,
                       random() AS r_dow
                  FROM generate_series(1, %(n)s)
            ), ld AS (
                SELECT s.r_hour, s.r_dow, l.id, l.name, l.user_id,
                       l.create_date + s.r_at * (l.end_date - l.create_date) AS at_ts
                  FROM s JOIN bench_t_lead l ON l.rn = s.pick
            ), m AS (SELECT ld.*, %(workday)s AS date FROM ld)
            INSERT INTO mail_message (
                model, res_id, record_name, record_company_id, message_type, subtype_id, author_id,
                email_from, subject, body, date, message_id, is_internal, reply_to_force_new,
                create_date, write_date, create_uid, write_uid)
            SELECT 'crm.lead', m.id, m.name, %(company)s, 'email', %(comment)s, u.partner_id,
                   u.email_formatted, 'Ihr Angebot: ' || m.name,
                   '<p>Sehr geehrte Damen und Herren,</p><p>anbei erhalten Sie unser Angebot. '
                   || 'Für Rückfragen stehe ich Ihnen gern zur Verfügung.</p><p>Mit freundlichen Grüßen<br/>'
                   || u.user_name || '</p>',
                   least(m.date, now() AT TIME ZONE 'UTC'),
                   '<' || md5(random()::text) || '-bench-mail@bench-vertrieb.de>',
                   false, false, m.date, m.date, m.user_id, m.user_id
              FROM m JOIN bench_t_user u ON u.user_id = m.user_id
        """,
            nleads=self.n_leads,
            n=round(n * 0.05),
            workday=workday,
            company=self.company.id,
            comment=env.ref("mail.mt_comment").id,
        )

    def create_meetings(self):
        """Held meetings on opportunities (calendar.event with the salesperson and the customer as
        attendees): 2 % of the activity count, in the past, on weekdays."""
        n = max(20, self.size["activities"] // 50)
        lead_model = self.env["ir.model"]._get_id("crm.lead")
        self.sql("DROP TABLE IF EXISTS bench_t_event")
        self.sql(
            """
            CREATE TEMP TABLE bench_t_event AS
            WITH s AS MATERIALIZED (
                SELECT 1 + floor(random() * %(nleads)s)::int AS pick, random() AS r_at, random() AS r_dow,
                       random() AS r_hour, random() AS r_len
                  FROM generate_series(1, %(n)s)
            ), ld AS (
                SELECT s.*, l.id AS lead_id, l.name, l.user_id, l.partner_id, l.city,
                       l.create_date + s.r_at * (l.end_date - l.create_date) AS at_ts
                  FROM s JOIN bench_t_lead l ON l.rn = s.pick
                 WHERE l.partner_id IS NOT NULL
            )
            SELECT nextval('calendar_event_id_seq')::int AS id, ld.lead_id, ld.name, ld.user_id, ld.partner_id,
                   ld.city,
                   date_trunc('hour', least(%(workday)s, now() AT TIME ZONE 'UTC' - interval '1 day')) AS start,
                   (ARRAY[0.5, 1.0, 1.0, 1.5, 2.0])[1 + floor(ld.r_len * 5)::int] AS duration
              FROM ld
            """,
            nleads=self.n_leads,
            n=n,
            workday=self.workday,
        )
        self.sql(
            """
            INSERT INTO calendar_event (id, name, user_id, opportunity_id, res_model, res_model_id, res_id,
                                        location, start, stop, start_date, stop_date, duration, allday,
                                        show_as, active, recurrency, create_date, write_date, create_uid,
                                        write_uid)
            SELECT e.id, 'Termin: ' || e.name, e.user_id, e.lead_id, 'crm.lead', %(model)s, e.lead_id, e.city,
                   e.start, e.start + e.duration * interval '1 hour', NULL, NULL, e.duration, false, 'busy',
                   true, false, e.start - interval '3 days', e.start - interval '3 days', e.user_id, e.user_id
              FROM bench_t_event e;
            INSERT INTO calendar_event_res_partner_rel (calendar_event_id, res_partner_id)
            SELECT e.id, u.partner_id FROM bench_t_event e JOIN bench_t_user u ON u.user_id = e.user_id
            UNION
            SELECT e.id, e.partner_id FROM bench_t_event e;
            INSERT INTO calendar_attendee (event_id, partner_id, common_name, state, availability, access_token,
                                           create_date, write_date, create_uid, write_uid)
            SELECT r.calendar_event_id, r.res_partner_id, p.name, 'accepted', 'busy', md5(random()::text),
                   e.start - interval '3 days', e.start - interval '3 days', e.user_id, e.user_id
              FROM calendar_event_res_partner_rel r
              JOIN bench_t_event e ON e.id = r.calendar_event_id
              JOIN res_partner p ON p.id = r.res_partner_id
            """,
            model=lead_model,
        )

    # --------------------------------------------------------------------------------------------
    # Posted customer invoices and credit notes
    # --------------------------------------------------------------------------------------------
    def create_invoices(self):
        n_lines = self.size["invoice_lines"]
        n_moves = max(1, n_lines // 4)
        self.sql("DROP TABLE IF EXISTS bench_t_line, bench_t_move")
        self.sql(
            """
            CREATE TEMP TABLE bench_t_line AS
            SELECT gs AS line_no, 1 + floor(random() * %(nmoves)s)::int AS move_no, p.product_id, p.name,
                   p.uom_id, q.qty, round(p.price * (0.85 + 0.15 * q.r_price)::numeric, 2) AS price_unit
              FROM (SELECT gs, 1 + floor(random() * %(nprod)s)::int AS pick,
                           (ARRAY[1, 1, 1, 2, 2, 3, 4, 5, 10, 20])[1 + floor(random() * 10)::int] AS qty,
                           random() AS r_price
                      FROM generate_series(1, %(n)s) gs OFFSET 0) q
              JOIN bench_t_product p ON p.rn = q.pick
        """,
            nmoves=n_moves,
            nprod=self.n_products,
            n=n_lines,
        )
        self.sql(
            "ALTER TABLE bench_t_line ADD COLUMN subtotal numeric;"
            " UPDATE bench_t_line SET subtotal = round(qty * price_unit, 2)"
        )
        self.sql(
            """
            CREATE TEMP TABLE bench_t_move AS
            WITH m AS MATERIALIZED (
                SELECT move_no, sum(subtotal) AS total, count(*) AS nlines FROM bench_t_line GROUP BY move_no
            ), s AS MATERIALIZED (
                SELECT m.*, 1 + floor(random() * %(ncomp)s)::int AS pick, random() AS r_type, random() AS r_paid,
                       current_date - floor(random() * 548)::int AS d0, random() AS r_dow
                  FROM m
            ), t AS (
                SELECT s.*, c.id AS partner_id, c.name AS partner_name, c.user_id,
                       s.d0 - CASE extract(isodow FROM s.d0) WHEN 6 THEN 1 + floor(s.r_dow * 5)::int
                                   WHEN 7 THEN 2 + floor(s.r_dow * 5)::int ELSE 0 END AS date,
                       CASE WHEN s.r_type < 0.05 THEN 'out_refund' ELSE 'out_invoice' END AS move_type
                  FROM s JOIN bench_t_company c ON c.rn = s.pick
            )
            SELECT nextval('account_move_id_seq')::int AS id, t.*,
                   CASE WHEN t.move_type = 'out_refund' THEN -1 ELSE 1 END AS sign,
                   CASE WHEN t.move_type = 'out_refund' THEN 'paid'
                        WHEN t.date < current_date - 45 AND t.r_paid < 0.9 THEN 'paid'
                        WHEN t.r_paid < 0.3 THEN 'paid' ELSE 'not_paid' END AS payment_state,
                   CASE WHEN t.move_type = 'out_refund' THEN 'RINV/' ELSE 'INV/' END
                       || extract(year FROM t.date)::int || '/' AS prefix
              FROM t
        """,
            ncomp=self.n_companies,
        )
        self.sql(
            """
            ALTER TABLE bench_t_move ADD COLUMN seq int, ADD COLUMN name varchar, ADD COLUMN residual numeric;
            UPDATE bench_t_move m
               SET seq = x.seq + coalesce((SELECT max(a.sequence_number) FROM account_move a
                                            WHERE a.journal_id = %s AND a.sequence_prefix = m.prefix), 0)
              FROM (SELECT id, row_number() OVER (PARTITION BY prefix ORDER BY date, id)::int AS seq
                      FROM bench_t_move) x
             WHERE x.id = m.id;
            -- lpad cuts a longer text: from 100,000 invoices a year on (xlarge) the number grows
            UPDATE bench_t_move SET name = prefix || lpad(seq::text, greatest(5, length(seq::text)), '0'),
                   residual = CASE WHEN payment_state = 'paid' THEN 0 ELSE total END
        """,
            self.journal.id,
        )
        params = {
            "journal": self.journal.id,
            "company": self.company.id,
            "currency": self.currency_id,
            "term": self.payment_term_id,
            "income": self.income_account_id,
            "receivable": self.receivable_account_id,
        }
        self.sql(
            """
            INSERT INTO account_move (
                id, journal_id, company_id, currency_id, partner_id, commercial_partner_id,
                partner_shipping_id, invoice_user_id, invoice_payment_term_id, name, sequence_prefix,
                sequence_number, state, move_type, auto_post, date, invoice_date, invoice_date_due,
                payment_state, payment_reference, invoice_partner_display_name, invoice_currency_rate,
                amount_untaxed, amount_tax, amount_total, amount_residual, amount_untaxed_signed,
                amount_untaxed_in_currency_signed, amount_tax_signed, amount_total_signed,
                amount_total_in_currency_signed, amount_residual_signed, is_storno,
                always_tax_exigible, checked, posted_before, made_sequence_gap, is_manually_modified,
                is_move_sent, create_date, write_date, create_uid, write_uid)
            SELECT m.id, %(journal)s, %(company)s, %(currency)s, m.partner_id, m.partner_id, m.partner_id,
                   m.user_id, %(term)s, m.name, m.prefix, m.seq, 'posted', m.move_type, 'no', m.date,
                   m.date, m.date + 30, m.payment_state, m.name, m.partner_name, 1.0,
                   m.total, 0, m.total, m.residual, m.sign * m.total, m.sign * m.total, 0,
                   m.sign * m.total, m.sign * m.total, m.sign * m.residual, false, false, true, true,
                   false, false, true, m.date + time '09:00', m.date + time '09:00', m.user_id, m.user_id
              FROM bench_t_move m
        """,
            **params,
        )
        common_cols = SQL("""
            move_id, move_name, journal_id, company_id, company_currency_id, currency_id, partner_id,
            parent_state, date, invoice_date, display_type, sequence, account_id, name, debit, credit,
            balance, amount_currency, amount_residual, amount_residual_currency, reconciled,
            tax_base_amount, discount, discount_amount_currency, discount_balance, is_imported,
            tax_tag_invert, create_date, write_date, create_uid, write_uid""")
        self.sql(
            """
            INSERT INTO account_move_line (%(cols)s, product_id, product_uom_id, quantity, price_unit,
                                           price_subtotal, price_total)
            SELECT m.id, m.name, %(journal)s, %(company)s, %(currency)s, %(currency)s, m.partner_id,
                   'posted', m.date, m.date, 'product',
                   9 + row_number() OVER (PARTITION BY l.move_no ORDER BY l.line_no), %(income)s, l.name,
                   CASE WHEN m.sign < 0 THEN l.subtotal ELSE 0 END, CASE WHEN m.sign > 0 THEN l.subtotal ELSE 0 END,
                   -m.sign * l.subtotal, -m.sign * l.subtotal, 0, 0, false, 0, 0, 0, 0, false, false,
                   m.date + time '09:00', m.date + time '09:00', m.user_id, m.user_id,
                   l.product_id, l.uom_id, l.qty, l.price_unit, l.subtotal, l.subtotal
              FROM bench_t_line l JOIN bench_t_move m ON m.move_no = l.move_no
        """,
            cols=common_cols,
            **params,
        )
        self.sql(
            """
            INSERT INTO account_move_line (%(cols)s, date_maturity, quantity)
            SELECT m.id, m.name, %(journal)s, %(company)s, %(currency)s, %(currency)s, m.partner_id,
                   'posted', m.date, m.date, 'payment_term', 10000, %(receivable)s, m.name,
                   CASE WHEN m.sign > 0 THEN m.total ELSE 0 END, CASE WHEN m.sign < 0 THEN m.total ELSE 0 END,
                   m.sign * m.total, m.sign * m.total, m.sign * m.residual, m.sign * m.residual,
                   m.payment_state = 'paid', 0, 0, 0, 0, false, false,
                   m.date + time '09:00', m.date + time '09:00', m.user_id, m.user_id,
                   m.date + 30, 1
              FROM bench_t_move m
        """,
            cols=common_cols,
            **params,
        )
        self.n_moves = self.sql("SELECT count(*) FROM bench_t_move")[0][0]
        log(f"invoices: {self.n_moves} moves, {n_lines} product lines")

    # --------------------------------------------------------------------------------------------
    # Read a sample back through the ORM
    # --------------------------------------------------------------------------------------------
    def verify(self):
        env = self.env
        env.invalidate_all()
        errors = []
        unbalanced = self.sql(
            """
            SELECT count(*) FROM (SELECT move_id FROM account_move_line WHERE company_id = %s
                                  GROUP BY move_id HAVING abs(sum(balance)) > 0.001) x
        """,
            self.company.id,
        )[0][0]
        if unbalanced:
            errors.append(f"{unbalanced} unbalanced moves")
        moves = env["account.move"].search(
            [("move_type", "in", ("out_invoice", "out_refund")), ("state", "=", "posted")], limit=10, order="id desc"
        )
        stored = {m.id: (m.amount_untaxed, m.amount_total, m.amount_residual) for m in moves}
        sums = dict(
            env["account.move.line"]._read_group(
                [("move_id", "in", moves.ids), ("display_type", "=", "product")], ["move_id"], ["price_subtotal:sum"]
            )
        )
        for move in moves:
            if abs(sums[move] - move.amount_untaxed) > 0.001:
                errors.append(f"{move.name}: lines {sums[move]} != untaxed {move.amount_untaxed}")
        with env.cr.savepoint(flush=False) as sp:
            moves._compute_amount()
            recomputed = {m.id: (m.amount_untaxed, m.amount_total, m.amount_residual) for m in moves}
            sp.rollback()
        env.clear()  # drop the recomputed values: they must not be written
        for move_id, values in stored.items():
            if any(abs(a - b) > 0.001 for a, b in zip(values, recomputed[move_id], strict=True)):
                errors.append(f"move {move_id}: stored {values} != ORM {recomputed[move_id]}")
        by_partner = env["account.move"]._read_group(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")],
            ["partner_id"],
            ["amount_untaxed_signed:sum"],
            order="amount_untaxed_signed:sum desc",
            limit=3,
        )
        leads = env["crm.lead"].with_context(active_test=False).search([], limit=10, order="id desc")
        leads.read(
            [
                "name",
                "stage_id",
                "partner_id",
                "user_id",
                "team_id",
                "expected_revenue",
                "probability",
                "date_closed",
                "vertrieb_channel_id",
            ]
            if "vertrieb_channel_id" in leads._fields
            else ["name", "stage_id", "partner_id", "expected_revenue"]
        )
        by_stage = env["crm.lead"]._read_group([], ["stage_id"], ["__count"])
        partners = env["res.partner"].search([("id", ">=", self.partner_ids[0])], limit=10)
        for partner in partners:
            if partner.display_name != partner.complete_name:
                errors.append(f"partner {partner.id}: display_name {partner.display_name!r}")
        messages = env["mail.message"].search(
            [("model", "=", "crm.lead"), ("mail_activity_type_id", "!=", False)], limit=5
        )
        messages.read(["body", "author_id", "subtype_id", "mail_activity_type_id", "date", "record_name"])
        events = self.env["calendar.event"].search([("opportunity_id", "!=", False)], limit=5)
        events.read(["name", "start", "stop", "partner_ids", "attendee_ids", "opportunity_id"])
        if not messages or len(by_stage) < 2 or not by_partner or not events:
            errors.append("ORM read-back found no messages, stages or invoice partners")
        if errors:
            raise AssertionError("benchmark dataset inconsistent: " + "; ".join(errors[:10]))
        log(f"verified: top customers {[(p.display_name, round(s)) for p, s in by_partner]}")


SETTLED = "crm_vertrieb.bench_settled"
SETTLED_PARTS = "crm_vertrieb.bench_settled_parts"
SETTLE_BATCH = 5000
# stored computed fields of crm_vertrieb on the bulk-filled models, recomputed by the ORM in batches
ORM_FIELDS = {
    "res.partner": list(KEY_FIELDS),
    "crm.lead": ["vertrieb_payment_received"],
    "account.move": ["vertrieb_channel_id"],
}
# rows whose value the ORM must compute; the others get the value of a record without sources
ORM_ROWS = {
    "crm.lead": (
        "id IN (SELECT vertrieb_lead_id FROM account_move WHERE vertrieb_lead_id IS NOT NULL)",
        "UPDATE crm_lead SET vertrieb_payment_received = FALSE WHERE vertrieb_payment_received IS NULL",
    ),
}
QUALITY_FIELDS = [
    "vertrieb_quality_score",
    "vertrieb_quality_problem_count",
    "vertrieb_quality_level",
    "vertrieb_quality_parts",
]
SAMPLE = 200
# further stored computed fields of crm.lead compared with the ORM compute (filled in SQL at install)
CHECKED_LEAD_FIELDS = [
    "vertrieb_step_deadline",
    "vertrieb_step_id",
    "vertrieb_actual_cost",
    "vertrieb_budget_exceeded",
    "vertrieb_territory_id",
]
# opportunities in the acquisition pipeline (crm_vertrieb.team_acquisition): their share, the
# weights of the open steps 1-6 for open and lost leads (a lost lead stays in the step it was lost
# in) and the share of won leads in step 8 "evaluation" (the others in step 7 "closing", both won)
ACQUISITION_SHARE = 0.15
ACQUISITION_OPEN_WEIGHTS = (30, 22, 16, 13, 11, 8)
ACQUISITION_FEEDBACK_SHARE = 0.4
# the step fields of the acquisition leads compared with the ORM compute by the settle check
ACQUISITION_LEAD_FIELDS = [
    "vertrieb_step_id",
    "vertrieb_step_deadline",
    "vertrieb_actual_cost",
    "vertrieb_budget_exceeded",
]


class _Rollback(Exception):
    pass


def ensure_settled(env, commit=None, only=None):
    """Bring a generated database into the state the ORM leaves it in (once; the system parameter
    ``crm_vertrieb.bench_settled`` marks it): every stored field of crm_vertrieb computed for the
    generated rows, duplicates scanned, quality scores, customer values, the contact ledger, the
    conversion report's rows, the step history of the leads in acquisition steps, competitors
    and acquisition costs on the opportunities with the stored rows of their reports, and last a
    share of the opportunities moved into the acquisition pipeline with their step history. Runs batch by
    batch (``commit`` is called after each part); no part holds all rows in Python; a part added
    later runs alone on a database settled before. Returns the timings or None.

    ``only`` (names of parts) settles just those parts, in that order, and skips the check, which
    compares every part: for xlarge, where settling all of it takes hours, the parts a screen
    reads are settled first and the others later (the marker is set once every part is done)."""
    params = env["ir.config_parameter"].sudo()
    if not params.get_param(MARKER):
        return None
    settler = Settler(env, commit or (lambda: None))
    done = (params.get_param(SETTLED_PARTS) or "").split(",")
    if params.get_param(SETTLED) and all(name in done for name, _func in settler.parts()):
        return None
    timings = settler.run(only)
    done = (params.get_param(SETTLED_PARTS) or "").split(",")
    if all(name in done for name, _func in settler.parts()):
        params.set_param(SETTLED, "1")
    return timings


class Settler:
    def __init__(self, env, commit):
        self.env = env
        self.commit = commit
        self.timings = {}

    def sql(self, code, *args, **kwargs):
        return self.env.execute_query(SQL(code, *args, **kwargs))

    def batches(self, model, where=None):
        """Ids of ``model`` in id order, ``SETTLE_BATCH`` at a time (keyset, never all at once)."""
        table = SQL.identifier(self.env[model]._table)
        where = where or SQL("TRUE")
        last = 0
        while True:
            ids = [
                r
                for (r,) in self.sql(
                    "SELECT id FROM %s WHERE id > %s AND %s ORDER BY id LIMIT %s", table, last, where, SETTLE_BATCH
                )
            ]
            if not ids:
                return
            yield ids
            last = ids[-1]

    def parts(self):
        # the partners' duplicate keys as the install fills them (a narrow SELECT and one UPDATE a
        # batch, equal to the ORM compute: assertFillEqualsCompute; the check compares a sample)
        fills = {"res.partner": lambda: self.env["res.partner"]._vertrieb_fill_keys_and_quality(quality=False)}
        parts = [
            (f"{model} computed fields", fills.get(model) or (lambda m=model, f=fnames: self.recompute(m, f)))
            for model, fnames in ORM_FIELDS.items()
        ]
        parts += [
            # the posted invoice lines of the sales performance report (stored rows)
            ("sales rows", self.env["vertrieb.kpi.sales"]._vertrieb_sales_refresh),
            ("step history", self.step_history),
            ("competitors", self.competitors),
            ("acquisition costs", self.acquisition_costs),
            ("sales manager", self.sales_manager),
            ("duplicate scan", self.duplicate_scan),
            ("quality scores", self.quality_scores),
            ("customer values", self.env["res.partner"]._vertrieb_recompute_customer_value),
            ("contact ledger", self.ledger),
            ("conversion rows", self.conversion_rows),
            # last: a database settled before runs it alone, after every other part, as a fresh one
            ("acquisition pipeline", self.acquisition_pipeline),
        ]
        return parts

    def run(self, only=None):
        log("settling: the stored fields, scores, duplicates, ledger and step history of the generated rows")
        total = time.perf_counter()
        params = self.env["ir.config_parameter"].sudo()
        parts = self.parts()
        if only:
            known = dict(parts)
            unknown = [name for name in only if name not in known]
            if unknown:
                raise ValueError(f"unknown settle parts {unknown}; known: {list(known)}")
            parts = [(name, known[name]) for name in only]
        for name, func in parts:
            done = (params.get_param(SETTLED_PARTS) or "").split(",")
            if name in done:
                continue  # an interrupted run: the parts already committed are not done again
            with step(f"settle {name}", self.timings):
                func()
            params.set_param(SETTLED_PARTS, ",".join([*done, name]))
            self.commit()
        with step("settle analyze", self.timings):
            for table in (
                "res_partner",
                "crm_lead",
                "account_move",
                "vertrieb_partner_duplicate",
                "vertrieb_kpi_contact_line",
                "vertrieb_customer_value",
                "vertrieb_lead_step_history",
                "vertrieb_lead_step_plan",
                "vertrieb_kpi_conversion_row",
                "crm_lead_vertrieb_competitor_rel",
                "vertrieb_acquisition_cost",
                "vertrieb_competitor_report_row",
                "vertrieb_acquisition_cost_report_row",
                "vertrieb_kpi_sales_line",
                "res_users",
            ):
                self.sql("ANALYZE %s", SQL.identifier(table))
        if not only:
            with step("settle check", self.timings):
                self.check()
        self.timings["settle total"] = time.perf_counter() - total
        log(f"settle total: {self.timings['settle total']:.1f}s")
        return self.timings

    def duplicate_scan(self):
        pairs = self.env["vertrieb.partner.duplicate"].sudo()._vertrieb_full_scan()
        log(f"duplicate scan: {len(pairs)} candidate pairs")

    def quality_scores(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        cache = {}
        done = 0
        for ids in self.batches("res.partner"):
            Partner.browse(ids)._vertrieb_quality_refresh(cache=cache, full=True)
            done += len(ids)
            self.env.invalidate_all()
            if done % (SETTLE_BATCH * 4) == 0:
                log(f"quality scores: {done}")

    def ledger(self):
        # an empty ledger (the generated rows came after the install) is filled as at install:
        # its plain indexes are built after the fill
        Line = self.env["vertrieb.kpi.contact.line"]
        with indexes_built_after(self.env.cr, Line._table):
            deleted, inserted = Line._vertrieb_sync()
        log(f"contact ledger: {inserted} rows inserted, {deleted} deleted")

    def conversion_rows(self):
        with indexes_built_after(self.env.cr, CONVERSION_ROWS):
            deleted, inserted = self.env["vertrieb.kpi.conversion"]._vertrieb_conversion_refresh()
        log(f"conversion rows: {inserted} rows inserted, {deleted} deleted")

    def recompute(self, model, fnames):
        Model = self.env[model].with_context(active_test=False, tracking_disable=True)
        fields_ = [Model._fields[name] for name in fnames]
        where, others = ORM_ROWS.get(model, (None, None))
        if others:
            self.sql(others)
        done = 0
        for ids in self.batches(model, SQL(where) if where else None):
            records = Model.browse(ids)
            for field in fields_:
                self.env.add_to_compute(field, records)
            records.flush_recordset(fnames)
            self.env.invalidate_all()
            done += len(ids)
            if done % (SETTLE_BATCH * 4) == 0:
                log(f"{model}: {done}")

    def step_history(self):
        """Leads in a stage of an acquisition step: the step (related field) and its history line,
        entered when the lead last changed stage, set-based as the acquisition write does."""
        self.env.flush_all()
        self.sql(
            """UPDATE crm_lead l SET vertrieb_step_id = s.vertrieb_step_id,
                      vertrieb_step_date_enter = CASE WHEN s.vertrieb_step_id IS NOT NULL
                                                      THEN COALESCE(l.date_last_stage_update, l.create_date) END
                 FROM crm_stage s
                WHERE s.id = l.stage_id AND l.vertrieb_step_id IS DISTINCT FROM s.vertrieb_step_id"""
        )
        rows = self.sql(
            """INSERT INTO vertrieb_lead_step_history
                      (lead_id, step_id, stage_id, date_enter, user_id, overridden, salesperson_id, team_id,
                       company_id, duration_days, is_current, create_uid, create_date, write_uid, write_date)
               SELECT l.id, l.vertrieb_step_id, l.stage_id, l.vertrieb_step_date_enter, l.user_id, FALSE,
                      l.user_id, l.team_id, l.company_id,
                      EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC' - l.vertrieb_step_date_enter)) / 86400.0,
                      TRUE, l.user_id, l.vertrieb_step_date_enter, l.user_id, l.vertrieb_step_date_enter
                 FROM crm_lead l
                WHERE l.vertrieb_step_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM vertrieb_lead_step_history h WHERE h.lead_id = l.id)
               RETURNING 1"""
        )
        log(f"step history: {len(rows)} current lines")
        self.env.invalidate_all()
        # the deadline depends on the step: computed again for the leads that got one
        Lead = self.env["crm.lead"].with_context(active_test=False)
        for ids in self.batches("crm.lead", SQL("vertrieb_step_id IS NOT NULL")):
            records = Lead.browse(ids)
            self.env.add_to_compute(Lead._fields["vertrieb_step_deadline"], records)
            records.flush_recordset(["vertrieb_step_deadline"])
            self.env.invalidate_all()

    def competitors(self):
        """40 competitors; a third of the opportunities meet 1-3 of them, the first is the main
        competitor; the lost ones are lost to it (bulk SQL), then the competitor analysis' rows."""
        self.env.flush_all()
        self.sql("SELECT setseed(0.20261127)")
        self.sql(
            """
            INSERT INTO vertrieb_competitor (name, active, price_level, create_uid, create_date, write_uid, write_date)
            SELECT 'Bench Wettbewerber ' || n, TRUE, (ARRAY['low', 'market', 'high', 'premium'])[1 + mod(n, 4)],
                   1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
              FROM generate_series(1, 40) n
            """
        )
        self.sql(
            """
            WITH competitors AS (SELECT array_agg(id ORDER BY id) AS ids FROM vertrieb_competitor),
                 picked AS (
                    SELECT lead.id AS lead_id, 1 + floor(random() * 3)::int AS k
                      FROM crm_lead lead WHERE lead.type = 'opportunity' AND random() < 0.33
                 )
            INSERT INTO crm_lead_vertrieb_competitor_rel (lead_id, competitor_id)
            SELECT DISTINCT picked.lead_id, competitors.ids[1 + floor(random() * 40)::int]
              FROM picked, competitors, generate_series(1, 3) g
             WHERE g <= picked.k
            ON CONFLICT DO NOTHING
            """
        )
        self.sql(
            """
            UPDATE crm_lead lead
               SET vertrieb_main_competitor_id = first.competitor_id,
                   vertrieb_lost_to_id = CASE WHEN NOT lead.active AND lead.probability = 0
                                              THEN first.competitor_id END
              FROM (SELECT lead_id, min(competitor_id) AS competitor_id
                      FROM crm_lead_vertrieb_competitor_rel GROUP BY lead_id) first
             WHERE first.lead_id = lead.id
            """
        )
        self.env.invalidate_all()
        deleted, written = self.env["vertrieb.competitor.report"]._vertrieb_rows_refresh()
        [(links,)] = self.sql("SELECT COUNT(*) FROM crm_lead_vertrieb_competitor_rel")
        log(f"competitors: {links} links to opportunities, {written} rows of the competitor analysis")

    def acquisition_costs(self):
        """1-3 cost entries on a fifth of the opportunities (bulk SQL), with the stored cost and
        budget flag of their leads as the ORM computes them, then the cost analysis' rows."""
        self.env.flush_all()
        self.sql("SELECT setseed(0.20261127)")
        self.sql(
            """
            INSERT INTO vertrieb_acquisition_cost
                   (lead_id, name, date, cost_type, step_id, company_id, amount, user_id, team_id, channel_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT lead.id, 'Bench Kosten', lead.create_date::date,
                   (ARRAY['travel', 'samples', 'trade_fair', 'external'])[1 + floor(random() * 4)::int],
                   lead.vertrieb_step_id, coalesce(lead.company_id, %(company)s),
                   round((random() * 900 + 50)::numeric, 2),
                   lead.user_id, lead.team_id, lead.vertrieb_channel_id,
                   1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
              FROM crm_lead lead, generate_series(1, 3) g
             WHERE lead.type = 'opportunity' AND mod(lead.id, 5) = 0 AND g <= 1 + mod(lead.id, 3)
            """,
            company=self.env.company.id,
        )
        # the stored cost and budget flag of the leads with costs: the set-based fill of these fields
        # (their compute in SQL, as at the install and in the typed-cost migration)
        lead_ids = [lead_id for (lead_id,) in self.sql("SELECT DISTINCT lead_id FROM vertrieb_acquisition_cost")]
        self.env["crm.lead"]._vertrieb_fill_acquisition_columns(
            ["vertrieb_actual_cost", "vertrieb_budget_exceeded"], lead_ids
        )
        deleted, written = self.env["vertrieb.acquisition.cost.report"]._vertrieb_rows_refresh()
        [(count,)] = self.sql("SELECT COUNT(*) FROM vertrieb_acquisition_cost")
        log(f"acquisition costs: {count} entries, {written} rows of the cost analysis")

    def acquisition_pipeline(self):
        """A share of the opportunities in the acquisition pipeline (``crm_vertrieb.team_acquisition``),
        with the step history, schedule and stored fields the acquisition write leaves: each lead
        entered step 1 when it was created (its schedule proposed from that day), went through the
        steps up to its current one at increasing dates within its lifetime (a won lead entered the
        won step "closing" when it was closed, a lost lead stays in the step it was lost in), and its
        conversion rows, step deadline, cost entries and the rows of the competitor and cost reports
        follow. Set-based; last of the parts, so a database settled before ends up as a fresh one."""
        env = self.env
        team = env.ref("crm_vertrieb.team_acquisition")
        stages = {
            stage.vertrieb_step_id: stage
            for stage in env["crm.stage"].search(
                [("team_id", "=", team.id), ("vertrieb_step_id", "!=", False)], order="sequence desc, id desc"
            )
        }
        steps = env["vertrieb.acquisition.step"].sudo().search([])
        if len(steps) < 8 or not all(step in stages for step in steps):
            log("acquisition pipeline: the pipeline lacks a stage for a step, nothing done")
            return
        env.flush_all()
        self.sql("SELECT setseed(0.20261203)")
        bounds = [0.0]
        for weight in ACQUISITION_OPEN_WEIGHTS[:-1]:
            bounds.append(bounds[-1] + weight / sum(ACQUISITION_OPEN_WEIGHTS))
        # the picked opportunities, their outcome (as generated) and their current step (number k);
        # random() is drawn in id order, so the choice does not depend on the rows' physical order
        self.sql(
            """
            DROP TABLE IF EXISTS bench_t_acq;
            CREATE TEMP TABLE bench_t_acq AS
            WITH drawn AS MATERIALIZED (
                SELECT o.id, random() AS r_pick, random() AS r_step
                  FROM (SELECT id FROM crm_lead WHERE type = 'opportunity' ORDER BY id) o
            ), picked AS (
                SELECT lead.id, lead.create_date AS created, lead.date_closed, lead.user_id, lead.company_id,
                       CASE WHEN stage.is_won THEN 'won'
                            WHEN NOT lead.active AND lead.probability = 0 THEN 'lost'
                            ELSE 'open' END AS state,
                       drawn.r_step,
                       (lead.create_date AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(partner.tz, 'UTC'))::date AS day
                  FROM drawn
                  JOIN crm_lead lead ON lead.id = drawn.id
                  JOIN crm_stage stage ON stage.id = lead.stage_id
                  LEFT JOIN res_users u ON u.id = lead.user_id
                  LEFT JOIN res_partner partner ON partner.id = u.partner_id
                 WHERE drawn.r_pick < %(share)s
            )
            SELECT picked.*,
                   CASE WHEN state = 'won' THEN CASE WHEN r_step < %(feedback)s THEN 8 ELSE 7 END
                        ELSE width_bucket(r_step, %(bounds)s::float8[]) END AS k,
                   CASE WHEN state = 'open' THEN now() AT TIME ZONE 'UTC' ELSE date_closed END AS end_date
              FROM picked;
            CREATE UNIQUE INDEX ON bench_t_acq (id);
            ANALYZE bench_t_acq
            """,
            share=ACQUISITION_SHARE,
            feedback=ACQUISITION_FEEDBACK_SHARE,
            bounds=bounds,
        )
        # the schedule proposed when a lead entered step 1 (``_vertrieb_propose``): the same for every
        # lead entering on the same day in the same company's calendar
        plans = {"company": [], "day": [], "step": [], "planned": []}
        days_of = {}
        for company_id, day in self.sql("SELECT DISTINCT company_id, day FROM bench_t_acq ORDER BY 1, 2"):
            days_of.setdefault(company_id, []).append(day)
        for company_id, days in days_of.items():
            calendar = (env["res.company"].browse(company_id or []) or env.company).resource_calendar_id
            for day, schedule in self.schedules(calendar, steps, days).items():
                for step, planned in schedule:
                    plans["company"].append(company_id)
                    plans["day"].append(day)
                    plans["step"].append(step.id)
                    plans["planned"].append(planned)
        self.sql(
            """
            INSERT INTO vertrieb_lead_step_plan
                   (lead_id, step_id, step_sequence, date_planned, company_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT a.id, p.step_id, step.sequence, p.planned, a.company_id, a.user_id, a.created, a.user_id, a.created
              FROM bench_t_acq a
              JOIN unnest(%s::int4[], %s::date[], %s::int4[], %s::date[]) AS p(company_id, day, step_id, planned)
                ON p.company_id IS NOT DISTINCT FROM a.company_id AND p.day = a.day
              JOIN vertrieb_acquisition_step step ON step.id = p.step_id
            """,
            plans["company"],
            plans["day"],
            plans["step"],
            plans["planned"],
        )
        # the steps 1..k: step 1 entered at the creation, the next ones at increasing times (one in
        # each k-th of the lead's lifetime, random within it); a won lead entered "closing" (7) when
        # it was closed, "evaluation" (8) some time after. Each stay ends when the next one starts.
        self.sql(
            """
            DROP TABLE IF EXISTS bench_t_acq_line;
            CREATE TEMP TABLE bench_t_acq_line AS
            WITH drawn AS (
                SELECT ordered.*, random() AS u
                  FROM (SELECT a.id, a.created, a.date_closed, a.end_date, a.state, a.k, g.i
                          FROM bench_t_acq a, generate_series(1, a.k) g(i) ORDER BY a.id, g.i) ordered
            ), entered AS (
                SELECT id AS lead_id, i, k,
                       (%(steps)s::int4[])[i] AS step_id, (%(stages)s::int4[])[i] AS stage_id,
                       CASE WHEN i = 1 THEN created
                            ELSE date_trunc('second', CASE
                                WHEN state = 'won' AND i = 7 THEN date_closed
                                WHEN state = 'won' AND i = 8
                                     THEN date_closed + ((now() AT TIME ZONE 'UTC') - date_closed) * u
                                WHEN state = 'won' THEN created + (date_closed - created) * ((i - 1 + u) / 6.0)
                                ELSE created + (end_date - created) * ((i - 1 + u) / k) END) END AS date_enter
                  FROM drawn
            )
            SELECT entered.*, lead(date_enter) OVER (PARTITION BY lead_id ORDER BY i) AS date_leave
              FROM entered;
            -- the cost entries look up the step of their lead by date (one index probe each)
            CREATE INDEX ON bench_t_acq_line (lead_id, i);
            ANALYZE bench_t_acq_line
            """,
            steps=steps.ids,
            stages=[stages[step].id for step in steps],
        )
        # the history lines as ``_vertrieb_record`` writes them: a stay is closed by the next move
        # (left on, days, planned end and delay from the schedule), the current one opened with 0 days
        self.sql(
            """
            INSERT INTO vertrieb_lead_step_history
                   (lead_id, step_id, stage_id, date_enter, date_leave, user_id, overridden, override_reason,
                    salesperson_id, team_id, company_id, duration_days, is_current, date_planned, delay_days,
                    create_uid, create_date, write_uid, write_date)
            SELECT x.lead_id, x.step_id, x.stage_id, x.date_enter, x.date_leave, a.user_id, FALSE, NULL,
                   a.user_id, %(team)s, a.company_id,
                   CASE WHEN x.date_leave IS NULL THEN 0
                        ELSE EXTRACT(EPOCH FROM (x.date_leave - x.date_enter)) / 86400.0 END,
                   x.date_leave IS NULL,
                   CASE WHEN x.date_leave IS NOT NULL THEN plan.date_planned END,
                   CASE WHEN x.date_leave IS NOT NULL THEN x.date_leave::date - plan.date_planned END,
                   a.user_id, x.date_enter, a.user_id, COALESCE(x.date_leave, x.date_enter)
              FROM bench_t_acq_line x
              JOIN bench_t_acq a ON a.id = x.lead_id
              LEFT JOIN vertrieb_lead_step_plan plan ON plan.lead_id = x.lead_id AND plan.step_id = x.step_id
             ORDER BY x.lead_id, x.i
            """,
            team=team.id,
        )
        # the leads: team, stage of their current step, entered then (their last stage change)
        self.sql(
            """
            UPDATE crm_lead lead
               SET team_id = %s, stage_id = x.stage_id, vertrieb_step_id = x.step_id,
                   vertrieb_step_date_enter = x.date_enter, date_last_stage_update = x.date_enter
              FROM bench_t_acq_line x
             WHERE x.lead_id = lead.id AND x.i = x.k
            """,
            team.id,
        )
        lead_ids = [lead_id for (lead_id,) in self.sql("SELECT id FROM bench_t_acq ORDER BY id")]
        env.invalidate_all()
        # the step deadline (the set-based fill of the stored fields, their compute in SQL)
        env["crm.lead"]._vertrieb_fill_acquisition_columns(["vertrieb_step_id", "vertrieb_step_deadline"], lead_ids)
        # their cost entries: the team (related) and the step the lead was in on the cost's date
        self.sql(
            """
            UPDATE vertrieb_acquisition_cost cost
               SET team_id = %s,
                   step_id = COALESCE(
                       (SELECT x.step_id FROM bench_t_acq_line x
                         WHERE x.lead_id = cost.lead_id AND x.date_enter::date <= cost.date
                         ORDER BY x.i DESC LIMIT 1),
                       (SELECT x.step_id FROM bench_t_acq_line x WHERE x.lead_id = cost.lead_id AND x.i = 1))
              FROM bench_t_acq a
             WHERE a.id = cost.lead_id
            """,
            team.id,
        )
        env.invalidate_all()
        converted = env["vertrieb.kpi.conversion"]._vertrieb_conversion_refresh(lead_ids)
        competitor_rows = env["vertrieb.competitor.report"]._vertrieb_rows_refresh(lead_ids)
        cost_rows = env["vertrieb.acquisition.cost.report"]._vertrieb_rows_refresh(lead_ids)
        counts = dict(self.sql("SELECT state, COUNT(*) FROM bench_t_acq GROUP BY state"))
        [(lines,)] = self.sql("SELECT COUNT(*) FROM bench_t_acq_line")
        log(
            f"acquisition pipeline: {len(lead_ids)} opportunities ({counts}), {lines} history lines; "
            f"rows (deleted, written): conversion {converted}, competitors {competitor_rows}, costs {cost_rows}"
        )
        self.sql("DROP TABLE bench_t_acq, bench_t_acq_line")

    def schedules(self, calendar, steps, days):
        """{day: the schedule ``_vertrieb_schedule`` proposes from step 1 on ``day``} for the sorted
        ``days``: each step ends on the n-th working day of ``calendar`` after the previous end (n
        its target days). The working days are read once from the calendar (one ``plan_days`` per
        day and step costs seconds per hundred days); a few days are checked against the model."""
        Plan = self.env["vertrieb.lead.step.plan"].sudo()
        if not calendar or not days:
            return {day: Plan._vertrieb_schedule(calendar, steps, steps[0], day) for day in days}
        span = timedelta(days=2 * sum(steps.mapped("target_days")) + 60)
        start = Plan._vertrieb_end_of_day(calendar, days[0])
        intervals = calendar._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(Plan._vertrieb_end_of_day(calendar, days[-1]) + span)
        )[False]
        working = sorted({begin.date() for begin, _end, _meta in intervals})
        result = {}
        for day in days:
            end, schedule = day, []
            for step in steps:
                if step.target_days:
                    end = working[bisect.bisect_right(working, end) + step.target_days - 1]
                schedule.append((step, end))
            result[day] = schedule
        for day in {days[0], days[len(days) // 2], days[-1]}:
            expected = Plan._vertrieb_schedule(calendar, steps, steps[0], day)
            if result[day] != expected:
                raise AssertionError(f"settle: schedule of {day} {result[day]} differs from the model's {expected}")
        return result

    def sales_manager(self):
        """The sales manager who opens the reports of the screen cases: a user of the database like
        the salespeople (created in a case's own transaction, the planner would not know the user)."""
        log(f"sales manager: {_users(self.env)['manager'].login}")

    def rebuild_changes_nothing(self, what, rebuild):
        """A full rebuild (rolled back) finds nothing to delete or insert."""
        try:
            with self.env.cr.savepoint():
                raise _Rollback(rebuild())
        except _Rollback as done:
            changes = done.args[0]
        if changes != (0, 0):
            raise AssertionError(f"settle: a full rebuild of the {what} still changes {changes} rows")

    def compare_with_compute(self, model, ids, fnames, what=None):
        """The stored values of ``fnames`` of the records ``ids`` equal the ORM compute (rolled back)."""
        Model = self.env[model].with_context(active_test=False)
        records = Model.browse(ids)
        self.env.invalidate_all()
        stored = records.read(fnames)
        try:
            with self.env.cr.savepoint():
                for name in fnames:
                    self.env.add_to_compute(Model._fields[name], records)
                records.flush_recordset(fnames)
                self.env.invalidate_all()
                fresh = records.read(fnames)
                raise _Rollback
        except _Rollback:
            pass
        self.env.invalidate_all()
        wrong = [
            (a["id"], name, a[name], b[name])
            for a, b in zip(stored, fresh, strict=True)
            for name in fnames
            if a[name] != b[name] and name != "vertrieb_quality_date"
        ]
        what = what or model
        if wrong:
            raise AssertionError(f"settle: {what} stored values differ from the ORM compute: {wrong[:5]}")
        log(f"checked {len(ids)} {what} against the ORM compute")

    def check_acquisition(self):
        """The leads of the acquisition pipeline: a sample's step fields equal the ORM compute; every
        lead in a step has exactly one current history line, of its step and entered when the lead
        entered it; its stays follow each other (each left when the next was entered, days = left
        minus entered) within the lead's lifetime; no lead without a step has a current line."""
        ids = [
            r
            for (r,) in self.sql(
                "SELECT id FROM crm_lead WHERE vertrieb_step_id IS NOT NULL ORDER BY random() LIMIT %s", SAMPLE
            )
        ]
        if ids:
            self.compare_with_compute("crm.lead", ids, ACQUISITION_LEAD_FIELDS, "acquisition leads")
        self.env.flush_all()
        problems = self.sql(
            """
            WITH current AS (
                SELECT lead_id, COUNT(*) AS n, min(step_id) AS step_id, min(date_enter) AS date_enter
                  FROM vertrieb_lead_step_history WHERE is_current GROUP BY lead_id
            ), stays AS (
                SELECT h.*, lead(h.date_enter) OVER (PARTITION BY h.lead_id ORDER BY h.date_enter, h.id) AS next_enter
                  FROM vertrieb_lead_step_history h
            )
            SELECT 'current line', l.id FROM crm_lead l LEFT JOIN current c ON c.lead_id = l.id
             WHERE l.vertrieb_step_id IS NOT NULL
               AND (c.n IS DISTINCT FROM 1 OR c.step_id IS DISTINCT FROM l.vertrieb_step_id
                    OR c.date_enter IS DISTINCT FROM l.vertrieb_step_date_enter)
            UNION ALL
            SELECT 'current line without step', c.lead_id FROM current c JOIN crm_lead l ON l.id = c.lead_id
             WHERE l.vertrieb_step_id IS NULL
            UNION ALL
            SELECT 'stays', s.lead_id FROM stays s JOIN crm_lead l ON l.id = s.lead_id
             WHERE s.is_current <> (s.date_leave IS NULL)
                OR s.date_leave IS DISTINCT FROM s.next_enter AND NOT (s.is_current AND s.next_enter IS NULL)
                OR s.date_enter < date_trunc('second', l.create_date)
                OR s.date_leave > now() AT TIME ZONE 'UTC'
                OR NOT s.is_current AND abs(s.duration_days
                                            - EXTRACT(EPOCH FROM (s.date_leave - s.date_enter)) / 86400.0) > 0.0001
             LIMIT 10
            """
        )
        if problems:
            raise AssertionError(f"settle: step history inconsistent (check, lead id): {problems}")
        [(leads, lines)] = self.sql("SELECT COUNT(DISTINCT lead_id), COUNT(*) FROM vertrieb_lead_step_history")
        log(f"step history: {lines} lines of {leads} leads, one current line per lead in a step, of its step")

    def check(self):
        """A random sample of each model recomputed by the ORM equals what is stored (rolled back);
        the ledger equals a full rebuild."""
        checks = dict(ORM_FIELDS)
        checks["res.partner"] = [*checks["res.partner"], *QUALITY_FIELDS]
        checks["crm.lead"] = [*checks["crm.lead"], *CHECKED_LEAD_FIELDS]
        for model, fnames in checks.items():
            table = SQL.identifier(self.env[model]._table)
            ids = [r for (r,) in self.sql("SELECT id FROM %s ORDER BY random() LIMIT %s", table, SAMPLE)]
            self.compare_with_compute(model, ids, fnames)
        self.check_acquisition()
        self.rebuild_changes_nothing("ledger", self.env["vertrieb.kpi.contact.line"]._vertrieb_sync)
        [(count,)] = self.sql("SELECT COUNT(*) FROM vertrieb_kpi_contact_line")
        log(f"ledger: {count} rows, equal to a full rebuild")
        self.rebuild_changes_nothing(
            "conversion rows", self.env["vertrieb.kpi.conversion"]._vertrieb_conversion_refresh
        )
        [(count,)] = self.sql("SELECT COUNT(*) FROM vertrieb_kpi_conversion_row")
        log(f"conversion rows: {count}, equal to a full rebuild")
        self.rebuild_changes_nothing("sales rows", self.env["vertrieb.kpi.sales"]._vertrieb_sales_refresh)
        [(count,)] = self.sql("SELECT COUNT(*) FROM vertrieb_kpi_sales_line")
        log(f"sales rows: {count}, equal to a full rebuild")
        for report in ("vertrieb.competitor.report", "vertrieb.acquisition.cost.report"):
            Report = self.env[report]
            self.rebuild_changes_nothing(f"{report} rows", Report._vertrieb_rows_refresh)
            [(count,)] = self.sql("SELECT COUNT(*) FROM %s", SQL.identifier(Report._rows_table))
            log(f"{report}: {count} rows, equal to a full rebuild")
