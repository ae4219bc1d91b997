"""Random, malformed, oversized and non-UTF-8 input to every form, POST endpoint and query string
never makes the site fail (a 500): it is refused with a 4xx or handled. Where a view's answer is
known (a refused answer is a 400, a redirect stays on the site), the property says so.

Hypothesis shares one database transaction between the examples of a test, so state left by one
example (a stored answer, a new account) is seen by the next; the properties hold either way."""

import itertools
import re
from urllib.parse import quote, quote_from_bytes, urljoin, urlsplit

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quizzes.attempts import services
from quizzes.models import Answer, Kind, Question, Quiz
from quizzes.tests.conftest import start
from srm_site.middleware import MAX_QUERY_VALUE_LENGTH

pytestmark = pytest.mark.django_db(transaction=False)

FUZZ = settings(
    max_examples=40,
    deadline=None,
    # No example database: nothing written to the working tree, every run starts fresh.
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STRONG = "Resp0nsibility-model!"

# Values chosen to break parsers and lookups, beside random text: ids out of any integer range,
# NUL (which PostgreSQL refuses in text), markup, JSON, path tricks and a 100 kB value.
NASTY = [
    "",
    "0",
    "-1",
    "9" * 30,
    "1e309",
    "NaN",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "null",
    "[]",
    '{"a": 1}',
    "../../etc/passwd",
    "%FF%FE",
    "\ud7ff\ufffe\uffff",
    "x" * 100_000,
]
value = st.one_of(
    st.text(max_size=60),
    st.sampled_from(NASTY),
    st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
values = st.one_of(value, st.lists(value, min_size=2, max_size=4))


def form(*names):
    """Dicts of the form's own field names and random ones, each with a value or a list of values."""
    return st.dictionaries(st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12)), values, max_size=8)


def query(*names):
    return st.dictionaries(st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12)), value, max_size=6)


def raw_query_string():
    """A query string of arbitrary bytes, percent-encoded or not (a WSGI server hands them over as latin-1)."""
    encoded = st.binary(max_size=60).map(quote_from_bytes)
    raw = st.binary(max_size=60).map(lambda data: data.decode("latin-1"))
    return st.lists(st.tuples(st.one_of(encoded, raw), st.one_of(encoded, raw)), max_size=5).map(
        lambda pairs: "&".join(f"{key}={val}" for key, val in pairs)
    )


def logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def stays_on_the_site(location, page="http://testserver/accounts/"):
    """Whether a browser on `page` stays on the site for this Location: browsers drop leading
    spaces and control characters and every tab and newline, and read a backslash as a slash."""
    address = re.sub(r"[\t\n\r]", "", location.lstrip("".join(map(chr, range(33))))).replace("\\", "/")
    return urlsplit(urljoin(page, address)).netloc == "testserver"


# --- quizzes ----------------------------------------------------------------------------------------


@pytest.fixture
def practice(quiz_content, learner):
    """A learner's client and their attempt of a quiz with one question of every kind."""
    client = logged_in_client(learner)
    quiz = Quiz.objects.create(slug="fuzz", title="Fuzz", question_count=5)
    for position, kind in enumerate(Kind.values):
        quiz.rules.create(position=position, count=1, kind=kind)
    attempt = start(client, quiz)
    return client, attempt, {item.kind: item for item in attempt.items.all()}


def answer_fields(item):
    """Answer forms made of the form's field names and random ones, whose values are random or the
    item's own option keys (random keys alone would almost never make an answer that is stored)."""
    own = st.sampled_from([*item.option_keys, "aws", "customer", "shared"])
    field_value = st.one_of(value, own, st.lists(own, min_size=1, max_size=4))
    names = ["choice", "confidence", *(f"card_{key}" for key in item.option_keys)]
    return st.dictionaries(st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12)), field_value, max_size=8)


