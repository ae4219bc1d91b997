#!/usr/bin/env python3
"""`make bench`: every learner page against Django's own floor, on a large dataset.

    python bench/bench.py [--quick] [--database-url URL] [--workers N] [--threads N] [--out FILE]

It seeds a fresh database (`manage.py seed_bench`: 5,000 questions, 1,000 learners, 100,000
answers), then measures each learner page and the answer POST, signed in as a learner with
10,000 answers:
- the SQL queries of one request (CaptureQueriesContext);
- the median time of a request in-process (Django's test Client, DEBUG off);
- the throughput under gunicorn (DEBUG off, a fixed number of sync workers), each page run right
  after the floor endpoint (/bench/floor/: one query, a small template) and reported as a share
  of it, so that the machine's speed and load cancel out;
and the bytes of a quiz page's first load (its HTML and every stylesheet, script, image and font
it references, compressed as served). The results go to stdout and, in a section of their own per
database, to docs/benchmarks.md (not with --quick).

The default database is an SQLite file in a temporary folder. A --database-url database is
dropped and made anew, so its name must contain "bench" (e.g. postgres://postgres@127.0.0.1:5432/srm_bench).
"""

import argparse
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, this folder comes first on sys.path, where `bench` would be this file: with the
    # project root before it, `bench` is the package of the modules below (and the project's apps import).
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Each piece that tests/test_bench.py reaches through this module and main() does not use is
# imported `as` itself, as a re-export.
from bench.bench_measure import Pool as Pool
from bench.bench_measure import Server, measure_in_process, measure_throughput, request_headers
from bench.bench_measure import drive as drive
from bench.bench_measure import repeat as repeat
from bench.bench_page_weight import first_load
from bench.bench_report import MAX_QUERIES as MAX_QUERIES
from bench.bench_report import database_label, machine, report, write_section
from bench.bench_scenario import (
    FULL,
    QUICK,
    ROOT,
    Request,
    build_scenario,
    fresh_database,
    server_environment,
    set_up_django,
)
from bench.bench_scenario import HOST as HOST

DOC = ROOT / "docs" / "benchmarks.md"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Small sizes and short runs: a smoke test.")
    parser.add_argument("--database-url", default="", help="Default: an SQLite file in a temporary folder.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2).")
    parser.add_argument("--threads", type=int, default=4, help="Client threads (default 4).")
    parser.add_argument(
        "--out", default=None, help=f"Markdown file to update (default {DOC.relative_to(ROOT)}; none with --quick)."
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    out = Path(args.out) if args.out else (None if args.quick else DOC)

    scratch = Path(tempfile.mkdtemp(prefix="srm-bench-"))
    load_before = os.getloadavg()[0]
    try:
        env = server_environment(fresh_database(args.database_url, scratch))
        seed_seconds = set_up_django(env, sizes)
        scenario = build_scenario(sizes.pool + sizes.reps)
        label = database_label()
        results = measure_in_process(scenario, sizes)
        server = Server(env, args.workers, scratch / "gunicorn.log")
        try:
            errors = measure_throughput(results, scenario, server.port, sizes, args.threads)
            page_headers = request_headers(Request("GET", "", scenario.session), scenario.csrf)
            transfers = first_load(server.port, scenario.pages["question page"], page_headers)
        finally:
            server.stop()
        run = {
            "results": results,
            "transfers": transfers,
            "machine": machine(label),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "quick": args.quick,
            "load": (load_before, os.getloadavg()[0]),
            "sizes": sizes,
            "seed_seconds": seed_seconds,
            "workers": args.workers,
            "threads": args.threads,
            "errors": errors,
        }
        section = report(run)
        print(section)
        if out:
            key = "postgresql" if label.startswith("PostgreSQL") else "sqlite"
            document = out.read_text() if out.exists() else "# Benchmarks\n"
            out.write_text(write_section(document, key, section))
            print(f"Updated {out}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
