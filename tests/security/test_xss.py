"""Script in any text an instructor writes, or in a learner's name, stays inert on every page that
shows it; so does script in a query string.

`quizzes/tests/test_markdown_sanitizing.py` shows it for a question's and a lesson's Markdown on
their own pages. Here every text field of the catalog, the lessons, the questions and the quizzes
carries a payload, and the site is crawled from its home page (and the admin from its index)
following every link, so that a page added later is read too. Each page is parsed: no script
without a same-site source, no event-handler attribute, no javascript: or data: address, no frame.
Every payload must show up (as text) on some page, or the crawl missed where it is shown."""

import base64
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve

from quizzes.bank.drawing import choice_key
from quizzes.instructor.banks.json_format import write_questions_json
from quizzes.models import Attempt, Choice, Kind, Question, Quiz, SelectionRule, SortCard
from quizzes.tests.conftest import right_answer, start, wrong_answer
from study.models import Duty, GlossaryTerm, Layer, Lesson, Misconception, Responsibility, Service, Source

pytestmark = pytest.mark.django_db

# Every way into script we know of, in plain text and in Markdown.
PAYLOAD = (
    "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg/onload=alert(3)>"
    '<a href="javascript:alert(4)">a</a><iframe src=//evil.example></iframe>'
)
MARKDOWN_PAYLOAD = (
    "[a](javascript:alert(5)) ![b](javascript:alert(6)) <javascript:alert(7)> [c](data:text/html;base64,PHNjcmlwdD4=) "
    "[d](jav&#x09;ascript:alert(8)) <a href='javascript:alert(9)'>e</a> <style>*{}</style>"
)
USERNAME = "<script>alert('user')</script>XSS-username"
# Valid to Django's email check (a quoted local part), so the sign-up form would take it.
EMAIL = '"XSS-email<script>alert(1)</script>"@example.org'
HOSTILE_FIELDS = {
    Lesson: ("title", "summary", "body"),
    Layer: ("name", "description"),
    Service: ("name", "summary"),
    Duty: ("name", "description"),
    Responsibility: ("explanation",),
    Source: ("title",),
    Misconception: ("belief", "correction"),
    GlossaryTerm: ("term", "definition"),
    Question: ("prompt", "explanation"),
    Choice: ("text", "feedback"),
    SortCard: ("text",),
    Quiz: ("title", "description"),
}
MARKDOWN_FIELDS = {(Lesson, "body"), (Question, "prompt"), (Question, "explanation")}
SCRIPT_SOURCES = ("/static/", "/admin/jsi18n/")
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


def marker(model, field):
    return f"XSS-{model.__name__}.{field}"


def poison():
    """Put the payload at the start of every text field of every row (kept within the field's length)."""
    for model, fields in HOSTILE_FIELDS.items():
        rows = list(model.objects.all())
        for row in rows:
            for field in fields:
                extra = MARKDOWN_PAYLOAD if (model, field) in MARKDOWN_FIELDS else ""
                value = f"{marker(model, field)} {PAYLOAD} {extra} {getattr(row, field)}"
                setattr(row, field, value[: model._meta.get_field(field).max_length or None])
        model.objects.bulk_update(rows, fields)


