"""The measurements of `make bench` (bench.py): in-process, then under gunicorn.

In-process (Django's test Client, DEBUG off): the SQL queries of one request and the median time
of a request, per page. Under gunicorn (production settings, sync workers): each page's
throughput right after the floor's, as a share of it; `fetch()` and `Server` also serve the first
load's measurement (bench_page_weight.py)."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.bench_scenario import HOST, ROOT, Request

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
