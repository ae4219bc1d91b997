"""The study pages cost the same number of queries whatever the size of the catalog."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from study.models import Duty, Layer, Lesson, Misconception, Responsibility, Service, Source
from study.tests.factories import build_catalog

pytestmark = pytest.mark.django_db

SMALL = {"services": 5, "duties": 20, "misconceptions": 4}
TENFOLD = {"services": 50, "duties": 200, "misconceptions": 40}
# The most queries any study page may make (session and user lookups included).
MAX_QUERIES = 8


def page_urls(duty, service, lesson):
    return {
        "home": reverse("home"),
        "lessons": reverse("study:index"),
        "lesson": lesson.get_absolute_url(),
        "diagram": reverse("study:diagram"),
        "matrix": reverse("study:matrix"),
        "matrix filtered": reverse("study:matrix") + "?category=managed",
        "services": reverse("study:services"),
        "service": service.get_absolute_url(),
        "duties": reverse("study:duties"),
        "duty": duty.get_absolute_url(),
        "catalog.json": reverse("study:catalog_json"),
    }


def count_queries(client, size):
    services, duties = build_catalog(**size)
    lessons = [
        Lesson.objects.create(slug=slug, title=slug, summary="s", body="b", position=i)
        for i, slug in enumerate(["the-model", "glossary", "misconceptions", "other"])
    ]
    for lesson in lessons:
        lesson.duties.set(duties[: len(duties) // 2])
    counts = {}
    for name, url in page_urls(duties[0], services[0], lessons[0]).items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    for lesson in lessons[1:]:
        with CaptureQueriesContext(connection) as queries:
            client.get(lesson.get_absolute_url())
        counts[f"lesson {lesson.slug}"] = len(queries)
    return counts


def test_study_pages_make_the_same_queries_when_the_catalog_grows_tenfold(client):
    small = count_queries(client, SMALL)
    for model in (Misconception, Responsibility, Duty, Lesson, Service, Layer, Source):
        model.objects.all().delete()
    large = count_queries(client, TENFOLD)
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


@pytest.mark.parametrize("size", [SMALL, TENFOLD], ids=["small", "tenfold"])
def test_matrix_stays_within_the_query_bound(client, size, django_assert_max_num_queries):
    build_catalog(**size)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse("study:matrix")).status_code == 200


@pytest.mark.parametrize("size", [SMALL, TENFOLD], ids=["small", "tenfold"])
def test_service_page_stays_within_the_query_bound(client, size, django_assert_max_num_queries):
    services, _duties = build_catalog(**size)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(services[0].get_absolute_url()).status_code == 200
