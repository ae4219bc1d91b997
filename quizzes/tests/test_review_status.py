"""The review queue's status in words, its include, and the page that explains the schedule."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from quizzes.models import Confidence, ReviewItem
from quizzes.progress import review_queue
from quizzes.progress.review_queue import QueueStatus, due_text, interval_text, status

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def queue_items(user, *offsets, now=NOW):
    for index, offset in enumerate(offsets):
        ReviewItem.objects.create(user=user, key=f"k{index}", due_at=now + offset, last_reviewed_at=now)


# -- status: the figures, in one query ------------------------------------------------------------


def test_status_counts_due_and_waiting_items_and_finds_the_next_in_one_query(
    learner, make_learner, django_assert_num_queries
):
    queue_items(learner, -timedelta(days=2), -timedelta(minutes=1), timedelta(0), timedelta(minutes=52),
                timedelta(days=2))  # fmt: skip
    other = make_learner()
    ReviewItem.objects.create(user=other, key="k", due_at=NOW + timedelta(minutes=1), last_reviewed_at=NOW)
    with django_assert_num_queries(1):
        queue = status(learner, NOW)
    # An item due this very moment is due: "Review my mistakes" draws due_at <= now.
    assert queue == QueueStatus(due_now=3, waiting=2, next_due_at=NOW + timedelta(minutes=52), now=NOW)
    assert queue.total == 5
    assert queue.describe() == "3 due now; 2 waiting, next in 52 min."
    assert str(queue) == queue.describe()


def test_status_with_nothing_due_names_the_next_one(learner):
    queue_items(learner, timedelta(days=2, hours=1), timedelta(days=3), timedelta(days=9))
    queue = status(learner, NOW)
    assert (queue.due_now, queue.waiting, queue.next_due_at) == (0, 3, NOW + timedelta(days=2, hours=1))
    assert queue.describe() == "Nothing due now; 3 waiting, next in 2 days."


def test_status_with_everything_due_and_with_an_empty_queue(learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        empty = status(learner, NOW)
    assert empty == QueueStatus(0, 0, None, NOW)
    assert (empty.describe(), empty.next_in) == ("Your review queue is empty.", "")
    queue_items(learner, -timedelta(hours=1))
    assert status(learner, NOW).describe() == "1 due now."


def test_a_visitor_has_an_empty_queue_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert status(AnonymousUser()).describe() == "Your review queue is empty."
        assert status(None).total == 0


@pytest.mark.parametrize(
    ("delta", "text"),
    [(timedelta(seconds=-5), "now"), (timedelta(0), "now"), (timedelta(seconds=20), "in under a minute"),
     (timedelta(seconds=61), "in 2 min"), (timedelta(minutes=52), "in 52 min"), (timedelta(minutes=60), "in 1 h"),
     (timedelta(hours=3, minutes=5), "in 3 h 5 min"), (timedelta(hours=23, minutes=59), "in 23 h 59 min"),
     (timedelta(days=1), "in 1 day"), (timedelta(days=1, hours=13), "in 2 days"), (timedelta(days=16), "in 16 days")],
)  # fmt: skip
def test_due_text_rounds_but_never_says_zero(delta, text):
    assert due_text(delta) == text


@pytest.mark.parametrize(
    ("delta", "text"),
    [(timedelta(0), "at once"), (timedelta(minutes=10), "10 minutes"), (timedelta(hours=1), "1 hour"),
     (timedelta(days=1), "1 day"), (timedelta(days=16), "16 days"), (timedelta(days=1, hours=12), "1 day 12 hours"),
     (timedelta(seconds=5), "5 seconds")],
)  # fmt: skip
def test_interval_text_is_exact(delta, text):
    assert interval_text(delta) == text


# -- the include ------------------------------------------------------------------------------------


def render_status(queue):
    request = RequestFactory().get("/")
    return render_to_string("quizzes/includes_review_status.html", {"queue": queue}, request=request)


def forms(html):
    return re.findall(r"<form .*?</form>", html, re.S)


def test_the_include_with_items_due_offers_to_review_them(learner):
    queue_items(learner, -timedelta(minutes=5), -timedelta(minutes=1), timedelta(minutes=52))
    html = render_status(status(learner, NOW))
    assert "<strong>2 due now</strong>; 1 waiting, next in 52 min" in html
    (form,) = forms(html)
    assert 'action="/quizzes/review-my-mistakes/start/"' in form and 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
    assert "Review my mistakes (2 due)" in form
    assert "include_waiting" not in form
    assert 'href="/progress/review-schedule/"' in html


def test_the_include_with_only_waiting_items_offers_to_review_them_anyway_and_says_when(learner):
    queue_items(learner, timedelta(days=2), timedelta(days=4))
    html = render_status(status(learner, NOW))
    assert "Nothing due now; 2 waiting, next in 2 days" in html
    next_due = NOW + timedelta(days=2)
    assert f'<time datetime="{next_due.isoformat()}">' in html
    assert f"{next_due:%H:%M} UTC</time>" in html
    (form,) = forms(html)
    assert 'action="/quizzes/review-my-mistakes/start/"' in form
    assert '<input type="hidden" name="include_waiting" value="1">' in form
    assert "Review them now anyway" in form
    assert 'href="/progress/review-schedule/"' in html


def test_the_include_with_an_empty_queue_has_no_form(learner):
    html = render_status(status(learner, NOW))
    assert "Your review queue is empty." in html
    assert forms(html) == []
    assert 'href="/progress/review-schedule/"' in html


def test_the_progress_page_shows_the_status_and_the_schedule_link(learner_client, learner):
    queue_items(learner, -timedelta(hours=1), timedelta(minutes=30), now=timezone.now())
    html = learner_client.get("/progress/").content.decode()
    assert re.search(r"<strong>1 due now</strong>; 1 waiting, next in (29|30) min", html)
    assert "Review my mistakes (1 due)" in html
    assert 'href="/progress/review-schedule/"' in html


# -- the schedule page ------------------------------------------------------------------------------


def test_the_schedule_page_needs_no_account_and_states_every_rule(client):
    response = client.get("/progress/review-schedule/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "How the review schedule works" in html
    for box, interval in review_queue.BOX_INTERVALS.items():
        assert f'<th scope="row">Box {box}</th><td>{interval_text(interval)}</td>' in html
    assert "due again <strong>at once</strong>, whatever confidence you gave" in html
    assert "Right, but marked <strong>guessing</strong>: not counted as known" in html
    assert "due again in 1 day" in html
    assert "Right, marked <strong>sure, unsure or no confidence</strong>: counted as known" in html
    assert f"A right answer to a question in box {review_queue.LAST_BOX} takes it out of the queue" in html
    assert "leaves the queue" in html
    assert "Your queue" not in html  # a visitor has none


def test_the_schedule_page_shows_a_learners_own_queue(learner_client, learner):
    queue_items(learner, -timedelta(hours=1), now=timezone.now())
    html = learner_client.get("/progress/review-schedule/").content.decode()
    assert "Your queue" in html and "<strong>1 due now</strong>" in html


def test_the_schedule_page_follows_the_constants(client, monkeypatch):
    """The page is read from the code: change a rule and the page changes with it."""
    monkeypatch.setitem(review_queue.BOX_INTERVALS, 3, timedelta(days=5))
    monkeypatch.setattr(review_queue, "WRONG_DELAY", timedelta(minutes=10))
    monkeypatch.setattr(review_queue, "NOT_KNOWN_CONFIDENCES", frozenset({Confidence.GUESSING, Confidence.UNSURE}))
    html = client.get("/progress/review-schedule/").content.decode()
    assert '<th scope="row">Box 3</th><td>5 days</td>' in html
    assert "4 days" not in html
    assert "due again <strong>in 10 minutes</strong>, whatever confidence you gave" in html
    assert "box 1, due in 10 minutes" in html
    assert "Right, but marked <strong>unsure or guessing</strong>: not counted as known" in html
    assert "Right, marked <strong>sure or no confidence</strong>: counted as known" in html


def test_the_schedule_table_covers_every_box_and_answer():
    rules = review_queue.rules()
    assert rules["columns"] == ["Wrong (any confidence)", "Right: sure, unsure or no confidence", "Right: guessing"]
    assert rules["rows"] == [
        ("Not in the queue", ["box 1, due at once", "not added", "box 1, due in 1 day"]),
        ("Box 1", ["box 1, due at once", "box 2, due in 2 days", "box 1, due in 1 day"]),
        ("Box 2", ["box 1, due at once", "box 3, due in 4 days", "box 1, due in 1 day"]),
        ("Box 3", ["box 1, due at once", "box 4, due in 8 days", "box 1, due in 1 day"]),
        ("Box 4", ["box 1, due at once", "box 5, due in 16 days", "box 1, due in 1 day"]),
        ("Box 5", ["box 1, due at once", "leaves the queue", "box 1, due in 1 day"]),
    ]


def test_the_schedule_page_costs_the_same_queries_with_a_long_queue(learner_client, learner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert learner_client.get("/progress/review-schedule/").status_code == 200
        return len(captured)

    empty = queries()
    queue_items(learner, *[timedelta(hours=hours - 100) for hours in range(200)], now=timezone.now())
    assert queries() == empty <= 4  # the session, the user, the queue's one aggregate


# -- "Review my mistakes" with nothing due -----------------------------------------------------------


def waiting_questions(user):
    from quizzes.models import Question

    questions = list(Question.objects.published()[:2])
    for number, question in enumerate(questions, start=1):
        ReviewItem.objects.create(
            user=user,
            key=f"q:{question.pk}",
            question=question,
            due_at=timezone.now() + timedelta(hours=number),
            last_reviewed_at=timezone.now(),
        )
    return questions


def test_with_nothing_due_the_review_says_when_items_come_back_and_starts_nothing(
    learner_client, learner, quiz_content
):
    from quizzes.models import Attempt

    waiting_questions(learner)
    response = learner_client.post("/quizzes/review-my-mistakes/start/", follow=True)
    html = response.content.decode()
    # The first item is due in an hour, less the moments the test took.
    assert re.search(r"Nothing to review right now\. Nothing due now; 2 waiting, next in (59 min|1 h)", html)
    assert "Review them now anyway" in html
    assert not Attempt.objects.exists()


def test_review_them_now_anyway_asks_the_waiting_items_soonest_first(learner_client, learner, quiz_content):
    from quizzes.models import Attempt

    questions = waiting_questions(learner)
    learner_client.post("/quizzes/review-my-mistakes/start/", {"include_waiting": "1"})
    review = Attempt.objects.get()
    assert [item.question_id for item in review.items.all()] == [question.pk for question in questions]
