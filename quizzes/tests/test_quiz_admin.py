"""Smoke test of every ModelAdmin of the quizzes app, and read-only attempts."""

from html.parser import HTMLParser
from unittest import mock

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from quizzes.admin import AttemptAdmin
from quizzes.models import Attempt, AttemptItem, Quiz
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


class ChangeFormValues(HTMLParser):
    """What a browser submits from the admin's change form (`<form id="..._form">`), as the page fills it in."""

    SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = MultiValueDict()
        self.in_form = False
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in self.SKIPPED_INPUTS:
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values.appendlist(name, attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.appendlist(self.select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.values.appendlist(name, "")

    def handle_data(self, data):
        if self.textarea:
            self.values.setlistdefault(self.textarea)[-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def change_form_values(response):
    parser = ChangeFormValues()
    parser.feed(response.content.decode())
    return parser.values


def attempt_rows(attempt):
    return (
        Attempt.objects.filter(pk=attempt.pk).values().get(),
        list(AttemptItem.objects.filter(attempt=attempt).order_by("pk").values()),
    )


@pytest.mark.parametrize("staff", ["superuser", "instructor"])
def test_attempts_cannot_be_edited_in_the_admin(client, some_answers, superuser, instructor, staff):
    attempt = some_answers
    client.force_login(superuser if staff == "superuser" else instructor)
    url = reverse("admin:quizzes_attempt_change", args=[attempt.pk])

    # The page shows the attempt read only: no field to edit, nothing to save.
    page = client.get(url)
    assert page.status_code == 200
    assert "score" not in change_form_values(page)
    assert b'name="_save"' not in page.content

    # The change form the admin would offer if attempts were editable, filled in as it shows the
    # attempt, with the score raised: a valid change, so that only the read-only rule can refuse it.
    with mock.patch.object(AttemptAdmin, "has_change_permission", return_value=True):
        editable = client.get(url)
    data = change_form_values(editable)
    assert {"quiz", "user", "mode", "pass_mark", "score", "passed"} <= set(data)
    data["score"] = "100"
    data["passed"] = "true"
    data["_save"] = "Save"
    form = editable.context["adminform"].form
    assert type(form)(data, instance=attempt).is_valid(), type(form)(data, instance=attempt).errors
    for inline in editable.context["inline_admin_formsets"]:
        formset = inline.formset
        bound = type(formset)(data, instance=attempt, prefix=formset.prefix)
        assert bound.is_valid(), (bound.errors, bound.non_form_errors())
    before = attempt_rows(attempt)

    response = client.post(url, data)

    assert Attempt.objects.get(pk=attempt.pk).score is None
    assert attempt_rows(attempt) == before
    assert response.status_code == 403
