"""The pieces of bench/bench.py (`make bench`), at small sizes; gunicorn is left to the real run."""

import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from bench import bench

pytestmark = pytest.mark.load

SIZES = replace(bench.QUICK, reps=2, pool=12)
LEARNER_PAGES = [
    "home", "lesson", "matrix", "diagram", "service page", "duty page", "quiz list",
    "question page", "feedback page", "results", "progress",
]  # fmt: skip


@pytest.fixture
def seeded(content):
    call_command("seed_bench", questions=20, learners=4, answers=120, learner_answers=60, verbosity=0)


@pytest.mark.django_db
def test_every_learner_page_answers_and_stays_within_the_query_target(seeded):
    scenario = bench.build_scenario(SIZES.pool + SIZES.reps)
    results = bench.measure_in_process(scenario, SIZES)
    assert [result.name for result in results] == ["floor", *LEARNER_PAGES, "answer POST"]
    assert results[0].queries == 1
    assert all(result.queries >= 2 and result.median_ms > 0 for result in results[1:])
    question = next(result for result in results if result.name == "question page")
    assert question.first_view_queries == question.queries + 1  # the first view records when it was shown
    worst = max(max(result.queries, result.first_view_queries or 0) for result in results)
    assert worst <= bench.MAX_QUERIES, [(result.name, result.queries) for result in results]


class Site(BaseHTTPRequestHandler):
    PAGES = {
        "/page/": (
            "text/html",
            b'<link rel="stylesheet" href="/s.css"><script src="/a.js"></script><img src="data:x">',
        ),
        "/s.css": (
            "text/css",
            b'body{background:url("img/b.svg")} @import "more.css"; a{mask:url(data:image/svg+xml,x)}',
        ),
        "/a.js": ("text/javascript", b"let a = 1;"),
        "/img/b.svg": ("image/svg+xml", b"<svg></svg>"),
        "/more.css": ("text/css", b"a{color:red}"),
    }

    def do_GET(self):
        kind, body = self.PAGES.get(self.path, ("text/plain", b"missing"))
        self.send_response(200 if self.path in self.PAGES else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer((bench.HOST, 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_first_load_counts_the_page_and_everything_it_references_once(site):
    transfers = bench.first_load(site, "/page/", {"Cookie": "sessionid=x"})
    assert [transfer.path for transfer in transfers] == ["/page/", "/s.css", "/a.js", "/img/b.svg", "/more.css"]
    assert all(transfer.status == 200 and transfer.encoding == "none" for transfer in transfers)
    assert [transfer.body for transfer in transfers] == [len(Site.PAGES[t.path][1]) for t in transfers]
    assert all(transfer.headers > 50 for transfer in transfers)


def test_the_load_driver_counts_requests_and_unexpected_answers(site):
    ok, _errors = bench.drive(site, bench.repeat(bench.Request("GET", "/a.js", "s")), "c", seconds=0.2, threads=2)
    rate, errors = bench.drive(site, bench.repeat(bench.Request("GET", "/gone/", "s")), "c", seconds=0.2, threads=2)
    assert ok > 0
    assert rate == 0 and errors > 0
    pool = bench.Pool([bench.Request("GET", "/a.js", "s")] * 3)
    rate, errors = bench.drive(site, pool.take, "c", seconds=5, threads=2)
    assert errors == 0 and pool.take() is None  # the run ended when the pool was used up


def test_a_run_replaces_its_own_section_and_keeps_the_rest():
    document = "# Benchmarks\n\nNotes written by hand.\n"
    once = bench.write_section(document, "sqlite", "first\n")
    both = bench.write_section(once, "postgresql", "other\n")
    again = bench.write_section(both, "sqlite", "second\n")
    assert again.startswith(document)
    assert "second\n" in again and "first" not in again and "other\n" in again
    assert again.index("second") < again.index("other")


def test_a_database_url_must_name_a_bench_database(tmp_path):
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        bench.fresh_database(f"sqlite:///{tmp_path}/db.sqlite3", tmp_path)
    (tmp_path / "bench.sqlite3").write_text("old")
    assert bench.fresh_database(f"sqlite:///{tmp_path}/bench.sqlite3", tmp_path).endswith("bench.sqlite3")
    assert not (tmp_path / "bench.sqlite3").exists()
