"""What a learner was asked in their last attempts, so that a new attempt asks something else
where the bank allows (`draw(..., recent=...)` puts these candidates after the fresh ones)."""

from dataclasses import dataclass, field

from quizzes.models import AttemptItem

RECENT_ATTEMPTS = 3


@dataclass(frozen=True)
class RecentlyAsked:
    """The written questions and the catalog duties of recent attempts."""

    question_ids: frozenset = field(default_factory=frozenset)
    duty_ids: frozenset = field(default_factory=frozenset)

    def __bool__(self):
        return bool(self.question_ids or self.duty_ids)


def recently_asked(attempts, last=RECENT_ATTEMPTS):
    """Read from the items of the `last` attempts of `attempts` (a queryset of one learner's
    attempts) in one query: written questions by id, catalog items by their duty, and every duty
    shown in a sort or exam-format item (its key's "duties", right answers and distractors)."""
    latest = attempts.order_by("-started_at", "-pk").values("pk")[:last]
    question_ids, duty_ids = set(), set()
    for question_id, duty_id, key in AttemptItem.objects.filter(attempt__in=latest).values_list(
        "question_id", "duty_id", "key"
    ):
        if question_id:
            question_ids.add(question_id)
        if duty_id:
            duty_ids.add(duty_id)
        if not question_id and isinstance(key, dict):
            duty_ids.update((key.get("duties") or {}).values())
    return RecentlyAsked(question_ids=frozenset(question_ids), duty_ids=frozenset(duty_ids))
