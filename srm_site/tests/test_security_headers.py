"""Every URL the site serves, to a visitor, a learner, an instructor and a superuser, carries the
security headers: a Content-Security-Policy that allows only this site and no inline code, X-Frame-Options
DENY, nosniff and a Referrer-Policy. No page holds markup that policy would block.

Both walks check that they reached every named URL, so a new page is covered as soon as it exists."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from quizzes.models import Attempt, Question
from quizzes.tests.conftest import wrong_answer
from study.models import Duty, Lesson, Service

pytestmark = pytest.mark.django_db


def named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name


def site_url_names():
    return {name for name in named_urls(get_resolver().url_patterns) if not name.startswith("admin:")}


def admin_url_names():
    return {name for name in named_urls(get_resolver().url_patterns) if name.startswith("admin:")}


def policy_directives(policy):
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.split()
    return directives


def assert_security_headers(response, where):
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (where, policy)
    directives = policy_directives(policy)
    assert directives["default-src"] == ["'self'"], (where, policy)
    assert directives["script-src"] == ["'self'"], (where, policy)
    assert directives["style-src"] == ["'self'"], (where, policy)
    assert directives["frame-ancestors"] == ["'none'"], (where, policy)
    assert directives["object-src"] == ["'none'"], (where, policy)
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where


class InlineCode(HTMLParser):
    """What a policy without 'unsafe-inline' blocks: inline scripts, style blocks, style and event
    attributes, javascript: links."""

    # Data blocks are never executed, so the policy lets them be.
    DATA_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__()
        self.found = []
        self._open_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in self.DATA_TYPES:
            self._open_inline_script = True
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs.items():
            if name == "style" or re.fullmatch(r"on[a-z]+", name):
                self.found.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data):
        if self._open_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._open_inline_script = False


def assert_no_inline_code(response, where):
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert parser.found == [], f"{where} holds inline code the policy blocks: {parser.found}"


class Visitor:
    """A test client that checks every response and remembers which named URLs it reached."""

    def __init__(self, client):
        self.client = client
        self.reached = set()
        self.responses = 0

    def request(self, method, url, data=None, follow=False):
        response = getattr(self.client, method)(url, data or {}, follow=follow)
        where = f"{method.upper()} {url} ({response.status_code})"
        assert response.status_code < 500, where
        assert_security_headers(response, where)
        assert_no_inline_code(response, where)
        self.reached.add(resolve(url.split("?")[0]).view_name)
        self.responses += 1
        return response

    def get(self, url, **kwargs):
        return self.request("get", url, **kwargs)

    def post(self, url, data=None, **kwargs):
        return self.request("post", url, data, **kwargs)


def visit_the_other_pages_without_parameters(visit, names):
    """Pages added since the walks were written, as long as they take no parameters; one that does
    stays unreached and the final comparison names it."""
    for name in sorted(names - visit.reached):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        visit.get(url)


def test_every_site_url_sends_the_security_headers_to_visitors_and_learners(client, content, learner):
    visit = Visitor(client)

    # A visitor: the study pages, the quiz list, the account pages and the health check.
    for url in [
        reverse("home"),
        reverse("healthz"),
        reverse("study:index"),
        reverse("study:diagram"),
        reverse("study:matrix"),
        reverse("study:services"),
        Service.objects.get(slug="ec2").get_absolute_url(),
        reverse("study:duties"),
        Duty.objects.order_by("pk").first().get_absolute_url(),
        Lesson.objects.order_by("position").first().get_absolute_url(),
        reverse("study:catalog_json"),
        reverse("quizzes:list"),
        reverse("login"),
        reverse("signup"),
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_complete"),
    ]:
        assert visit.get(url).status_code == 200, url
    uid = urlsafe_base64_encode(force_bytes(learner.pk))
    token = default_token_generator.make_token(learner)
    set_password = visit.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]
    assert visit.get(set_password).status_code == 200
    assert visit.post(reverse("login"), {"username": learner.username, "password": "wrong"}).status_code == 200

    # The learner logs in, takes a quiz to its results, and looks at their progress and account.
    login = visit.post(reverse("login"), {"username": learner.username, "password": learner.raw_password})
    assert login.status_code == 302
    started = visit.post(reverse("quizzes:start", args=["quick-check"]))
    attempt = Attempt.objects.get(user=learner)
    assert started["Location"] == attempt.get_absolute_url()
    assert visit.get(attempt.get_absolute_url()).status_code == 302
    question_url = reverse("quizzes:question", args=[attempt.pk, 1])
    assert visit.get(question_url).status_code == 200
    item = attempt.items.get(position=0)
    assert visit.post(question_url, wrong_answer(item)).status_code == 302
    assert visit.get(question_url).status_code == 200  # now with its feedback
    assert visit.get(reverse("quizzes:review", args=[attempt.pk])).status_code == 200
    assert visit.post(reverse("quizzes:finish", args=[attempt.pk]), {"confirm": "unanswered"}).status_code == 302
    assert visit.post(reverse("quizzes:retry", args=[attempt.pk])).status_code == 302
    retry = Attempt.objects.get(retry_of=attempt)
    assert visit.get(reverse("quizzes:discard", args=[retry.pk])).status_code == 200
    assert visit.post(reverse("quizzes:discard", args=[retry.pk])).status_code == 302
    for url in [
        reverse("quizzes:results", args=[attempt.pk]),
        reverse("progress"),
        reverse("progress_csv"),
        reverse("password_change"),
        reverse("password_change_done"),
    ]:
        assert visit.get(url).status_code == 200, url
    visit_the_other_pages_without_parameters(visit, site_url_names())
    assert visit.post(reverse("logout")).status_code == 302

    assert visit.reached == site_url_names()


def visit_the_whole_admin(visit):
    """Every admin URL: the site pages, each app, and each model's list, add, change, history and
    delete pages (the first row, or a missing one, which redirects with a message)."""
    for url in [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:password_change_done"),
        reverse("admin:jsi18n"),
        reverse("admin:quizzes_question_statistics"),
        reverse("admin:quizzes_question_import"),
        reverse("admin:quizzes_attempt_cohort"),
        reverse("admin:quizzes_attempt_cohort_csv"),
        reverse("admin:quizzes_question_preview", args=[Question.objects.order_by("pk").first().pk]) + "?mode=exam",
        reverse("admin:autocomplete") + "?app_label=study&model_name=responsibility&field_name=service&term=ec",
    ]:
        visit.get(url)
    lesson = Lesson.objects.order_by("pk").first()
    visit.get(reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Lesson).pk, lesson.pk]))
    for app_label in {model._meta.app_label for model in admin.site._registry}:
        visit.get(reverse("admin:app_list", args=[app_label]))
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        visit.get(reverse(f"{prefix}_changelist"))
        visit.get(reverse(f"{prefix}_add"))
        first = model._default_manager.order_by("pk").first()
        object_id = first.pk if first else 0
        for page in ("change", "history", "delete"):
            visit.get(reverse(f"{prefix}_{page}", args=[object_id]))
    visit.get(reverse("admin:auth_user_password_change", args=[visit.client.session["_auth_user_id"]]))
    visit_the_other_pages_without_parameters(visit, admin_url_names() - {"admin:logout"})


def test_every_admin_url_sends_the_security_headers(client, content, superuser, learner):
    visit = Visitor(client)
    assert visit.get(reverse("admin:login")).status_code == 200
    visit.post(reverse("admin:login"), {"username": superuser.username, "password": "correct-horse-battery-9"})
    assert "_auth_user_id" in client.session
    # Rows for the learners' models, so that their change pages show real records.
    client.post(reverse("quizzes:start", args=["quick-check"]))
    visit_the_whole_admin(visit)
    visit.post(reverse("admin:logout"))

    assert visit.reached == admin_url_names()
    assert visit.responses > 100


def test_an_instructor_gets_the_security_headers_on_the_admin_pages_they_use(client, content, instructor):
    visit = Visitor(client)
    client.force_login(instructor)
    question = Question.objects.order_by("pk").first()
    for url in [
        reverse("admin:index"),
        reverse("admin:quizzes_question_changelist"),
        reverse("admin:quizzes_question_add"),
        reverse("admin:quizzes_question_change", args=[question.pk]),
        reverse("admin:quizzes_question_preview", args=[question.pk]) + "?mode=practice",
        reverse("admin:quizzes_question_statistics"),
        reverse("admin:quizzes_question_import"),
        reverse("admin:quizzes_attempt_changelist"),
        reverse("admin:quizzes_attempt_cohort"),
        reverse("admin:study_duty_change", args=[Duty.objects.order_by("pk").first().pk]),
        reverse("admin:study_lesson_changelist"),
    ]:
        assert visit.get(url).status_code == 200, url


def test_the_lockout_page_sends_the_security_headers(client, learner):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": learner.username, "password": "wrong"})
    assert response.status_code == 429
    assert_security_headers(response, "the lockout page")
    assert_no_inline_code(response, "the lockout page")


def test_the_inline_code_check_finds_what_the_policy_blocks():
    parser = InlineCode()
    parser.feed(
        '<script>alert(1)</script><script src="/static/x.js"></script><script type="application/json">{}</script>'
        '<style>p{}</style><p style="color:red" onclick="x()"><a href="javascript:x()">x</a></p>'
    )
    assert parser.found == [
        "<script>alert(1)",
        "<style>",
        "<p style=...>",
        "<p onclick=...>",
        "<a href=javascript:x()>",
    ]


def test_a_nul_in_a_query_string_is_refused_with_a_400_before_any_view(client):
    response = client.get("/study/matrix/", {"category": "a\x00b"})
    assert response.status_code == 400
    assert b"not allowed (NUL)" in response.content
    assert client.get("/study/matrix/", {"category": "managed"}).status_code == 200


def test_an_overlong_query_value_is_refused_with_a_400_before_any_view(admin_client, content):
    # SQLite refuses a LIKE pattern this long, which the admin's search turned into a 500.
    response = admin_client.get("/admin/quizzes/question/", {"q": "x" * 60_000})
    assert response.status_code == 400
    assert b"too long" in response.content
    assert admin_client.get("/admin/quizzes/question/", {"q": "x" * 1000}).status_code == 200
