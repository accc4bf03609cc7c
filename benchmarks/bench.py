"""Benchmark runner: generate the dataset once, then time every case of benchmarks/cases/.

A case module exposes ``CASES``: a list of functions ``case(env, scale) -> dict`` returning
``{"name": str, "ours": seconds, "baseline": seconds}`` (and optional extra ``key=value`` items to
print). Cases measure ours against a baseline computed in the same run on the same data; they run
in a savepoint that is rolled back, so the dataset stays as generated.
"""

import argparse
import importlib
import pkgutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


@contextmanager
def timer():
    result = {}
    start = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - start


def time_call(func, repeat=1):
    """Best wall time of ``repeat`` calls (seconds) and the last result."""
    best, value = None, None
    for _i in range(repeat):
        start = time.perf_counter()
        value = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, value


def report(result):
    ours, baseline = result["ours"], result["baseline"]
    ratio = ours / baseline if baseline else float("inf")
    extra = " ".join(f"{k}={v}" for k, v in result.items() if k not in ("name", "ours", "baseline"))
    print(f"BENCH {result['name']} ours={ours:.4f} baseline={baseline:.4f} ratio={ratio:.2f} {extra}".rstrip())
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small", choices=["small", "large", "xlarge"])
    parser.add_argument("--only", default="", help="comma-separated substrings of the case names to run")
    parser.add_argument(
        "--settle-parts",
        default="",
        help="settle only these parts, comma-separated, in this order, without the check (xlarge: the parts a "
        "screen reads first; the others later)",
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="generate the Odoo part of the dataset (crm_vertrieb need not be installed) and stop: "
        "no crm_vertrieb step, no settling, no case (benchmarks/install_into_large)",
    )
    parser.add_argument(
        "--check-only",
        action="store_true",
        help="compare a random sample of crm_vertrieb's stored fields with the ORM compute, the ledger and "
        "the conversion rows with a full rebuild (all rolled back), and stop (benchmarks/install_into_large)",
    )
    args, odoo_args = parser.parse_known_args()
    odoo.tools.config.parse_config(odoo_args)
    dbname = odoo.tools.config["db_name"]
    if isinstance(dbname, list):
        dbname = dbname[0]
    registry = odoo.modules.registry.Registry(dbname)
    from benchmarks import generate

    if args.check_only:
        with registry.cursor() as cr:
            generate.Settler(api.Environment(cr, SUPERUSER_ID, {}), None).check()
            cr.rollback()
        return
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generate.ensure_dataset(env, args.scale, addon=not args.generate_only)
        cr.commit()
        if args.generate_only:
            return
        only = [name.strip() for name in args.settle_parts.split(",") if name.strip()] or None
        generate.ensure_settled(env, commit=cr.commit, only=only)
        cr.commit()
    import benchmarks.cases as cases_pkg

    wanted = [part for part in args.only.split(",") if part]

    for module_info in sorted(pkgutil.iter_modules(cases_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"benchmarks.cases.{module_info.name}")
        for case in getattr(module, "CASES", []):
            if wanted and not any(part in case.__name__ for part in wanted):
                continue
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    report(case(env, args.scale))
                finally:
                    cr.rollback()


if __name__ == "__main__":
    main()
