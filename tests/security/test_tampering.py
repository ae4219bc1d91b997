"""Whatever a browser sends beyond the form's own fields, the stored answers and score are the ones
the server computes from the attempt's key.

`quizzes/tests/test_scoring_integrity.py` shows it for one kind in practice mode each (extra
fields on a single-choice answer, a replay of an owner answer, finishing twice, an answer after
the end); here every kind in both modes gets each tampering, and the whole stored state of the
attempt (answers, outcomes, review queue, score) is compared before and after."""

import pytest
from django.test import Client

from quizzes.models import Answer, Attempt, Kind, Outcome, Quiz, ReviewItem
from quizzes.tests.conftest import right_answer, wrong_answer
from study.models import Owner

pytestmark = pytest.mark.django_db

MODES = [Quiz.Mode.PRACTICE, Quiz.Mode.EXAM]
EXAM_KINDS = {Kind.SINGLE, Kind.MULTIPLE}
# Fields a forged form might add, named after what the server stores or decides.
FORGED = {
    "score": "100",
    "correct": "1",
    "is_correct": "true",
    "passed": "1",
    "finished_at": "",
    "mode": "practice",
    "key": '{"correct": []}',
    "response": '{"choices": []}',
    "expired": "0",
}


def state(attempt):
    """Everything an answer or a finish may change, as plain values."""
    fresh = Attempt.objects.get(pk=attempt.pk)
    return {
        "attempt": (fresh.user_id, fresh.finished_at, fresh.score, fresh.passed, fresh.expired, fresh.deadline),
        "answers": sorted(
            Answer.objects.filter(attempt=attempt).values_list("item_id", "response", "score", "is_correct")
        ),
        "outcomes": sorted(Outcome.objects.filter(attempt=attempt).values_list("answer__item_id", "is_correct")),
        "reviews": sorted(ReviewItem.objects.values_list("user_id", "key", "box", "due_at", "lapses")),
    }


def url(attempt, number):
    return f"/quizzes/attempts/{attempt.pk}/q/{number}/"


def response_to(data):
    """What the server stores for honest form data."""
    if "choice" in data:
        return {"choices": list(data["choice"])}
    return {"cards": {name.removeprefix("card_"): owner for name, owner in data.items()}}


@pytest.fixture
def running(logged_in, learner, attempt_of):
    """A learner's client and a running attempt of the marked quiz in a mode."""

    def make(mode):
        client = logged_in(learner)
        attempt = attempt_of(client, mode, minutes=30 if mode == Quiz.Mode.EXAM else None)
        return client, attempt, list(attempt.items.all())

    return make


@pytest.mark.parametrize("mode", MODES)
def test_forged_fields_do_not_change_a_grade_or_the_score(running, mode):
    client, attempt, items = running(mode)
    for item in items:
        extra = {**FORGED, "item": items[-1].pk, "attempt": attempt.pk + 1, "user": 1}
        response = client.post(url(attempt, item.number), {**wrong_answer(item), **extra}, follow=True)
        stored = Answer.objects.get(item=item)
        assert (stored.score, stored.is_correct) == (0.0, False), item.kind
        assert stored.response == response_to(wrong_answer(item))
        if mode == Quiz.Mode.EXAM:
            assert "feedback-" not in response.content.decode()
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {**FORGED, "confirm": "unanswered"})
    finished = Attempt.objects.get(pk=attempt.pk)
    assert (finished.score, finished.passed, finished.expired) == (0.0, False, False)


@pytest.mark.parametrize("mode", MODES)
def test_an_option_of_another_question_is_refused_and_nothing_is_stored(running, attempt_of, logged_in, mode):
    client, attempt, items = running(mode)
    elsewhere = attempt_of(logged_in(), mode)  # another learner's attempt of the same quiz
    foreign = {key for item in elsewhere.items.all() for key in item.option_keys}
    before = state(attempt)
    for item in items:
        if item.kind == Kind.SORT:
            # Cards it does not have, and none of its own.
            forged = {f"card_k{index}": "aws" for index in range(len(item.options), len(item.options) + 4)}
            assert client.post(url(attempt, item.number), forged).status_code == 400
            continue
        others = (foreign | {key for other in items for key in other.option_keys}) - set(item.option_keys)
        for key in others:
            for choice in ([key], [*item.key["correct"], key]):
                response = client.post(url(attempt, item.number), {"choice": choice})
                assert response.status_code == 400, (item.kind, choice)
    assert state(attempt) == before


@pytest.mark.parametrize("mode", MODES)
def test_an_answer_to_a_question_outside_the_attempt_is_refused(running, mode):
    client, attempt, items = running(mode)
    before = state(attempt)
    for number in (0, len(items) + 1, 10**6, 10**30):
        assert client.post(url(attempt, number), right_answer(items[0])).status_code == 404
    assert state(attempt) == before


