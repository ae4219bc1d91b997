"""The benchmark's floor (/bench/floor/): one query and a small template, whoever asks."""

import pytest
from django.urls import reverse

from study.models import Lesson

pytestmark = pytest.mark.django_db


def test_the_floor_runs_one_query_and_renders_its_small_template(client, django_assert_num_queries):
    Lesson.objects.create(slug="the-model", title="The model in one page", summary="s", body="b")
    with django_assert_num_queries(1):
        response = client.get(reverse("bench_floor"))
    assert response.status_code == 200
    assert [template.name for template in response.templates] == ["floor.html"]
    assert "The model in one page" in response.content.decode()


def test_a_learners_session_adds_no_query_to_the_floor(learner_client, django_assert_num_queries):
    # The floor never reads the session or the user, so it stays the least a page can cost.
    with django_assert_num_queries(1):
        response = learner_client.get("/bench/floor/")
    assert response.status_code == 200
    assert "No lesson yet" in response.content.decode()
