"""Bulk data for query-count tests and benchmarks: a large written bank and a long history."""

import random
from datetime import timedelta

from django.utils import timezone

from quizzes.models import Answer, Attempt, AttemptItem, Choice, Kind, Outcome, Question, Quiz, Skill
from study.models import Duty, Service


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


def seed_history(user, answers, *, per_attempt=20, rng=None):
    """`answers` answered owner items for `user`, in finished attempts of the quick check."""
    rng = rng or random.Random(0)
    quiz = Quiz.objects.order_by("pk").first()
    duties = list(Duty.objects.all())
    services = list(Service.objects.all())
    now = timezone.now()
    attempt_count = max(1, answers // per_attempt)
    attempts = Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            user=user,
            mode=quiz.mode,
            pass_mark=70,
            started_at=now - timedelta(hours=attempt_count - index),
            finished_at=now - timedelta(hours=attempt_count - index) + timedelta(minutes=10),
            item_count=per_attempt,
            score=rng.choice([40.0, 60.0, 80.0, 100.0]),
            passed=True,
        )
        for index in range(attempt_count)
    )
    items = AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=attempt,
            position=position,
            kind=Kind.OWNER,
            duty=rng.choice(duties),
            service=rng.choice(services),
            skill=rng.choice(Skill.values),
            prompt="Seeded",
            options=[],
            key={"correct": ["aws"]},
        )
        for attempt in attempts
        for position in range(per_attempt)
    )[:answers]
    stored = Answer.objects.bulk_create(
        Answer(
            item=item,
            attempt=item.attempt,
            response={"choices": ["aws"]},
            score=1.0 if (right := rng.random() < 0.7) else 0.0,
            is_correct=right,
            answered_at=item.attempt.started_at,
        )
        for item in items
    )
    Outcome.objects.bulk_create(
        Outcome(
            user=user,
            answer=answer,
            attempt=answer.attempt,
            duty=answer.item.duty,
            service=answer.item.service,
            skill=answer.item.skill,
            is_correct=answer.is_correct,
            is_known=answer.is_correct,
            answered_at=answer.answered_at,
        )
        for answer in stored
    )
    return attempts
