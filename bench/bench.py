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
import gzip
import http.client
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DOC = ROOT / "docs" / "benchmarks.md"

MAX_QUERIES = 12
MAX_PROGRESS_MS = 50
MIN_FLOOR_SHARE = 0.5
MAX_FIRST_LOAD_BYTES = 150_000


@dataclass(frozen=True)
class Sizes:
    questions: int
    learners: int
    answers: int
    learner_answers: int
    reps: int  # in-process requests per page
    seconds: float  # of each throughput run
    rounds: int  # (floor, page) pairs per page; the median share counts
    pool: int  # fresh questions to answer, for the answer POST


FULL = Sizes(
    questions=5000, learners=1000, answers=100_000, learner_answers=10_000, reps=30, seconds=3, rounds=3, pool=3000
)
QUICK = Sizes(questions=200, learners=20, answers=2000, learner_answers=500, reps=3, seconds=0.3, rounds=1, pool=300)


# --- the database and Django ----------------------------------------------------------------------


def fresh_database(url, scratch):
    """The database URL to use, made empty: a temporary SQLite file by default."""
    if not url:
        return f"sqlite:///{scratch / 'bench.sqlite3'}"
    import dj_database_url

    config = dj_database_url.parse(url)
    name = str(config["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"--database-url: the database is dropped and made anew, so its name must contain 'bench' ({name!r})")
    if config["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
    elif config["ENGINE"].endswith("postgresql"):
        import psycopg
        from psycopg import sql

        server = {
            "host": config["HOST"],
            "port": config["PORT"],
            "user": config["USER"],
            "password": config["PASSWORD"],
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in server.items() if v}) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    else:
        sys.exit(f"--database-url: SQLite or PostgreSQL, not {config['ENGINE']}")
    return url


def server_environment(database_url):
    """Production settings as `make serve` runs them, over plain HTTP on 127.0.0.1."""
    return {
        "DJANGO_SETTINGS_MODULE": "srm_site.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def set_up_django(env, sizes):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    started = time.perf_counter()
    call_command(
        "seed_bench",
        questions=sizes.questions,
        learners=sizes.learners,
        answers=sizes.answers,
        learner_answers=sizes.learner_answers,
    )
    return time.perf_counter() - started


# --- the scenario: who is signed in, which attempts, which pages ----------------------------------


@dataclass
class Request:
    method: str
    path: str
    session: str
    form: dict = field(default_factory=dict)


@dataclass
class Scenario:
    session: str  # bench-learner's
    csrf: str  # one CSRF secret, sent as cookie and header
    pages: dict  # name -> path, GETs as bench-learner
    first_view: Request  # a question never shown before
    pool: list  # fresh Requests answering one question each
    worst_answers: list  # wrong answers to a sort and to a choice question: the most writes


def session_for(user):
    """A signed-in session, stored as a login stores it (the cookie is set by hand: production
    cookies are Secure, and the benchmark speaks plain HTTP)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def answer_form(item, right):
    """A valid answer to `item`, right or wrong (a wrong one names a misconception where it can)."""
    from quizzes.models import Kind

    correct = item.key["correct"]
    if item.kind == Kind.SORT:
        flip = {"aws": "customer", "customer": "shared", "shared": "aws"}
        return {f"card_{key}": owner if right else flip[owner] for key, owner in correct.items()}
    if right:
        return {"choice": list(correct)}
    wrong = [key for key in item.option_keys if key not in correct]
    named = [key for key in wrong if key in item.key.get("misconceptions", {})]
    return {"choice": (named or wrong)[:1], "confidence": "sure"}


def build_scenario(pool_size):
    from django.contrib.auth import get_user_model
    from django.utils.crypto import get_random_string

    from quizzes.attempts import services
    from quizzes.models import Attempt, AttemptItem, Kind, Quiz
    from study.models import Duty, Lesson, Service

    users = get_user_model().objects
    learner = users.get(username="bench-learner")
    quiz = Quiz.objects.get(slug="quick-check")
    # A practice attempt in progress: one question shown, one answered (the feedback page).
    current = services.start_attempt(quiz=quiz, user=learner)
    items = list(current.items.all())
    shown = next(item for item in items if item.kind != Kind.SORT)
    answered = next(item for item in items if item.kind == Kind.OWNER and item != shown)
    services.record_answer(attempt=current, item=answered, response=form_response(answer_form(answered, False)))
    # A finished attempt, every question answered, a third of them wrong.
    done = services.start_attempt(quiz=quiz, user=learner)
    for index, item in enumerate(done.items.all()):
        form = answer_form(item, right=index % 3 != 0)
        services.record_answer(
            attempt=done, item=item, response=form_response(form), confidence=form.get("confidence", "")
        )
    services.finish_attempt(attempt=done)

    lesson = Lesson.objects.in_order().first()
    question_path = f"/quizzes/attempts/{current.pk}/q/"
    pages = {
        "home": "/",
        "lesson": lesson.get_absolute_url(),
        "matrix": "/study/matrix/",
        "diagram": "/study/diagram/",
        "service page": Service.objects.get(slug="ec2").get_absolute_url(),
        "duty page": Duty.objects.in_order().first().get_absolute_url(),
        "quiz list": "/quizzes/",
        "question page": f"{question_path}{shown.number}/",
        "feedback page": f"{question_path}{answered.number}/",
        "results": f"/quizzes/attempts/{done.pk}/results/",
        "progress": "/progress/",
    }

    # Fresh questions to answer, spread over other learners (a learner's answers take turns on
    # PostgreSQL), each learner's attempts copies of one real draw.
    others = list(users.exclude(pk=learner.pk).order_by("pk")[: max(1, min(100, pool_size // 10))])
    template = services.start_attempt(quiz=quiz, user=others[0])
    template_items = list(template.items.all())
    copies = Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            user=others[index % len(others)],
            mode=template.mode,
            pass_mark=template.pass_mark,
            item_count=template.item_count,
        )
        for index in range(-(-pool_size // len(template_items)))
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(
            **{name: getattr(item, name) for name in COPIED_ITEM_FIELDS},
            attempt=attempt,
        )
        for attempt in copies
        for item in template_items
    )
    sessions = {user.pk: session_for(user) for user in others}
    # Learner by learner in turn, so that concurrent answers are mostly of different learners.
    pool = [
        Request(
            "POST",
            f"/quizzes/attempts/{attempt.pk}/q/{item.number}/",
            sessions[attempt.user_id],
            answer_form(item, right=(index + position) % 2 == 0),
        )
        for position, item in enumerate(template_items)
        for index, attempt in enumerate(copies)
    ]
    session = sessions[template.user_id]
    first = next(item for item in template_items if item.kind != Kind.SORT)
    first_view = Request("GET", f"/quizzes/attempts/{template.pk}/q/{first.number}/", session)
    # A wrong sort answer puts each of its cards in the review queue.
    worst = [first, *(item for item in template_items if item.kind == Kind.SORT)]
    worst_answers = [
        Request("POST", f"/quizzes/attempts/{template.pk}/q/{item.number}/", session, answer_form(item, right=False))
        for item in worst
    ]
    # A CSRF secret is 32 letters and digits; sent unmasked as both cookie and header, it is valid.
    return Scenario(session_for(learner), get_random_string(32), pages, first_view, pool, worst_answers)


COPIED_ITEM_FIELDS = (
    "position",
    "kind",
    "question_id",
    "duty_id",
    "service_id",
    "responsibility_id",
    "lesson_id",
    "skill",
    "prompt",
    "options",
    "key",
)


def form_response(form):
    if "choice" in form:
        return {"choices": form["choice"]}
    return {"cards": {name.removeprefix("card_"): owner for name, owner in form.items()}}


# --- in-process: queries and time ------------------------------------------------------------------


@dataclass
class Result:
    name: str
    path: str
    queries: int = 0
    first_view_queries: int | None = None
    median_ms: float = 0.0
    median_cpu_ms: float = 0.0  # this process's CPU only: Django, and SQLite's work, not PostgreSQL's
    rate: float | None = None
    floor_rate: float | None = None
    shares: list = field(default_factory=list)

    @property
    def share(self):
        return statistics.median(self.shares) if self.shares else None


def measure_in_process(scenario, sizes):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
    client.cookies[settings.CSRF_COOKIE_NAME] = scenario.csrf

    def send(request):
        client.cookies[settings.SESSION_COOKIE_NAME] = request.session
        if request.method == "POST":
            return client.post(request.path, request.form, HTTP_X_CSRFTOKEN=scenario.csrf)
        return client.get(request.path)

    def check(response, request):
        expected = 302 if request.method == "POST" else 200
        if response.status_code != expected or (expected == 302 and response["Location"] != request.path):
            raise SystemExit(f"{request.method} {request.path}: {response.status_code}, expected {expected}")

    def timed(requests):
        """Median wall and CPU milliseconds of `requests`, sent one after the other."""
        times, cpu_times = [], []
        for request in requests:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = send(request)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
            check(response, request)
        return 1000 * statistics.median(times), 1000 * statistics.median(cpu_times)

    def count(request):
        with CaptureQueriesContext(connection) as queries:
            check(send(request), request)
        return len(queries)

    results = [Result("floor", "/bench/floor/")] + [Result(name, path) for name, path in scenario.pages.items()]
    for result in results:
        request = Request("GET", result.path, scenario.session)
        if result.name == "question page":
            result.first_view_queries = count(scenario.first_view)
        timed([request] * 2)  # warm-up: templates compiled, connection open
        result.queries = count(request)
        result.median_ms, result.median_cpu_ms = timed([request] * sizes.reps)
    post = Result("answer POST", "/quizzes/attempts/…/q/…/ (a fresh question each time)")
    post.queries = max(count(request) for request in scenario.worst_answers)
    post.median_ms, post.median_cpu_ms = timed([scenario.pool.pop() for _ in range(sizes.reps)])
    connection.close()
    return [*results, post]


# --- under gunicorn: throughput as a share of the floor --------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with production settings, sync workers, the bench's database."""

    def __init__(self, env, workers, log_path):
        self.port = free_port()
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed in stop)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "srm_site.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--forwarded-allow-ips=",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while fetch(self.port, "GET", "/healthz").status != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("gunicorn did not start; the end of its log:\n" + log_path.read_text()[-3000:])
            time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@dataclass
class Fetched:
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    header_bytes: int = 0


def fetch(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        payload = response.read()
        header_bytes = len(f"HTTP/1.1 {response.status} {response.reason}\r\n\r\n") + sum(
            len(f"{name}: {value}\r\n") for name, value in response.getheaders()
        )
        return Fetched(response.status, dict(response.getheaders()), payload, header_bytes)
    except OSError:
        return Fetched(0)
    finally:
        connection.close()


def request_headers(request, csrf):
    cookie = f"sessionid={request.session}; csrftoken={csrf}"
    if request.method == "POST":
        return {"Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"}
    return {"Cookie": cookie}


def drive(port, next_request, csrf, seconds, threads):
    """Requests from `threads` threads for `seconds`, each on a new connection (sync workers close
    them); requests/second of the expected answers, and the number of others."""
    stop_at = time.perf_counter() + seconds
    good, bad = [0] * threads, [0] * threads

    def work(slot):
        while time.perf_counter() < stop_at:
            request = next_request()
            if request is None:
                return
            body = urlencode(request.form, doseq=True) if request.method == "POST" else None
            got = fetch(port, request.method, request.path, body, request_headers(request, csrf))
            if request.method == "POST":
                # An answer is accepted when it leads back to its own question (with its feedback).
                accepted = got.status == 302 and got.headers.get("Location") == request.path
            else:
                accepted = got.status == 200
            (good if accepted else bad)[slot] += 1

    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return sum(good) / elapsed, sum(bad)


def repeat(request):
    return lambda: request


class Pool:
    """Requests to send once each, shared by the client threads; None once used up."""

    def __init__(self, requests):
        self.requests = iter(requests)
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            return next(self.requests, None)


def measure_throughput(results, scenario, port, sizes, threads):
    """Each page `rounds` times, each time right after the floor: its share of the floor is the
    median of the rounds' shares, so that a change in the machine's load mostly cancels out."""
    floor = results[0]
    # Each round answers its own share of the fresh questions: a round that uses its share up ends
    # early, and its rate still holds.
    answers = [Pool(scenario.pool[index :: sizes.rounds]) for index in range(sizes.rounds)]
    floor_requests = repeat(Request("GET", floor.path, scenario.session))
    errors, floor_rates = 0, []
    for result in results[1:]:
        page_requests = repeat(Request("GET", result.path, scenario.session))
        if result.name != "answer POST":
            # Warm-up: every worker has its templates compiled and its database connection open.
            drive(port, page_requests, scenario.csrf, sizes.seconds / 3, threads)
        rates = []
        for round_ in range(sizes.rounds):
            next_request = answers[round_].take if result.name == "answer POST" else page_requests
            floor_rate, floor_errors = drive(port, floor_requests, scenario.csrf, sizes.seconds, threads)
            rate, page_errors = drive(port, next_request, scenario.csrf, sizes.seconds, threads)
            errors += floor_errors + page_errors
            rates.append(rate)
            floor_rates.append(floor_rate)
            result.shares.append(rate / floor_rate)
        result.rate = statistics.median(rates)
        result.floor_rate = statistics.median(floor_rates[-sizes.rounds :])
    floor.rate = floor.floor_rate = statistics.median(floor_rates)
    floor.shares = [1.0]
    return errors


# --- the first load of a quiz page -----------------------------------------------------------------


class AssetFinder(HTMLParser):
    """The URLs a browser fetches to show a page: stylesheets, icons, scripts, images."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and {"stylesheet", "icon", "preload"} & set((attrs.get("rel") or "").split()):
            self.urls.append(attrs.get("href"))
        elif tag in ("script", "img", "source") and attrs.get("src"):
            self.urls.append(attrs["src"])


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def assets_in_html(html, base):
    finder = AssetFinder()
    finder.feed(html)
    return [urljoin(base, url) for url in finder.urls if url and not url.startswith("data:")]


def assets_in_css(css, base):
    found = [next(group for group in match.groups() if group) for match in CSS_URL.finditer(css)]
    return [urljoin(base, url) for url in found if not url.startswith(("data:", "#"))]


def decoded(fetched):
    encoding = fetched.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        return gzip.decompress(fetched.body)
    if encoding == "br":
        import brotli  # whitenoise serves .br files only when brotli is installed

        return brotli.decompress(fetched.body)
    return fetched.body


@dataclass
class Transfer:
    path: str
    status: int
    encoding: str
    body: int
    headers: int


def first_load(port, path, headers):
    """Every response of a first visit to `path` (no cache), with the bytes each took on the wire."""
    accept = {"Accept-Encoding": "gzip, br", **headers}
    transfers, queue, seen = [], [path], {path}
    while queue:
        url = queue.pop(0)
        fetched = fetch(port, "GET", url, headers=accept if url == path else {"Accept-Encoding": "gzip, br"})
        transfers.append(
            Transfer(
                url,
                fetched.status,
                fetched.headers.get("Content-Encoding", "none"),
                len(fetched.body),
                fetched.header_bytes,
            )
        )
        kind = fetched.headers.get("Content-Type", "")
        if fetched.status != 200:
            continue
        if kind.startswith("text/html"):
            found = assets_in_html(decoded(fetched).decode(), url)
        elif kind.startswith("text/css"):
            found = assets_in_css(decoded(fetched).decode(), url)
        else:
            found = []
        for asset in found:
            asset_path = urlsplit(asset).path
            if asset_path not in seen:
                seen.add(asset_path)
                queue.append(asset_path)
    return transfers


# --- the report ------------------------------------------------------------------------------------


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


# --- main ------------------------------------------------------------------------------------------


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