@FUZZ
@given(kind=st.sampled_from(Kind.values), data=st.data())
def test_any_answer_is_stored_valid_or_refused_with_a_400(practice, kind, data):
    client, first_attempt, _ = practice
    # A fresh attempt per example: the first answer to an item stands, so a reused one would only
    # ever be refused after its first stored answer.
    attempt = services.start_attempt(quiz=first_attempt.quiz, user=first_attempt.user)
    item = attempt.items.get(kind=kind)
    response = client.post(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/", data.draw(answer_fields(item)))
    stored = list(Answer.objects.filter(attempt=attempt))
    if response.status_code == 400:
        assert stored == []
    else:
        assert response.status_code == 302
        assert [answer.item_id for answer in stored] == [item.pk]
        chosen = stored[0].response.get("choices") or list(stored[0].response["cards"])
        assert set(chosen) <= set(item.option_keys) and 0 <= stored[0].score <= 1
        assert stored[0].score == item.grade(stored[0].response).score


def test_the_answer_fuzzing_reaches_both_outcomes(practice):
    """The fuzz test above must see answers stored and answers refused, or it checks half a rule."""
    client, _, _ = practice
    quiz = Quiz.objects.get(slug="fuzz")
    item = start(client, quiz).items.get(kind=Kind.SINGLE)
    assert client.post(f"/quizzes/attempts/{item.attempt_id}/q/{item.number}/", {"choice": "nope"}).status_code == 400
    assert (
        client.post(
            f"/quizzes/attempts/{item.attempt_id}/q/{item.number}/", {"choice": item.option_keys[0]}
        ).status_code
        == 302
    )
    assert Answer.objects.filter(item=item).count() == 1


@FUZZ
@given(pk=st.integers(min_value=0, max_value=10**40), number=st.integers(min_value=0, max_value=10**40))
def test_any_attempt_and_question_number_is_a_404_or_the_owners_page(practice, pk, number):
    client, attempt, _items = practice
    # The owner's attempt may have been finished by an earlier example: then it sends to its results.
    expected = (200, 302, 404) if pk == attempt.pk else (404,)
    for path in (f"q/{number}/", "", "results/"):
        assert client.get(f"/quizzes/attempts/{pk}/{path}").status_code in expected
    assert client.post(f"/quizzes/attempts/{pk}/finish/").status_code in expected


@FUZZ
@given(slug=st.one_of(st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True), st.text(max_size=30)), data=form("quiz"))
def test_starting_any_quiz_name_is_a_redirect_or_a_404(practice, slug, data):
    client, _attempt, _items = practice
    response = client.post(f"/quizzes/{quote(slug, safe='')}/start/", data)
    assert response.status_code in (302, 404)


# --- accounts ---------------------------------------------------------------------------------------


@FUZZ
@given(data=form("username", "email", "password1", "password2", "next"), next_url=value)
def test_any_sign_up_is_handled_and_never_sends_off_the_site(db, data, next_url):
    response = Client().post(f"/accounts/signup/?next={quote(next_url)}", data)
    refused = "\x00" in next_url or len(next_url) > MAX_QUERY_VALUE_LENGTH  # srm_site.middleware
    assert response.status_code in ((400,) if refused else (200, 302))
    if response.status_code == 302:
        assert stays_on_the_site(response["Location"])


@FUZZ
@given(data=form("username", "password", "next"))
def test_any_login_is_handled(db, data):
    # 429: the login throttle may lock a fuzzed name out.
    assert Client().post("/accounts/login/", data).status_code in (200, 302, 429)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_an_overlong_username_at_a_login_is_refused_not_a_500(db, url):
    assert Client().post(url, {"username": "x" * 256, "password": "p"}).status_code == 200


counter = itertools.count()
OFF_SITE = ["//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/", "javascript:alert(1)"]


@FUZZ
@given(next_url=st.one_of(value, st.sampled_from(OFF_SITE), st.sampled_from(OFF_SITE).map(lambda url: f" {url}")))
def test_after_sign_up_login_and_logout_the_next_address_stays_on_the_site(learner, next_url):
    username = f"fuzzed{next(counter)}"
    signed_up = Client().post(
        "/accounts/signup/", {"username": username, "password1": STRONG, "password2": STRONG, "next": next_url}
    )
    logged_in = Client().post(
        "/accounts/login/", {"username": learner.username, "password": learner.raw_password, "next": next_url}
    )
    logged_out = logged_in_client(learner).post("/accounts/logout/", {"next": next_url})
    for response in (signed_up, logged_in, logged_out):
        assert response.status_code == 302
        assert stays_on_the_site(response["Location"]), response["Location"]


