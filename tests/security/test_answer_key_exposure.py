"""The answer key reaches the browser only in its time: an item's after it is answered in practice
mode, every item's after the attempt ends in exam mode.

`quizzes/tests/test_answer_key_stays_secret.py` reads the question pages. Here every response a
learner can get while an attempt runs is read: the question pages with any query string, the
400 page of a refused answer, each answer's redirect and the page it leads to, the attempt and
results redirects, the quiz list, the progress page, its CSV and the home page. Beyond the texts
of the key, two learners who answer an exam all right and all wrong must see the same site until
it ends, and the values the answer form sends must not tell the right choice."""

import random
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from quizzes.attempts import services
from quizzes.models import Attempt, Confidence, Kind, Quiz, ReviewItem, SelectionRule
from quizzes.tests.conftest import right_answer, wrong_answer

pytestmark = pytest.mark.django_db

MARKERS = ("feedback-right", "feedback-wrong", "The right answer", "Not quite", "Partly right", "is_correct")
# Query strings a learner might try on a question page to get the feedback early.
PROBES = ("", "?mode=practice", "?show=1&feedback=1&answers=1&debug=1", "?format=json")


def secrets_of(item):
    """Every text of the item's key that would give the answer away."""
    key = item.key
    texts = [key.get("explanation", ""), *key.get("feedback", {}).values(), *key.get("explanations", {}).values()]
    if item.question_id:
        texts += [item.question.explanation, *(choice.feedback for choice in item.question.choices.all())]
    # A generated item explains each option starting with the option's own words, which any page
    # showing that option shows anyway (another item may offer the same duty): the secret follows.
    for option in item.options:
        texts = [text[len(option["text"]) :] if text and text.startswith(option["text"]) else text for text in texts]
    texts = [text.strip(" :.") for text in texts if text]
    return {text[:60] for text in texts if len(text) > 12}


def text_of(response):
    """What the browser gets: status, headers that travel, body."""
    headers = {name: response.get(name, "") for name in ("Location", "Content-Type", "Content-Disposition")}
    return f"{response.status_code} {headers}\n{response.content.decode()}"


def responses_while_running(client, attempt, items):
    """(page, allowed item) for every response of the running attempt; `allowed` is the item whose
    own page it is, the one item whose key the page may show (in practice mode, once answered)."""
    base = f"/quizzes/attempts/{attempt.pk}/"
    found = []
    for item in items:
        for probe in PROBES:
            found.append((text_of(client.get(f"{base}q/{item.number}/{probe}")), item))
        if not item.answers_given:
            bad = {"choice": "not-an-option"} if item.kind != Kind.SORT else {"card_k0": "nobody"}
            found.append((text_of(client.post(f"{base}q/{item.number}/", bad)), item))
    for url in (base, f"{base}results/", "/quizzes/", "/progress/", "/progress/history.csv", "/"):
        found.append((text_of(client.get(url)), None))
        landed = client.get(url, follow=True)
        found.append((text_of(landed), landing_item(landed, base, items)))
    return found


def landing_item(response, base, items):
    """The item whose page a followed redirect ended on, if any."""
    number = re.fullmatch(re.escape(base) + r"q/(\d+)/", response.request["PATH_INFO"])
    return items[int(number.group(1)) - 1] if number else None


def assert_no_key_leaks(found, items, mode):
    for page, allowed in found:
        shown = allowed if mode == Quiz.Mode.PRACTICE and allowed is not None and allowed.answers_given else None
        # A text shared with the item whose key may show is not another item's secret.
        shared = secrets_of(shown) if shown else set()
        for item in items:
            if item is not shown:
                for secret in secrets_of(item) - shared:
                    assert secret not in page, f"{mode} {item.kind}: key text {secret!r} leaked"
        if shown is None:
            for marker in MARKERS:
                assert marker not in page, f"{mode}: {marker!r} leaked"


