"""Many requests at the same moment: one answer per question, one finish per attempt, no lost
review-queue update (PostgreSQL, where requests really run in parallel), and SQLite writers that
wait for the write lock instead of failing with "database is locked".

Every test releases its threads together through a barrier; each thread has its own database
connection and closes it at its end.
"""

import sqlite3
import threading
from contextlib import closing
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from quizzes.attempts import services
from quizzes.models import Answer, Attempt, AttemptItem, Confidence, Kind, Outcome, Quiz, ReviewItem
from quizzes.progress.review_queue import review_keys
from quizzes.tests.conftest import right_answer, wrong_answer

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12


def postgres_only(test):
    skip = pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so these races cannot happen there "
        "(make test-postgres runs them)",
    )
    return pytest.mark.postgres(skip(test))


def run_together(*actions, connect=None):
    """Run each action in its own thread, all released at once; return each one's result or exception.

    `connect` sets up the thread's database connection (by default: the test database's)."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            # Connected before the barrier, so that the threads race in their queries, not in connecting.
            (connect or connection.ensure_connection)()
            barrier.wait(timeout=30)
            results[index] = action()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting: a deadlock?"
    return results


def errors_in(results, allowed=()):
    return [result for result in results if isinstance(result, Exception) and not isinstance(result, allowed)]


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def right_response(item):
    if item.kind == Kind.SORT:
        return {"cards": dict(item.key["correct"])}
    return {"choices": list(item.key["correct"])}


def wrong_response(item):
    return {"choices": [key for key in item.option_keys if key not in item.key["correct"]][:1]}


def quick_check_attempt(user):
    return services.start_attempt(quiz=Quiz.objects.get(slug="quick-check"), user=user)


# --- PostgreSQL: races on one attempt and one learner ---------------------------------------------


@postgres_only
@pytest.mark.parametrize("kind", [Kind.OWNER, Kind.SORT])
def test_one_answer_stands_when_many_requests_answer_the_same_question_at_once(learner, quiz_content, kind):
    attempt = quick_check_attempt(learner)
    item = attempt.items.filter(kind=kind).first()
    url = f"/quizzes/attempts/{attempt.pk}/q/{item.number}/"
    # Odd threads send the right answer, even ones a wrong one, so the stored answer names the winner.
    forms = [right_answer(item) if index % 2 else wrong_answer(item) for index in range(THREADS)]
    clients = [signed_in_client(learner) for _ in forms]

    responses = run_together(*(partial(client.post, url, form) for client, form in zip(clients, forms, strict=True)))

    assert not errors_in(responses)
    assert [response.status_code for response in responses] == [302] * THREADS
    accepted = [index for index, response in enumerate(responses) if response["Location"] == url]
    assert len(accepted) == 1
    for index, response in enumerate(responses):
        if index not in accepted:
            assert response["Location"] == attempt.get_absolute_url()
            assert any("already answered" in str(message) for message in response.wsgi_request._messages)
    stored = Answer.objects.get(attempt=attempt)
    assert stored.item_id == item.pk
    assert stored.is_correct == (accepted[0] % 2 == 1)
    outcomes = Outcome.objects.filter(attempt=attempt)
    assert outcomes.count() == (len(item.options) if kind == Kind.SORT else 1)
    assert set(outcomes.values_list("answer_id", flat=True)) == {stored.pk}


@postgres_only
def test_many_requests_finishing_the_same_attempt_end_it_with_one_score(learner, quiz_content):
    attempt = quick_check_attempt(learner)
    for item in attempt.items.all()[:3]:
        services.record_answer(attempt=attempt, item=item, response=right_response(item))
    url = f"/quizzes/attempts/{attempt.pk}/finish/"
    clients = [signed_in_client(learner) for _ in range(THREADS)]

    responses = run_together(*(partial(client.post, url, {"confirm": "unanswered"}) for client in clients))

    assert not errors_in(responses)
    results_url = f"/quizzes/attempts/{attempt.pk}/results/"
    assert [(response.status_code, response["Location"]) for response in responses] == [(302, results_url)] * THREADS
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert (attempt.score, attempt.passed) == (30.0, False)


@postgres_only
def test_only_one_of_many_simultaneous_finishes_sets_the_finish_time(learner, quiz_content):
    attempt = quick_check_attempt(learner)
    start = timezone.now()
    # A distinct time per thread: a second write of finished_at would show as a second value.
    times = [start + timedelta(seconds=index) for index in range(THREADS)]

    def finish_at(now):
        own = Attempt.objects.get(pk=attempt.pk)
        return own.finish(now=now), own.finished_at

    results = run_together(*(partial(finish_at, now) for now in times))

    assert not errors_in(results)
    winners = [now for (finished, _), now in zip(results, times, strict=True) if finished]
    assert len(winners) == 1
    assert {seen for _, seen in results} == set(winners)
    attempt.refresh_from_db()
    assert attempt.finished_at == winners[0]


@postgres_only
def test_answers_racing_a_finish_are_either_in_the_score_or_refused(learner, quiz_content):
    attempt = quick_check_attempt(learner)
    items = list(attempt.items.all())
    answers = [
        partial(services.record_answer, attempt=attempt, item=item, response=right_response(item)) for item in items
    ]
    finishes = [partial(services.finish_attempt, attempt=attempt)] * 4

    results = run_together(*answers, *finishes)

    assert not errors_in(results, allowed=services.AnswerRefused)
    refused = [result for result in results if isinstance(result, services.AnswerRefused)]
    assert all("finished" in str(refusal) for refusal in refused)
    attempt.refresh_from_db()
    stored = Answer.objects.filter(attempt=attempt)
    assert stored.count() == len(items) - len(refused)
    assert attempt.score == round(100 * stored.count() / len(items), 1)
    assert not stored.filter(answered_at__gt=attempt.finished_at).exists()


@postgres_only
def test_answers_saved_before_the_deadline_count_when_the_exam_expires_meanwhile(learner, quiz_content):
    attempt = services.start_attempt(quiz=Quiz.objects.get(slug="exam-simulation"), user=learner)
    items = list(attempt.items.all()[:THREADS])
    just_before, just_after = attempt.deadline - timedelta(seconds=1), attempt.deadline + timedelta(seconds=1)
    answers = [
        partial(services.record_answer, attempt=attempt, item=item, response=right_response(item), now=just_before)
        for item in items
    ]

    def open_after_the_deadline():
        # As a page load does: read the attempt, then expire it.
        return services.expire_if_due(Attempt.objects.get(pk=attempt.pk), now=just_after)

    results = run_together(*answers, *[open_after_the_deadline] * 4)

    assert not errors_in(results, allowed=services.AnswerRefused)
    attempt.refresh_from_db()
    assert attempt.expired and attempt.finished_at == attempt.deadline
    stored = Answer.objects.filter(attempt=attempt).count()
    assert stored == sum(isinstance(result, Answer) for result in results)
    assert attempt.score == round(100 * stored / attempt.item_count, 1)


@postgres_only
@pytest.mark.parametrize("queued_before", [False, True], ids=["new-to-the-queue", "already-queued"])
def test_simultaneous_answers_of_one_learner_lose_no_review_update(learner, quiz_content, queued_before):
    """The same duty asked in several attempts (two tabs, two quizzes) and missed in all of them at
    once: every miss is counted in the one review item."""
    first = quick_check_attempt(learner)
    asked = first.items.filter(kind=Kind.OWNER).first()
    attempts, items = [], []
    for _ in range(THREADS):
        attempt = Attempt.objects.create(
            quiz=first.quiz, user=learner, mode=first.mode, pass_mark=first.pass_mark, item_count=1
        )
        copy = AttemptItem.objects.get(pk=asked.pk)
        copy.pk, copy.attempt, copy.position = None, attempt, 0
        copy.save()
        attempts.append(attempt)
        items.append(copy)
    key, _, target = review_keys(asked, asked.grade(wrong_response(asked)))[0]
    lapses_before = 0
    if queued_before:
        lapses_before = 2
        now = timezone.now()
        ReviewItem.objects.create(
            user=learner, key=key, box=3, lapses=lapses_before, due_at=now, last_reviewed_at=now, **target
        )

    results = run_together(
        *(
            partial(
                services.record_answer,
                attempt=attempt,
                item=item,
                response=wrong_response(item),
                confidence=Confidence.SURE,
            )
            for attempt, item in zip(attempts, items, strict=True)
        )
    )

    assert not errors_in(results)
    review = ReviewItem.objects.get(user=learner)
    assert (review.key, review.box, review.lapses) == (key, 1, lapses_before + THREADS)


# --- SQLite: concurrent writers wait for the lock ---------------------------------------------------


def copy_to_file(path):
    """Copy the test database, with its content and learners, into a WAL-mode file at `path`.

    pytest-django keeps an SQLite test database in memory, where threads share one cache under
    table locks that fail at once: neither WAL nor the busy timeout would be tested there."""
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    return path


def use_file(path):
    """Point this thread's default connection at `path` with the site's SQLite options (IMMEDIATE
    transactions, the busy timeout, WAL); other threads keep theirs."""
    settings_dict = {**connections.settings["default"], "NAME": str(path)}
    connections["default"] = type(connections["default"])(settings_dict, "default")
    connection.ensure_connection()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite only: its single write lock is what this test exercises"
)
def test_eight_learners_answering_at_once_on_sqlite_never_see_database_is_locked(make_learner, quiz_content, tmp_path):
    learners = [make_learner() for _ in range(8)]
    attempts = [quick_check_attempt(learner) for learner in learners]
    work = [
        (signed_in_client(learner), attempt, list(attempt.items.all()))
        for learner, attempt in zip(learners, attempts, strict=True)
    ]
    path = copy_to_file(tmp_path / "threads.sqlite3")

    def answer_everything(client, attempt, items):
        statuses = []
        for item in items:
            url = f"/quizzes/attempts/{attempt.pk}/q/{item.number}/"
            statuses.append(client.get(url).status_code)
            statuses.append(client.post(url, right_answer(item)).status_code)
        statuses.append(client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"}).status_code)
        return statuses

    results = run_together(*(partial(answer_everything, *job) for job in work), connect=partial(use_file, path))

    assert not errors_in(results)
    assert all(
        statuses == [200, 302] * len(items) + [302] for statuses, (_, _, items) in zip(results, work, strict=True)
    )

    def stored():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
        counts = Answer.objects.values_list("attempt__user__username").annotate(count=Count("pk"))
        scores = set(Attempt.objects.filter(finished_at__isnull=False).values_list("score", flat=True))
        return mode, dict(counts), scores

    mode, counts, scores = run_together(stored, connect=partial(use_file, path))[0]
    assert mode == "wal"
    assert counts == {learner.username: attempt.item_count for learner, attempt in zip(learners, attempts, strict=True)}
    assert scores == {100.0}


@postgres_only
def test_many_saves_of_one_exam_question_at_once_leave_one_answer_scored_at_the_end(learner, quiz_content):
    attempt = services.start_attempt(quiz=Quiz.objects.get(slug="exam-simulation"), user=learner)
    item = attempt.items.filter(kind=Kind.SINGLE).first()
    url = f"/quizzes/attempts/{attempt.pk}/q/{item.number}/"
    # Each thread saves another option (in turn), so the stored answer names one of the saves.
    choices = [item.option_keys[index % len(item.option_keys)] for index in range(THREADS)]
    clients = [signed_in_client(learner) for _ in choices]

    responses = run_together(
        *(
            partial(client.post, url, {"choice": choice, "action": "save"})
            for client, choice in zip(clients, choices, strict=True)
        )
    )

    assert not errors_in(responses)
    assert [response.status_code for response in responses] == [302] * THREADS
    stored = Answer.objects.get(attempt=attempt)
    assert stored.item_id == item.pk and stored.response["choices"][0] in choices
    assert stored.is_correct == (stored.response["choices"] == item.key["correct"])
    assert not Outcome.objects.filter(attempt=attempt).exists()  # counted at the end
    services.finish_attempt(attempt=attempt)
    assert Outcome.objects.filter(attempt=attempt).count() == 1
