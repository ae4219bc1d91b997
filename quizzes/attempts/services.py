"""Writes that touch several quiz models: starting, answering, finishing and claiming attempts."""

import random
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.bank.drawing import build_items, draw
from quizzes.models import Answer, Attempt, AttemptItem, Confidence, Kind, Outcome, Quiz
from quizzes.progress import review_queue


class NothingToAsk(Exception):
    """The quiz's rules select no question (an empty review queue, say)."""


class AnswerRefused(Exception):
    """An answer that cannot be stored; the message says why, for the learner."""


def new_anonymous_token():
    return secrets.token_urlsafe(24)


@transaction.atomic
def start_attempt(*, quiz, user=None, anonymous_token="", rng=None, now=None, recent=None, include_waiting=False):
    """Draw the questions, fix their order and choices, and open an attempt.

    `recent` (what the learner was asked in their last attempts) goes to the back of every pool;
    `include_waiting` lets the review quiz ask items that are not due yet."""
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    catalog, chosen = draw(quiz, rng=rng, user=user, recent=recent, include_waiting=include_waiting)
    if not chosen:
        raise NothingToAsk
    attempt = open_attempt(
        quiz=quiz, user=user, anonymous_token=anonymous_token, mode=quiz.mode, item_count=len(chosen), now=now
    )
    build_items(attempt, chosen, catalog, rng=rng, shuffle_choices=quiz.shuffle_choices)
    return attempt


def open_attempt(*, quiz, user, anonymous_token, mode, item_count, now, retry_of=None):
    signed_in = user is not None and user.is_authenticated
    timed = mode == Quiz.Mode.EXAM and quiz.is_timed
    return Attempt.objects.create(
        quiz=quiz,
        user=user if signed_in else None,
        anonymous_token="" if signed_in else anonymous_token,
        mode=mode,
        pass_mark=quiz.pass_mark,
        started_at=now,
        deadline=now + timedelta(minutes=quiz.time_limit_minutes) if timed else None,
        item_count=item_count,
        retry_of=retry_of,
    )


@transaction.atomic
def start_retry(*, attempt, rng=None, now=None):
    """A practice attempt of exactly the items `attempt` missed (wrong, partly wrong or unanswered),
    asked as they were frozen, choices and cards in a new order."""
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    missed = [item for item in attempt.items.select_related("answer") if item_was_missed(item)]
    if not missed:
        raise NothingToAsk
    retry = open_attempt(
        quiz=attempt.quiz,
        user=attempt.user,
        anonymous_token=attempt.anonymous_token,
        mode=Quiz.Mode.PRACTICE,
        item_count=len(missed),
        now=now,
        retry_of=attempt,
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=retry,
            position=position,
            kind=item.kind,
            question_id=item.question_id,
            duty_id=item.duty_id,
            service_id=item.service_id,
            responsibility_id=item.responsibility_id,
            lesson_id=item.lesson_id,
            skill=item.skill,
            prompt=item.prompt,
            options=reordered(item, rng),
            key=item.key,
        )
        for position, item in enumerate(missed)
    )
    return retry


def reordered(item, rng):
    # Owner and true/false options keep their fixed order; others come in a new one.
    if item.kind in (Kind.OWNER, Kind.TRUE_FALSE):
        return item.options
    return rng.sample(item.options, len(item.options))


def item_was_missed(item):
    answer = getattr(item, "answer", None)
    return answer is None or answer.score < 1


@transaction.atomic
def discard_attempt(*, attempt):
    """Delete an unfinished attempt with its answers, so it counts nowhere. Reviews its practice
    answers already scheduled stay: those misses were real."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_finished:
        raise AnswerRefused("A finished attempt is part of your history and cannot be discarded.")
    attempt.delete()


def expire_if_due(attempt, now=None):
    """Finish an exam whose time has run out with the answers saved so far."""
    if not attempt.is_finished and attempt.is_past_deadline(now):
        # Through the attempt's lock: an answer given before the deadline and being stored at this
        # moment must be in the score, so the score is computed only once that answer is committed.
        return finish_attempt(attempt=attempt, now=now)
    return attempt


def record_answer(*, attempt, item, response, confidence="", now=None):
    """Store the one answer to `item`, score it from the attempt's key, and (practice) schedule reviews."""
    now = now or timezone.now()
    answer = store_answer(attempt=attempt, item=item, response=response, confidence=confidence, now=now)
    if answer is None:
        # Raised once the transaction that finished the attempt has committed: raised inside it, the
        # refusal would roll the finish back.
        raise AnswerRefused("Time is up: the attempt was finished with the answers saved before the deadline.")
    return answer


