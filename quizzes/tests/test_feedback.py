"""What a learner is told about an answered item, and the results page's breakdown of the score."""

import pytest

from quizzes.attempts.feedback import CardFeedback, Feedback, breakdown, build, misconceptions_for
from quizzes.models import Answer, AttemptItem, Kind
from study.models import Lesson, Misconception, Service

OPTIONS = [{"key": "a", "text": "Alpha"}, {"key": "b", "text": "Beta"}, {"key": "c", "text": "Gamma"}]


def choice_item(**extra):
    key = {
        "correct": ["a"],
        "explanation": "Because.",
        "feedback": {"b": "Not Beta.", "c": "Not Gamma."},
        "source": {"title": "Docs", "url": "https://example.com"},
    }
    return AttemptItem(kind=Kind.SINGLE, options=OPTIONS, key=key, **extra)


def test_a_wrong_choice_gets_its_feedback_the_right_choice_and_the_misconception():
    myth = Misconception(pk=4, belief="B")
    answer = Answer(response={"choices": ["b", "c"]}, score=0.0, is_correct=False, misconception_id=4)
    found = build(choice_item(question_id=3), answer, {4: myth, 5: Misconception(pk=5)})
    assert found == Feedback(
        answered=True,
        right=False,
        score=0.0,
        chosen=["Beta", "Gamma"],
        correct=["Alpha"],
        explanation="Because.",
        explanation_is_markdown=True,
        choice_feedback=["Not Beta.", "Not Gamma."],
        misconception=myth,
        source={"title": "Docs", "url": "https://example.com"},
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
    assert (found.explanation_is_markdown, found.choice_feedback, found.misconception, found.source) == (
        False,
        [],
        None,
        None,
    )


def test_an_unanswered_question_shows_the_key_and_scores_nothing():
    found = build(choice_item(), None, {})
    assert (found.answered, found.right, found.score, found.chosen, found.correct) == (False, False, 0.0, [], ["Alpha"])
    assert (found.misconception, found.choice_feedback) == (None, [])
    bare = build(AttemptItem(kind=Kind.SINGLE, options=OPTIONS, key={"correct": ["a"]}), None, {})
    assert (bare.explanation, bare.source) == ("", None)


SORT_OPTIONS = [{"key": "k0", "text": "Patch the OS"}, {"key": "k1", "text": "Guard the building"}]
SORT_KEY = {
    "correct": {"k0": "customer", "k1": "aws"},
    "explanations": {"k0": "Your instance."},
    "explanation": "Who runs what.",
}


def test_a_sort_answer_shows_each_card_where_it_was_placed_and_where_it_belongs():
    item = AttemptItem(kind=Kind.SORT, options=SORT_OPTIONS, key=SORT_KEY)
    answer = Answer(response={"cards": {"k0": "customer", "k1": "shared"}}, score=0.5, is_correct=False)
    found = build(item, answer, {})
    assert found == Feedback(
        answered=True,
        right=False,
        score=0.5,
        chosen=[],
        correct=[],
        explanation="Who runs what.",
        explanation_is_markdown=False,
        cards=[
            CardFeedback(
                text="Patch the OS", placed="Customer", expected="Customer", right=True, explanation="Your instance."
            ),
            CardFeedback(text="Guard the building", placed="Shared", expected="AWS", right=False, explanation=""),
        ],
    )


def test_an_unanswered_sort_shows_every_card_placed_nowhere():
    item = AttemptItem(kind=Kind.SORT, options=SORT_OPTIONS, key={"correct": SORT_KEY["correct"]}, question_id=9)
    found = build(item, None, {})
    assert (found.answered, found.right, found.score, found.explanation, found.explanation_is_markdown) == (
        False,
        False,
        0.0,
        "",
        True,
    )
    assert [(card.placed, card.expected, card.right, card.explanation) for card in found.cards] == [
        ("nothing", "Customer", False, ""),
        ("nothing", "AWS", False, ""),
    ]
    right = Answer(response={"cards": {"k0": "customer", "k1": "aws"}}, score=1.0, is_correct=True)
    assert build(item, right, {}).right is True


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
