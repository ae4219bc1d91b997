import pytest

from quizzes.models import Attempt, Kind, Quiz, SelectionRule


@pytest.fixture
def quiz_content(content):
    """The real catalog, written questions and quiz definitions."""


@pytest.fixture
def every_kind_quiz(quiz_content):
    """A quiz with one question of each kind, in a given mode."""

    def make(mode=Quiz.Mode.PRACTICE, minutes=None):
        quiz = Quiz.objects.create(
            slug=f"every-kind-{mode}", title="Every kind", mode=mode, time_limit_minutes=minutes, question_count=5
        )
        for position, kind in enumerate(Kind.values):
            SelectionRule.objects.create(quiz=quiz, position=position, count=1, kind=kind)
        return quiz

    return make


def start(client, quiz):
    response = client.post(f"/quizzes/{quiz.slug}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.order_by("-pk").first()


def right_answer(item):
    if item.kind == Kind.SORT:
        return {f"card_{key}": owner for key, owner in item.key["correct"].items()}
    return {"choice": item.key["correct"]}


def wrong_answer(item):
    if item.kind == Kind.SORT:
        flip = {"aws": "customer", "customer": "aws", "shared": "aws"}
        return {f"card_{key}": flip[owner] for key, owner in item.key["correct"].items()}
    wrong = [key for key in item.option_keys if key not in item.key["correct"]]
    return {"choice": wrong[:1]}


def answer(client, item, data, **extra):
    return client.post(f"/quizzes/attempts/{item.attempt_id}/q/{item.number}/", {**data, **extra})