class Inspector(HTMLParser):
    """Collects the links of a page and everything on it that could run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.problems = [], []
        self.in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            address = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and address.startswith(("javascript:", "vbscript:", "data:")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            source = attributes.get("src") or ""
            if not (source.startswith(SCRIPT_SOURCES) or attributes.get("type") == "application/json"):
                self.problems.append(f"<script src={source!r} type={attributes.get('type')!r}>")
            self.in_script = attributes
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None

    def handle_data(self, data):
        if self.in_script is not None and self.in_script.get("src") and data.strip():
            self.problems.append(f"inline code in a script with a source: {data[:60]!r}")


def inspect(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


# What a crawled URL that is not an HTML page answers. Every other page a crawl reaches must answer
# 200 with HTML, so that a page that fails (a 500, a 404 for a page that exists, a redirect away)
# fails the crawl instead of leaving it to cover less.
FILES = {
    "study/catalog.json": "application/json",
    "progress/history.csv": "text/csv",
    "admin/quizzes/attempt/cohort.csv": "text/csv",
}
ATTEMPT = "quizzes/attempts/<int:pk>/"
QUESTION = "quizzes/attempts/<int:pk>/q/<int:number>/"
RESULTS = "quizzes/attempts/<int:pk>/results/"
REVIEW = "quizzes/attempts/<int:pk>/review/"
DISCARD = "quizzes/attempts/<int:pk>/discard/"
VIEW_ON_SITE = "admin/r/<path:content_type_id>/<path:object_id>/"


def expected_redirect(match):
    """Where a route that legitimately redirects sends this URL (`resolve`'s match), as (route, its
    arguments); None where the URL must answer with a page.

    An attempt sends the learner where they left off (its first unanswered question while it runs,
    the review screen once all are answered, its results once finished); a finished attempt's
    questions, review screen and discard page go to its results, a running attempt's results to the
    attempt; the admin's "view on site" goes to the object's own page."""
    if match.route == VIEW_ON_SITE:
        model = ContentType.objects.get_for_id(match.kwargs["content_type_id"]).model_class()
        return resolve_path(model.objects.get(pk=match.kwargs["object_id"]).get_absolute_url())
    if match.route not in (ATTEMPT, QUESTION, RESULTS, REVIEW, DISCARD):
        return None
    attempt = Attempt.objects.get(pk=match.kwargs["pk"])
    results = (RESULTS, {"pk": attempt.pk})
    if match.route == ATTEMPT:
        if attempt.is_finished:
            return results
        unanswered = attempt.items.filter(answer__isnull=True).first()
        return (
            (QUESTION, {"pk": attempt.pk, "number": unanswered.number}) if unanswered else (REVIEW, {"pk": attempt.pk})
        )
    if match.route in (REVIEW, DISCARD):
        return results if attempt.is_finished else None
    if match.route == RESULTS and not attempt.is_finished:
        return (ATTEMPT, {"pk": attempt.pk})
    if match.route == QUESTION and attempt.is_finished:
        return results
    return None


def resolve_path(url):
    match = resolve(urlsplit(url).path)
    return match.route, match.kwargs


def crawl(client, seeds, *, inside, per_route=None, limit=600):
    """Every page reachable by links from `seeds` whose path starts with `inside`: {url: html}.
    `per_route` caps the pages read per URL pattern (the admin has one change page per row).
    Every URL read must answer as it should: a page, a file of `FILES`, or an expected redirect."""
    pages, queue, per_pattern, read = {}, list(seeds), Counter(), set()
    while queue and len(pages) < limit:
        url = urldefrag(queue.pop(0)).url
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith(inside) or url in read:
            continue
        if parts.path.startswith(settings.STATIC_URL):
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            pytest.fail(f"a link to a path the site has no page for: {url}")
        if per_route and per_pattern[match.route] >= per_route:
            continue
        per_pattern[match.route] += 1
        read.add(url)
        response = client.get(url)
        redirect = expected_redirect(match)
        if redirect:
            assert response.status_code == 302, (url, response.status_code)
            assert resolve_path(response["Location"]) == redirect, (url, response["Location"])
            queue.append(urlsplit(response["Location"]).path)
            continue
        assert response.status_code == 200, (url, response.status_code)
        if match.route in FILES:
            assert response["Content-Type"].startswith(FILES[match.route]), (url, response["Content-Type"])
            continue
        assert response["Content-Type"].startswith("text/html"), (url, response["Content-Type"])
        pages[url] = response.content.decode()
        queue += inspect(pages[url]).links
    return pages


def assert_inert(pages):
    for url, html in pages.items():
        assert "<script>alert" not in html, url
        assert not inspect(html).problems, (url, inspect(html).problems)


@pytest.fixture
def hostile_site(quiz_content, make_learner, superuser):
    """The real content with a payload in every text, a learner named with one, and their attempts:
    a practice attempt of every kind answered (so its feedback shows) and a finished exam."""
    lesson = Lesson.objects.create(slug="written-kinds", title="Written kinds", summary="S", body="B", position=99)
    written = {"lesson": lesson, "skill": "aws", "explanation": "E", "status": Question.Status.PUBLISHED}
    Question.objects.create(slug="written-owner", kind=Kind.OWNER, prompt="P", owner="customer", **written)
    sort = Question.objects.create(slug="written-sort", kind=Kind.SORT, prompt="P", **written)
    for position, owner in enumerate(("aws", "customer", "shared")):
        SortCard.objects.create(question=sort, position=position, text="T", owner=owner)
    poison()
    learner = make_learner()
    get_user_model().objects.filter(pk=learner.pk).update(username=USERNAME, email=EMAIL)
    client = Client()
    client.force_login(learner)
    for slug in ("every-kind", "every-kind-exam"):
        quiz = Quiz.objects.create(slug=slug, title=f"{marker(Quiz, 'title')} {PAYLOAD}")
        quiz.mode = Quiz.Mode.EXAM if slug.endswith("exam") else Quiz.Mode.PRACTICE
        quiz.save()
        # The catalog's own owner and sort items outnumber the written ones: ask those for sure.
        SelectionRule.objects.create(quiz=quiz, position=0, count=2, lesson=lesson)
        SelectionRule.objects.create(quiz=quiz, position=1, count=30)
        attempt = start(client, quiz)
        for item in attempt.items.all():
            client.post(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/", wrong_answer(item))
        client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    # A second attempt missing the same duties, so that the progress page lists the weakest.
    attempt = start(client, Quiz.objects.get(slug="every-kind"))
    for item in attempt.items.all():
        client.post(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/", right_answer(item))
    admin = Client()
    admin.force_login(superuser)
    return client, admin


def test_hostile_texts_are_inert_on_every_page_learners_and_instructors_see(hostile_site):
    learner, admin = hostile_site
    public = crawl(Client(), ["/"], inside="/")
    site = crawl(learner, ["/", "/quizzes/", "/progress/", *learner_attempt_pages()], inside="/")
    admin_pages = crawl(
        admin,
        [*admin_only_pages(), "/admin/"],
        inside="/admin/",
        per_route=2,
    )
    assert len(public) > 50 and len(site) > len(public) and len(admin_pages) > 40
    for pages in (public, site, admin_pages):
        assert_inert(pages)
    shown = "".join([*site.values(), *admin_pages.values()])
    missing = [marker(model, field) for model, fields in HOSTILE_FIELDS.items() for field in fields]
    assert [name for name in missing if name not in shown] == []
    assert "XSS-username" in "".join(site.values()) and "XSS-username" in "".join(admin_pages.values())
    assert "XSS-email" in "".join(admin_pages.values())
    # The open data carries the texts as they are; a browser must never read it as a page.
    catalog = Client().get("/study/catalog.json")
    assert marker(Duty, "name") in catalog.content.decode()
    assert catalog["Content-Type"].startswith("application/json") and catalog["X-Content-Type-Options"] == "nosniff"


def learner_attempt_pages():
    return [
        url
        for attempt in Attempt.objects.all()
        for url in (f"/quizzes/attempts/{attempt.pk}/results/", f"/quizzes/attempts/{attempt.pk}/q/1/")
    ]


def admin_only_pages():
    """The reports, and a question of every kind as the crawl's cap per pattern could miss it."""
    questions = {question.kind: question.pk for question in Question.objects.all()}.values()
    per_question = [f"/admin/quizzes/question/{pk}/{page}/" for pk in questions for page in ("change", "preview")]
    return ["/admin/quizzes/question/statistics/", "/admin/quizzes/attempt/cohort/", *per_question]


