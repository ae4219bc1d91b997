"""Every URL that takes an id, found in the URL configuration: only the owner of the row it names gets
anything but a 404 (or, for a visitor without an account, the login page).

`quizzes/tests/test_ownership_and_accounts.py` checks the attempt URLs of one in-progress quiz for
one visitor at a time; here every pattern with an id is walked for every kind of visitor, with
attempts in progress and finished, owned by a learner and by an anonymous visitor, and a new
pattern with an id fails the suite until it is covered."""

import pytest
from django.test import Client

from quizzes.models import Answer, Attempt
from quizzes.tests.conftest import answer, right_answer
from tests.security.conftest import PROMPT, marked_item

pytestmark = pytest.mark.django_db

# Every non-admin URL with an id names an attempt (and, for a question, its number in the attempt).
ATTEMPT_URLS = {
    "quizzes:attempt",
    "quizzes:question",
    "quizzes:review",
    "quizzes:finish",
    "quizzes:results",
    "quizzes:retry",
    "quizzes:discard",
}


def test_every_url_with_an_id_is_covered(routes):
    with_ids = {route.name for route in routes if route.takes_an_id and not route.is_admin}
    assert with_ids == ATTEMPT_URLS, (
        "A URL with an id was added or removed: say in ATTEMPT_URLS which rows it names and who owns them."
    )


def snapshot(attempt):
    attempt = Attempt.objects.get(pk=attempt.pk)
    answers = sorted(Answer.objects.filter(attempt=attempt).values_list("item_id", "response", "score"))
    return attempt.user_id, attempt.anonymous_token, attempt.finished_at, attempt.score, answers


def assert_refused(response, *, may_ask_to_log_in):
    location = response.get("Location", "")
    if response.status_code == 302 and may_ask_to_log_in:
        assert location.startswith("/accounts/login/"), location
    else:
        # 405 is the answer for any id, owned or not, so it tells nothing either.
        assert response.status_code in (404, 405), (response.status_code, location)
    assert PROMPT not in response.content.decode()


@pytest.fixture
def visitors(logged_in, make_instructor, attempt_of):
    """Everyone but the owner: (name, client, whether the client is anonymous)."""
    other_learner = logged_in()
    attempt_of(other_learner)  # with attempts of their own, so that ownership is really compared
    other_visitor = Client()
    attempt_of(other_visitor)
    return [
        ("another learner", other_learner, False),
        ("an instructor", logged_in(make_instructor()), False),
        ("an anonymous visitor", Client(), True),
        ("another anonymous visitor with attempts", other_visitor, True),
    ]


@pytest.mark.parametrize("owner", ["learner", "anonymous visitor"])
@pytest.mark.parametrize("finished", [False, True], ids=["in progress", "finished"])
def test_only_the_owner_reaches_an_attempt_through_any_url(
    routes, example_url, logged_in, attempt_of, visitors, owner, finished
):
    owner_client = logged_in() if owner == "learner" else Client()
    attempt = attempt_of(owner_client)
    item = marked_item(attempt)
    other_item = attempt.items.exclude(pk=item.pk).first()
    answer(owner_client, other_item, right_answer(other_item))
    if finished:
        owner_client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    before = snapshot(attempt)
    # What the owner sees, so that the marker's absence below means something.
    shown = owner_client.get(f"/quizzes/attempts/{attempt.pk}/{'results' if finished else 'q/1'}/")
    assert shown.status_code == 200 and PROMPT in shown.content.decode()

    for visitor, client, anonymous in visitors:
        for route in routes:
            if route.name not in ATTEMPT_URLS:
                continue
            url = example_url(route, attempt, number=item.number)
            # Every method: a view that answers only some must still not answer others with data.
            for method in ("get", "post"):
                response = getattr(client, method)(url, right_answer(item) if method == "post" else None)
                assert_refused(response, may_ask_to_log_in=anonymous), f"{visitor}: {method.upper()} {url}"
    assert snapshot(attempt) == before


def test_no_admin_url_with_an_id_opens_to_a_learner_or_a_visitor(routes, example_url, logged_in):
    admin_routes = [route for route in routes if route.is_admin and route.parameters]
    assert len(admin_routes) > 50  # every model's change, delete and history pages, and the extra views
    for client in (logged_in(), Client()):
        for route in admin_routes:
            url = example_url(route)
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/"), url
