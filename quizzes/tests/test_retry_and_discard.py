"""The mistakes loop, now: retry exactly the questions an attempt missed; and an unfinished attempt
the learner doesn't want counted can be discarded."""

import pytest

from quizzes.models import Answer, Attempt, Kind, Outcome, Quiz
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db


def finish(client, attempt):
    return client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})


def retry(client, attempt):
    return client.post(f"/quizzes/attempts/{attempt.pk}/retry/")


@pytest.fixture
def missed_three(learner_client, every_kind_quiz):
    """A finished practice attempt: two wrong answers, one unanswered question, the rest right."""
    attempt = start(learner_client, every_kind_quiz(Quiz.Mode.PRACTICE))
    items = list(attempt.items.all())
    for item in items[:2]:
        answer(learner_client, item, wrong_answer(item))
    for item in items[3:]:
        answer(learner_client, item, right_answer(item))
    finish(learner_client, attempt)
    attempt.missed = items[:3]
    return attempt


def test_the_results_offer_to_retry_the_questions_missed(learner_client, missed_three):
    html = learner_client.get(f"/quizzes/attempts/{missed_three.pk}/results/").content.decode()
    assert "Retry the 3 questions I missed" in html
    assert "1 of them unanswered" in html


def test_a_retry_asks_exactly_the_missed_items_as_a_practice_attempt(learner_client, missed_three):
    response = retry(learner_client, missed_three)

    again = Attempt.objects.get(retry_of=missed_three)
    assert response["Location"] == again.get_absolute_url()
    assert again.mode == Quiz.Mode.PRACTICE and again.item_count == 3 and again.deadline is None
    assert again.title == f"Retry: {missed_three.quiz.title}"
    asked = [(item.kind, item.prompt, item.question_id, item.duty_id, item.key) for item in again.items.all()]
    missed = [(item.kind, item.prompt, item.question_id, item.duty_id, item.key) for item in missed_three.missed]
    assert asked == missed
    for old, new in zip(missed_three.missed, again.items.all(), strict=True):
        assert sorted(option["key"] for option in new.options) == sorted(option["key"] for option in old.options)


@pytest.fixture
def retried_right(learner_client, missed_three):
    """The retry of `missed_three`, every question answered right this time, finished."""
    retry(learner_client, missed_three)
    again = Attempt.objects.get(retry_of=missed_three)
    for item in again.items.all():
        answer(learner_client, item, right_answer(item))
    finish(learner_client, again)
    again.refresh_from_db()
    return again


def test_a_retry_is_scored_and_counted_like_any_practice_attempt(retried_right):
    assert retried_right.score == 100
    assert Outcome.objects.filter(attempt=retried_right).exists()


def test_retrying_again_while_a_retry_runs_resumes_it(learner_client, missed_three):
    retry(learner_client, missed_three)
    response = retry(learner_client, missed_three)
    assert Attempt.objects.filter(retry_of=missed_three).count() == 1
    assert response["Location"] == Attempt.objects.get(retry_of=missed_three).get_absolute_url()


def test_a_retry_in_progress_does_not_block_starting_the_quiz_itself(learner_client, missed_three):
    retry(learner_client, missed_three)
    response = learner_client.post(f"/quizzes/{missed_three.quiz.slug}/start/")
    started = Attempt.objects.order_by("-pk").first()
    assert started.retry_of is None and response["Location"] == started.get_absolute_url()


def test_an_attempt_with_nothing_missed_has_nothing_to_retry(learner_client, every_kind_quiz):
    attempt = start(learner_client, every_kind_quiz(Quiz.Mode.PRACTICE))
    for item in attempt.items.all():
        answer(learner_client, item, right_answer(item))
    finish(learner_client, attempt)
    assert "Retry the" not in learner_client.get(f"/quizzes/attempts/{attempt.pk}/results/").content.decode()
    response = retry(learner_client, attempt)
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/results/"
    assert not Attempt.objects.filter(retry_of=attempt).exists()


def test_an_unfinished_attempt_cannot_be_retried_yet(learner_client, every_kind_quiz):
    attempt = start(learner_client, every_kind_quiz(Quiz.Mode.PRACTICE))
    retry(learner_client, attempt)
    assert not Attempt.objects.filter(retry_of=attempt).exists()


def test_a_visitor_without_an_account_retries_in_their_session(client, every_kind_quiz):
    attempt = start(client, every_kind_quiz(Quiz.Mode.PRACTICE))
    item = attempt.items.exclude(kind=Kind.SORT).first()
    answer(client, item, wrong_answer(item))
    finish(client, attempt)
    response = retry(client, attempt)
    again = Attempt.objects.get(retry_of=attempt)
    assert again.user is None and again.anonymous_token == attempt.anonymous_token
    assert client.get(response["Location"]).status_code == 302  # to its first question, which opens
    assert client.get(f"/quizzes/attempts/{again.pk}/q/1/").status_code == 200


def test_someone_elses_attempt_cannot_be_retried_or_discarded(client, learner_client, missed_three, make_learner):
    other = make_learner()
    client.force_login(other)
    assert retry(client, missed_three).status_code == 404
    assert client.get(f"/quizzes/attempts/{missed_three.pk}/discard/").status_code == 404
    assert client.post(f"/quizzes/attempts/{missed_three.pk}/discard/").status_code == 404


def test_discarding_asks_first_then_deletes_the_attempt_and_its_answers(learner_client, every_kind_quiz):
    attempt = start(learner_client, every_kind_quiz(Quiz.Mode.PRACTICE))
    item = attempt.items.first()
    answer(learner_client, item, right_answer(item))

    page = learner_client.get(f"/quizzes/attempts/{attempt.pk}/discard/").content.decode()
    assert "Discard this attempt?" in page and "1 of 5 questions answered" in page
    assert Attempt.objects.filter(pk=attempt.pk).exists()

    response = learner_client.post(f"/quizzes/attempts/{attempt.pk}/discard/")
    assert response["Location"] == "/quizzes/"
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert not Answer.objects.filter(item__attempt_id=attempt.pk).exists()
    assert not Outcome.objects.filter(attempt_id=attempt.pk).exists()


def test_a_finished_attempt_cannot_be_discarded(learner_client, missed_three):
    response = learner_client.post(f"/quizzes/attempts/{missed_three.pk}/discard/")
    assert response["Location"] == f"/quizzes/attempts/{missed_three.pk}/results/"
    assert Attempt.objects.filter(pk=missed_three.pk).exists()


def test_the_quiz_list_offers_to_discard_an_unfinished_attempt(learner_client, every_kind_quiz):
    attempt = start(learner_client, every_kind_quiz(Quiz.Mode.PRACTICE))
    html = learner_client.get("/quizzes/").content.decode()
    assert f'href="/quizzes/attempts/{attempt.pk}/discard/"' in html


def test_a_retry_stays_out_of_the_trend_but_in_the_history(learner_client, retried_right):
    html = learner_client.get("/progress/").content.decode()
    assert "not in the trend: a retry of questions just explained" in html
    assert html.count('class="trend-point') == 1  # the attempt retried, not its retry
