"""Benchmarks of the information-quality feature (issue #6).

- dup_candidates_one_partner: candidate search for one partner among all (median of 25 partners),
  ours (trigram GIN index + btree keys) vs the same similarity computed by a sequential scan.
- dup_full_scan_100k: the blocked full duplicate scan; baseline: all-pairs similarity on a sample,
  extrapolated quadratically to the whole table. Prints recall/precision against the seeded
  duplicates of ``bench_dup_truth(partner_a, partner_b)`` when the dataset provides it.
- quality_score_100k: the daily cron's full pass over all partners (first run: every score
  changes; rerun_s: the unchanged re-run); baseline: the ORM recompute on a sample, extrapolated.

Partners inserted by raw SQL have no keys yet: they are computed first (reported as keys_s).
Where the dataset holds fewer partners than the scale asks, the case seeds German-looking
partners with misspelled duplicates itself (inside the rolled-back transaction).
"""

import random
import resource
import statistics
import time

from odoo.tools import SQL

TARGET = {"small": 5000, "large": 100000, "xlarge": 1000000}

SURNAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
    "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange "
    "Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter "
    "Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich "
    "Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon"
).split()
FIRST = (
    "Hans Peter Klaus Thomas Michael Andreas Stefan Jürgen Uwe Frank Anna Maria Ursula Petra Sabine "
    "Monika Claudia Susanne Andrea Birgit Lukas Jonas Leon Felix Paul Lena Julia Laura Sophie Katrin"
).split()
TRADES = (
    "Bau Logistik Elektro Sanitär Haustechnik Metallbau Holzbau Gartenbau Druck Optik Reisen "
    "Immobilien Steuerberatung Consulting Spedition Autohaus Bäckerei Maschinenbau Transporte "
    "Gebäudereinigung Sicherheitstechnik Landtechnik Medizintechnik Kältetechnik Malerbetrieb"
).split()
LEGAL = ["GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "OHG", "UG (haftungsbeschränkt)", ""]
STREETS = "Hauptstraße Bahnhofstraße Gartenweg Schulstraße Dorfstraße Lindenallee Kirchplatz Industriestraße".split()


def _misspell(rng, name):
    variants = [
        lambda n: n.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss"),
        lambda n: n.replace("ei", "ey", 1) if "ei" in n else n.replace("ai", "ei", 1),
        lambda n: n.replace("dt", "tt", 1) if "dt" in n else n.replace("mm", "m", 1),
        lambda n: " ".join(reversed(n.split())) if len(n.split()) == 2 else n + " GmbH",
        lambda n: n[: len(n) // 2] + n[len(n) // 2 + 1 :],
        lambda n: n.replace(" GmbH", " AG") if " GmbH" in n else n + " e.K.",
    ]
    result = rng.choice(variants)(name)
    return result if result != name else variants[4](name)


def _seed_partners(env, count):
    """Insert ``count`` partners (2 % seeded misspelled duplicates) and their truth pairs."""
    rng = random.Random(6)
    country_id = env.ref("base.de").id
    rows, truth = [], []
    start_id = env.execute_query(SQL("SELECT COALESCE(max(id), 0) FROM res_partner"))[0][0] + 1
    for i in range(count):
        if rows and rng.random() < 0.02:
            orig_index = rng.randrange(len(rows))
            name, street, zip_code, city, email, is_company = rows[orig_index]
            rows.append(
                (_misspell(rng, name), street, zip_code, city, email if rng.random() < 0.3 else None, is_company)
            )
            truth.append((start_id + orig_index, start_id + i))
            continue
        zip_code = f"{rng.randrange(1067, 99999):05d}"
        if rng.random() < 0.6:
            name = f"{rng.choice(SURNAMES)} {rng.choice(TRADES)} {rng.choice(LEGAL)}".strip()
            is_company = True
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"
            is_company = False
        email = f"info{i}@firma{i}.de" if rng.random() < 0.5 else None
        rows.append(
            (name, f"{rng.choice(STREETS)} {rng.randrange(1, 200)}", zip_code, f"Ort {zip_code[:3]}", email, is_company)
        )
    for chunk_start in range(0, len(rows), 5000):
        chunk = rows[chunk_start : chunk_start + 5000]
        env.execute_query(
            SQL(
                """INSERT INTO res_partner (id, name, complete_name, street, zip, city, email, is_company,
                                            country_id, type, active, lang, autopost_bills, create_date,
                                            write_date)
                   SELECT v.id, v.name, v.name, v.street, v.zip, v.city, v.email, v.is_company, %s,
                          'contact', TRUE, 'de_DE', 'ask', now(), now()
                     FROM (VALUES %s) v(id, name, street, zip, city, email, is_company)""",
                country_id,
                SQL(", ").join(
                    SQL("(%s, %s, %s, %s, %s, %s, %s)", start_id + chunk_start + j, *row) for j, row in enumerate(chunk)
                ),
            )
        )
    env.execute_query(SQL("SELECT setval('res_partner_id_seq', %s)", start_id + count))
    env.execute_query(SQL("CREATE TABLE IF NOT EXISTS bench_dup_truth (partner_a int, partner_b int)"))
    if truth:
        env.execute_query(
            SQL(
                "INSERT INTO bench_dup_truth VALUES %s",
                SQL(", ").join(SQL("(%s, %s)", a, b) for a, b in truth),
            )
        )


def _prepare(env, scale):
    """Make sure the scale's partners exist and carry their duplicate keys; return keys seconds."""
    target = TARGET.get(scale, TARGET["small"])
    count = env.execute_query(SQL("SELECT count(*) FROM res_partner WHERE active"))[0][0]
    if count < target:
        _seed_partners(env, target - count)
    start = time.perf_counter()
    Partner = env["res.partner"].with_context(active_test=False)
    missing = [
        row[0]
        for row in env.execute_query(
            SQL("SELECT id FROM res_partner WHERE vertrieb_name_key IS NULL AND coalesce(name, '') <> '' ORDER BY id")
        )
    ]
    fields_ = [Partner._fields[f] for f in Partner._VERTRIEB_KEY_FIELDS]
    for chunk_start in range(0, len(missing), 5000):
        batch = Partner.browse(missing[chunk_start : chunk_start + 5000])
        for field in fields_:
            env.add_to_compute(field, batch)
        batch.flush_recordset(list(Partner._VERTRIEB_KEY_FIELDS))
        env.invalidate_all()
    if missing:
        env.execute_query(SQL("ANALYZE res_partner"))
    return time.perf_counter() - start


def _truth(env):
    if not env.execute_query(SQL("SELECT to_regclass('bench_dup_truth')"))[0][0]:
        return None
    return {tuple(sorted(pair)) for pair in env.execute_query(SQL("SELECT partner_a, partner_b FROM bench_dup_truth"))}


def dup_candidates_one_partner(env, scale):
    keys_s = _prepare(env, scale)
    Pair = env["vertrieb.partner.duplicate"]
    Partner = env["res.partner"]
    sample_ids = [
        row[0]
        for row in env.execute_query(
            SQL("SELECT id FROM res_partner WHERE vertrieb_name_key IS NOT NULL AND active ORDER BY id DESC LIMIT 25")
        )
    ]
    key_names = [*Partner._VERTRIEB_KEY_FIELDS, "zip", "city"]
    samples = []
    for partner in Partner.browse(sample_ids):
        keys = {f: partner[f] for f in key_names}
        keys.update(id=partner.id, parent_id=partner.parent_id.id)
        samples.append(keys)
    ours, baseline = [], []
    for keys in samples:
        start = time.perf_counter()
        Pair._vertrieb_find_candidates(keys)
        ours.append(time.perf_counter() - start)
    env.cr.execute(SQL("SET LOCAL enable_bitmapscan = off"))
    env.cr.execute(SQL("SET LOCAL enable_indexscan = off"))
    for keys in samples[:5]:
        start = time.perf_counter()
        env.execute_query(
            SQL(
                """SELECT id, similarity(vertrieb_name_key, %(name)s) FROM res_partner
                    WHERE active AND id <> %(id)s AND (similarity(vertrieb_name_key, %(name)s) >= 0.3
                       OR vertrieb_phonetic_key = %(phon)s OR vertrieb_email_key = %(email)s
                       OR vertrieb_phone_key = %(phone)s OR vertrieb_vat_key = %(vat)s)""",
                name=keys["vertrieb_name_key"] or "",
                id=keys["id"],
                phon=keys["vertrieb_phonetic_key"] or None,
                email=keys["vertrieb_email_key"] or None,
                phone=keys["vertrieb_phone_key"] or None,
                vat=keys["vertrieb_vat_key"] or None,
            )
        )
        baseline.append(time.perf_counter() - start)
    env.cr.execute(SQL("RESET enable_bitmapscan"))
    env.cr.execute(SQL("RESET enable_indexscan"))
    partners = env.execute_query(SQL("SELECT count(*) FROM res_partner WHERE active"))[0][0]
    return {
        "name": "dup_candidates_one_partner",
        "ours": statistics.median(ours),
        "baseline": statistics.median(baseline),
        "partners": partners,
        "ours_max_ms": round(max(ours) * 1000, 1),
        "keys_s": round(keys_s, 1),
    }


def dup_full_scan_100k(env, scale):
    keys_s = _prepare(env, scale)
    Pair = env["vertrieb.partner.duplicate"]
    start = time.perf_counter()
    pairs = Pair._vertrieb_full_scan()
    ours = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    partners = env.execute_query(SQL("SELECT count(*) FROM res_partner WHERE active AND type = 'contact'"))[0][0]
    # baseline: all pairs of a 2,000-partner sample, extrapolated (n^2) to the whole table
    sample = 2000
    start = time.perf_counter()
    env.execute_query(
        SQL(
            """WITH s AS (SELECT id, vertrieb_name_key k FROM res_partner
                           WHERE active AND vertrieb_name_key IS NOT NULL ORDER BY id LIMIT %s)
               SELECT count(*) FROM s a JOIN s b ON a.id < b.id WHERE similarity(a.k, b.k) >= 0.3""",
            sample,
        )
    )
    baseline = (time.perf_counter() - start) * (partners / sample) ** 2
    result = {
        "name": "dup_full_scan_100k",
        "ours": ours,
        "baseline": baseline,
        "partners": partners,
        "pairs": len(pairs),
        "peak_rss_mb": round(peak_mb),
        "keys_s": round(keys_s, 1),
    }
    truth = _truth(env)
    if truth:
        found = set(pairs)
        hits = found & truth
        result["recall"] = round(len(hits) / len(truth), 3)
        result["precision"] = round(len(hits) / len(found), 3) if found else 0.0
        result["truth_pairs"] = len(truth)
        # two duplicates of the same original are duplicates of each other, but the truth table only
        # records (original, duplicate) pairs: counted separately, not mixed into precision
        source = {}
        for a, b in truth:
            source.setdefault(a, a)
            source[b] = source.get(a, a)
        siblings = {pair for pair in found - truth if source.get(pair[0], -1) == source.get(pair[1], -2)}
        result["same_original_pairs"] = len(siblings)
        result["precision_same_original_ok"] = round(len(hits | siblings) / len(found), 3) if found else 0.0
    return result


def _quality_cron_pass(env):
    """One full pass of the daily quality cron as the cron runner does it: call the cron method
    until nothing is left, a fresh ORM cache per batch (the runner commits between batches).
    Returns (seconds, batches, rows written)."""
    Partner = env["res.partner"]
    env["ir.config_parameter"].set_param("crm_vertrieb.quality_cron_position", False)
    written = []
    refresh = type(Partner)._vertrieb_quality_refresh

    def counting_refresh(self, cache=None):
        count = refresh(self, cache)
        written.append(count)
        return count

    type(Partner)._vertrieb_quality_refresh = counting_refresh
    try:
        start = time.perf_counter()
        batches = 0
        while Partner._cron_vertrieb_quality_recompute():
            batches += 1
            env.invalidate_all()
        seconds = time.perf_counter() - start
    finally:
        type(Partner)._vertrieb_quality_refresh = refresh
    return seconds, batches, sum(written)


def quality_score_100k(env, scale):
    """The cron's full recompute of all partners: a first pass where every stored score changes
    (cleared before, as after new weights), then an unchanged re-run (the usual night), then a
    cold pass without the stored data parts (every validator runs).
    Baseline: the ORM recompute (add_to_compute + flush of the stored fields, what the cron did
    before) of a 6,000-partner sample spread over the table, its scores cleared as well, in batches
    of 2,000, extrapolated."""
    _prepare(env, scale)
    Partner = env["res.partner"].with_context(active_test=False)
    ids = [row[0] for row in env.execute_query(SQL("SELECT id FROM res_partner ORDER BY id"))]
    env.execute_query(
        SQL(
            """UPDATE res_partner SET vertrieb_quality_score = NULL, vertrieb_quality_problem_count = NULL,
                                      vertrieb_quality_level = NULL"""
        )
    )
    env.invalidate_all()
    first, batches, written_first = _quality_cron_pass(env)
    rerun, _batches, written_rerun = _quality_cron_pass(env)
    # cold: no stored data parts either (as never computed): every validator runs once per value
    env.execute_query(SQL("UPDATE res_partner SET vertrieb_quality_parts = NULL, vertrieb_quality_score = NULL"))
    env.invalidate_all()
    cold, _batches, written_cold = _quality_cron_pass(env)
    # the stored scores equal the ORM compute (sample)
    sample = Partner.browse(ids[:: max(len(ids) // 300, 1)])
    expected = sample._vertrieb_quality_evaluate()
    mismatches = sum(
        (p.vertrieb_quality_score, p.vertrieb_quality_problem_count) != (expected[p.id][0], len(expected[p.id][1]))
        for p in sample
    )
    fields_ = [Partner._fields[f] for f in Partner._VERTRIEB_QUALITY_FIELDS]
    sample_ids = ids[:: max(len(ids) // 6000, 1)][:6000]
    env.execute_query(
        SQL(
            "UPDATE res_partner SET vertrieb_quality_parts = NULL, vertrieb_quality_score = NULL WHERE id = ANY(%s)",
            sample_ids,
        )
    )
    env.invalidate_all()
    start = time.perf_counter()
    for chunk_start in range(0, len(sample_ids), 2000):
        batch = Partner.browse(sample_ids[chunk_start : chunk_start + 2000])
        for field in fields_:
            env.add_to_compute(field, batch)
        batch.flush_recordset(list(Partner._VERTRIEB_QUALITY_FIELDS))
        env.invalidate_all()
    baseline = (time.perf_counter() - start) * len(ids) / len(sample_ids)
    return {
        "name": "quality_score_100k",
        "ours": first,
        "baseline": baseline,
        "partners": len(ids),
        "batches": batches,
        "written_first": written_first,
        "rerun_s": round(rerun, 2),
        "written_rerun": written_rerun,
        "cold_s": round(cold, 2),
        "written_cold": written_cold,
        "mismatches": mismatches,
    }


CASES = [dup_candidates_one_partner, dup_full_scan_100k, quality_score_100k]
