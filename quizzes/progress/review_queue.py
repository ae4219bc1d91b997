"""The review queue: Leitner boxes.

Every item a learner misses enters box 1. A right answer moves it up one box and schedules it
further out; a wrong one sends it back to box 1. Confidence changes the schedule:
- a wrong answer given as "sure" is due again at once (a confident error is the most urgent to
  fix), "unsure" after 10 minutes, "guessing" or no confidence after an hour;
- a right answer given as a guess is not counted as known: the item enters (or stays in) box 1 and
  comes back the next day;
- an item answered right in box 5 leaves the queue.
"""

from datetime import timedelta

from quizzes.models import Confidence, Kind, ReviewItem

BOX_INTERVALS = {
    1: timedelta(days=1),
    2: timedelta(days=2),
    3: timedelta(days=4),
    4: timedelta(days=8),
    5: timedelta(days=16),
}
LAST_BOX = 5
WRONG_DELAYS = {Confidence.SURE: timedelta(0), Confidence.UNSURE: timedelta(minutes=10)}
DEFAULT_WRONG_DELAY = timedelta(hours=1)


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
        known = right and confidence != Confidence.GUESSING
        if review is None:
            if known:
                continue  # nothing to review
            review = ReviewItem(user=user, key=key, **target)  # its box is set below
        if not right:
            review.box = 1
            review.lapses += 1
            review.due_at = now + WRONG_DELAYS.get(confidence, DEFAULT_WRONG_DELAY)
        elif not known:
            review.box = 1
            review.due_at = now + BOX_INTERVALS[1]
        elif review.box >= LAST_BOX:
            graduated.append(review.pk)
            continue
        else:
            review.box += 1
            review.due_at = now + BOX_INTERVALS[review.box]
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
