"""What a learner is told about an answered item, and the results page's breakdown of the score."""

import pytest

from quizzes.attempts.feedback import (
    BucketFeedback,
    CardFeedback,
    Feedback,
    OptionFeedback,
    breakdown,
    build,
    misconceptions_for,
)
from quizzes.models import Answer, AttemptItem, Kind
from study.models import Lesson, Misconception, Service

OPTIONS = [{"key": "a", "text": "Alpha"}, {"key": "b", "text": "Beta"}, {"key": "c", "text": "Gamma"}]


def choice_item(**extra):
    key = {
        "correct": ["a"],
        "explanation": "Because.",
        "feedback": {"b": "Not Beta.", "c": "Not Gamma."},
        "misconceptions": {"c": 4},
        "source": {"title": "Docs", "url": "https://example.com"},
    }
    return AttemptItem(kind=Kind.SINGLE, options=OPTIONS, key=key, **extra)


def test_every_option_is_marked_with_its_feedback_the_picks_and_the_misconception_on_its_option():
    myth = Misconception(pk=4, belief="B")
    answer = Answer(response={"choices": ["c", "b"]}, score=0.0, is_correct=False, misconception_id=4)
    found = build(choice_item(question_id=3), answer, {4: myth, 5: Misconception(pk=5)})
    assert found == Feedback(
        answered=True,
        right=False,
        score=0.0,
        chosen=["Beta", "Gamma"],
        correct=["Alpha"],
        explanation="Because.",
        explanation_is_markdown=True,
        options=[
            OptionFeedback(key="a", text="Alpha", is_correct=True, picked=False, feedback=""),
            OptionFeedback(key="b", text="Beta", is_correct=False, picked=True, feedback="Not Beta."),
            OptionFeedback(
                key="c", text="Gamma", is_correct=False, picked=True, feedback="Not Gamma.", misconception=myth
            ),
        ],
        misconception=myth,
        source={"title": "Docs", "url": "https://example.com"},
    )
    assert found.misconception_without_option is None  # shown beside Gamma, not again on its own


def test_a_misconception_no_option_carries_is_shown_on_its_own():
    myth = Misconception(pk=7, belief="B")
    answer = Answer(response={"choices": ["b"]}, score=0.0, is_correct=False, misconception_id=7)
    found = build(choice_item(), answer, {7: myth})
    assert [option.misconception for option in found.options] == [None, None, None]
    assert found.misconception_without_option == myth


def test_generated_items_explain_every_option_the_right_ones_too():
    key = {
        "correct": ["a", "c"],
        "feedback": {"a": "Yes: AWS runs it.", "b": "No: that is yours.", "c": "Yes: both."},
    }
    item = AttemptItem(kind=Kind.MULTIPLE, options=OPTIONS, key=key)
    found = build(item, Answer(response={"choices": ["a", "c"]}, score=1.0, is_correct=True), {})
    assert [(o.text, o.is_correct, o.picked, o.feedback) for o in found.options] == [
        ("Alpha", True, True, "Yes: AWS runs it."),
        ("Beta", False, False, "No: that is yours."),
        ("Gamma", True, True, "Yes: both."),
    ]
    assert (found.right, found.chosen, found.correct, found.explanation_is_markdown) == (
        True,
        ["Alpha", "Gamma"],
        ["Alpha", "Gamma"],
        False,
    )


def test_a_right_catalog_answer_is_right_with_plain_text_and_no_feedback():
    item = AttemptItem(kind=Kind.OWNER, options=OPTIONS, key={"correct": ["a"], "explanation": "Rows."})
    answer = Answer(response={"choices": ["a"]}, score=1.0, is_correct=True)
    found = build(item, answer, {})
    assert (found.answered, found.right, found.score, found.chosen, found.correct) == (
        True,
        True,
        1.0,
        ["Alpha"],
        ["Alpha"],
    )
    assert [(o.is_correct, o.picked, o.feedback) for o in found.options] == [
        (True, True, ""),
        (False, False, ""),
        (False, False, ""),
    ]
    assert (found.explanation_is_markdown, found.misconception, found.source) == (False, None, None)


def test_an_unanswered_question_marks_the_right_options_picks_none_and_scores_nothing():
    found = build(choice_item(), None, {})
    assert (found.answered, found.right, found.score, found.chosen, found.correct) == (False, False, 0.0, [], ["Alpha"])
    assert [(o.is_correct, o.picked, o.feedback) for o in found.options] == [
        (True, False, ""),
        (False, False, "Not Beta."),
        (False, False, "Not Gamma."),
    ]
    assert (found.misconception, found.misconception_without_option) == (None, None)
    bare = build(AttemptItem(kind=Kind.SINGLE, options=OPTIONS, key={"correct": ["a"]}), None, {})
    assert (bare.explanation, bare.source) == ("", None)


