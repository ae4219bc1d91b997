"""A learner's progress: history, trend, mastery and readiness, aggregated in the database.

Every figure here is a GROUP BY over `Outcome`, so the number of queries is the same for a
learner with ten answers or ten thousand."""

import csv
from dataclasses import dataclass

from django.db.models import Count, FloatField, IntegerField, Q, Sum
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils import timezone

from quizzes.models import Attempt, Outcome, Quiz, ReviewItem, Skill
from study.models import Lesson, Service

HISTORY_ROWS = 50
TREND_POINTS = 20
WEAKEST_DUTIES = 5
LEVELS_RULE = [
    ("Not started", "no answer yet"),
    ("Attempted", "answered, but fewer than 3 answers or under 50% known"),
    ("Familiar", "at least 3 answers and 50% known"),
    ("Proficient", "at least 5 answers and 75% known"),
    ("Mastered", "at least 8 answers and 90% known"),
]
READINESS_MIN_PER_SKILL = 5
EXAM_PASS_PERCENT = 70  # 700 of 1000 on the real exam


def level(answers, known):
    if answers == 0:
        return "Not started"
    share = known / answers
    if answers >= 8 and share >= 0.9:
        return "Mastered"
    if answers >= 5 and share >= 0.75:
        return "Proficient"
    if answers >= 3 and share >= 0.5:
        return "Familiar"
    return "Attempted"


@dataclass
class Mastery:
    label: str
    answers: int
    known: int
    url: str = ""

    @property
    def percent(self):
        return round(100 * self.known / self.answers) if self.answers else None

    @property
    def level(self):
        return level(self.answers, self.known)

    @property
    def level_slug(self):
        return self.level.lower().replace(" ", "-")


KNOWN = Sum(Cast("is_known", IntegerField()))


def grouped(outcomes, field):
    return {
        row[field]: (row["answers"], row["known"] or 0)
        for row in outcomes.values(field).annotate(answers=Count("id"), known=KNOWN)
    }


def trend_chart(attempts, width=600, height=200, pad=30):
    """Points of the score trend as SVG coordinates (oldest on the left)."""
    finished = [attempt for attempt in reversed(attempts) if attempt.score is not None][-TREND_POINTS:]
    if not finished:
        return None
    step = (width - 2 * pad) / max(len(finished) - 1, 1)

    def y(score):
        return round(height - pad - (height - 2 * pad) * score / 100, 1)

    points = [(round(pad + index * step, 1), y(attempt.score), attempt) for index, attempt in enumerate(finished)]
    return {
        "width": width,
        "height": height,
        "points": points,
        "polyline": " ".join(f"{x},{py}" for x, py, _attempt in points),
        "pass_y": y(EXAM_PASS_PERCENT),
        "grid": [(value, y(value)) for value in (0, 50, 100)],
        "left": pad,
        "right": width - pad,
    }


def summary(user):
    now = timezone.now()
    attempts = list(Attempt.objects.filter(user=user).select_related("quiz").order_by("-started_at")[:HISTORY_ROWS])
    outcomes = Outcome.objects.filter(user=user)

    by_duty_lesson = grouped(outcomes.filter(duty__isnull=False), "duty__lessons")
    by_question_lesson = grouped(outcomes.filter(question__isnull=False), "lesson")
    lessons = []
    for lesson in Lesson.objects.in_order():
        answers = by_duty_lesson.get(lesson.pk, (0, 0))[0] + by_question_lesson.get(lesson.pk, (0, 0))[0]
        known = by_duty_lesson.get(lesson.pk, (0, 0))[1] + by_question_lesson.get(lesson.pk, (0, 0))[1]
        lessons.append(Mastery(lesson.title, answers, known, lesson.get_absolute_url()))

    by_service = grouped(outcomes.filter(service__isnull=False), "service")
    services = [
        Mastery(service.name, *by_service.get(service.pk, (0, 0)), service.get_absolute_url())
        for service in Service.objects.in_order()
    ]
    by_skill = grouped(outcomes, "skill")
    skills = [Mastery(label, *by_skill.get(value, (0, 0))) for value, label in Skill.choices]

    weakest = [
        Mastery(row["duty__name"], row["answers"], row["known"] or 0, f"/study/duties/{row['duty__slug']}/")
        for row in outcomes.filter(duty__isnull=False)
        .values("duty__name", "duty__slug")
        .annotate(answers=Count("id"), known=KNOWN)
        .filter(answers__gte=2)
        .exclude(known=Count("id"))
        # Lowest share known first, in the database, so that the cut keeps the truly weakest.
        .annotate(share=Cast("known", FloatField()) / Cast("answers", FloatField()))
        .order_by("share", "-answers", "duty__name")[:WEAKEST_DUTIES]
    ]

    queue = ReviewItem.objects.filter(user=user).aggregate(
        total=Count("id"), due=Count("id", filter=Q(due_at__lte=now))
    )
    return {
        "attempts": attempts,
        "trend": trend_chart(attempts),
        "lessons": lessons,
        "services": services,
        "skills": skills,
        "weakest": weakest,
        "levels_rule": LEVELS_RULE,
        "readiness": readiness(skills, attempts),
        "review_total": queue["total"],
        "review_due": queue["due"],
    }


@dataclass
class Readiness:
    percent: int | None
    verdict: str
    basis: list


def readiness(skills, attempts):
    """An estimate of the share of task 2.1 questions the learner would get right, with its basis:
    the mean of the per-skill shares of known answers (each skill weighs the same, as the exam
    spreads its questions over them), once every skill has enough answers."""
    basis = [f"{skill.label}: {skill.known} of {skill.answers} known" for skill in skills]
    thin = [skill for skill in skills if skill.answers < READINESS_MIN_PER_SKILL]
    exams = [a for a in attempts if a.quiz.mode == Quiz.Mode.EXAM and a.score is not None][:3]
    if exams:
        basis.append("Latest exam simulations: " + ", ".join(f"{a.score:.0f}%" for a in exams))
    if thin:
        return Readiness(
            None, f"Not enough answers yet: answer at least {READINESS_MIN_PER_SKILL} questions of every skill.", basis
        )
    percent = round(sum(100 * skill.known / skill.answers for skill in skills) / len(skills))
    if percent >= EXAM_PASS_PERCENT + 10:
        verdict = "Likely ready: comfortably above the 70% the exam asks for."
    elif percent >= EXAM_PASS_PERCENT:
        verdict = "Borderline: just above 70%. Drill your weakest skill before the exam."
    else:
        verdict = "Not ready yet: below the 70% the exam asks for."
    return Readiness(percent, verdict, basis)


def safe_cell(value):
    """Keep a spreadsheet from running a cell as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def history_csv(user):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="srm-study-history.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["started_at", "finished_at", "quiz", "mode", "score_percent", "passed", "duration_seconds", "questions"]
    )
    for attempt in Attempt.objects.filter(user=user).select_related("quiz").order_by("started_at").iterator():
        writer.writerow(
            [
                attempt.started_at.isoformat(),
                attempt.finished_at.isoformat() if attempt.finished_at else "",
                safe_cell(attempt.quiz.title),
                attempt.mode,
                "" if attempt.score is None else attempt.score,
                "" if attempt.passed is None else ("yes" if attempt.passed else "no"),
                int(attempt.duration.total_seconds()) if attempt.finished_at else "",
                attempt.item_count,
            ]
        )
    return response
