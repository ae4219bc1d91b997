"""The dataset and the scenario of `make bench` (bench.py): what is measured, on which data.

The sizes of a full and a --quick run; a fresh database with the production settings, migrated,
loaded with the content and seeded (`manage.py seed_bench`); then the scenario: bench-learner's
session, the learner pages to measure, and the answer POSTs (fresh questions of other learners)."""

import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


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
