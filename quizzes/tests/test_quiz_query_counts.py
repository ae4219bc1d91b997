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


def measure(client, learner):
    counts = {}
    quiz = Quiz.objects.get(slug="quick-check")
    with CaptureQueriesContext(connection) as queries:
        attempt = start(client, quiz)
    counts["start"] = len(queries)
    item = attempt.items.exclude(kind=Kind.SORT).first()
    url = f"/quizzes/attempts/{attempt.pk}/q/{item.number}/"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    counts["question page"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert answer(client, item, right_answer(item)).status_code == 302
    counts["answer POST"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    counts["question page with feedback"] = len(queries)
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/quizzes/attempts/{attempt.pk}/results/").status_code == 200
    counts["results"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/progress/").status_code == 200
    counts["progress"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/quizzes/").status_code == 200
    counts["quiz list"] = len(queries)
    return counts


@pytest.mark.parametrize(("bank", "history"), SIZES, ids=["small", "large"])
def test_learner_quiz_pages_stay_within_the_bound(client, learner, quiz_content, bank, history):
    seed_bank(bank)
    seed_history(learner, history)
    client.force_login(learner)
    counts = measure(client, learner)
    pages = {name: count for name, count in counts.items() if name != "start"}
    assert max(pages.values()) <= MAX_QUERIES, counts


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
