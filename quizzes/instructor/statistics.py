"""Item statistics of the written questions, for instructors (see docs/statistics.md).

Every figure is aggregated in the database over the answers of finished attempts, so the number
of queries is the same for ten answers or a hundred thousand; Python only walks the per-question
rows that come back."""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, ExpressionWrapper, F, FloatField, Q, Sum, Window
from django.db.models.functions import Cast, RowNumber

from quizzes.bank.drawing import OWNER_OPTIONS, choice_key
from quizzes.models import Answer, Choice, Kind, Question

MIN_ANSWERS_FOR_FLAGS = 5
TOO_EASY_ABOVE = 0.9
TOO_HARD_BELOW = 0.2
POOR_DISCRIMINATION_BELOW = 0.2
ROWS_SHOWN = 300
# Below this, a variance computed from sums is floating-point noise, not spread in the scores.
ZERO_VARIANCE = 1e-9

TOO_EASY = "too easy"
TOO_HARD = "too hard"
DISCRIMINATES_POORLY = "discriminates poorly"
ORDERS = ("flags", "answers")


@dataclass
class ItemStatistics:
    question: Question
    answers: int
    facility: float
    discrimination: float | None
    median_seconds: float | None
    top_wrong: str | None
    top_wrong_count: int
    flags: list = field(default_factory=list)


def finished_answers(*, kind="", lesson_id=None):
    """Answers to written questions in finished attempts, narrowed by the question's kind and lesson."""
    answers = Answer.objects.filter(attempt__finished_at__isnull=False, item__question__isnull=False)
    if kind:
        answers = answers.filter(item__question__kind=kind)
    if lesson_id:
        answers = answers.filter(item__question__lesson_id=lesson_id)
    return answers


def item_rest_correlation(n, sx, sy, sxy, sxx, syy):
    """Pearson's r from the sums over n pairs; None when it is undefined (n < 2 or no spread)."""
    if n < 2:
        return None
    spread_x = n * sxx - sx * sx
    spread_y = n * syy - sy * sy
    if spread_x <= ZERO_VARIANCE * n * n or spread_y <= ZERO_VARIANCE * n * n:
        return None
    r = (n * sxy - sx * sy) / math.sqrt(spread_x * spread_y)
    return max(-1.0, min(1.0, r))


def score_sums(answers):
    """Per question: answers, facility and the sums the item-rest correlation needs."""
    item_count = Cast("attempt__item_count", FloatField())
    x = F("score")
    # The rest of the attempt: its total score without this item, per remaining item.
    y = ExpressionWrapper((F("attempt__score") * item_count / 100 - x) / (item_count - 1), FloatField())
    has_rest = Q(attempt__item_count__gte=2, attempt__score__isnull=False)
    rows = answers.values("item__question").annotate(
        answers=Count("id"),
        facility=Avg("score"),
        n=Count("id", filter=has_rest),
        sx=Sum(x, filter=has_rest),
        sy=Sum(y, filter=has_rest),
        sxy=Sum(ExpressionWrapper(x * y, FloatField()), filter=has_rest),
        sxx=Sum(ExpressionWrapper(x * x, FloatField()), filter=has_rest),
        syy=Sum(ExpressionWrapper(y * y, FloatField()), filter=has_rest),
    )
    return {row["item__question"]: row for row in rows}


def median_seconds(answers):
    """Median seconds taken per question, as {question id: seconds}.

    The database numbers each question's timed answers in order of seconds and keeps only the
    middle one (odd count) or two (even count): row (n + 1) / 2 to row (n + 2) / 2 in integer
    division. At most two rows per question come back, to be averaged here. Window functions
    and integer division behave the same on SQLite and PostgreSQL."""
    question = F("item__question")
    middle = (
        answers.filter(seconds_taken__isnull=False)
        .annotate(
            position=Window(RowNumber(), partition_by=question, order_by=[F("seconds_taken").asc(), F("id").asc()]),
            total=Window(Count("id"), partition_by=question),
        )
        .filter(position__gte=(F("total") + 1) / 2, position__lte=(F("total") + 2) / 2)
        .values_list("item__question", "seconds_taken")
    )
    found = defaultdict(list)
    for question_id, seconds in middle:
        found[question_id].append(seconds)
    return {question_id: sum(values) / len(values) for question_id, values in found.items()}


