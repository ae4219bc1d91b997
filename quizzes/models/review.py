"""The learner's review queue: one row per missed item, scheduled by `quizzes/progress/review_queue.py`."""

from django.conf import settings
from django.db import models

from quizzes.models.bank import Question
from study.models import Duty, Service


class ReviewItem(models.Model):
    """A learner's item to review, scheduled with Leitner boxes (see quizzes/progress/review_queue.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_items")
    # "q:<question id>" for a written question, "d:<duty id>:<service id or any>" for a catalog item.
    key = models.CharField(max_length=60)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    duty = models.ForeignKey(Duty, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    box = models.PositiveSmallIntegerField(default=1)
    due_at = models.DateTimeField()
    lapses = models.PositiveIntegerField(default=0)
    last_reviewed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_review_item_per_key")]
        indexes = [models.Index(fields=["user", "due_at"])]

    def __str__(self):
        return f"{self.user} {self.key} (box {self.box})"
