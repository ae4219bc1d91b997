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
import http.client
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/srm_load"
QUIZ = "quick-check"
PASSWORD = "load-test-Passw0rd-42"
STUDY_PAGES = [
    "/study/",
    "/study/the-model/",
    "/study/matrix/",
    "/study/diagram/",
    "/study/services/ec2/",
    "/study/services/s3/",
]
# An error in a server's log: a 500 ("Internal Server Error: /path" and its traceback) or gunicorn's own.
LOG_ERROR = re.compile(r"Traceback|Internal Server Error|\bERROR\b|\bCRITICAL\b")


class Failure(Exception):
    """A response that is not what a working site sends at this step."""


# --- the client ---------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """The page's forms: their action and class, their fields as (name, type, value), each select's options."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": attrs.get("action"), "class": attrs.get("class", ""), "fields": [], "selects": {}}
            )
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("type", "text"), attrs.get("value", "")))
        elif tag == "select":
            self.select = attrs.get("name")
            self.forms[-1]["selects"][self.select] = []
        elif tag == "option" and self.select:
            self.forms[-1]["selects"][self.select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def forms_of(body):
    parser = FormParser()
    parser.feed(body)
    return parser.forms


def find_form(body, *, css_class=None, action=None, field=None):
    """The first form of the page with this class, action or field, or None."""
    for form in forms_of(body):
        if (
            (css_class is None or css_class in form["class"].split())
            and (action is None or form["action"] == action)
            and (field is None or any(name == field for name, *_ in form["fields"]))
        ):
            return form
    return None


def csrf_token(form):
    return next(value for name, _, value in form["fields"] if name == "csrfmiddlewaretoken")


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int


@dataclass
class Response:
    status: int
    location: str
    body: str


class Browser:
    """One learner's client. It keeps its cookies itself: the production settings mark them Secure,
    and a standard cookie jar would not send a Secure cookie back over plain http."""

    def __init__(self, ports, first):
        self.ports = ports
        self.turn = first
        self.cookies = {}
        self.samples = []

    def request(self, kind, method, path, form=None):
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            raise Failure(f"{method} {path} on :{port}: {error!r}") from None
        finally:
            connection.close()
        self.samples.append(Sample(kind, time.perf_counter() - start, response.status))
        for header in response.headers.get_all("Set-Cookie") or []:
            self.store_cookie(header)
        return Response(response.status, response.headers.get("Location", ""), content.decode("utf-8", "replace"))

    def store_cookie(self, header):
        pair, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = pair.partition("=")
        # Django deletes a cookie by sending it empty with Max-Age=0.
        if any(attribute.lower() == "max-age=0" for attribute in attributes):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, kind, path, status=200):
        response = self.request(kind, "GET", path)
        expect(response, f"GET {path}", status)
        return response

    def post(self, kind, path, form, redirect):
        response = self.request(kind, "POST", path, form)
        expect(response, f"POST {path}", 302)
        if not re.fullmatch(redirect, response.location):
            raise Failure(f"POST {path} redirected to {response.location!r}, not {redirect!r}")
        return response


def expect(response, what, status):
    if response.status != status:
        hint = ""
        if response.location.startswith("https://"):
            hint = " (the HTTPS redirect is on: DJANGO_SECURE_SSL_REDIRECT=0 turns it off)"
        raise Failure(f"{what} answered {response.status} {response.location}{hint}, not {status}")


# --- one learner --------------------------------------------------------------------------------


@dataclass
class Learner:
    username: str
    samples: list = field(default_factory=list)
    sent: dict = field(default_factory=dict)  # question number -> the response as stored
    failure: str = ""


def answer_for(form, rng):
    """Random answers (and confidence) for an answer form, as posted and as the server stores them."""
    data, choices, cards = {}, {}, {}
    for name, kind, value in form["fields"]:
        if kind in ("radio", "checkbox"):
            choices.setdefault((name, kind), []).append(value)
    for (name, kind), values in choices.items():
        if kind == "radio":
            data[name] = rng.choice(values)
        else:
            data[name] = sorted(rng.sample(values, rng.randint(1, len(values))))
    for name, options in form["selects"].items():
        cards[name.removeprefix("card_")] = data[name] = rng.choice([option for option in options if option])
    data["csrfmiddlewaretoken"] = csrf_token(form)
    if cards:
        return data, {"cards": cards}
    chosen = data["choice"]
    return data, {"choices": sorted(chosen) if isinstance(chosen, list) else [chosen]}


def simulate(index, tag, ports, seed):
    learner = Learner(username=f"load-{tag}-{index}")
    rng = random.Random(f"{seed}-{index}")
    browser = Browser(ports, first=index)
    try:
        run_learner(learner, browser, rng, index)
    except Exception as error:
        # Whatever went wrong (a wrong status, a page without its form), this learner failed.
        learner.failure = str(error) if isinstance(error, Failure) else f"{type(error).__name__}: {error}"
    learner.samples = browser.samples
    return learner