def top_wrong_answers(answers):
    """The most chosen wrong answer per question, as {question id: (label, count)}.

    Sort questions are left out: their card keys are shuffled per attempt, so equal responses
    do not mean equal placements. A multiple-response answer may list the same choices in any
    order, so groups are merged by the set of choices."""
    groups = (
        answers.filter(is_correct=False)
        .exclude(item__question__kind=Kind.SORT)
        .values("item__question", "response")
        .annotate(count=Count("id"))
    )
    merged = defaultdict(int)
    for row in groups:
        merged[(row["item__question"], frozenset(row["response"].get("choices", [])))] += row["count"]
    choices = Choice.objects.filter(question__in={question_id for question_id, _keys in merged})
    labels = {choice_key(pk): text for pk, text in choices.values_list("pk", "text")}
    labels.update({option["key"]: option["text"] for option in OWNER_OPTIONS})
    best = {}
    for (question_id, keys), count in merged.items():
        label = " + ".join(sorted(labels.get(key, key) for key in keys))
        # The most chosen; of equally chosen answers, the first by label, so the page is stable.
        if (-count, label) < best.get(question_id, (1, "")):
            best[question_id] = (-count, label)
    return {question_id: (label, -negative_count) for question_id, (negative_count, label) in best.items()}


def flags_for(answers, facility, discrimination):
    if answers < MIN_ANSWERS_FOR_FLAGS:
        return []
    flags = []
    if facility > TOO_EASY_ABOVE:
        flags.append(TOO_EASY)
    if facility < TOO_HARD_BELOW:
        flags.append(TOO_HARD)
    if discrimination is not None and discrimination < POOR_DISCRIMINATION_BELOW:
        flags.append(DISCRIMINATES_POORLY)
    return flags


def question_statistics(*, kind="", lesson_id=None, flagged_only=False, order="flags"):
    """One `ItemStatistics` per written question answered in a finished attempt, most flagged
    (or most answered) first."""
    answers = finished_answers(kind=kind, lesson_id=lesson_id)
    sums = score_sums(answers)
    medians = median_seconds(answers)
    wrong = top_wrong_answers(answers)
    questions = Question.objects.filter(pk__in=answers.values("item__question")).select_related("lesson")
    rows = []
    for question in questions:
        row = sums[question.pk]
        discrimination = item_rest_correlation(
            row["n"], row["sx"] or 0, row["sy"] or 0, row["sxy"] or 0, row["sxx"] or 0, row["syy"] or 0
        )
        label, count = wrong.get(question.pk, (None, 0))
        rows.append(
            ItemStatistics(
                question=question,
                answers=row["answers"],
                facility=row["facility"],
                discrimination=discrimination,
                median_seconds=medians.get(question.pk),
                top_wrong=label,
                top_wrong_count=count,
                flags=flags_for(row["answers"], row["facility"], discrimination),
            )
        )
    if flagged_only:
        rows = [row for row in rows if row.flags]
    if order == "answers":
        rows.sort(key=lambda row: (-row.answers, row.question.slug))
    else:
        rows.sort(key=lambda row: (-len(row.flags), -row.answers, row.question.slug))
    return rows


def misconception_statistics():
    """Per misconception: wrong answers that showed it (written and catalog questions, finished
    attempts) and the distinct learners with an account who gave them."""
    return list(
        Answer.objects.filter(attempt__finished_at__isnull=False, is_correct=False, misconception__isnull=False)
        .values("misconception", "misconception__slug", "misconception__belief")
        .annotate(answers=Count("id"), learners=Count("attempt__user", distinct=True))
        .order_by("-answers", "misconception__slug")
    )