def test_hostile_answers_in_the_admin_preview_and_import_stay_inert(hostile_site):
    _learner, admin = hostile_site
    pages = {}
    for question in Question.objects.all():
        url = f"/admin/quizzes/question/{question.pk}/preview/?mode=practice"
        keys = [choice_key(choice.pk) for choice in question.choices.all()]
        response = admin.post(url, {"choice": keys[:1]})
        # The preview grades a choice; owner and sort questions get no answer, so the form says what is missing.
        assert response.status_code == (200 if keys else 400), (url, question.kind, response.status_code)
        pages[url] = response.content.decode()
    values = Question.objects.first().content_values()
    upload = write_questions_json({"hostile-import": values, "broken": {**values, "kind": PAYLOAD}}).encode()
    for name in (f"{PAYLOAD}.json", "bank.json"):
        response = admin.post("/admin/quizzes/question/import/", {"file": SimpleUploadedFile(name, upload)})
        # The preview of the file, listing the broken question's problem (hence a 400).
        assert response.status_code == 400 and "plan" in response.context, name
        pages[name] = response.content.decode()
        assert marker(Question, "prompt") in pages[name] or "problem" in pages[name].lower()
    payload = base64.b64encode(upload).decode()
    response = admin.post(
        "/admin/quizzes/question/import/",
        {"step": "confirm", "name": PAYLOAD, "file_format": "json", "payload": payload},
        follow=True,
    )
    # A confirmed file that cannot be applied shows its preview again, with a 409.
    assert response.status_code == 409 and "plan" in response.context
    pages["confirm"] = response.content.decode()
    assert_inert(pages)


REFLECTED = "<script>alert('reflected')</script>\"><img src=x onerror=alert(1)>"
PARAMETERS = ("q", "next", "kind", "lesson", "order", "flagged", "mode", "category", "p", "o", "e", "step")


def test_script_in_a_query_string_is_never_reflected(routes, example_url, learner, superuser):
    """Any page, with a payload in every parameter the site's pages read (and some they don't)."""
    attempt = start(Client(), Quiz.objects.get(slug="quick-check"))
    query = dict.fromkeys(PARAMETERS, REFLECTED)
    for user in (learner, superuser):
        client = Client()
        client.force_login(user)
        for route in routes:
            url = example_url(route, attempt)
            response = client.get(url, query)
            assert response.status_code < 500, url
            if response["Content-Type"].startswith("text/html"):
                assert_inert({url: response.content.decode()})


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_a_source_address_that_could_run_script_is_refused(admin_client, address):
    """Source addresses become links on the matrix, duty and feedback pages."""
    for url, made in ((address, False), ("https://docs.aws.amazon.com/x", True)):
        admin_client.post("/admin/study/source/add/", {"slug": "s", "title": "T", "url": url})
        assert Source.objects.filter(slug="s").exists() is made