@transaction.atomic
def store_answer(*, attempt, item, response, confidence, now):
    """`record_answer`'s transaction: the stored answer, or None for an attempt past its deadline,
    which is finished instead."""
    # Lock the attempt so that an answer and a finish (or two answers) never interleave.
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_finished:
        raise AnswerRefused("This attempt is finished, so its answers can no longer change.")
    if attempt.is_past_deadline(now):
        close(attempt, expired=True, now=now)
        return None
    grade = item.grade(response)
    values = {
        "response": response,
        "score": grade.score,
        "is_correct": grade.is_correct,
        "confidence": confidence,
        "misconception_id": grade.misconception_id,
        "answered_at": now,
        "seconds_taken": int((now - item.shown_at).total_seconds()) if item.shown_at else None,
    }
    if attempt.is_exam:
        # Changeable until the end: the attempt's lock serialises saves of one item, so the second
        # of two finds the first's answer and replaces it (read and written without the savepoints
        # of update_or_create, which the lock makes needless). Its outcomes are written at the end.
        answer = Answer.objects.filter(item=item).first()
        if answer is None:
            return Answer.objects.create(item=item, attempt=attempt, **values)
        for name, value in values.items():
            setattr(answer, name, value)
        answer.save(update_fields=list(values))
        return answer
    try:
        # No savepoint around it (two queries fewer): the answer is the transaction's first write,
        # and a refusal leaves the transaction at once, so rolling all of it back loses nothing.
        answer = Answer.objects.create(item=item, attempt=attempt, **values)
    except IntegrityError:
        # An answer is already stored (a replay, or a request that won a race): the database's
        # unique item decides, so there is no separate check that could disagree with it.
        raise AnswerRefused("You already answered this question; the first answer is the one that counts.") from None
    Outcome.objects.bulk_create(outcomes(attempt, item, answer, grade, confidence, now))
    if attempt.user_id:
        review_queue.schedule(
            user=lock_learner(attempt.user_id), item=item, grade=grade, confidence=confidence, now=now
        )
    return answer


@transaction.atomic
def flag_item(*, attempt, item, flagged):
    """Mark or unmark an item to come back to; refused once the attempt is finished."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_finished:
        raise AnswerRefused("This attempt is finished, so its flags can no longer change.")
    AttemptItem.objects.filter(pk=item.pk, attempt=attempt).update(flagged=flagged)


def lock_learner(user_id):
    """The learner's row, locked until the transaction ends.

    Scheduling reads the learner's review items and then writes them, so two answers in two of
    their attempts at once would lose one update or insert the same review item twice; the lock
    makes them take turns (the attempt's own lock covers only answers within one attempt)."""
    return get_user_model().objects.select_for_update().get(pk=user_id)


def outcomes(attempt, item, answer, grade, confidence, now):
    common = {"user_id": attempt.user_id, "answer": answer, "attempt": attempt, "answered_at": now}
    guessed = confidence == Confidence.GUESSING
    if item.kind == Kind.SORT and item.question_id is None:
        return [
            Outcome(
                **common,
                duty_id=item.key["duties"][card],
                service_id=item.service_id,
                skill=item.skill,
                lesson_id=None,
                is_correct=right,
                is_known=right and not guessed,
            )
            for card, right in grade.parts.items()
        ]
    return [
        Outcome(
            **common,
            duty_id=item.duty_id,
            service_id=item.service_id,
            question_id=item.question_id,
            lesson_id=item.lesson_id,
            skill=item.skill,
            is_correct=grade.is_correct,
            is_known=grade.is_correct and not guessed,
        )
    ]


@transaction.atomic
def finish_attempt(*, attempt, now=None):
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    close(attempt, expired=attempt.is_past_deadline(now), now=now)
    return attempt


def close(attempt, *, expired, now):
    """Finish `attempt`, locked by the caller. An exam's answers count only now, as they stand at
    the end: its outcomes are written and its misses enter the review queue here, because before
    the end the answers could still change, and the progress page and the queue would tell the
    learner which ones were wrong."""
    if not (attempt.finish(expired=expired, now=now) and attempt.is_exam):
        return
    answers = list(Answer.objects.filter(attempt=attempt).select_related("item").order_by("answered_at", "pk"))
    graded = [(answer, answer.item.grade(answer.response)) for answer in answers]
    Outcome.objects.bulk_create(
        [
            outcome
            for answer, grade in graded
            for outcome in outcomes(attempt, answer.item, answer, grade, answer.confidence, answer.answered_at)
        ]
    )
    if attempt.user_id:
        schedule_reviews(lock_learner(attempt.user_id), graded)


def schedule_reviews(user, graded):
    """Replay graded answers into the learner's review queue, oldest first."""
    for answer, grade in graded:
        review_queue.schedule(
            user=user, item=answer.item, grade=grade, confidence=answer.confidence, now=answer.answered_at
        )


@transaction.atomic
def claim_anonymous_attempts(*, user, tokens):
    """Move the attempts a visitor made before signing up or logging in to their account, with
    their outcomes, and replay their answers into the review queue."""
    attempts = list(Attempt.objects.select_for_update().filter(user__isnull=True, anonymous_token__in=tokens))
    if not attempts:
        return 0
    ids = [attempt.pk for attempt in attempts]
    Attempt.objects.filter(pk__in=ids).update(user=user, anonymous_token="")
    Outcome.objects.filter(attempt_id__in=ids).update(user=user)
    lock_learner(user.pk)
    answers = (
        Answer.objects.filter(attempt_id__in=ids)
        # A running exam's answers wait for its end, as the learner's own would (see `close`).
        .exclude(attempt__mode=Quiz.Mode.EXAM, attempt__finished_at__isnull=True)
        .select_related("item")
        .order_by("answered_at", "pk")
    )
    schedule_reviews(user, [(answer, answer.item.grade(answer.response)) for answer in answers])
    return len(ids)
