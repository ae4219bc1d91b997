"""Fixtures of the security suite: quizzes that ask a question whose every text is a marker (so a
page that shows any of it is found by a substring search), attempts of them by any client, and a
real example URL for every pattern of the site."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from quizzes.models import Choice, Kind, Question, Quiz, SelectionRule
from quizzes.tests.conftest import start
from study.models import Duty, Lesson, Service
from tests.security.routes import all_routes

PROMPT = "MARKED-PROMPT only the attempt's owner may read this"
EXPLANATION = "MARKED-EXPLANATION the key of the marked question"
RIGHT_CHOICE = "MARKED-RIGHT-CHOICE"
WRONG_CHOICE = "MARKED-WRONG-CHOICE"
WRONG_FEEDBACK = "MARKED-FEEDBACK picking the wrong choice"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hundreds of accounts sign up and log in here; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def quiz_content(content):
    """The real catalog, written questions and quiz definitions."""


@pytest.fixture
def marked_question(quiz_content):
    lesson = Lesson.objects.create(slug="marked-lesson", title="Marked lesson", summary="S", body="B", position=99)
    question = Question.objects.create(
        slug="marked",
        kind=Kind.SINGLE,
        prompt=PROMPT,
        explanation=EXPLANATION,
        skill="aws",
        lesson=lesson,
        status=Question.Status.PUBLISHED,
    )
    Choice.objects.create(question=question, position=0, text=RIGHT_CHOICE, is_correct=True)
    Choice.objects.create(question=question, position=1, text=WRONG_CHOICE, feedback=WRONG_FEEDBACK)
    return question


@pytest.fixture
def marked_quiz(marked_question):
    """A quiz that asks the marked question first, then one question of every kind."""

    def make(mode=Quiz.Mode.PRACTICE, minutes=None):
        quiz = Quiz.objects.create(
            slug=f"marked-{mode}",
            title="Marked",
            mode=mode,
            time_limit_minutes=minutes,
            shuffle_questions=False,
        )
        # The marked question's rule comes first, so that the single-choice rule cannot take it.
        SelectionRule.objects.create(quiz=quiz, position=0, count=1, kind=Kind.SINGLE, lesson=marked_question.lesson)
        for position, kind in enumerate(Kind.values, start=1):
            SelectionRule.objects.create(quiz=quiz, position=position, count=1, kind=kind)
        return quiz

    return make


@pytest.fixture
def logged_in(make_learner):
    """A new client logged in as a new learner."""

    def make(user=None):
        client = Client()
        client.force_login(user or make_learner())
        return client

    return make


@pytest.fixture
def attempt_of(marked_quiz):
    """An attempt of the marked quiz started by `client`."""

    def make(client, mode=Quiz.Mode.PRACTICE, minutes=None):
        quiz = Quiz.objects.filter(slug=f"marked-{mode}").first() or marked_quiz(mode, minutes)
        return start(client, quiz)

    return make


def marked_item(attempt):
    return attempt.items.get(question__slug="marked")


@pytest.fixture
def example_url(quiz_content, learner):
    """A real URL for any route of the site: ids of existing rows, slugs of existing pages."""
    slugs = {
        "study:service": Service.objects.first().slug,
        "study:duty": Duty.objects.first().slug,
        "study:lesson": Lesson.objects.first().slug,
        "quizzes:start": "quick-check",
    }
    reset = {"uidb64": urlsafe_base64_encode(force_bytes(learner.pk)), "token": "set-password"}

    def admin_object_id(route):
        model = re.match(r"admin/(\w+)/(\w+)/", route.pattern)
        if model is None:  # admin/r/<content type>/<object id>/: "view on site" of a question
            return Question.objects.first().pk
        row = apps.get_model(*model.groups()).objects.first()
        return row.pk if row else 1

    def url(route, attempt=None, number=1, **values):
        values = {
            "pk": attempt.pk if attempt else 1,
            "number": number,
            "slug": slugs.get(route.name, "no-such-slug"),
            "app_label": "quizzes",
            "url": "no/such/page/",
            "content_type_id": ContentType.objects.get_for_model(Question).pk,
            "id": learner.pk,
            **reset,
            **values,
        }
        if "object_id" in route.parameters:
            values.setdefault("object_id", admin_object_id(route) if route.is_admin else 1)
        if route.name == "admin:quizzes_question_preview":
            values["pk"] = Question.objects.first().pk
        return route.url(**values)

    return url


@pytest.fixture(scope="session")
def routes():
    return all_routes()


def reset_url(user):
    """A working password-reset link for `user`."""
    return f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}/"