SORT_OPTIONS = [
    {"key": "k0", "text": "Patch the OS"},
    {"key": "k1", "text": "Guard the building"},
    {"key": "k2", "text": "Encrypt data"},
]
SORT_KEY = {
    "correct": {"k0": "customer", "k1": "aws", "k2": "customer"},
    "explanations": {"k0": "Your instance.", "k1": "AWS's data centres."},
    "explanation": "Who runs what.",
}


def test_a_sort_answer_is_a_board_with_each_card_in_the_learners_bucket():
    item = AttemptItem(kind=Kind.SORT, options=SORT_OPTIONS, key=SORT_KEY)
    answer = Answer(
        response={"cards": {"k0": "customer", "k1": "shared", "k2": "shared"}}, score=1 / 3, is_correct=False
    )
    found = build(item, answer, {})
    patch = CardFeedback(
        key="k0", text="Patch the OS", placed="customer", expected="customer", right=True, explanation="Your instance."
    )
    guard = CardFeedback(
        key="k1",
        text="Guard the building",
        placed="shared",
        expected="aws",
        right=False,
        explanation="AWS's data centres.",
    )
    encrypt = CardFeedback(key="k2", text="Encrypt data", placed="shared", expected="customer", right=False)
    assert found == Feedback(
        answered=True,
        right=False,
        score=1 / 3,
        chosen=[],
        correct=[],
        explanation="Who runs what.",
        explanation_is_markdown=False,
        cards=[patch, guard, encrypt],
        buckets=[
            BucketFeedback(owner="aws", label="AWS", cards=[]),
            BucketFeedback(owner="customer", label="Customer", cards=[patch]),
            BucketFeedback(owner="shared", label="Shared", cards=[guard, encrypt]),
        ],
    )
    assert (guard.placed_label, guard.expected_label, encrypt.expected_label) == ("Shared", "AWS", "Customer")


def test_an_unanswered_sort_has_no_board_only_every_card_not_placed():
    item = AttemptItem(kind=Kind.SORT, options=SORT_OPTIONS, key={"correct": SORT_KEY["correct"]}, question_id=9)
    found = build(item, None, {})
    assert (found.answered, found.right, found.score, found.explanation, found.explanation_is_markdown) == (
        False,
        False,
        0.0,
        "",
        True,
    )
    assert [(bucket.owner, bucket.label, len(bucket.cards)) for bucket in found.buckets] == [("", "Not placed", 3)]
    assert [(c.placed, c.placed_label, c.expected_label, c.right) for c in found.buckets[-1].cards] == [
        ("", "Not placed", "Customer", False),
        ("", "Not placed", "AWS", False),
        ("", "Not placed", "Customer", False),
    ]
    right = Answer(response={"cards": SORT_KEY["correct"]}, score=1.0, is_correct=True)
    assert build(item, right, {}).right is True
    assert [bucket.owner for bucket in build(item, right, {}).buckets] == ["aws", "customer", "shared"]


@pytest.mark.django_db
def test_the_misconceptions_of_the_answers_are_loaded_in_one_go():
    first = Misconception.objects.create(slug="m1", belief="One", correction="No.")
    Misconception.objects.create(slug="m2", belief="Two", correction="No.")
    answers = [Answer(misconception_id=first.pk), None, Answer(misconception_id=None)]
    assert misconceptions_for(answers) == {first.pk: first}
    assert misconceptions_for([None, Answer()]) == {}


def breakdown_item(skill, score, lesson=None, service=None):
    item = AttemptItem(kind=Kind.SINGLE, skill=skill, lesson=lesson, service=service)
    item.answer_or_none = None if score is None else Answer(score=score)
    return item


def test_the_breakdown_gives_each_lesson_service_and_skill_its_percent_lowest_first():
    basics, duties = Lesson(title="Basics"), Lesson(title="Duties")
    ec2, s3 = Service(name="EC2"), Service(name="S3")
    items = [
        breakdown_item("aws", 1.0, basics, ec2),
        breakdown_item("aws", 0.5, basics),
        breakdown_item("customer", None, duties, s3),
        breakdown_item("customer", 1.0, duties, s3),
        breakdown_item("shift", 0.25, None, ec2),
    ]
    assert breakdown(items) == {
        "lesson": [("Duties", 2, 50), ("Basics", 2, 75)],
        "service": [("S3", 2, 50), ("EC2", 2, 62)],
        "skill": [
            ("Describe how responsibilities shift with the service used", 1, 25),
            ("Describe the customer's responsibilities on AWS", 2, 50),
            ("Describe AWS's responsibilities", 2, 75),
        ],
    }


def test_an_attempt_with_every_answer_right_breaks_down_to_one_hundred_percent():
    items = [breakdown_item("aws", 1.0, Lesson(title="Basics"), Service(name="EC2")) for _ in range(3)]
    assert breakdown(items) == {
        "lesson": [("Basics", 3, 100)],
        "service": [("EC2", 3, 100)],
        "skill": [("Describe AWS's responsibilities", 3, 100)],
    }
