#!/usr/bin/env python3
"""`make load`: simulated learners against two gunicorn servers that share one PostgreSQL database.

    python bench/load.py [--learners N] [--concurrency C] [--workers W] [--database-url URL] [--keep]

Each learner signs up, reads a study page, takes the practice quick check to the end (answering
every question and reading each answer's feedback), finishes it and opens /progress/. Every
learner's requests alternate between the two servers, so each step reads what the other server
wrote. Both servers run with debug off, like production; Redis is shared too when REDIS_URL is set.

The checks, each of which makes the exit status non-zero when it fails:
- every request got the status and redirect it should (a 4xx/5xx, an error page, a refused answer
  or a lost session all show as a wrong status or redirect), and the servers logged no error;
- the database holds exactly the answers the learners sent: the same count per learner and the
  same response per question;
- every gunicorn worker's resident memory (VmRSS) at the end is under --max-rss-mb.
It prints requests/s and p50/p95/p99 latency, overall and per page kind, and each worker's RSS.

Without --database-url it creates a dedicated database (srm_load on the local PostgreSQL, made
anew) and drops it at the end unless --keep. Only the standard library and the project's own
requirements (psycopg, gunicorn) are used.
"""

import argparse
import os
import re
import secrets
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

if __name__ == "__main__":
    # Run as a script, this folder comes first on sys.path, where `bench` would be bench.py: with the
    # project root before it, `bench` is the package of the modules below.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_learner import simulate
from bench.load_report import compare_answers, latency_rows
from bench.load_servers import (
    create_database,
    drop_database,
    prepare,
    site_environment,
    start_server,
    stop_server,
    stored_answers,
    wait_until_healthy,
    workers_cpu,
    workers_of,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/srm_load"
# An error in a server's log: a 500 ("Internal Server Error: /path" and its traceback) or gunicorn's own.
LOG_ERROR = re.compile(r"Traceback|Internal Server Error|\bERROR\b|\bCRITICAL\b")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=60, help="simulated learners (default 60)")
    parser.add_argument("--concurrency", type=int, default=20, help="learners at a time (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server (default 2)")
    parser.add_argument(
        "--database-url",
        help=f"a PostgreSQL database to use as it is; by default {DEFAULT_DATABASE_URL} is made anew and dropped",
    )
    parser.add_argument("--keep", action="store_true", help="keep the dedicated database and the server logs")
    parser.add_argument("--max-rss-mb", type=float, default=150, help="the memory target per worker (default 150)")
    args = parser.parse_args(argv)

    database_url = args.database_url or DEFAULT_DATABASE_URL
    dedicated = args.database_url is None
    logs = Path(tempfile.mkdtemp(prefix="srm-load-"))
    env = site_environment(database_url)
    tag, seed = secrets.token_hex(3), secrets.randbits(32)
    servers = []
    problems = []
    print(
        f"database {database_url}{' (made for this run)' if dedicated else ''}; redis {env.get('REDIS_URL') or 'off'}"
    )
    try:
        if dedicated:
            try:
                create_database(database_url)
            except psycopg.OperationalError as error:
                raise SystemExit(f"cannot make {database_url}: {error}") from None
        prepare(env)
        servers = [start_server(env, args.workers, logs) for _ in range(2)]
        for server in servers:
            wait_until_healthy(server)
        ports = [server.port for server in servers]
        print(
            f"{args.learners} learners, {args.concurrency} at a time, against :{ports[0]} and :{ports[1]} "
            f"({args.workers} workers each)"
        )

        load_before, cpu_before, servers_cpu_before = os.getloadavg()[0], time.process_time(), workers_cpu(servers)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            learners = list(pool.map(lambda index: simulate(index, tag, ports, seed), range(args.learners)))
        elapsed = time.perf_counter() - started
        load_after, driver_cpu = os.getloadavg()[0], time.process_time() - cpu_before
        servers_cpu = workers_cpu(servers) - servers_cpu_before

        rss = {
            server.port: {pid: size for pid, (size, _) in workers_of(server.process.pid).items()} for server in servers
        }
        samples = [sample for learner in learners for sample in learner.samples]
        failed = [learner for learner in learners if learner.failure]
        for learner in failed[:10]:
            problems.append(f"{learner.username}: {learner.failure}")
        if len(failed) > 10:
            problems.append(f"... and {len(failed) - 10} more learners failed")

        print(f"\n{len(samples)} requests in {elapsed:.1f} s: {len(samples) / elapsed:.1f} requests/s")
        # The client shares the machine with the servers and the database: its CPU time and the
        # load average say how much of the machine the figures had.
        print(
            f"{os.cpu_count()} CPUs; load average {load_before:.1f} before, {load_after:.1f} after; "
            f"this client used {driver_cpu:.1f} s of CPU"
        )
        # Less dependent on what else runs on the machine than the latencies are.
        print(
            f"gunicorn workers used {servers_cpu:.1f} s of CPU: {1000 * servers_cpu / len(samples):.1f} ms per request"
        )
        problems += compare_answers(learners, stored_answers(database_url, [learner.username for learner in learners]))
        print(f"\n{'page kind':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for kind, count, p50, p95, p99 in latency_rows(samples):
            print(f"{kind:<14}{count:>9}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")
        print("\nworker memory (VmRSS):")
        for port, sizes in rss.items():
            listed = ", ".join(f"{pid}: {size:.0f} MB" for pid, size in sorted(sizes.items()))
            print(f"  :{port}  {listed}")
            over = [size for size in sizes.values() if size >= args.max_rss_mb]
            if over:
                problems.append(f"{len(over)} worker(s) of :{port} at or over {args.max_rss_mb:.0f} MB")
            if len(sizes) != args.workers:
                problems.append(f":{port} has {len(sizes)} workers, not {args.workers}")
    finally:
        for server in servers:
            stop_server(server)
        if dedicated and not args.keep:
            drop_database(database_url)

    for server in servers:
        errors = [line for line in server.log.read_text(errors="replace").splitlines() if LOG_ERROR.search(line)]
        if errors:
            problems.append(f"gunicorn :{server.port} logged {len(errors)} error lines, first: {errors[0][:200]}")
    if problems:
        print("\nFAILED:\n" + "\n".join(f"- {problem}" for problem in problems))
        print(f"server logs: {logs}")
        return 1
    print(f"\nOK: every request succeeded, every answer sent is stored, every worker is under {args.max_rss_mb:.0f} MB")
    if args.keep:
        print(f"kept: {database_url} and the server logs in {logs}")
    else:
        for server in servers:
            server.log.unlink()
        logs.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