def run_learner(learner, browser, rng, index):
    page = browser.get("signup form", "/accounts/signup/")
    form = find_form(page.body, field="username")
    browser.post(
        "signup",
        "/accounts/signup/",
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "username": learner.username,
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        redirect="/",
    )
    browser.get("home", "/")
    browser.get("study", STUDY_PAGES[index % len(STUDY_PAGES)])
    page = browser.get("quiz list", "/quizzes/")
    start_url = f"/quizzes/{QUIZ}/start/"
    start = find_form(page.body, action=start_url)
    attempt = browser.post(
        "start quiz", start_url, {"csrfmiddlewaretoken": csrf_token(start)}, redirect=r"/quizzes/attempts/\d+/"
    ).location
    first = browser.get("attempt", attempt, status=302).location
    if first != f"{attempt}q/1/":
        raise Failure(f"a new attempt sent the learner to {first!r}, not to its first question")
    number, total = 1, None
    while total is None or number <= total:
        url = f"{attempt}q/{number}/"
        page = browser.get("question", url)
        heading = re.search(r"Question (\d+) of (\d+)", page.body)
        if not heading or int(heading[1]) != number:
            raise Failure(f"GET {url} is not question {number}")
        total = int(heading[2])
        form = find_form(page.body, css_class="answer-form")
        if form is None:
            raise Failure(f"GET {url}: question {number} has no answer form, though it was never answered")
        data, learner.sent[number] = answer_for(form, rng)
        browser.post("answer", url, data, redirect=re.escape(url))
        page = browser.get("feedback", url)
        if find_form(page.body, css_class="answer-form") is not None:
            raise Failure(f"GET {url} after answering still asks the question: the answer was not stored")
        number += 1
    finish = find_form(page.body, css_class="finish-form")
    browser.post(
        "finish",
        f"{attempt}finish/",
        {"csrfmiddlewaretoken": csrf_token(finish)},
        redirect=re.escape(f"{attempt}results/"),
    )
    browser.get("results", f"{attempt}results/")
    page = browser.get("progress", "/progress/")
    if "Your progress" not in page.body or learner.username not in page.body:
        raise Failure("/progress/ is not the learner's own progress page")


# --- servers and database -----------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection(url):
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url):
    name = urlsplit(url).path.lstrip("/")
    with admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(url):
    name = urlsplit(url).path.lstrip("/")
    with admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_environment(database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        DJANGO_SECURE_SSL_REDIRECT="0",
        # Errors still reach the log that the run checks; per-request INFO lines would only cost time.
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def prepare(env):
    for command in (["migrate", "--noinput"], ["load_content"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "--verbosity", "0"], cwd=ROOT, env=env, check=True)


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path


def start_server(env, workers, logs):
    port = free_port()
    log = logs / f"gunicorn-{port}.log"
    process = subprocess.Popen(
        [VENV_BIN / "gunicorn", "srm_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return Server(port, process, log)


def wait_until_healthy(server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn on :{server.port} exited; see {server.log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn on :{server.port} did not answer /healthz within {seconds} s; see {server.log}")


def stop_server(server):
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def workers_of(master_pid):
    """Each child of the gunicorn master, from /proc: {pid: (VmRSS in MB, CPU seconds used so far)}."""
    found = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            if fields.get("PPid", "").strip() != str(master_pid) or "VmRSS" not in fields:
                continue
            # utime and stime, the 14th and 15th fields of stat, after the parenthesised command name.
            ticks = (status.parent / "stat").read_text().rpartition(")")[2].split()[11:13]
        except OSError:
            continue  # a process that ended while being read
        cpu = sum(int(tick) for tick in ticks) / os.sysconf("SC_CLK_TCK")
        found[int(status.parent.name)] = (int(fields["VmRSS"].split()[0]) / 1024, cpu)
    return found


def workers_cpu(servers):
    return sum(cpu for server in servers for _, cpu in workers_of(server.process.pid).values())


def stored_answers(database_url, usernames):
    """The stored responses per learner and question number, read with SQL."""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            """
            SELECT u.username, i.position + 1, a.response
            FROM quizzes_answer a
            JOIN quizzes_attemptitem i ON i.id = a.item_id
            JOIN quizzes_attempt t ON t.id = a.attempt_id
            JOIN auth_user u ON u.id = t.user_id
            WHERE u.username = ANY(%s)
            """,
            [list(usernames)],
        ).fetchall()
    stored = defaultdict(dict)
    for username, number, response in rows:
        if "choices" in response:
            response = {"choices": sorted(response["choices"])}
        stored[username][number] = response
    return stored


# --- the report ---------------------------------------------------------------------------------


def compare_answers(learners, stored):
    """Print how the stored answers compare with those sent; return the problems found."""
    mismatched = [learner for learner in learners if stored.get(learner.username, {}) != learner.sent]
    sent = sum(len(learner.sent) for learner in learners)
    kept = sum(len(answers) for answers in stored.values())
    print(
        f"answers: {sent} sent, {kept} stored; identical for {len(learners) - len(mismatched)}/{len(learners)} learners"
    )
    if not mismatched:
        return []
    example = mismatched[0]
    theirs = stored.get(example.username, {})
    differing = sorted(n for n in example.sent.keys() | theirs.keys() if example.sent.get(n) != theirs.get(n))
    return [
        f"the database does not hold exactly the answers sent for {len(mismatched)} learners (e.g. "
        f"{example.username}: sent {len(example.sent)}, stored {len(theirs)}, questions {differing} differ)"
    ]


def percentile(sorted_values, share):
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def latency_rows(samples):
    groups = defaultdict(list)
    for sample in samples:
        groups[sample.kind].append(sample.seconds)
        groups["all requests"].append(sample.seconds)
    for kind, values in sorted(groups.items(), key=lambda item: (item[0] == "all requests", item[0])):
        values.sort()
        yield kind, len(values), *(1000 * percentile(values, share) for share in (0.50, 0.95, 0.99))


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
