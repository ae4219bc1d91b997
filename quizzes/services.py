"""Writes that touch several quiz models: starting, answering, finishing and claiming attempts."""

import random
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes import review
from quizzes.drawing import build_items, draw
from quizzes.models import Answer, Attempt, Confidence, Kind, Outcome


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
        attempt.finish(expired=True, now=now)
    return attempt


@transaction.atomic
def record_answer(*, attempt, item, response, confidence="", now=None):
    """Store the one answer to `item`, score it from the attempt's key, and schedule reviews."""
    now = now or timezone.now()
    # Lock the attempt so that an answer and a finish (or two answers) never interleave.
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_finished:
        raise AnswerRefused("This attempt is finished, so its answers can no longer change.")
    if attempt.is_past_deadline(now):
        attempt.finish(expired=True, now=now)
        raise AnswerRefused("Time is up: the attempt was finished with the answers saved before the deadline.")
    grade = item.grade(response)
    try:
        with transaction.atomic():
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
    if attempt.user_id:
        review.schedule(user=attempt.user, item=item, grade=grade, confidence=confidence, now=now)
    return answer


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
    attempt.finish(expired=attempt.is_past_deadline(now), now=now)
    return attempt


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
    answers = Answer.objects.filter(attempt_id__in=ids).select_related("item").order_by("answered_at")
    for answer in answers:
        grade = answer.item.grade(answer.response)
        review.schedule(user=user, item=answer.item, grade=grade, confidence=answer.confidence, now=answer.answered_at)
    return len(ids)
