"""Smoke test of every ModelAdmin of the quizzes app, and read-only attempts."""

import pytest
from django.contrib import admin
from django.urls import reverse

from quizzes.models import Attempt, Quiz
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db

QUIZ_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "quizzes"]


@pytest.fixture
def some_answers(learner_client, quiz_content):
    attempt = start(learner_client, Quiz.objects.get(slug="quick-check"))
    first, second = attempt.items.all()[:2]
    answer(learner_client, first, right_answer(first))
    answer(learner_client, second, wrong_answer(second))
    return attempt


@pytest.mark.parametrize("model", QUIZ_ADMINS, ids=lambda model: model.__name__)
def test_admin_pages_load_for_a_superuser(admin_client, some_answers, model):
    info = (model._meta.app_label, model._meta.model_name)
    assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "a"}).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200


def test_attempts_cannot_be_edited_in_the_admin(admin_client, some_answers):
    url = reverse("admin:quizzes_attempt_change", args=[some_answers.pk])
    admin_client.post(url, {"score": "100"})
    assert Attempt.objects.get(pk=some_answers.pk).score is None