def test_an_item_of_the_learners_other_attempt_cannot_be_answered_through_this_one(running, attempt_of):
    client, practice, _items = running(Quiz.Mode.PRACTICE)
    exam = attempt_of(client, Quiz.Mode.EXAM, minutes=30)
    before = state(practice), state(exam)
    tried = 0
    for item in exam.items.all():
        own = practice.items.get(position=item.position)
        if set(own.option_keys) == set(item.option_keys) or item.kind == Kind.SORT:
            continue  # the same options in both (owner questions, say): the answer is one to this item too
        assert client.post(url(practice, item.number), right_answer(item)).status_code == 400
        tried += 1
    assert tried and (state(practice), state(exam)) == before


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("first", [right_answer, wrong_answer], ids=["right first", "wrong first"])
def test_replays_and_other_answers_change_only_what_the_mode_allows(running, mode, first):
    """In practice the first answer stands (its feedback showed the key); in an exam the last answer
    saved before the end stands, and nothing is scored or queued until then. Once finished, nothing
    changes in either mode."""
    client, attempt, items = running(mode)
    then = wrong_answer if first is right_answer else right_answer
    for item in items:
        client.post(url(attempt, item.number), first(item))
    answered = state(attempt)
    for item in items:
        for data in (first(item), then(item), {**then(item), "confidence": "sure"}):
            response = client.post(url(attempt, item.number), data)
            assert response.status_code == 302
    replayed = state(attempt)
    if mode == Quiz.Mode.PRACTICE:
        assert replayed == answered
        standing = first
    else:
        standing = then
        assert [answer[1] for answer in replayed["answers"]] == [response_to(then(item)) for item in items]
        assert replayed["outcomes"] == replayed["reviews"] == []
        assert replayed["attempt"] == answered["attempt"]
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    finished = state(attempt)
    for item in items:
        client.post(url(attempt, item.number), first(item))
        client.post(url(attempt, item.number), {**first(item), "action": "flag"})
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    assert state(attempt) == finished
    assert finished["attempt"][2] == (100.0 if standing is right_answer else 0.0)
    assert not attempt.items.filter(flagged=True).exists()


def stored_or_refused(client, attempt, item, data):
    """Post `data` as the answer to `item`: either it is refused with a 4xx and nothing at all is
    stored, or exactly one answer is stored, valid for the item and graded by its key. Returns the
    stored response, or None when refused."""
    before = state(attempt)
    status = client.post(url(attempt, item.number), data).status_code
    stored = list(Answer.objects.filter(item=item))
    if 400 <= status < 500:
        assert state(attempt) == before, item.kind
        return None
    assert status == 302, item.kind
    assert len(stored) == 1, item.kind
    answer = stored[0]
    if item.kind == Kind.SORT:
        assert list(answer.response) == ["cards"]
        assert list(answer.response["cards"]) == item.option_keys
        assert set(answer.response["cards"].values()) <= set(Owner.values)
    else:
        chosen = answer.response["choices"]
        assert list(answer.response) == ["choices"]
        assert set(chosen) <= set(item.option_keys), item.kind
        assert len(chosen) == len(set(chosen)), item.kind  # each option once
        assert len(chosen) == 1 or (item.kind == Kind.MULTIPLE and chosen)
    grade = item.grade(answer.response)
    assert (answer.score, answer.is_correct) == (grade.score, grade.is_correct)
    return answer.response


UNKNOWN = "c000000000000"


def repeated(item, variant):
    """Form data sending one field several times, and the response it must store (None: refused).

    A repeated single-value field counts with its last value, as Django reads any form field; a
    multiple-response answer is the set of the options sent, each stored once."""
    keys, correct = item.option_keys, item.key["correct"]
    if item.kind == Kind.SORT:
        right = right_answer(item)
        last = {"right last": list(right.values()), "unknown last": ["nobody"] * len(right)}
        last["unknown first"] = last["right last"]
        first = {"right last": ["aws", "customer"], "unknown last": list(right.values()), "unknown first": ["nobody"]}
        data = {name: [*first[variant], owner] for name, owner in zip(right, last[variant], strict=True)}
        return data, None if variant == "unknown last" else response_to(right)
    if variant == "right last":
        data = {"choice": [*keys, *keys, *correct]}
        expected = keys if item.kind == Kind.MULTIPLE else correct[-1:]
    elif variant == "unknown last":
        data = {"choice": [*correct, *correct, UNKNOWN]}
        expected = None
    else:
        data = {"choice": [UNKNOWN, *keys, *correct]}
        expected = None if item.kind == Kind.MULTIPLE else correct[-1:]
    return data, None if expected is None else {"choices": expected}


@pytest.mark.parametrize("variant", ["right last", "unknown last", "unknown first"])
@pytest.mark.parametrize("mode", MODES)
def test_repeated_values_of_one_field_store_one_valid_answer(running, mode, variant):
    client, attempt, items = running(mode)
    # An exam asks exam formats only.
    assert {item.kind for item in items} == (set(Kind.values) if mode == Quiz.Mode.PRACTICE else EXAM_KINDS)
    for item in items:
        data, expected = repeated(item, variant)
        assert stored_or_refused(client, attempt, item, data) == expected, item.kind


def test_starting_a_quiz_for_someone_else_starts_it_for_yourself(logged_in, learner, make_learner, quiz_content):
    other = make_learner()
    visitor = Client()
    visitor.post("/quizzes/quick-check/start/")
    token = visitor.session["quiz_tokens"][0]
    client = logged_in(learner)
    client.post("/quizzes/drill-ec2/start/", {"user": other.pk, "anonymous_token": token, "quiz": "exam-simulation"})
    started = Attempt.objects.get(quiz__slug="drill-ec2")
    assert (started.user, started.anonymous_token) == (learner, "")
    assert not Attempt.objects.filter(user=other).exists()
    assert Attempt.objects.filter(anonymous_token=token).count() == 1
