"""Markdown written by instructors never runs script: not in questions, not in lessons, not in the admin."""

import re

import pytest
from django.urls import reverse

from quizzes.bank.drawing import choice_key
from quizzes.models import Choice, Kind, Question, Quiz, SelectionRule
from quizzes.tests.conftest import start
from study.models import Lesson

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Intro <script>alert('x')</script> and <img src=x onerror=\"alert('y')\"> and "
    "[click](javascript:alert('z')) and <a href=\"#\" onclick=\"alert('w')\">link</a>"
)


def assert_harmless(html):
    assert "<script>alert" not in html
    assert not re.search(r"<[^>]+\son\w+\s*=", html), "an event handler attribute survived"
    assert 'href="javascript:' not in html


@pytest.fixture
def hostile_question():
    question = Question.objects.create(
        slug="hostile",
        kind=Kind.SINGLE,
        prompt=HOSTILE,
        explanation=HOSTILE,
        skill="aws",
        status=Question.Status.PUBLISHED,
    )
    Choice.objects.create(question=question, position=0, text="<script>alert(1)</script>", is_correct=True)
    Choice.objects.create(question=question, position=1, text="No", feedback="<img src=x onerror=alert(2)>")
    return question


def test_a_hostile_question_is_harmless_on_the_learners_page_and_its_feedback(learner_client, hostile_question):
    quiz = Quiz.objects.create(slug="one", title="One", shuffle_choices=False)
    SelectionRule.objects.create(quiz=quiz, count=1, kind=Kind.SINGLE)
    attempt = start(learner_client, quiz)
    page = learner_client.get(f"/quizzes/attempts/{attempt.pk}/q/1/").content.decode()
    assert "Intro" in page
    assert_harmless(page)
    wrong = hostile_question.choices.get(text="No")
    feedback = learner_client.post(
        f"/quizzes/attempts/{attempt.pk}/q/1/", {"choice": choice_key(wrong.pk)}, follow=True
    )
    assert_harmless(feedback.content.decode())


def test_a_hostile_question_is_harmless_in_the_admin_preview_and_change_form(instructor_client, hostile_question):
    preview_url = reverse("admin:quizzes_question_preview", args=[hostile_question.pk])
    assert_harmless(instructor_client.get(preview_url).content.decode())
    wrong = hostile_question.choices.get(text="No")
    assert_harmless(instructor_client.post(preview_url, {"choice": choice_key(wrong.pk)}).content.decode())
    change = instructor_client.get(reverse("admin:quizzes_question_change", args=[hostile_question.pk]))
    # The prompt's rendered preview is sanitized; the raw Markdown sits escaped in its textarea.
    rendered = re.search(r'<div class="markdown-preview">(.*?)</div>', change.content.decode(), re.S).group(1)
    assert_harmless(rendered)


def test_a_hostile_lesson_is_harmless_on_its_page_and_in_the_admin_preview(client, instructor_client):
    lesson = Lesson.objects.create(slug="hostile-lesson", title="Hostile", summary="S", body=HOSTILE, position=99)
    assert_harmless(client.get(lesson.get_absolute_url()).content.decode())
    change = instructor_client.get(reverse("admin:study_lesson_change", args=[lesson.pk])).content.decode()
    rendered = re.search(r'<div class="markdown-preview">(.*?)</div>', change, re.S).group(1)
    assert "Intro" in rendered
    assert_harmless(rendered)
