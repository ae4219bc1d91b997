"""Grading, finishing and the answer service, called directly with explicit times and values."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.attempts import services
from quizzes.attempts.services import AnswerRefused, NothingToAsk, finish_attempt, record_answer, start_attempt
from quizzes.models import Answer, Attempt, AttemptItem, Grade, Kind, Outcome, Quiz, ReviewItem, SelectionRule
from quizzes.progress.review_queue import BOX_INTERVALS

pytestmark = pytest.mark.django_db


def right(item):
    if item.kind == Kind.SORT:
        return {"cards": dict(item.key["correct"])}
    return {"choices": list(item.key["correct"])}


def wrong(item):
    if item.kind == Kind.SORT:
        flip = {"aws": "customer", "customer": "aws", "shared": "aws"}
        return {"cards": {card: flip[owner] for card, owner in item.key["correct"].items()}}
    return {"choices": [key for key in item.option_keys if key not in item.key["correct"]][:1]}


# -- AttemptItem.grade ------------------------------------------------------------------------


def choice_item(kind, correct, misconceptions=None):
    options = [{"key": key, "text": key.upper()} for key in ("a", "b", "c", "d")]
    key = {"correct": correct}
    if misconceptions is not None:
        key["misconceptions"] = misconceptions
    return AttemptItem(kind=kind, options=options, key=key)


def test_a_right_single_choice_scores_one_and_names_no_misconception():
    item = choice_item(Kind.SINGLE, ["b"], {"a": 7})
    assert item.grade({"choices": ["b"]}) == Grade(score=1.0, is_correct=True, parts={}, misconception_id=None)


def test_a_wrong_choice_scores_zero_and_names_the_first_chosen_misconception():
    item = choice_item(Kind.MULTIPLE, ["a", "b"], {"c": 7, "d": 8})
    assert item.grade({"choices": ["a", "d", "c"]}) == Grade(score=0.0, is_correct=False, misconception_id=8)
    assert item.grade({"choices": ["a"]}) == Grade(score=0.0, is_correct=False, misconception_id=None)
    # All the right choices and one more is wrong too (no partial credit).
    assert not item.grade({"choices": ["a", "b", "c"]}).is_correct
    assert item.grade({"choices": ["b", "a"]}).is_correct


def test_a_wrong_choice_without_misconceptions_in_the_key_names_none():
    item = choice_item(Kind.SINGLE, ["a"])
    assert item.grade({"choices": ["b"]}) == Grade(score=0.0, is_correct=False, misconception_id=None)


def test_a_sort_item_earns_a_share_per_card_placed_right():
    item = AttemptItem(kind=Kind.SORT, key={"correct": {"k0": "aws", "k1": "customer", "k2": "shared", "k3": "aws"}})
    grade = item.grade({"cards": {"k0": "aws", "k1": "aws", "k2": "shared", "k3": "aws"}})
    assert grade == Grade(score=0.75, is_correct=False, parts={"k0": True, "k1": False, "k2": True, "k3": True})
    assert grade.misconception_id is None
    grade = item.grade({"cards": {"k0": "aws", "k1": "customer", "k2": "shared", "k3": "aws"}})
    assert (grade.score, grade.is_correct) == (1.0, True)
    grade = item.grade({"cards": {"k1": "customer"}})
    assert (grade.score, grade.is_correct) == (0.25, False)


# -- Attempt: deadline, time left and finish ---------------------------------------------------


NOW = timezone.make_aware(timezone.datetime(2026, 3, 1, 12, 0, 0))


def test_the_deadline_is_passed_from_its_very_moment():
    attempt = Attempt(deadline=NOW)
    assert attempt.is_past_deadline(NOW)
    assert attempt.is_past_deadline(NOW + timedelta(microseconds=1))
    assert not attempt.is_past_deadline(NOW - timedelta(microseconds=1))
    assert not Attempt(deadline=None).is_past_deadline(NOW)
    # Without a time given, it is now.
    assert Attempt(deadline=timezone.now() - timedelta(seconds=5)).is_past_deadline()
    assert not Attempt(deadline=timezone.now() + timedelta(minutes=5)).is_past_deadline()


def test_the_seconds_left_are_rounded_up_and_never_negative():
    attempt = Attempt(deadline=NOW)
    assert attempt.seconds_left(NOW - timedelta(seconds=10)) == 10
    assert attempt.seconds_left(NOW - timedelta(seconds=10, milliseconds=200)) == 11
    assert attempt.seconds_left(NOW - timedelta(milliseconds=1)) == 1
    assert attempt.seconds_left(NOW) == 0
    assert attempt.seconds_left(NOW + timedelta(minutes=3)) == 0
    assert Attempt(deadline=None).seconds_left(NOW) is None
    assert 590 <= Attempt(deadline=timezone.now() + timedelta(minutes=10)).seconds_left() <= 600


@pytest.fixture
def quiz(quiz_content):
    return Quiz.objects.create(slug="services-quiz", title="Services", question_count=1)


def scored_attempt(quiz, scores, *, item_count=None, pass_mark=70, deadline=None, started_at=NOW):
    """An attempt whose stored answers have these scores."""
    attempt = Attempt.objects.create(
        quiz=quiz,
        mode="exam",
        pass_mark=pass_mark,
        started_at=started_at,
        deadline=deadline,
        item_count=len(scores) if item_count is None else item_count,
    )
    for position, score in enumerate(scores):
        item = AttemptItem.objects.create(attempt=attempt, position=position, kind=Kind.SINGLE, skill="aws", prompt="p")
        Answer.objects.create(item=item, attempt=attempt, response={}, score=score, is_correct=score == 1)
    return attempt


def test_finish_scores_the_stored_answers_over_every_item_rounded_to_a_tenth(quiz):
    attempt = scored_attempt(quiz, [1.0, 1.0, 0.5], item_count=6, pass_mark=40)
    assert attempt.finish(now=NOW) is True
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert (attempt.score, attempt.passed, attempt.finished_at, attempt.expired) == (41.7, True, NOW, False)


@pytest.mark.parametrize(("pass_mark", "passed"), [(50, True), (51, False)])
def test_a_score_equal_to_the_pass_mark_passes(quiz, pass_mark, passed):
    attempt = scored_attempt(quiz, [1.0, 0.0], pass_mark=pass_mark)
    attempt.finish(now=NOW)
    assert (attempt.score, attempt.passed) == (50.0, passed)


def test_an_attempt_with_no_answers_or_no_items_scores_zero(quiz):
    attempt = scored_attempt(quiz, [], item_count=4, pass_mark=0)
    attempt.finish(now=NOW)
    assert (attempt.score, attempt.passed) == (0.0, True)
    attempt = scored_attempt(quiz, [], item_count=0)
    attempt.finish(now=NOW)
    assert (attempt.score, attempt.passed) == (0.0, False)


def test_an_expired_attempt_is_finished_at_its_deadline_and_any_other_when_it_is_finished(quiz):
    late = NOW + timedelta(minutes=5)
    expired = scored_attempt(quiz, [1.0], deadline=NOW)
    expired.finish(expired=True, now=late)
    assert (expired.finished_at, expired.expired) == (NOW, True)
    # A deadline still ahead is not a reason to end before now.
    early = scored_attempt(quiz, [1.0], deadline=late)
    early.finish(expired=True, now=NOW)
    assert early.finished_at == NOW
    on_time = scored_attempt(quiz, [1.0], deadline=NOW)
    on_time.finish(expired=False, now=late)
    assert (on_time.finished_at, on_time.expired) == (late, False)
    untimed = scored_attempt(quiz, [1.0])
    untimed.finish(expired=True, now=late)
    assert (untimed.finished_at, untimed.expired) == (late, True)


def test_finish_without_a_time_uses_now(quiz):
    attempt = scored_attempt(quiz, [1.0])
    before = timezone.now()
    attempt.finish()
    assert before <= attempt.finished_at <= timezone.now()


def test_finish_happens_once_and_says_so(quiz):
    attempt = scored_attempt(quiz, [1.0, 0.0])
    assert attempt.finish(now=NOW) is True
    Answer.objects.filter(attempt=attempt).update(score=1.0)
    again = Attempt.objects.get(pk=attempt.pk)
    assert again.finish(now=NOW + timedelta(hours=1)) is False
    assert (again.score, again.finished_at) == (50.0, NOW)


# -- start_attempt ------------------------------------------------------------------------------


@pytest.fixture
def exam_quiz(every_kind_quiz):
    return every_kind_quiz(Quiz.Mode.EXAM, minutes=20)


def test_a_timed_exam_gets_its_deadline_and_the_quizs_pass_mark(exam_quiz, learner):
    exam_quiz.pass_mark = 65
    exam_quiz.save()
    attempt = start_attempt(quiz=exam_quiz, user=learner, anonymous_token="tok", rng=random.Random(0), now=NOW)
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert (attempt.user, attempt.anonymous_token, attempt.mode, attempt.pass_mark) == (learner, "", "exam", 65)
    # Exam-format items only: of the five rules, those for owner, sort and true/false items draw nothing.
    assert (attempt.started_at, attempt.deadline, attempt.item_count) == (NOW, NOW + timedelta(minutes=20), 2)
    assert set(attempt.items.values_list("kind", flat=True)) == {Kind.SINGLE, Kind.MULTIPLE}


def test_an_untimed_quiz_has_no_deadline_and_a_visitors_attempt_keeps_the_token(every_kind_quiz):
    from django.contrib.auth.models import AnonymousUser

    practice = every_kind_quiz(Quiz.Mode.PRACTICE, minutes=20)
    attempt = start_attempt(quiz=practice, user=AnonymousUser(), anonymous_token="tok", rng=random.Random(0), now=NOW)
    assert (attempt.user, attempt.anonymous_token, attempt.deadline, attempt.mode) == (None, "tok", None, "practice")
    attempt = start_attempt(quiz=practice, anonymous_token="tok2", rng=random.Random(0))
    assert (attempt.user, attempt.anonymous_token) == (None, "tok2")
    assert timezone.now() - attempt.started_at < timedelta(minutes=1)


def test_a_quiz_whose_rules_select_nothing_cannot_start(quiz, learner):
    SelectionRule.objects.create(quiz=quiz, count=3, kind=Kind.SINGLE, lesson_id=None, skill="components")
    quiz.rules.update(category="infrastructure", kind=Kind.SORT, skill="aws")
    with pytest.raises(NothingToAsk):
        start_attempt(quiz=quiz, user=learner, rng=random.Random(0))
    assert not Attempt.objects.exists()


# -- record_answer ------------------------------------------------------------------------------


@pytest.fixture
def exam(exam_quiz, learner):
    return start_attempt(quiz=exam_quiz, user=learner, rng=random.Random(0), now=NOW)


@pytest.fixture
def practice(every_kind_quiz, learner):
    return start_attempt(quiz=every_kind_quiz(Quiz.Mode.PRACTICE), user=learner, rng=random.Random(0), now=NOW)


def item_of(attempt, kind):
    return attempt.items.get(kind=kind)


def test_an_answer_at_the_deadline_itself_is_refused_and_finishes_the_attempt(exam):
    single, multiple = item_of(exam, Kind.SINGLE), item_of(exam, Kind.MULTIPLE)
    record_answer(attempt=exam, item=multiple, response=right(multiple), now=exam.deadline - timedelta(minutes=1))
    with pytest.raises(AnswerRefused) as refusal:
        record_answer(attempt=exam, item=single, response=right(single), now=exam.deadline)
    assert str(refusal.value) == ("Time is up: the attempt was finished with the answers saved before the deadline.")
    assert not Answer.objects.filter(item=single).exists()
    exam.refresh_from_db()
    assert (exam.finished_at, exam.expired, exam.score) == (exam.deadline, True, 50.0)
    # Finished for good: a later answer is refused as one to a finished attempt.
    with pytest.raises(AnswerRefused, match="is finished"):
        record_answer(attempt=exam, item=single, response=right(single), now=exam.deadline)


def test_an_answer_just_before_the_deadline_is_stored(exam):
    single = item_of(exam, Kind.SINGLE)
    just_before = exam.deadline - timedelta(microseconds=1)
    stored = record_answer(attempt=exam, item=single, response=right(single), now=just_before)
    assert (stored.score, stored.is_correct, stored.answered_at, stored.confidence) == (1.0, True, just_before, "")
    exam.refresh_from_db()
    assert not exam.is_finished


def test_an_answer_to_a_finished_attempt_is_refused(exam):
    single = item_of(exam, Kind.SINGLE)
    finish_attempt(attempt=exam, now=NOW + timedelta(minutes=1))
    with pytest.raises(AnswerRefused) as refusal:
        record_answer(attempt=exam, item=single, response=right(single), now=NOW + timedelta(minutes=2))
    assert str(refusal.value) == "This attempt is finished, so its answers can no longer change."
    assert not Answer.objects.exists()


def test_a_second_practice_answer_is_refused_and_the_first_counts(practice):
    single = item_of(practice, Kind.SINGLE)
    record_answer(attempt=practice, item=single, response=right(single), now=NOW)
    with pytest.raises(AnswerRefused) as refusal:
        record_answer(attempt=practice, item=single, response=wrong(single), now=NOW)
    assert str(refusal.value) == "You already answered this question; the first answer is the one that counts."
    assert Answer.objects.get(item=single).is_correct
    assert Outcome.objects.get().is_correct


def test_a_second_exam_answer_replaces_the_first_and_writes_no_outcome_before_the_end(exam):
    single = item_of(exam, Kind.SINGLE)
    first = record_answer(attempt=exam, item=single, response=right(single), confidence="sure", now=NOW)
    later = NOW + timedelta(minutes=3)
    second = record_answer(attempt=exam, item=single, response=wrong(single), confidence="unsure", now=later)
    stored = Answer.objects.get(item=single)
    assert (stored.pk, second.pk) == (first.pk, first.pk)
    assert (stored.is_correct, stored.score, stored.confidence, stored.answered_at) == (False, 0.0, "unsure", later)
    assert stored.response == wrong(single)
    assert not Outcome.objects.exists()
    finish_attempt(attempt=exam, now=later + timedelta(minutes=1))
    assert list(Outcome.objects.values_list("is_correct", "answered_at")) == [(False, later)]


def test_the_answer_stores_its_grade_confidence_and_time_taken(practice):
    single = item_of(practice, Kind.SINGLE)
    single.shown_at = NOW
    now = NOW + timedelta(seconds=42, milliseconds=900)
    stored = record_answer(attempt=practice, item=single, response=wrong(single), confidence="unsure", now=now)
    stored = Answer.objects.get(pk=stored.pk)
    assert (stored.score, stored.is_correct, stored.confidence, stored.seconds_taken) == (0.0, False, "unsure", 42)
    assert (stored.answered_at, stored.response, stored.attempt_id) == (now, wrong(single), practice.pk)
    assert stored.misconception_id == single.grade(wrong(single)).misconception_id
    owner = item_of(practice, Kind.OWNER)
    assert record_answer(attempt=practice, item=owner, response=right(owner), now=now).seconds_taken is None


def test_a_right_answer_given_as_a_guess_is_right_but_not_known(practice, learner):
    owner = item_of(practice, Kind.OWNER)
    record_answer(attempt=practice, item=owner, response=right(owner), confidence="guessing", now=NOW)
    outcome = Outcome.objects.get()
    assert (outcome.is_correct, outcome.is_known, outcome.user, outcome.answered_at) == (True, False, learner, NOW)
    assert (outcome.duty_id, outcome.service_id, outcome.skill) == (owner.duty_id, owner.service_id, owner.skill)
    single = item_of(practice, Kind.SINGLE)
    record_answer(attempt=practice, item=single, response=right(single), confidence="sure", now=NOW)
    outcome = Outcome.objects.get(answer__item=single)
    assert (outcome.is_correct, outcome.is_known, outcome.lesson_id) == (True, True, single.lesson_id)


def test_a_catalog_sort_item_writes_one_outcome_per_card(practice):
    cards = item_of(practice, Kind.SORT)
    answer = wrong(cards)
    first = next(iter(answer["cards"]))
    answer["cards"][first] = cards.key["correct"][first]
    record_answer(attempt=practice, item=cards, response=answer, confidence="guessing", now=NOW)
    outcomes = {
        (o.duty_id, o.is_correct, o.is_known, o.service_id, o.lesson_id, o.skill) for o in Outcome.objects.all()
    }
    assert outcomes == {
        (cards.key["duties"][card], card == first, False, cards.service_id, None, "shift")
        for card in cards.key["correct"]
    }


def test_a_written_sort_question_writes_one_outcome(quiz):
    attempt = Attempt(pk=1, quiz=quiz, user_id=None)
    item = AttemptItem(kind=Kind.SORT, question_id=5, duty_id=6, service_id=7, lesson_id=8, skill="shift")
    grade = Grade(score=0.5, is_correct=False, parts={"k0": True, "k1": False})
    answer = Answer(pk=9)
    [outcome] = services.outcomes(attempt, item, answer, grade, "sure", NOW)
    assert (outcome.question_id, outcome.duty_id, outcome.service_id, outcome.lesson_id, outcome.skill) == (
        5,
        6,
        7,
        8,
        "shift",
    )
    assert (outcome.is_correct, outcome.is_known, outcome.answer, outcome.answered_at) == (False, False, answer, NOW)


def test_practice_answers_enter_the_queue_at_once_and_exam_answers_when_it_ends(every_kind_quiz, learner, exam):
    practice = start_attempt(quiz=every_kind_quiz(Quiz.Mode.PRACTICE), user=learner, rng=random.Random(0), now=NOW)
    single = item_of(practice, Kind.SINGLE)
    record_answer(attempt=practice, item=single, response=wrong(single), now=NOW)
    assert list(ReviewItem.objects.values_list("question_id", flat=True)) == [single.question_id]

    exam_single = item_of(exam, Kind.MULTIPLE)
    record_answer(attempt=exam, item=exam_single, response=wrong(exam_single), now=NOW)
    assert ReviewItem.objects.count() == 1
    finish_attempt(attempt=exam, now=NOW + timedelta(minutes=1))
    review = ReviewItem.objects.get(question_id=exam_single.question_id)
    # Scheduled as of the answer, not of the end.
    assert (review.box, review.lapses, review.last_reviewed_at) == (1, 1, NOW)
    exam.refresh_from_db()
    assert (exam.expired, exam.finished_at) == (False, NOW + timedelta(minutes=1))


def test_a_visitors_answers_enter_no_queue(every_kind_quiz):
    attempt = start_attempt(quiz=every_kind_quiz(Quiz.Mode.PRACTICE), anonymous_token="tok", rng=random.Random(0))
    single = item_of(attempt, Kind.SINGLE)
    record_answer(attempt=attempt, item=single, response=wrong(single), now=NOW)
    assert Outcome.objects.get().user is None
    assert not ReviewItem.objects.exists()


def test_finishing_after_the_deadline_marks_the_attempt_expired(exam):
    finish_attempt(attempt=exam, now=exam.deadline)
    exam.refresh_from_db()
    assert (exam.expired, exam.finished_at) == (True, exam.deadline)


def test_a_finished_exam_is_not_scheduled_again(exam):
    single = item_of(exam, Kind.SINGLE)
    record_answer(attempt=exam, item=single, response=wrong(single), now=NOW)
    finish_attempt(attempt=exam, now=NOW + timedelta(minutes=1))
    ReviewItem.objects.update(box=3)
    finish_attempt(attempt=exam, now=NOW + timedelta(minutes=2))
    assert ReviewItem.objects.get().box == 3


# -- expire_if_due -------------------------------------------------------------------------------


def test_expire_if_due_finishes_only_an_unfinished_attempt_past_its_deadline(exam):
    assert services.expire_if_due(exam, now=exam.deadline - timedelta(seconds=1)).finished_at is None
    assert Attempt.objects.get(pk=exam.pk).finished_at is None
    expired = services.expire_if_due(exam, now=exam.deadline)
    assert (expired.finished_at, expired.expired) == (exam.deadline, True)
    finished = Attempt.objects.get(pk=exam.pk)
    assert services.expire_if_due(finished, now=exam.deadline + timedelta(hours=1)) is finished


# -- claim_anonymous_attempts ----------------------------------------------------------------------


def test_claiming_moves_a_visitors_attempts_and_replays_their_answers(every_kind_quiz, make_learner):
    visitor_practice = start_attempt(quiz=every_kind_quiz(Quiz.Mode.PRACTICE), anonymous_token="a", now=NOW)
    running_exam = start_attempt(quiz=every_kind_quiz(Quiz.Mode.EXAM, minutes=30), anonymous_token="b", now=NOW)
    other = start_attempt(quiz=visitor_practice.quiz, anonymous_token="c", now=NOW)
    missed = item_of(visitor_practice, Kind.SINGLE)
    record_answer(attempt=visitor_practice, item=missed, response=wrong(missed), now=NOW)
    exam_missed = item_of(running_exam, Kind.SINGLE)
    record_answer(attempt=running_exam, item=exam_missed, response=wrong(exam_missed), now=NOW)
    user = make_learner()

    assert services.claim_anonymous_attempts(user=user, tokens=["a", "b"]) == 2

    claimed = Attempt.objects.filter(user=user)
    assert set(claimed.values_list("pk", "anonymous_token")) == {(visitor_practice.pk, ""), (running_exam.pk, "")}
    assert Attempt.objects.get(pk=other.pk).user is None
    # The running exam's answer has no outcome yet: it can still change until the end.
    assert set(Outcome.objects.values_list("attempt_id", "user_id")) == {(visitor_practice.pk, user.pk)}
    # The running exam's miss waits for its end.
    assert list(ReviewItem.objects.values_list("user_id", "question_id", "last_reviewed_at")) == [
        (user.pk, missed.question_id, NOW)
    ]
    assert services.claim_anonymous_attempts(user=user, tokens=["a", "zzz"]) == 0


# -- the small facts of an attempt and its items ---------------------------------------------------


def test_attempts_are_finished_or_unfinished(quiz):
    done = scored_attempt(quiz, [1.0])
    done.finish(now=NOW)
    running = scored_attempt(quiz, [1.0])
    assert list(Attempt.objects.finished()) == [done]
    assert list(Attempt.objects.unfinished()) == [running]
    assert (done.is_finished, running.is_finished) == (True, False)


def test_an_attempt_knows_its_mode_duration_and_address(quiz):
    exam = Attempt(pk=12, quiz=quiz, mode="exam", started_at=NOW, finished_at=NOW + timedelta(minutes=4))
    assert (exam.is_exam, exam.duration, exam.get_absolute_url()) == (
        True,
        timedelta(minutes=4),
        "/quizzes/attempts/12/",
    )
    assert str(exam) == "Services (2026-03-01 12:00)"
    running = Attempt(quiz=quiz, mode="practice", started_at=timezone.now() - timedelta(minutes=2))
    assert running.is_exam is False
    assert timedelta(minutes=2) <= running.duration < timedelta(minutes=3)


def test_an_item_shows_its_number_and_the_text_of_an_option():
    item = AttemptItem(attempt_id=5, position=2, options=[{"key": "a", "text": "Alpha"}, {"key": "b", "text": "Beta"}])
    assert (item.number, item.option_keys, str(item)) == (3, ["a", "b"], "5#2")
    assert (item.option_text("b"), item.option_text("zz")) == ("Beta", "zz")


def test_answers_and_outcomes_say_what_they_are():
    item = AttemptItem(attempt_id=5, position=0)
    assert str(Answer(item=item)) == "answer to 5#0"
    assert str(Outcome(is_correct=True, duty_id=3)) == "right: 3"
    assert str(Outcome(is_correct=False, question_id=4)) == "wrong: 4"


def test_a_visitors_token_is_32_url_safe_characters_and_new_each_time():
    import re

    tokens = {services.new_anonymous_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", token) for token in tokens)


def test_an_exams_right_guess_enters_the_queue_when_it_ends(exam):
    single = item_of(exam, Kind.SINGLE)
    record_answer(attempt=exam, item=single, response=right(single), confidence="guessing", now=NOW)
    assert not ReviewItem.objects.exists()
    finish_attempt(attempt=exam, now=NOW + timedelta(minutes=1))
    review = ReviewItem.objects.get()
    assert (review.question_id, review.box, review.lapses) == (single.question_id, 1, 0)
    assert review.due_at == NOW + BOX_INTERVALS[1]


def test_a_saved_owner_question_with_its_owner_has_no_problem(db):
    from quizzes.models import Question

    question = Question.objects.create(slug="own", kind=Kind.OWNER, prompt="p", owner="aws", skill="aws")
    assert question.problems() == {}


def test_finishing_one_attempt_leaves_the_others_running(quiz):
    first, second = scored_attempt(quiz, [1.0]), scored_attempt(quiz, [0.0])
    first.finish(now=NOW)
    assert Attempt.objects.get(pk=second.pk).finished_at is None
    assert second.finish(now=NOW + timedelta(minutes=1)) is True
    assert (second.score, second.finished_at) == (0.0, NOW + timedelta(minutes=1))


def test_an_attempt_is_expired_as_of_the_time_given(exam_quiz, learner):
    later = timezone.now() + timedelta(days=1)
    exam = start_attempt(quiz=exam_quiz, user=learner, rng=random.Random(0), now=later)
    expired = services.expire_if_due(exam, now=exam.deadline)
    assert (expired.finished_at, expired.expired) == (exam.deadline, True)
