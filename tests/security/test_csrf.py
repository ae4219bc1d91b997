"""Every POST needs its CSRF token: without it, or with a wrong one, the site answers 403 and
changes nothing; the same request with the token does what it says (so each check can fail)."""

import base64
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from quizzes.instructor.banks.json_format import write_questions_json
from quizzes.models import Answer, Attempt, Question, Quiz
from quizzes.tests.conftest import right_answer, start
from tests.security.conftest import reset_url

pytestmark = pytest.mark.django_db

# What the browser keeps in the csrftoken cookie; a form sends it back (Django also accepts it
# unmasked). A second value of the right shape stands for a forged or stale token.
COOKIE_SECRET = "a" * 32
WRONG_TOKEN = "b" * 32
NEW_PASSWORD = "An0ther-strong-passphrase"


def csrf_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.cookies["csrftoken"] = COOKIE_SECRET
    return client


def post(client, url, data, token, **extra):
    if token is not None:
        data = {**data, "csrfmiddlewaretoken": token}
    return client.post(url, data, **extra)


def started_by(learner):
    client = Client()
    client.force_login(learner)
    return start(client, Quiz.objects.get(slug="quick-check"))


@pytest.mark.parametrize("who", ["anonymous visitor", "learner", "superuser"])
def test_a_post_without_a_token_is_refused_on_every_url(routes, example_url, learner, superuser, who):
    """Also GET-only views: the check runs before the view, so no view can forget it or opt out."""
    attempt = start(Client(), Quiz.objects.get(slug="quick-check"))
    user = {"anonymous visitor": None, "learner": learner, "superuser": superuser}[who]
    client = csrf_client(user)
    for route in routes:
        url = example_url(route, attempt)
        assert post(client, url, {}, None).status_code == 403, url
        assert post(client, url, {}, WRONG_TOKEN).status_code == 403, url


@dataclass
class Case:
    client: Client
    url: str
    data: dict
    changed: Callable[[], bool]
    extra: dict | None = None


def start_quiz(fixtures):
    learner = fixtures.make_learner()
    return Case(
        csrf_client(learner),
        "/quizzes/quick-check/start/",
        {},
        lambda: Attempt.objects.filter(user=learner).exists(),
    )


def answer_question(fixtures):
    learner = fixtures.make_learner()
    attempt = started_by(learner)
    item = attempt.items.first()
    return Case(
        csrf_client(learner),
        f"/quizzes/attempts/{attempt.pk}/q/1/",
        right_answer(item),
        lambda: Answer.objects.filter(item=item).exists(),
    )


def finish_attempt(fixtures):
    learner = fixtures.make_learner()
    attempt = started_by(learner)
    return Case(
        csrf_client(learner),
        f"/quizzes/attempts/{attempt.pk}/finish/",
        {"confirm": "unanswered"},
        lambda: Attempt.objects.get(pk=attempt.pk).finished_at is not None,
    )


def sign_up(fixtures):
    return Case(
        csrf_client(),
        "/accounts/signup/",
        {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        lambda: get_user_model().objects.filter(username="newcomer").exists(),
    )


def log_in(fixtures):
    learner = fixtures.make_learner()
    client = csrf_client()
    return Case(
        client,
        "/accounts/login/",
        {"username": learner.username, "password": learner.raw_password},
        lambda: "_auth_user_id" in client.session,
    )


def log_out(fixtures):
    client = csrf_client(fixtures.make_learner())
    return Case(client, "/accounts/logout/", {}, lambda: "_auth_user_id" not in client.session)


def change_password(fixtures):
    learner = fixtures.make_learner()
    return Case(
        csrf_client(learner),
        "/accounts/password_change/",
        {"old_password": learner.raw_password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        lambda: get_user_model().objects.get(pk=learner.pk).check_password(NEW_PASSWORD),
    )


def ask_for_a_password_reset(fixtures):
    learner = fixtures.make_learner()
    learner.email = "learner@example.org"
    learner.save()
    return Case(csrf_client(), "/accounts/password_reset/", {"email": learner.email}, lambda: len(mail.outbox) > 0)


def set_a_new_password_from_a_reset_link(fixtures):
    learner = fixtures.make_learner()
    client = csrf_client()
    # The link's GET is safe; it moves the token into the session and sends the form's address.
    form_url = client.get(reset_url(learner))["Location"]
    return Case(
        client,
        form_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        lambda: get_user_model().objects.get(pk=learner.pk).check_password(NEW_PASSWORD),
    )


def import_questions(fixtures):
    values = Question.objects.published().first().content_values()
    payload = base64.b64encode(write_questions_json({"made-by-csrf": values}).encode()).decode()
    return Case(
        csrf_client(fixtures.superuser),
        "/admin/quizzes/question/import/",
        {"step": "confirm", "name": "bank.json", "file_format": "json", "payload": payload},
        lambda: Question.objects.filter(slug="made-by-csrf").exists(),
    )


def publish_with_an_admin_action(fixtures):
    draft = Question.objects.published().first()
    Question.objects.filter(pk=draft.pk).update(status=Question.Status.DRAFT)
    return Case(
        csrf_client(fixtures.superuser),
        "/admin/quizzes/question/",
        {"action": "publish", "_selected_action": [draft.pk], "index": 0},
        lambda: Question.objects.get(pk=draft.pk).status == Question.Status.PUBLISHED,
    )


def delete_in_the_admin(fixtures):
    question = Question.objects.first()
    return Case(
        csrf_client(fixtures.superuser),
        f"/admin/quizzes/question/{question.pk}/delete/",
        {"post": "yes"},
        lambda: not Question.objects.filter(pk=question.pk).exists(),
    )


def set_a_password_in_the_admin(fixtures):
    learner = fixtures.make_learner()
    return Case(
        csrf_client(fixtures.superuser),
        f"/admin/auth/user/{learner.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        lambda: get_user_model().objects.get(pk=learner.pk).check_password(NEW_PASSWORD),
    )


def log_out_of_the_admin(fixtures):
    client = csrf_client(fixtures.superuser)
    return Case(client, "/admin/logout/", {}, lambda: "_auth_user_id" not in client.session)


@dataclass
class Fixtures:
    make_learner: Callable
    superuser: object


@pytest.mark.parametrize(
    "case",
    [
        start_quiz,
        answer_question,
        finish_attempt,
        sign_up,
        log_in,
        log_out,
        change_password,
        ask_for_a_password_reset,
        set_a_new_password_from_a_reset_link,
        import_questions,
        publish_with_an_admin_action,
        delete_in_the_admin,
        set_a_password_in_the_admin,
        log_out_of_the_admin,
    ],
    ids=lambda case: case.__name__.replace("_", " "),
)
def test_a_post_without_its_token_changes_nothing_and_with_it_works(quiz_content, make_learner, superuser, case):
    case = case(Fixtures(make_learner, superuser))
    for token in (None, WRONG_TOKEN):
        response = post(case.client, case.url, case.data, token)
        assert response.status_code == 403
        assert not case.changed()
    response = post(case.client, case.url, case.data, COOKIE_SECRET)
    assert response.status_code in (200, 302), response.status_code
    assert case.changed()
