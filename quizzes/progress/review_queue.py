"""The review queue: Leitner boxes.

The rules, each written once below and read by `schedule` and by the learner's page that explains
them (/progress/review-schedule/), so the page cannot say something the code does not do:
- a wrong answer sends the item to box 1 (a new item enters it) and makes it due again at once
  (`WRONG_DELAY`), whatever the confidence: the misses are what "Review my mistakes" is for;
- confidence changes only what a right answer does. A right answer given as a guess
  (`NOT_KNOWN_CONFIDENCES`) is not counted as known: the item stays in (or enters) box 1 and comes
  back after box 1's interval. Any other right answer ("sure", "unsure" or no confidence given: the
  same "known" that mastery counts) moves a queued item up one box, due again after that box's
  interval (`BOX_INTERVALS`), and adds nothing for an item not in the queue;
- a known right answer to an item in the last box (`LAST_BOX`) takes it out of the queue.
So the default (no confidence) never delays a review: it does what "sure" does.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from quizzes.models import Confidence, Kind, ReviewItem

BOX_INTERVALS = {
    1: timedelta(days=1),
    2: timedelta(days=2),
    3: timedelta(days=4),
    4: timedelta(days=8),
    5: timedelta(days=16),
}
LAST_BOX = 5
WRONG_DELAY = timedelta(0)  # a miss is due again at once
NOT_KNOWN_CONFIDENCES = frozenset({Confidence.GUESSING})  # a right answer given so is not known


@dataclass(frozen=True)
class Step:
    """Where one answer puts an item: its box and how long until it is due (box None: not in the
    queue, because it left it or never entered it), and whether the answer counts as a lapse."""

    box: int | None
    delay: timedelta | None = None
    lapse: bool = False


def next_step(box, *, right, confidence):
    """What one answer does to an item in `box` (None: an item not in the queue)."""
    if not right:
        return Step(1, WRONG_DELAY, lapse=True)
    if confidence in NOT_KNOWN_CONFIDENCES:
        return Step(1, BOX_INTERVALS[1])
    if box is None or box >= LAST_BOX:
        return Step(None)  # nothing to review, or it leaves the queue
    return Step(box + 1, BOX_INTERVALS[box + 1])


def review_keys(item, grade):
    """The review-queue keys an answered item touches, each with whether it was answered right.

    A sort item reviews each card's (duty, service) pair on its own."""
    if item.kind == Kind.SORT and item.question_id is None:
        return [
            (
                f"d:{item.key['duties'][card]}:{item.service_id}",
                right,
                {"duty_id": item.key["duties"][card], "service_id": item.service_id},
            )
            for card, right in grade.parts.items()
        ]
    if item.question_id:
        return [(f"q:{item.question_id}", grade.is_correct, {"question_id": item.question_id})]
    service = item.service_id or "any"
    return [(f"d:{item.duty_id}:{service}", grade.is_correct, {"duty_id": item.duty_id, "service_id": item.service_id})]


def schedule(*, user, item, grade, confidence, now):
    """Update the learner's queue after one answer (call inside the answer's transaction)."""
    entries = review_keys(item, grade)
    existing = {review.key: review for review in ReviewItem.objects.filter(user=user, key__in=[e[0] for e in entries])}
    # Written with one statement per kind of change rather than one per key: a sort item's cards
    # touch up to four keys in the same answer.
    written, graduated = [], []
    for key, right, target in entries:
        review = existing.get(key)
        step = next_step(review.box if review else None, right=right, confidence=confidence)
        if step.box is None:
            if review is not None:
                graduated.append(review.pk)
            continue
        if review is None:
            review = ReviewItem(user=user, key=key, **target)
        review.box = step.box
        review.lapses += step.lapse
        review.due_at = now + step.delay
        review.last_reviewed_at = now
        review.pk = None  # written by its key below: a queued item is updated, a new one inserted
        written.append(review)
    if written:
        # New and queued items in one upsert on (user, key), so an answer costs the same whatever
        # the learner happened to miss before.
        ReviewItem.objects.bulk_create(
            written,
            update_conflicts=True,
            unique_fields=["user", "key"],
            update_fields=["box", "lapses", "due_at", "last_reviewed_at"],
        )
    if graduated:
        ReviewItem.objects.filter(pk__in=graduated).delete()


# -- the queue's state, in words -------------------------------------------------------------------

UNITS = [("day", 86400), ("hour", 3600), ("minute", 60)]


