"""Bulk data for query-count tests and benchmarks: a large written bank, many learners and long histories."""

import random
from datetime import timedelta
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from quizzes.models import Answer, Attempt, AttemptItem, Choice, Kind, Outcome, Question, Quiz, ReviewItem, Skill
from study.models import Duty, Service

# Rows held in memory at once: a history of 100,000 answers is written a few thousand answers at a time.
CHUNK_ANSWERS = 20_000


def seed_bank(size, *, prefix="seed"):
    """`size` published single-choice questions with four choices each."""
    skills = Skill.values
    questions = Question.objects.bulk_create(
        Question(
            slug=f"{prefix}-{index}",
            kind=Kind.SINGLE,
            prompt=f"Seeded question {index}",
            explanation="Seeded explanation.",
            skill=skills[index % len(skills)],
            status=Question.Status.PUBLISHED,
        )
        for index in range(size)
    )
    Choice.objects.bulk_create(
        Choice(question=question, position=position, text=f"Choice {position}", is_correct=position == 0)
        for question in questions
        for position in range(4)
    )
    return questions


def seed_learners(count, *, prefix="learner"):
    """`count` accounts that cannot log in with a password (sessions are made for them directly)."""
    user_model = get_user_model()
    return user_model.objects.bulk_create(
        user_model(username=f"{prefix}-{index}", password=make_password(None)) for index in range(count)
    )


def seed_history(user, answers, *, per_attempt=20, rng=None):
    """`answers` answered owner items for `user`, in finished attempts of the quick check."""
    return seed_histories({user: answers}, per_attempt=per_attempt, rng=rng)


def seed_histories(answers_by_user, *, per_attempt=20, reviews=False, rng=None):
    """For each user, that many answered owner items in finished attempts of the first quiz (the last
    one may have unanswered items) and, with `reviews`, a review item per duty and service they
    missed. Returns the attempts made."""
    rng = rng or random.Random(0)
    quiz = Quiz.objects.order_by("pk").first()
    catalog = (list(Duty.objects.values_list("pk", flat=True)), list(Service.objects.values_list("pk", flat=True)))
    attempts = []
    users = iter(answers_by_user.items())
    while chunk := chunk_of(users):
        attempts += seed_chunk(chunk, quiz, catalog, per_attempt, reviews, rng)
    return attempts


def chunk_of(users):
    chunk, answers = [], 0
    for user, count in users:
        chunk.append((user, count))
        answers += count
        if answers >= CHUNK_ANSWERS:
            break
    return chunk


def seed_chunk(chunk, quiz, catalog, per_attempt, reviews, rng):
    duty_ids, service_ids = catalog
    now = timezone.now()
    # (user, answers, attempts): enough attempts for every answer, and one for a learner without any.
    plans = [(user, answers, max(1, -(-answers // per_attempt))) for user, answers in chunk]
    # Rows refer to each other by id: model instances as foreign keys cost a lot at this size.
    attempts = Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            user_id=user.pk,
            mode=quiz.mode,
            pass_mark=70,
            started_at=now - timedelta(hours=attempt_count - index),
            finished_at=now - timedelta(hours=attempt_count - index) + timedelta(minutes=10),
            item_count=per_attempt,
            score=rng.choice([40.0, 60.0, 80.0, 100.0]),
            passed=True,
        )
        for user, _answers, attempt_count in plans
        for index in range(attempt_count)
    )
    items = AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt_id=attempt.pk,
            position=position,
            kind=Kind.OWNER,
            duty_id=rng.choice(duty_ids),
            service_id=rng.choice(service_ids),
            skill=rng.choice(Skill.values),
            prompt="Seeded",
            options=[],
            key={"correct": ["aws"]},
        )
        for attempt in attempts
        for position in range(per_attempt)
    )
    by_user = iter(items)
    answered = []
    for _user, answers, attempt_count in plans:
        answered += list(islice(by_user, attempt_count * per_attempt))[:answers]
    attempt_of = {attempt.pk: attempt for attempt in attempts}
    stored = Answer.objects.bulk_create(
        Answer(
            item_id=item.pk,
            attempt_id=item.attempt_id,
            response={"choices": ["aws"]},
            score=1.0 if (right := rng.random() < 0.7) else 0.0,
            is_correct=right,
            answered_at=attempt_of[item.attempt_id].started_at,
        )
        for item in answered
    )
    Outcome.objects.bulk_create(
        Outcome(
            user_id=attempt_of[item.attempt_id].user_id,
            answer_id=answer.pk,
            attempt_id=item.attempt_id,
            duty_id=item.duty_id,
            service_id=item.service_id,
            skill=item.skill,
            is_correct=answer.is_correct,
            is_known=answer.is_correct,
            answered_at=answer.answered_at,
        )
        for item, answer in zip(answered, stored, strict=True)
    )
    if not reviews:
        return attempts
    missed = {
        (attempt_of[item.attempt_id].user_id, item.duty_id, item.service_id): answer.answered_at
        for item, answer in zip(answered, stored, strict=True)
        if not answer.is_correct
    }
    ReviewItem.objects.bulk_create(
        ReviewItem(
            user_id=user_id,
            key=f"d:{duty_id}:{service_id}",
            duty_id=duty_id,
            service_id=service_id,
            due_at=answered_at + timedelta(hours=1),
            lapses=1,
            last_reviewed_at=answered_at,
        )
        for (user_id, duty_id, service_id), answered_at in missed.items()
    )
    return attempts
