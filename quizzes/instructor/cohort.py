"""The cohort report for instructors: scores, mastery and who has stopped practising (see
docs/statistics.md). A learner is an active account without staff status; anonymous visitors
and staff are left out. Every figure is a GROUP BY in the database."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast

from quizzes.models import Attempt, Outcome
from quizzes.progress.mastery import safe_cell
from study.models import Lesson, Service

IDLE_DAYS = 14
IDLE_SHOWN = 100
BUCKET_LABELS = [f"{low}-{low + 9}" for low in range(0, 90, 10)] + ["90-100"]

LEARNER = Q(user__is_active=True, user__is_staff=False)
KNOWN = Sum(Cast("is_known", IntegerField()))


def learners():
    return get_user_model().objects.filter(is_active=True, is_staff=False)


def latest_finished_attempts():
    """Each learner's latest finished attempt of each quiz: those with no later finished attempt
    by the same learner of the same quiz (the higher id wins a tie on finished_at)."""
    later = Attempt.objects.filter(
        Q(finished_at__gt=OuterRef("finished_at")) | Q(finished_at=OuterRef("finished_at"), pk__gt=OuterRef("pk")),
        user=OuterRef("user"),
        quiz=OuterRef("quiz"),
    )
    return Attempt.objects.finished().filter(LEARNER).exclude(Exists(later))


@dataclass
class Distribution:
    quiz: str
    counts: list

    @property
    def total(self):
        return sum(self.counts)

    @property
    def bars(self):
        """(label, count, width in percent of the fullest bucket) per bucket."""
        top = max(self.counts) or 1
        return [(label, n, round(100 * n / top)) for label, n in zip(BUCKET_LABELS, self.counts, strict=True)]


def score_distribution():
    """Per quiz, how many learners' latest finished attempts fall in each ten-point bucket."""
    bucket = Case(
        *(When(score__lt=10 * (index + 1), then=Value(index)) for index in range(9)),
        default=Value(9),
        output_field=IntegerField(),
    )
    rows = (
        latest_finished_attempts()
        .annotate(bucket=bucket)
        .values("quiz", "quiz__title", "quiz__position", "bucket")
        .annotate(count=Count("id"))
        .order_by("quiz__position", "quiz__title", "quiz", "bucket")
    )
    quizzes = {}
    for row in rows:
        distribution = quizzes.setdefault(row["quiz"], Distribution(row["quiz__title"], [0] * len(BUCKET_LABELS)))
        distribution.counts[row["bucket"]] = row["count"]
    return list(quizzes.values())


@dataclass
class CohortMastery:
    label: str
    answers: int
    known: int
    learners: int

    @property
    def percent_known(self):
        return round(100 * self.known / self.answers) if self.answers else None


def learner_outcomes():
    return Outcome.objects.filter(LEARNER)


def lesson_mastery():
    """Per lesson: an outcome counts for the lesson of its written question, or for every lesson
    of its duty when it comes from the catalog (as on the learner's progress page)."""
    lesson = Case(When(question__isnull=False, then=F("lesson")), default=F("duty__lessons"))
    rows = (
        learner_outcomes()
        .annotate(lesson_key=lesson)
        .filter(lesson_key__isnull=False)
        .values("lesson_key")
        .annotate(answers=Count("id"), known=KNOWN, learners=Count("user", distinct=True))
    )
    found = {row["lesson_key"]: row for row in rows}
    return [mastery(lesson.title, found.get(lesson.pk)) for lesson in Lesson.objects.in_order().only("pk", "title")]


def service_mastery():
    rows = (
        learner_outcomes()
        .filter(service__isnull=False)
        .values("service")
        .annotate(answers=Count("id"), known=KNOWN, learners=Count("user", distinct=True))
    )
    found = {row["service"]: row for row in rows}
    return [mastery(service.name, found.get(service.pk)) for service in Service.objects.in_order().only("pk", "name")]


def mastery(label, row):
    if row is None:
        return CohortMastery(label, 0, 0, 0)
    return CohortMastery(label, row["answers"], row["known"] or 0, row["learners"])


def idle_learners(now):
    """Learners whose latest answer is older than IDLE_DAYS, longest idle first (the first
    IDLE_SHOWN of them), with the number of idle learners and of those who never practised."""
    cutoff = now - timedelta(days=IDLE_DAYS)
    people = learners().annotate(last_practised=Max("outcomes__answered_at"))
    idle = people.filter(last_practised__lt=cutoff)
    counts = people.aggregate(
        idle=Count("id", filter=Q(last_practised__lt=cutoff)), never=Count("id", filter=Q(last_practised__isnull=True))
    )
    return {
        "shown": list(idle.order_by("last_practised", "username").values("username", "last_practised")[:IDLE_SHOWN]),
        "idle_total": counts["idle"],
        "never_practised": counts["never"],
        "days": IDLE_DAYS,
        "cutoff": cutoff,
    }


def learner_quiz_rows():
    """One row per (learner, quiz) with a finished attempt, by username then quiz title."""
    finished = Attempt.objects.finished().filter(LEARNER)
    latest = Attempt.objects.finished().filter(user=OuterRef("user"), quiz=OuterRef("quiz"))
    return (
        finished.values("user", "quiz")
        .annotate(
            username=F("user__username"),
            quiz_title=F("quiz__title"),
            attempts_finished=Count("id"),
            best_score=Max("score"),
            latest_finished_at=Max("finished_at"),
            latest_score=Subquery(latest.order_by("-finished_at", "-pk").values("score")[:1]),
        )
        .order_by("username", "quiz_title", "quiz")
    )


CSV_HEADER = ["username", "quiz", "attempts_finished", "best_score", "latest_score", "latest_finished_at"]


def csv_rows():
    """The rows of the cohort CSV (after CSV_HEADER), with text cells made formula-safe."""
    for row in learner_quiz_rows().iterator():
        yield [
            safe_cell(row["username"]),
            safe_cell(row["quiz_title"]),
            row["attempts_finished"],
            row["best_score"],
            row["latest_score"],
            row["latest_finished_at"].isoformat(),
        ]