def plural(count, name):
    return f"{count} {name}{'' if count == 1 else 's'}"


def interval_text(delta):
    """An interval of the schedule, exactly: "at once", "10 minutes", "1 day 12 hours"."""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return "at once"
    parts = []
    for name, size in UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(plural(count, name))
    return " ".join(parts) or plural(seconds, "second")


def due_text(delta):
    """When something is due, in round figures: "now", "in 52 min", "in 3 h 5 min", "in 2 days"."""
    seconds = delta.total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return "in under a minute"
    minutes = int(-(-seconds // 60))  # rounded up: never "in 0 min"
    if minutes < 60:
        return f"in {minutes} min"
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        return f"in {hours} h {minutes} min" if minutes else f"in {hours} h"
    return f"in {plural(round(seconds / 86400), 'day')}"


@dataclass(frozen=True)
class QueueStatus:
    """A learner's queue: how many items are due now, how many wait, and when the next one is due."""

    due_now: int
    waiting: int
    next_due_at: datetime | None  # the earliest waiting item's due time (None: nothing waits)
    now: datetime

    @property
    def total(self):
        return self.due_now + self.waiting

    @property
    def next_in(self):
        """ "in 52 min" ("" when nothing waits)."""
        return due_text(self.next_due_at - self.now) if self.next_due_at else ""

    def describe(self):
        if not self.total:
            return "Your review queue is empty."
        due = f"{self.due_now} due now" if self.due_now else "Nothing due now"
        if not self.waiting:
            return f"{due}."
        return f"{due}; {self.waiting} waiting, next {self.next_in}."

    def __str__(self):
        return self.describe()


def status(user, now=None):
    """The learner's `QueueStatus`, in one query (none for a visitor, whose queue is always empty)."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        return QueueStatus(0, 0, None, now)
    later = Q(due_at__gt=now)
    figures = ReviewItem.objects.filter(user=user).aggregate(
        due_now=Count("id", filter=~later), waiting=Count("id", filter=later), next_due_at=Min("due_at", filter=later)
    )
    return QueueStatus(figures["due_now"], figures["waiting"], figures["next_due_at"], now)


# -- the rules, for the page that explains them ---------------------------------------------------


def step_text(step):
    if step.box is None:
        return "leaves the queue"
    return f"box {step.box}, due {'at once' if not step.delay else 'in ' + interval_text(step.delay)}"


def join_words(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def answer_kinds(right):
    """The confidences that make the same schedule for a right (or wrong) answer, grouped:
    [(labels, a confidence of them)], computed from `next_step` over every box."""
    choices = [*((value, label.lower()) for value, label in Confidence.choices), ("", "no confidence")]
    groups = {}
    for value, label in choices:
        steps = tuple(next_step(box, right=right, confidence=value) for box in [None, *BOX_INTERVALS])
        groups.setdefault(steps, ([], value))[0].append(label)
    return [(labels, value) for labels, value in groups.values()]


def held_back(confidence):
    return next_step(1, right=True, confidence=confidence).box == 1


def rules():
    """The schedule as the learner's page shows it, computed from the constants and `next_step`."""
    wrong, right = answer_kinds(False), answer_kinds(True)
    columns = [
        *((f"Wrong{' (any confidence)' if len(wrong) == 1 else ': ' + join_words(labels)}", False, value)
          for labels, value in wrong),
        *((f"Right: {join_words(labels)}", True, value) for labels, value in right),
    ]  # fmt: skip
    rows = []
    for box in [None, *BOX_INTERVALS]:
        cells = []
        for _title, is_right, confidence in columns:
            step = next_step(box, right=is_right, confidence=confidence)
            cells.append("not added" if box is None and step.box is None else step_text(step))
        rows.append(("Not in the queue" if box is None else f"Box {box}", cells))
    return {
        "boxes": [(box, interval_text(interval)) for box, interval in BOX_INTERVALS.items()],
        "last_box": LAST_BOX,
        "wrong_when": f"in {interval_text(WRONG_DELAY)}" if WRONG_DELAY else "at once",
        "wrong_same_for_all": len(wrong) == 1,
        # A right answer "holds back" when it keeps a box-1 item in box 1: not counted as known.
        "held_back": [join_words(labels) for labels, value in right if held_back(value)],
        "moves_up": [join_words(labels) for labels, value in right if not held_back(value)],
        "box_1_interval": interval_text(BOX_INTERVALS[1]),
        "columns": [title for title, _right, _confidence in columns],
        "rows": rows,
    }