def answer(client, attempt, item, data):
    response = client.post(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/", {**data, "confidence": "sure"})
    item.answers_given = True
    return [(text_of(response), item), (text_of(client.get(response["Location"])), item)]


@pytest.mark.parametrize("mode", [Quiz.Mode.PRACTICE, Quiz.Mode.EXAM])
def test_no_response_shows_a_key_before_its_time(logged_in, marked_quiz, mode):
    client = logged_in()
    quiz = marked_quiz(mode, minutes=30 if mode == Quiz.Mode.EXAM else None)
    client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = quiz.attempts.get()
    items = list(attempt.items.select_related("question"))
    # An exam asks exam formats only.
    kinds = set(Kind.values) if mode == Quiz.Mode.PRACTICE else {Kind.SINGLE, Kind.MULTIPLE}
    assert {item.kind for item in items} == kinds
    for item in items:
        item.answers_given = False
    assert_no_key_leaks(responses_while_running(client, attempt, items), items, mode)
    for index, item in enumerate(items):
        # Right and wrong answers in turn: either may change what a page shows.
        after = answer(client, attempt, item, (right_answer if index % 2 else wrong_answer)(item))
        assert_no_key_leaks(after + responses_while_running(client, attempt, items), items, mode)
    # The checks find the key once it may show, so their silence above means something.
    page = client.get(f"/quizzes/attempts/{attempt.pk}/q/1/" if mode == Quiz.Mode.PRACTICE else "/")
    if mode == Quiz.Mode.EXAM:
        client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
        page = client.get(f"/quizzes/attempts/{attempt.pk}/results/")
    assert any(secret in page.content.decode() for secret in secrets_of(items[0]))


# --- an exam answered all right and one answered all wrong look the same until they end -------


def normalized(page, attempt):
    page = page.replace(f"/attempts/{attempt.pk}/", "/attempts/ID/")
    page = re.sub(r'(csrfmiddlewaretoken" value=")\w+', r"\1TOKEN", page)
    page = re.sub(r"\d{4}-\d{2}-\d{2}[ T][\d:.+]+", "TIME", page)
    page = re.sub(r"(started|data-seconds-left=|timer-value\">)[^<]*", r"\1 TIME", page)
    # The learner's own saved answer is shown selected, so that it can be changed: it says what they
    # chose, not whether it was right.
    page = page.replace(" checked", "")
    return page.replace(attempt.user.username, "USER")


def seen_by(client, attempt, items):
    pages = [page for page, _item in responses_while_running(client, attempt, items)]
    review = client.post("/quizzes/review-my-mistakes/start/", follow=True)
    pages.append(text_of(review))
    return [normalized(page, attempt) for page in pages]


@pytest.fixture
def same_exam_twice(make_learner, marked_quiz):
    """Two learners' attempts of one exam with the same questions in the same order."""
    quiz = marked_quiz(Quiz.Mode.EXAM, minutes=30)
    started = []
    for name in ("examinee-a", "examinee-b"):
        learner = make_learner(name)
        client = Client()
        client.force_login(learner)
        attempt = services.start_attempt(quiz=quiz, user=learner, rng=random.Random(7))
        started.append((client, attempt, list(attempt.items.select_related("question"))))
    return started


def test_an_exam_shows_nothing_of_right_or_wrong_until_it_ends(same_exam_twice):
    (right_client, right_attempt, right_items), (wrong_client, wrong_attempt, wrong_items) = same_exam_twice
    assert [item.prompt for item in right_items] == [item.prompt for item in wrong_items]
    for item in right_items:
        right_client.post(f"/quizzes/attempts/{right_attempt.pk}/q/{item.number}/", right_answer(item))
    for item in wrong_items:
        data = {**wrong_answer(item), "confidence": Confidence.SURE}
        wrong_client.post(f"/quizzes/attempts/{wrong_attempt.pk}/q/{item.number}/", data)
    for item in [*right_items, *wrong_items]:
        item.answers_given = True
    right_pages = seen_by(right_client, right_attempt, right_items)
    wrong_pages = seen_by(wrong_client, wrong_attempt, wrong_items)
    for right_page, wrong_page in zip(right_pages, wrong_pages, strict=True):
        assert right_page == wrong_page
    # Once the exams end, the two do differ: the comparison above can see a difference.
    for client, attempt in ((right_client, right_attempt), (wrong_client, wrong_attempt)):
        client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    assert seen_by(right_client, right_attempt, right_items) != seen_by(wrong_client, wrong_attempt, wrong_items)


# --- the values a form sends do not give the right choice away ----------------------------------


class ChoiceValues(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "choice":
            self.values.append(attrs["value"])


def natural(value):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", value)]


@pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.MULTIPLE])
def test_the_values_of_the_choices_do_not_tell_which_are_right(logged_in, quiz_content, kind):
    """Questions are often written right answer first: a value that follows the order of writing
    (a row id, say) would give the key to anyone who reads the page's source."""
    # An exam: it takes every written question before generated ones, which no duty may repeat.
    quiz = Quiz.objects.create(slug=f"every-{kind}", title="All", question_count=1, mode=Quiz.Mode.EXAM)
    SelectionRule.objects.create(quiz=quiz, count=100, kind=kind)
    client = logged_in()
    client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = quiz.attempts.get()
    items = list(attempt.items.all())  # written questions and items generated from the catalog
    assert len(items) >= 10
    lowest_are_right = highest_are_right = 0
    for item in items:
        parser = ChoiceValues()
        parser.feed(client.get(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/").content.decode())
        assert sorted(parser.values) == sorted(item.option_keys)
        in_order = sorted(parser.values, key=natural)
        right = set(item.key["correct"])
        lowest_are_right += set(in_order[: len(right)]) == right
        highest_are_right += set(in_order[-len(right) :]) == right
    # By chance, one question in four or fewer; far below what order of writing gives.
    assert lowest_are_right < 0.7 * len(items)
    assert highest_are_right < 0.7 * len(items)


# --- what an exam defers is not lost --------------------------------------------------------------


def missed_exam(client, marked_quiz):
    quiz = marked_quiz(Quiz.Mode.EXAM, minutes=30)
    client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = quiz.attempts.get()
    for item in attempt.items.all():
        client.post(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/", wrong_answer(item))
    return attempt


@pytest.mark.parametrize("ending", ["finished", "expired"])
def test_an_exams_misses_enter_the_review_queue_when_it_ends(logged_in, learner, marked_quiz, ending):
    client = logged_in(learner)
    attempt = missed_exam(client, marked_quiz)
    assert not ReviewItem.objects.filter(user=learner).exists()
    if ending == "finished":
        client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    else:
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
        client.get("/quizzes/")
    # One entry per missed item, and one per card of the catalog's sort item.
    items = attempt.items.all()
    expected = sum(len(item.options) if item.kind == Kind.SORT and not item.question_id else 1 for item in items)
    assert ReviewItem.objects.filter(user=learner).count() == expected


def test_a_visitors_running_exam_enters_the_queue_at_its_end_not_at_login(client, learner, marked_quiz):
    attempt = missed_exam(client, marked_quiz)
    client.post("/accounts/login/", {"username": learner.username, "password": learner.raw_password})
    assert Attempt.objects.get(pk=attempt.pk).user == learner
    assert not ReviewItem.objects.filter(user=learner).exists()
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    assert ReviewItem.objects.filter(user=learner).exists()
