"""The servers and the database of `make load` (load.py).

The dedicated PostgreSQL database (made anew, dropped at the end), the production settings, the
gunicorn servers (started, checked through /healthz, stopped), their workers' memory and CPU
from /proc, and the answers the database holds at the end, read with SQL."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


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
