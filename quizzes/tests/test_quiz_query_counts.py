"""The quiz page, the answer POST, the results page and /progress/ cost the same number of
queries with a bank of 50 or 5,000 questions and a history of 0 or 10,000 answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.models import Kind, Quiz
from quizzes.seeding import seed_bank, seed_history
from quizzes.tests.conftest import answer, right_answer, start

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12  # the target for every learner page (issue #5)

SIZES = [(50, 0), (5000, 10_000)]


def measure(client, learner, sql=None):
    """Queries per page; `sql`, if given, gets each page's statements (to show when a bound fails)."""
    counts = {}
    sql = {} if sql is None else sql

    def counted(name, request, status):
        with CaptureQueriesContext(connection) as queries:
            response = request()
        assert getattr(response, "status_code", status) == status, name
        counts[name] = len(queries)
        sql[name] = [query["sql"] for query in queries.captured_queries]
        return response

    quiz = Quiz.objects.get(slug="quick-check")
    attempt = counted("start", lambda: start(client, quiz), None)
    item = attempt.items.exclude(kind=Kind.SORT).first()
    url = f"/quizzes/attempts/{attempt.pk}/q/{item.number}/"
    counted("question page", lambda: client.get(url), 200)
    counted("answer POST", lambda: answer(client, item, right_answer(item)), 302)
    counted("question page with feedback", lambda: client.get(url), 200)
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    counted("results", lambda: client.get(f"/quizzes/attempts/{attempt.pk}/results/"), 200)
    counted("progress", lambda: client.get("/progress/"), 200)
    counted("quiz list", lambda: client.get("/quizzes/"), 200)

    # An exam: a saved answer shown again, changed, flagged; the review screen; the results.
    exam = counted("exam start", lambda: start(client, Quiz.objects.get(slug="exam-simulation")), None)
    item = exam.items.first()
    url = f"/quizzes/attempts/{exam.pk}/q/{item.number}/"
    counted("exam answer POST", lambda: answer(client, item, right_answer(item), action="next"), 302)
    counted("exam question page with its saved answer", lambda: client.get(url), 200)
    counted("exam answer changed", lambda: answer(client, item, right_answer(item), action="save"), 302)
    counted("exam flag POST", lambda: answer(client, item, {}, action="flag"), 302)
    counted("exam review screen", lambda: client.get(f"/quizzes/attempts/{exam.pk}/review/"), 200)
    counted(
        "exam finish",
        lambda: client.post(f"/quizzes/attempts/{exam.pk}/finish/", {"confirm": "unanswered"}),
        302,
    )
    counted("exam results", lambda: client.get(f"/quizzes/attempts/{exam.pk}/results/"), 200)
    return counts


@pytest.mark.parametrize(("bank", "history"), SIZES, ids=["small", "large"])
def test_learner_quiz_pages_stay_within_the_bound(client, learner, quiz_content, bank, history):
    seed_bank(bank)
    seed_history(learner, history)
    client.force_login(learner)
    sql = {}
    counts = measure(client, learner, sql)
    # Starting draws and freezes a whole attempt, and finishing an exam writes its outcomes and
    # queues its misses: both are bounded, but by the draw and the attempt, not by this target.
    pages = {name: count for name, count in counts.items() if name not in ("start", "exam start", "exam finish")}
    worst = max(pages, key=pages.get)
    assert pages[worst] <= MAX_QUERIES, (counts, worst, sql[worst])


def test_query_counts_do_not_grow_with_the_bank_or_the_history(client, make_learner, quiz_content):
    small_learner, large_learner = make_learner(), make_learner()
    seed_history(small_learner, 0)
    client.force_login(small_learner)
    small = measure(client, small_learner)
    seed_bank(5000)
    seed_history(large_learner, 10_000)
    client.force_login(large_learner)
    large = measure(client, large_learner)
    assert large == small
