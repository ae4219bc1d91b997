"""Writes that touch several quiz models: starting, answering, finishing and claiming attempts."""

import random
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.bank.drawing import build_items, draw
from quizzes.models import Answer, Attempt, Confidence, Kind, Outcome, Quiz
from quizzes.progress import review_queue


class NothingToAsk(Exception):
    """The quiz's rules select no question (an empty review queue, say)."""


class AnswerRefused(Exception):
    """An answer that cannot be stored; the message says why, for the learner."""


def new_anonymous_token():
    return secrets.token_urlsafe(24)


@transaction.atomic
def start_attempt(*, quiz, user=None, anonymous_token="", rng=None, now=None):
    """Draw the questions, fix their order and choices, and open an attempt."""
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    catalog, chosen = draw(quiz, rng=rng, user=user)
    if not chosen:
        raise NothingToAsk
    signed_in = user is not None and user.is_authenticated
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user if signed_in else None,
        anonymous_token="" if signed_in else anonymous_token,
        mode=quiz.mode,
        pass_mark=quiz.pass_mark,
        started_at=now,
        deadline=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.is_timed else None,
        item_count=len(chosen),
    )
    build_items(attempt, chosen, catalog, rng=rng, shuffle_choices=quiz.shuffle_choices)
    return attempt


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
    try:
        # No savepoint around it (two queries fewer): the answer is the transaction's first write,
        # and a refusal leaves the transaction at once, so rolling all of it back loses nothing.
        answer = Answer.objects.create(
            item=item,
            attempt=attempt,
            response=response,
            score=grade.score,
            is_correct=grade.is_correct,
            confidence=confidence,
            misconception_id=grade.misconception_id,
            answered_at=now,
            seconds_taken=int((now - item.shown_at).total_seconds()) if item.shown_at else None,
        )
    except IntegrityError:
        # An answer is already stored (a replay, or a request that won a race): the database's
        # unique item decides, so there is no separate check that could disagree with it.
        raise AnswerRefused("You already answered this question; the first answer is the one that counts.") from None
    Outcome.objects.bulk_create(outcomes(attempt, item, answer, grade, confidence, now))
    # An exam's answers enter the review queue when it ends (see `close`).
    if attempt.user_id and not attempt.is_exam:
        review_queue.schedule(
            user=lock_learner(attempt.user_id), item=item, grade=grade, confidence=confidence, now=now
        )
    return answer


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
    """Finish `attempt`, locked by the caller. An exam's answers are put in the review queue only
    now: before the end, the queue and the progress page that counts it would tell the learner
    which answers were wrong."""
    if attempt.finish(expired=expired, now=now) and attempt.is_exam and attempt.user_id:
        schedule_reviews(lock_learner(attempt.user_id), Answer.objects.filter(attempt=attempt))


def schedule_reviews(user, answers):
    """Replay stored answers into the learner's review queue, oldest first."""
    for answer in answers.select_related("item").order_by("answered_at"):
        grade = answer.item.grade(answer.response)
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
    answers = Answer.objects.filter(attempt_id__in=ids)
    # A running exam's answers wait for its end, as the learner's own would (see `close`).
    schedule_reviews(user, answers.exclude(attempt__mode=Quiz.Mode.EXAM, attempt__finished_at__isnull=True))
    return len(ids)