@FUZZ
@given(data=form("old_password", "new_password1", "new_password2"))
def test_any_password_change_is_handled(learner, data):
    assert logged_in_client(learner).post("/accounts/password_change/", data).status_code in (200, 302)


@FUZZ
@given(data=form("email"), uid=st.text(max_size=40), token=st.text(max_size=60), new=form("new_password1"))
def test_any_password_reset_request_and_link_is_handled(db, data, uid, token, new):
    client = Client()
    assert client.post("/accounts/password_reset/", data).status_code in (200, 302)
    link = f"/accounts/reset/{quote(uid, safe='') or 'x'}/{quote(token, safe='') or 'x'}/"
    assert client.get(link).status_code in (200, 302, 404)
    assert client.post(link, new).status_code in (200, 302, 404)


# --- raw bodies to every POST endpoint ----------------------------------------------------------------

CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=no-such-charset",
    "multipart/form-data; boundary=fuzz",
    "multipart/form-data",
    "multipart/form-data; boundary=" + "b" * 3000,
    "application/json",
    "text/plain",
    "",
]


@pytest.fixture
def post_endpoints(practice, superuser):
    _client, attempt, items = practice
    question = Question.objects.first()
    return [
        f"/quizzes/attempts/{attempt.pk}/q/{items[Kind.SINGLE].number}/",
        f"/quizzes/attempts/{attempt.pk}/q/{items[Kind.SORT].number}/",
        f"/quizzes/attempts/{attempt.pk}/finish/",
        "/quizzes/quick-check/start/",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/password_change/",
        "/accounts/password_reset/",
        "/admin/quizzes/question/import/",
        f"/admin/quizzes/question/{question.pk}/preview/",
        "/admin/quizzes/question/",
    ]


@settings(FUZZ, max_examples=80)
@given(data=st.data(), body=st.one_of(st.binary(max_size=3000), st.sampled_from([b"\xff" * 10, b"a=%ff%fe&b=\x00"])))
def test_any_raw_body_to_any_post_endpoint_is_refused_or_handled(practice, superuser, post_endpoints, data, body):
    client, _attempt, _items = practice
    url = data.draw(st.sampled_from(post_endpoints))
    content_type = data.draw(st.sampled_from(CONTENT_TYPES))
    as_who = logged_in_client(superuser) if url.startswith("/admin/") else client
    assert as_who.generic("POST", url, data=body, content_type=content_type).status_code < 500


# --- query strings ----------------------------------------------------------------------------------


@FUZZ
@given(data=st.data(), params=query("kind", "lesson", "order", "flagged", "mode", "category", "next", "q", "p", "o"))
def test_any_query_string_on_any_page_is_handled(routes, example_url, practice, superuser, data, params):
    client, attempt, _items = practice
    route = data.draw(st.sampled_from(routes), label="route")
    as_who = logged_in_client(superuser) if route.is_admin else client
    assert as_who.get(example_url(route, attempt), params).status_code < 500


@FUZZ
@given(data=st.data(), query_string=raw_query_string())
def test_any_bytes_in_a_query_string_are_handled(routes, example_url, practice, superuser, data, query_string):
    client, attempt, _items = practice
    route = data.draw(st.sampled_from(routes), label="route")
    as_who = logged_in_client(superuser) if route.is_admin else client
    assert as_who.get(example_url(route, attempt), QUERY_STRING=query_string).status_code < 500


@FUZZ
@given(params=query("kind", "lesson", "order", "flagged"))
def test_any_filter_of_the_item_statistics_shows_the_page(admin_client, quiz_content, params):
    refused = any("\x00" in name + given or len(given) > MAX_QUERY_VALUE_LENGTH for name, given in params.items())
    expected = 400 if refused else 200  # srm_site.middleware
    assert admin_client.get("/admin/quizzes/question/statistics/", params).status_code == expected


