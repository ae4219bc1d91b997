"""Scores come from stored answers only, once per question, whatever the browser sends."""

import re
from html import unescape

import pytest
from django.db.models import F

from quizzes.models import Answer, Attempt, Kind, Outcome, Question, Quiz, SelectionRule
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer
from study.models import Duty, Misconception, Owner, Service
from study.templatetags.study_tags import markdown

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(client, every_kind_quiz):
    return start(client, every_kind_quiz(Quiz.Mode.PRACTICE))


def test_a_right_answer_scores_and_a_replay_changes_nothing(client, practice):
    item = practice.items.get(kind=Kind.OWNER)
    assert answer(client, item, right_answer(item)).status_code == 302
    stored = Answer.objects.get(item=item)
    assert stored.is_correct and stored.score == 1.0
    # Double submit, the back button or a replayed request with another answer:
    response = answer(client, item, wrong_answer(item))
    assert response.status_code == 302
    assert Answer.objects.filter(item=item).count() == 1
    stored.refresh_from_db()
    assert stored.is_correct
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already answered" in m for m in messages)


def test_extra_score_or_correct_fields_have_no_effect(client, practice):
    item = practice.items.get(kind=Kind.SINGLE)
    answer(client, item, wrong_answer(item), score="100", correct="1", is_correct="true")
    stored = Answer.objects.get(item=item)
    assert stored.score == 0.0 and not stored.is_correct
    client.post(f"/quizzes/attempts/{practice.pk}/finish/", {"score": "100", "confirm": "unanswered"})
    practice.refresh_from_db()
    assert practice.score == 0.0


