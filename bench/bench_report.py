"""The report of `make bench` (bench.py): the machine, the results against the targets, and the
run's own section of docs/benchmarks.md (one per database)."""

import os
import platform
import re
from pathlib import Path

# The targets, each reported as met or missed.
MAX_QUERIES = 12
MAX_PROGRESS_MS = 50
MIN_FLOOR_SHARE = 0.5
MAX_FIRST_LOAD_BYTES = 150_000


def machine(database_label):
    cpu = next(
        (line.split(":", 1)[1].strip() for line in read_lines("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor() or platform.machine(),
    )
    memory = next((int(line.split()[1]) for line in read_lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    release = (
        dict(line.split("=", 1) for line in read_lines("/etc/os-release") if "=" in line)
        .get("PRETTY_NAME", platform.system())
        .strip('"')
    )
    import django

    return {
        "CPU": cpu,
        "nproc": str(os.cpu_count()),
        "RAM": f"{memory / 1024**2:.1f} GiB",
        "OS": f"{release}, {platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "DB": database_label,
        "cache": "Redis (REDIS_URL)" if os.environ.get("REDIS_URL") else "per-process memory",
    }


def read_lines(path):
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def database_label():
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (a file, WAL)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def fmt_rate(value):
    return "—" if value is None else f"{value:,.0f}"


def fmt_share(value):
    return "—" if value is None else f"{100 * value:.0f}%"


def report(run):
    results, transfers = run["results"], run["transfers"]
    pages = [result for result in results if result.name != "floor"]
    lines = [
        f"### {run['machine']['DB']}",
        "",
        f"Run on {run['date']}, {'--quick' if run['quick'] else 'full size'}. Machine: "
        + "; ".join(f"{key} {value}" for key, value in run["machine"].items())
        + f". Load average {run['load'][0]:.2f} before and {run['load'][1]:.2f} after the run (other work on the "
        "machine shows here).",
        "",
        f"Dataset: {run['sizes'].questions:,} seeded questions (and the content's own), "
        f"{run['sizes'].learners:,} learners, {run['sizes'].answers:,} answers, bench-learner "
        f"{run['sizes'].learner_answers:,} of them; seeded in {run['seed_seconds']:.1f} s. "
        f"In-process: median of {run['sizes'].reps} requests. gunicorn: {run['workers']} sync workers, "
        f"{run['threads']} client threads, {run['sizes'].rounds} runs of {run['sizes'].seconds:g} s per page, "
        f"each right after {run['sizes'].seconds:g} s of the floor; {run['errors']} unexpected responses.",
        "",
        "| page | path | queries | median in-process (CPU) | req/s | floor req/s | share of floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        queries = str(result.queries)
        if result.first_view_queries is not None and result.first_view_queries != result.queries:
            queries = f"{result.queries} ({result.first_view_queries} first view)"
        time_taken = f"{result.median_ms:.1f} ms ({result.median_cpu_ms:.1f})"
        lines.append(
            f"| {result.name} | `{result.path}` | {queries} | {time_taken} | {fmt_rate(result.rate)} | "
            f"{fmt_rate(result.floor_rate)} | {fmt_share(result.share)} |"
        )
    total = sum(transfer.body + transfer.headers for transfer in transfers)
    lines += ["", "First load of the quiz page (`Accept-Encoding: gzip, br`, nothing cached):", ""]
    lines += ["| response | status | encoding | body bytes | header bytes |", "| --- | ---: | --- | ---: | ---: |"]
    lines += [
        f"| `{transfer.path}` | {transfer.status} | {transfer.encoding} | {transfer.body:,} | {transfer.headers:,} |"
        for transfer in transfers
    ]
    lines += [f"| **total** | | | | **{total:,}** |", ""]

    worst_queries = max(pages, key=lambda result: max(result.queries, result.first_view_queries or 0))
    most = max(worst_queries.queries, worst_queries.first_view_queries or 0)
    progress = next(result for result in pages if result.name == "progress")
    slowest = min(pages, key=lambda result: result.share or 0)
    verdict = {True: "**met**", False: "**missed**"}
    lines += [
        "Targets:",
        "",
        f"- At most {MAX_QUERIES} queries on every learner page and the answer POST: "
        f"{verdict[most <= MAX_QUERIES]} (most: {most}, {worst_queries.name}).",
        f"- /progress/ under {MAX_PROGRESS_MS} ms median for a learner with {run['sizes'].learner_answers:,} answers: "
        f"{verdict[progress.median_ms < MAX_PROGRESS_MS]} ({progress.median_ms:.1f} ms).",
        f"- Every page at least {fmt_share(MIN_FLOOR_SHARE)} of the floor's throughput: "
        f"{verdict[(slowest.share or 0) >= MIN_FLOOR_SHARE]} (lowest: {slowest.name}, {fmt_share(slowest.share)}).",
        f"- First load of a quiz page at most {MAX_FIRST_LOAD_BYTES:,} bytes: "
        f"{verdict[total <= MAX_FIRST_LOAD_BYTES]} ({total:,} bytes).",
    ]
    return "\n".join(lines) + "\n"


def section_markers(key):
    return f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"


def write_section(document, key, section):
    """`document` with the section of `key` replaced by `section` (appended when new)."""
    start, end = section_markers(key)
    block = f"{start}\n{section}{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(document):
        return pattern.sub(lambda _match: block, document)
    return document.rstrip("\n") + "\n\n" + block + "\n"
