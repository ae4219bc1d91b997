"""The feedback as rendered: every option marked right or wrong in words and symbols, the learner's
picks named, the feedback of every option; a sort item as the learner's board."""

import html
import re

import pytest
from django.template.loader import render_to_string

from quizzes.attempts.feedback import build
from quizzes.bank.drawing import OWNER_OPTIONS
from quizzes.models import Answer, AttemptItem, Kind, Quiz
from quizzes.tests.conftest import start
from study.models import Misconception

OPTIONS = [
    {"key": "a", "text": "AWS patches the host"},
    {"key": "b", "text": "You patch the host"},
    {"key": "c", "text": "Nobody patches it"},
    {"key": "d", "text": "AWS patches the guest OS"},
]
KEY = {
    "correct": ["a"],
    "explanation": "The host is AWS's.",
    "feedback": {"b": "The host is not yours.", "c": "Someone always does.", "d": "The guest OS is yours."},
    "misconceptions": {"d": 3},
}
MYTH = Misconception(pk=3, belief="AWS patches everything.", correction="Only what it runs.")


def text_of(fragment):
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([.,])", r"\1", text)


def rendered(item, answer, misconceptions=None):
    feedback = build(item, answer, misconceptions or {})
    return render_to_string("quizzes/includes_feedback.html", {"feedback": feedback, "item": item})


def items_of(page, css_class):
    """The text of each <li> with `css_class`, in order, with its classes."""
    found = re.findall(rf'<li class="({css_class}[^"]*)">(.*?)</li>', page, flags=re.DOTALL)
    return [(classes.split(), text_of(body)) for classes, body in found]


def option_lines(page):
    return [text for _classes, text in items_of(page, "fb-option")]


def test_a_wrong_answer_lists_every_option_marked_with_the_pick_and_each_distractors_feedback():
    item = AttemptItem(kind=Kind.SINGLE, options=OPTIONS, key=KEY, question_id=1)
    page = rendered(item, Answer(response={"choices": ["b"]}, score=0.0, is_correct=False))
    assert "Not quite" in text_of(page)
    assert option_lines(page) == [
        "AWS patches the host ✔ Right answer",
        "You patch the host ✘ Wrong ◉ Your answer The host is not yours.",
        "Nobody patches it ✘ Wrong Someone always does.",
        "AWS patches the guest OS ✘ Wrong The guest OS is yours.",
    ]
    assert "Your answer: You patch the host. The right answer: AWS patches the host." in text_of(page)
    assert '<ul class="fb-options" role="list"' in page


def test_a_picked_right_option_says_both_and_right_options_show_their_feedback_too():
    key = {**KEY, "correct": ["a", "d"], "feedback": {**KEY["feedback"], "a": "Yes: its hardware."}}
    item = AttemptItem(kind=Kind.MULTIPLE, options=OPTIONS, key=key)
    page = rendered(item, Answer(response={"choices": ["a", "c"]}, score=0.0, is_correct=False))
    assert option_lines(page) == [
        "AWS patches the host ✔ Right answer ◉ Your answer Yes: its hardware.",
        "You patch the host ✘ Wrong The host is not yours.",
        "Nobody patches it ✘ Wrong ◉ Your answer Someone always does.",
        "AWS patches the guest OS ✔ Right answer The guest OS is yours.",
    ]
    classes = [classes for classes, _text in items_of(page, "fb-option")]
    assert ["fb-option-picked" in found for found in classes] == [True, False, True, False]


def test_a_wrong_owner_shows_its_misconception_beside_it_once():
    key = {"correct": ["customer"], "explanation": "Your data.", "misconceptions": {"aws": 3}}
    item = AttemptItem(kind=Kind.OWNER, options=OWNER_OPTIONS, key=key)
    answer = Answer(response={"choices": ["aws"]}, score=0.0, is_correct=False, misconception_id=3)
    page = rendered(item, answer, {3: MYTH})
    assert option_lines(page) == [
        "AWS ✘ Wrong ◉ Your answer Common misconception AWS patches everything. Only what it runs.",
        "The customer ✔ Right answer",
        "Shared: each side does a part ✘ Wrong",
    ]
    assert page.count("AWS patches everything.") == 1
    assert "Your data." in text_of(page)


def test_a_right_owner_answer_marks_the_pick_right():
    item = AttemptItem(kind=Kind.OWNER, options=OWNER_OPTIONS, key={"correct": ["shared"]})
    page = rendered(item, Answer(response={"choices": ["shared"]}, score=1.0, is_correct=True))
    assert text_of(page).startswith("✔ Right")
    assert option_lines(page)[2] == "Shared: each side does a part ✔ Right answer ◉ Your answer"
    assert "The right answer" not in page  # said only when the answer was not right