def test_a_choice_of_another_question_is_refused_and_nothing_is_stored(client, every_kind_quiz):
    attempt = start(client, every_kind_quiz(Quiz.Mode.PRACTICE))
    single = attempt.items.get(kind=Kind.SINGLE)
    multiple = attempt.items.get(kind=Kind.MULTIPLE)
    response = answer(client, single, {"choice": multiple.key["correct"][:1]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Answer.objects.filter(item=single).exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"choice": "c999999"}, {"choice": "<script>"}, {"choice": "x" * 100_000}, {"confidence": "certain"}],
    ids=["missing", "unknown id", "markup", "oversized", "bad confidence"],
)
def test_bad_input_gets_a_400_with_a_message_and_stores_nothing(client, practice, data):
    item = practice.items.get(kind=Kind.SINGLE)
    response = answer(client, item, data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not Answer.objects.filter(item=item).exists()


def test_an_incomplete_sort_is_refused(client, practice):
    item = practice.items.get(kind=Kind.SORT)
    data = right_answer(item)
    data.pop(next(iter(data)))
    assert answer(client, item, data).status_code == 400
    assert not Answer.objects.filter(item=item).exists()


def test_sort_items_earn_partial_credit_per_card(client, practice):
    item = practice.items.get(kind=Kind.SORT)
    data = right_answer(item)
    first = next(iter(data))
    data[first] = {"aws": "customer", "customer": "aws", "shared": "aws"}[data[first]]
    answer(client, item, data)
    stored = Answer.objects.get(item=item)
    cards = len(item.options)
    assert stored.score == pytest.approx((cards - 1) / cards)
    assert not stored.is_correct
    assert Outcome.objects.filter(answer=stored).count() == cards
    assert Outcome.objects.filter(answer=stored, is_correct=False).count() == 1


def test_multiple_response_is_all_or_nothing(client, practice):
    item = practice.items.get(kind=Kind.MULTIPLE)
    answer(
        client,
        item,
        {"choice": item.key["correct"][:1] + [k for k in item.option_keys if k not in item.key["correct"]][:1]},
    )
    assert Answer.objects.get(item=item).score == 0.0


def test_the_score_is_computed_from_stored_answers_only(client, practice):
    items = list(practice.items.all())
    for item in items[:3]:
        answer(client, item, right_answer(item))
    for item in items[3:4]:
        answer(client, item, wrong_answer(item))
    client.post(f"/quizzes/attempts/{practice.pk}/finish/", {"confirm": "unanswered"})
    practice.refresh_from_db()
    assert practice.score == pytest.approx(round(100 * 3 / len(items), 1))
    assert practice.passed is (practice.score >= 70)


def test_an_answer_after_finishing_changes_nothing(client, practice):
    item = practice.items.get(kind=Kind.OWNER)
    client.post(f"/quizzes/attempts/{practice.pk}/finish/", {"confirm": "unanswered"})
    practice.refresh_from_db()
    response = answer(client, item, right_answer(item))
    assert response.status_code == 302
    assert not Answer.objects.filter(item=item).exists()
    assert Attempt.objects.get(pk=practice.pk).score == practice.score == 0.0


def test_finishing_twice_keeps_the_first_score(client, practice):
    client.post(f"/quizzes/attempts/{practice.pk}/finish/", {"confirm": "unanswered"})
    first = Attempt.objects.get(pk=practice.pk)
    client.post(f"/quizzes/attempts/{practice.pk}/finish/", {"confirm": "unanswered"})
    again = Attempt.objects.get(pk=practice.pk)
    assert (again.score, again.finished_at) == (first.score, first.finished_at)


def shown_choices(client, item):
    """(key, text) of each option the item's page offers, in the order it shows them."""
    html = client.get(f"/quizzes/attempts/{item.attempt_id}/q/{item.number}/").content.decode()
    keys = dict(
        re.findall(r'<input type="(?:radio|checkbox)"[^>]*name="choice" value="([^"]+)"[^>]*id="([^"]+)"', html)
    )
    labels = dict(re.findall(r'<label for="([^"]+)" class="form-check-label">\s*(.*?)\s*</label>', html, re.S))
    return [(key, unescape(labels[field_id])) for key, field_id in keys.items()]


def test_the_attempt_fixes_its_questions_and_choice_order(client, every_kind_quiz):
    # The owner item comes from the duty catalog (no written owner question to draw), so that an
    # edit of the catalog can be made under it.
    Question.objects.filter(kind=Kind.OWNER).update(status=Question.Status.DRAFT)
    quiz = every_kind_quiz(Quiz.Mode.PRACTICE)
    # Written single and multiple questions, to edit and delete: no generated exam-format item
    # trains "components" (each trains the side it asks about). Drawn first, so that no catalog
    # item drawn before them can take a duty they are tagged with (no duty twice in an attempt).
    quiz.rules.filter(kind__in=[Kind.SINGLE, Kind.MULTIPLE]).update(skill="components")
    quiz.rules.exclude(kind__in=[Kind.SINGLE, Kind.MULTIPLE]).update(position=F("position") + 10)
    attempt = start(client, quiz)
    frozen = list(attempt.items.values_list("position", "kind", "prompt", "options", "key"))
    items = {item.kind: item for item in attempt.items.all()}
    single, owner, deleted = items[Kind.SINGLE], items[Kind.OWNER], items[Kind.MULTIPLE]
    shown = shown_choices(client, single)
    assert shown == [(option["key"], option["text"]) for option in single.options]
    assert owner.responsibility is not None

    # The instructor edits the bank while the attempt runs: every text, the order and the right answer
    # of the single-choice question; the owner of the catalog row behind the owner item; and the
    # multiple-response question is deleted.
    question = single.question
    question.prompt = "EDITED PROMPT: a different question now"
    question.save()
    choices = list(question.choices.all())
    for position, choice in enumerate(reversed(choices)):
        choice.text = f"EDITED CHOICE {position}"
        choice.position = position
        choice.is_correct = not choice.is_correct
        choice.save()
    row = owner.responsibility
    row.owner = next(other for other in Owner.values if other != row.owner)
    row.save()
    row.duty.name = "EDITED DUTY"
    row.duty.save()
    deleted.question.delete()

    assert list(attempt.items.values_list("position", "kind", "prompt", "options", "key")) == frozen
    html = client.get(f"/quizzes/attempts/{attempt.pk}/q/{single.number}/").content.decode()
    assert str(markdown(single.prompt)) in html
    assert "EDITED" not in html
    assert shown_choices(client, single) == shown
    assert "EDITED" not in client.get(f"/quizzes/attempts/{attempt.pk}/q/{owner.number}/").content.decode()

    # Graded by the key frozen at the start: the choice that was right (wrong in the bank now), the
    # owner the row had, and the deleted question's right answer.
    for item in (single, owner, deleted):
        assert answer(client, item, right_answer(item)).status_code == 302
    assert answer(client, items[Kind.TRUE_FALSE], wrong_answer(items[Kind.TRUE_FALSE])).status_code == 302
    stored = {stored.item_id: stored for stored in Answer.objects.filter(attempt=attempt)}
    assert [(stored[item.pk].is_correct, stored[item.pk].score) for item in (single, owner, deleted)] == [
        (True, 1.0)
    ] * 3
    assert not stored[items[Kind.TRUE_FALSE].pk].is_correct
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    attempt.refresh_from_db()
    assert attempt.score == 60.0


def test_a_wrong_owner_names_the_matching_misconception(client, quiz_content):
    ec2 = Service.objects.get(slug="ec2")
    myth = Misconception.objects.create(
        slug="aws-patches-ec2", belief="AWS patches my EC2 instances.", correction="No.", believed_owner="aws"
    )
    myth.duties.add(Duty.objects.get(slug="patch-guest-os"))
    myth.services.add(ec2)
    quiz = Quiz.objects.create(slug="ec2-only", title="EC2", question_count=1)
    SelectionRule.objects.create(quiz=quiz, count=40, kind=Kind.OWNER).services.add(ec2)
    attempt = start(client, quiz)
    item = attempt.items.get(duty__slug="patch-guest-os")
    answer(client, item, {"choice": "aws"})
    assert Answer.objects.get(item=item).misconception == myth
    html = client.get(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/").content.decode()
    assert "AWS patches my EC2 instances." in html
    other = attempt.items.filter(duty__misconceptions__isnull=True, responsibility__owner="customer").first()
    answer(client, other, {"choice": "aws"})
    assert Answer.objects.get(item=other).misconception is None