@FUZZ
@given(params=query("category"))
def test_any_matrix_filter_shows_the_matrix_or_says_what_is_wrong(client, quiz_content, params):
    assert client.get("/study/matrix/", params).status_code in (200, 400)


@FUZZ
@given(params=query("q", "o", "p", "e", "kind__exact", "status__exact", "lesson__id__exact", "all"))
def test_any_search_sort_and_page_of_an_admin_list_is_handled(admin_client, quiz_content, params):
    for model in ("question", "quiz", "attempt", "answer", "reviewitem"):
        assert admin_client.get(f"/admin/quizzes/{model}/", params).status_code in (200, 302, 400)


@FUZZ
@example(year="9999", month="", day="")
@example(year="9999", month="12", day="")
@example(year="9" * 12, month="", day="")
@given(
    year=st.one_of(st.integers(min_value=-10, max_value=10**12).map(str), value),
    month=st.one_of(st.integers(min_value=-1, max_value=13).map(str), value),
    day=st.one_of(st.integers(min_value=-1, max_value=32).map(str), value),
)
def test_any_date_of_the_attempt_lists_date_filter_is_shown_or_refused(admin_client, quiz_content, year, month, day):
    dates = {"started_at__year": year, "started_at__month": month, "started_at__day": day}
    params = {name: given for name, given in dates.items() if given}
    assert admin_client.get("/admin/quizzes/attempt/", params).status_code in (200, 302, 400)


# Django's admin passes these filter and search values to the database as they come, and
# PostgreSQL refuses NUL in text: srm_site.middleware refuses such a query string first.
NUL_IN_THE_ADMIN = [
    "/admin/quizzes/question/?status__exact=%00",
    "/admin/auth/user/?username__exact=%00",
    "/admin/autocomplete/?term=%00&app_label=study&model_name=responsibility&field_name=source",
]


@pytest.mark.parametrize("url", NUL_IN_THE_ADMIN)
def test_nul_in_an_admin_filter_or_search_is_refused_with_a_400(admin_client, quiz_content, url):
    assert admin_client.get(url).status_code == 400


@FUZZ
@given(
    kind=st.sampled_from([Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE]), mode=value, data=form("choice", "confidence")
)
def test_any_preview_mode_and_answer_is_shown_or_refused_with_a_400(admin_client, quiz_content, kind, mode, data):
    question = Question.objects.filter(kind=kind).first()
    url = f"/admin/quizzes/question/{question.pk}/preview/"
    refused = "\x00" in mode or len(mode) > MAX_QUERY_VALUE_LENGTH  # srm_site.middleware
    assert admin_client.get(url, {"mode": mode}).status_code == (400 if refused else 200)
    assert admin_client.post(f"{url}?mode={quote(mode)}", data).status_code in (200, 400)


# --- the admin import ----------------------------------------------------------------------------------


def multipart(file_name, content, file_format, boundary="fuzz-boundary"):
    """A form with one file, written out by hand: a test client refuses names a browser may send."""
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file_format"\r\n\r\n{file_format}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    return head.encode() + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@FUZZ
@given(
    content=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(str.encode)),
    file_name=st.one_of(st.text(max_size=40), st.sampled_from(["/", "..", "a.json", "b.csv", "c.gift", "../d.txt"])),
    file_format=value,
)
def test_any_uploaded_file_is_previewed_or_refused(admin_client, quiz_content, content, file_name, file_format):
    body, content_type = multipart(file_name, content, file_format)
    response = admin_client.generic("POST", "/admin/quizzes/question/import/", body, content_type=content_type)
    assert response.status_code in (200, 400)


@FUZZ
@given(data=form("step", "name", "file_format", "payload"))
def test_any_import_confirmation_is_applied_or_refused(admin_client, quiz_content, data):
    response = admin_client.post("/admin/quizzes/question/import/", {**data, "step": "confirm"})
    assert response.status_code in (200, 302, 400, 409)
