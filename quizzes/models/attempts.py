"""Attempts and grading: an attempt copies what it shows and its answer key into `AttemptItem`
when it starts, so that later edits of the bank never change an attempt in progress or a score;
each item has at most one `Answer`, graded by `AttemptItem.grade`, and every answer writes the
`Outcome` rows that progress and statistics count.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from quizzes.models.bank import Kind, Question, Quiz, Skill
from study.models import Duty, Lesson, Misconception, Responsibility, Service


class Confidence(models.TextChoices):
    SURE = "sure", "Sure"
    UNSURE = "unsure", "Unsure"
    GUESSING = "guessing", "Guessing"


class AttemptQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(finished_at__isnull=True)

    def finished(self):
        return self.filter(finished_at__isnull=False)


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts"
    )
    # An anonymous visitor's attempt belongs to the session that holds this token.
    anonymous_token = models.CharField(max_length=64, blank=True, db_index=True)
    mode = models.CharField(max_length=10, choices=Quiz.Mode.choices)
    pass_mark = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expired = models.BooleanField(default=False, help_text="Finished by the server when its time ran out.")
    item_count = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(null=True, blank=True, help_text="Percent, computed from the stored answers.")
    passed = models.BooleanField(null=True)
    retry_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
        help_text="The attempt whose missed questions this practice attempt asks again.",
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "-started_at"])]

    def __str__(self):
        return f"{self.quiz} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("quizzes:attempt", args=[self.pk])

    @property
    def title(self):
        return f"Retry: {self.quiz.title}" if self.retry_of_id else self.quiz.title

    @property
    def answers_can_change(self):
        """Exam answers stay open until the end, as on the real exam; in practice the first answer
        counts, because its feedback shows the key at once."""
        return self.is_exam and not self.is_finished

    @property
    def is_finished(self):
        return self.finished_at is not None

    @property
    def is_exam(self):
        return self.mode == Quiz.Mode.EXAM

    def is_past_deadline(self, now=None):
        return self.deadline is not None and (now or timezone.now()) >= self.deadline

    @property
    def duration(self):
        end = self.finished_at or timezone.now()
        return end - self.started_at

    def seconds_left(self, now=None):
        """Rounded up, so that the page's countdown never ends before the server's deadline."""
        if self.deadline is None:
            return None
        return max(0, math.ceil((self.deadline - (now or timezone.now())).total_seconds()))

    def finish(self, *, expired=False, now=None):
        """Compute the score from the stored answers and close the attempt, exactly once.

        The conditional UPDATE is what makes it exactly once: of several requests finishing the
        same attempt at the same moment, only one matches `finished_at IS NULL`. Returns whether
        this call finished it."""
        now = now or timezone.now()
        total = self.answers.aggregate(total=models.Sum("score"))["total"] or 0.0
        score = round(100 * total / self.item_count, 1) if self.item_count else 0.0
        finished_at = min(now, self.deadline) if expired and self.deadline else now
        updated = Attempt.objects.filter(pk=self.pk, finished_at__isnull=True).update(
            finished_at=finished_at, score=score, passed=score >= self.pass_mark, expired=expired
        )
        self.refresh_from_db(fields=["finished_at", "score", "passed", "expired"])
        return bool(updated)


class AttemptItem(models.Model):
    """One question of an attempt, fixed when the attempt starts.

    `options` is what the learner sees (in the order shown); `key` is the answer key with the
    explanation and feedback, which never reaches a page before the question is answered (practice)
    or the attempt is finished (exam)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    duty = models.ForeignKey(Duty, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responsibility = models.ForeignKey(
        Responsibility, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    skill = models.CharField(max_length=12, choices=Skill.choices)
    prompt = models.TextField()
    options = models.JSONField(default=list)
    key = models.JSONField(default=dict)
    shown_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(default=False, help_text="Marked by the learner to come back to before finishing.")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="one_item_per_position"),
        ]

    def __str__(self):
        return f"{self.attempt_id}#{self.position}"

    @property
    def number(self):
        return self.position + 1

    def option_text(self, key):
        return next((option["text"] for option in self.options if option["key"] == key), key)

    @property
    def option_keys(self):
        return [option["key"] for option in self.options]

    def grade(self, response):
        """Score a validated response against the stored key. Sort items earn partial credit per
        card; every other kind is right or wrong as a whole (multiple response included, as on
        the exam)."""
        if self.kind == Kind.SORT:
            expected = self.key["correct"]
            placed = response["cards"]
            parts = {card: placed.get(card) == owner for card, owner in expected.items()}
            right = sum(parts.values())
            return Grade(score=right / len(parts), is_correct=right == len(parts), parts=parts)
        chosen = set(response["choices"])
        is_correct = chosen == set(self.key["correct"])
        misconception_id = None
        if not is_correct:
            found = self.key.get("misconceptions", {})
            misconception_id = next((found[choice] for choice in response["choices"] if choice in found), None)
        return Grade(score=1.0 if is_correct else 0.0, is_correct=is_correct, misconception_id=misconception_id)


@dataclass
class Grade:
    score: float
    is_correct: bool
    parts: dict = field(default_factory=dict)  # sort items: card key -> placed right
    misconception_id: int | None = None


class Answer(models.Model):
    """The one scored answer to an attempt item (the unique item is the database's guarantee)."""

    item = models.OneToOneField(AttemptItem, on_delete=models.CASCADE, related_name="answer")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    response = models.JSONField()
    score = models.FloatField(help_text="0 to 1; partial credit for sort items.")
    is_correct = models.BooleanField()
    confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    misconception = models.ForeignKey(
        Misconception, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    answered_at = models.DateTimeField(default=timezone.now)
    seconds_taken = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="answer_score_between_0_and_1"),
        ]

    def __str__(self):
        return f"answer to {self.item}"


class Outcome(models.Model):
    """One scored fact for progress and statistics: an owner question, one card of a sort
    question, or one written question. Written once, when the answer is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="outcomes"
    )
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="outcomes")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="outcomes")
    duty = models.ForeignKey(Duty, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes")
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    skill = models.CharField(max_length=12, choices=Skill.choices)
    is_correct = models.BooleanField()
    # A right answer given as a guess is not counted as known.
    is_known = models.BooleanField()
    answered_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "answered_at"]),
            models.Index(fields=["user", "duty"]),
            models.Index(fields=["question"]),
        ]

    def __str__(self):
        return f"{'right' if self.is_correct else 'wrong'}: {self.duty_id or self.question_id}"