SORT_OPTIONS = [
    {"key": "k0", "text": "Patch the guest OS"},
    {"key": "k1", "text": "Guard the data centre"},
    {"key": "k2", "text": "Configure the firewall"},
    {"key": "k3", "text": "Rotate access keys"},
]
SORT_KEY = {
    "correct": {"k0": "customer", "k1": "aws", "k2": "customer", "k3": "customer"},
    "explanations": {"k1": "AWS runs its buildings.", "k2": "Security groups are yours."},
}


def buckets_of(page):
    """{bucket heading: [card lines]} in the order shown."""
    sections = re.findall(r'<section class="fb-bucket[^"]*".*?<h3[^>]*>(.*?)</h3>(.*?)</section>', page, re.DOTALL)
    return {text_of(heading): [text for _c, text in items_of(body, "fb-card")] for heading, body in sections}


def test_the_sort_board_puts_each_card_in_the_learners_bucket_marked_with_where_wrong_ones_belong():
    item = AttemptItem(kind=Kind.SORT, options=SORT_OPTIONS, key=SORT_KEY)
    answer = Answer(
        response={"cards": {"k0": "customer", "k1": "shared", "k2": "aws", "k3": "customer"}},
        score=0.5,
        is_correct=False,
    )
    page = rendered(item, answer)
    assert "Partly right (50%)" in text_of(page)
    assert buckets_of(page) == {
        "You placed under AWS": ["✘ Wrong Configure the firewall Belongs under Customer Security groups are yours."],
        "You placed under Customer": ["✔ Right Patch the guest OS", "✔ Right Rotate access keys"],
        "You placed under Shared": ["✘ Wrong Guard the data centre Belongs under AWS AWS runs its buildings."],
    }
    assert page.count('<section class="fb-bucket') == 3 and "Not placed" not in page


def test_a_sort_card_left_unplaced_goes_under_not_placed_and_an_empty_bucket_says_so():
    item = AttemptItem(kind=Kind.SORT, options=SORT_OPTIONS[:2], key=SORT_KEY)
    page = rendered(item, Answer(response={"cards": {"k0": "customer"}}, score=0.5, is_correct=False))
    assert buckets_of(page) == {
        "You placed under AWS": [],
        "You placed under Customer": ["✔ Right Patch the guest OS"],
        "You placed under Shared": [],
        "Not placed": ["✘ Not placed Guard the data centre Belongs under AWS AWS runs its buildings."],
    }
    assert page.count("No card placed here.") == 2


def test_an_unanswered_item_shows_the_options_with_the_right_ones_marked_and_no_pick():
    item = AttemptItem(kind=Kind.SINGLE, options=OPTIONS, key=KEY)
    page = rendered(item, None)
    assert text_of(page).startswith("Not answered")
    assert option_lines(page)[:2] == [
        "AWS patches the host ✔ Right answer",
        "You patch the host ✘ Wrong The host is not yours.",
    ]
    assert "Your answer" not in page and "fb-option-picked" not in page
    assert "The right answer: AWS patches the host." in text_of(page)


def feedback_sections(page):
    """{item pk: the HTML of its feedback} on a results page."""
    parts = re.split(r'<section class="feedback [^"]*" aria-labelledby="feedback-(\d+)">', page)[1:]
    return {int(pk): body for pk, body in zip(parts[::2], parts[1::2], strict=True)}


@pytest.mark.django_db
def test_an_exam_ended_unanswered_shows_every_item_not_answered_with_its_right_options(client, every_kind_quiz):
    attempt = start(client, every_kind_quiz(Quiz.Mode.EXAM, minutes=30))
    attempt.finish()  # the exam ended with nothing answered
    sections = feedback_sections(client.get(f"/quizzes/attempts/{attempt.pk}/results/").content.decode())
    items = list(attempt.items.all())
    assert set(sections) == {item.pk for item in items}
    for item in items:
        section = sections[item.pk]
        assert text_of(section).startswith("Not answered")
        assert "Your answer" not in section and "fb-option-picked" not in section
        if item.kind == Kind.SORT:
            unplaced = buckets_of(section)["Not placed"]
            assert unplaced == [
                line for line in unplaced if line.startswith("✘ Not placed") and "Belongs under" in line
            ]
            assert len(unplaced) == len(item.options)
            for option in item.options:
                owner = {"aws": "AWS", "customer": "Customer", "shared": "Shared"}[item.key["correct"][option["key"]]]
                assert any(f"{text_of(html.escape(option['text']))} Belongs under {owner}" in line for line in unplaced)
            continue
        lines = option_lines(section)
        assert len(lines) == len(item.options)
        for option, line in zip(item.options, lines, strict=True):
            mark = "✔ Right answer" if option["key"] in item.key["correct"] else "✘ Wrong"
            assert line.startswith(f"{text_of(html.escape(option['text']))} {mark}"), line
