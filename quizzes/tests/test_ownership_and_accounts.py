"""Only an attempt's owner can see, continue or review it; a visitor's attempts follow them into
their account."""

import pytest
from django.test import Client

from quizzes.models import Answer, Attempt, Kind, Outcome, Quiz, ReviewItem
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db
STRONG = "Resp0nsibility-model!"


def attempt_urls(attempt):
    base = f"/quizzes/attempts/{attempt.pk}/"
    return [
        ("get", base),
        ("get", base + "q/1/"),
        ("post", base + "q/1/"),
        ("post", base + "finish/"),
        ("get", base + "results/"),
    ]


@pytest.fixture
def owned_attempt(client, make_learner, quiz_content):
    owner = make_learner()
    client.force_login(owner)
    return start(client, Quiz.objects.get(slug="quick-check"))


def test_another_learner_gets_404_on_every_attempt_url(owned_attempt, make_learner):
    other = Client()
    other.force_login(make_learner())
    for method, url in attempt_urls(owned_attempt):
        assert getattr(other, method)(url).status_code == 404, url
    assert not Answer.objects.exists()
    assert Attempt.objects.get(pk=owned_attempt.pk).finished_at is None


def test_an_anonymous_visitor_gets_404_on_someone_elses_attempt(owned_attempt):
    for method, url in attempt_urls(owned_attempt):
        assert getattr(Client(), method)(url).status_code == 404, url


def test_another_anonymous_session_gets_404_on_a_visitors_attempt(quiz_content):
    visitor = Client()
    attempt = start(visitor, Quiz.objects.get(slug="quick-check"))
    assert visitor.get(f"/quizzes/attempts/{attempt.pk}/q/1/").status_code == 200
    for method, url in attempt_urls(attempt):
        assert getattr(Client(), method)(url).status_code == 404, url


def test_a_visitors_attempt_moves_to_the_account_at_sign_up(client, quiz_content):
    attempt = start(client, Quiz.objects.get(slug="quick-check"))
    item = attempt.items.exclude(kind=Kind.SORT).first()
    answer(client, item, wrong_answer(item), confidence="sure")
    assert attempt.user is None
    client.post("/accounts/signup/", {"username": "newbie", "password1": STRONG, "password2": STRONG})
    attempt.refresh_from_db()
    assert attempt.user.username == "newbie"
    assert attempt.anonymous_token == ""
    assert Outcome.objects.filter(attempt=attempt, user=attempt.user).exists()
    assert ReviewItem.objects.filter(user=attempt.user).count() == 1
    assert client.get(f"/quizzes/attempts/{attempt.pk}/q/1/").status_code == 200


def test_a_visitors_attempt_moves_to_the_account_at_login(client, learner, quiz_content):
    attempt = start(client, Quiz.objects.get(slug="quick-check"))
    client.post("/accounts/login/", {"username": learner.username, "password": learner.raw_password})
    attempt.refresh_from_db()
    assert attempt.user == learner


def test_an_unfinished_attempt_is_resumed_not_restarted(client, quiz_content):
    quiz = Quiz.objects.get(slug="quick-check")
    first = start(client, quiz)
    item = first.items.first()
    answer(client, item, right_answer(item))
    client.post(f"/quizzes/{quiz.slug}/start/")
    assert Attempt.objects.count() == 1
    assert "Resume" in client.get("/quizzes/").content.decode()
    response = client.get(f"/quizzes/attempts/{first.pk}/")
    assert response["Location"] == f"/quizzes/attempts/{first.pk}/q/2/"


def test_review_quiz_asks_a_visitor_to_log_in(client, quiz_content):
    response = client.post("/quizzes/review-my-mistakes/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_quiz_and_get_on_start_are_refused(client, quiz_content):
    assert client.post("/quizzes/no-such-quiz/start/").status_code == 404
    assert client.get("/quizzes/quick-check/start/").status_code == 405


def test_question_number_out_of_range_is_404(client, quiz_content):
    attempt = start(client, Quiz.objects.get(slug="quick-check"))
    assert client.get(f"/quizzes/attempts/{attempt.pk}/q/0/").status_code == 404
    assert client.get(f"/quizzes/attempts/{attempt.pk}/q/{attempt.item_count + 1}/").status_code == 404
