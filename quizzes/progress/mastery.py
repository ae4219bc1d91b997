"""A learner's progress: history, trend, mastery and readiness, aggregated in the database.

The figures come from two GROUP BYs over `Outcome`, so the number of queries is the same for a
learner with ten answers or ten thousand.

The trend and readiness's exam scores count only the attempts that say something: finished, with
at least `TREND_MIN_ANSWERS` answered questions. An exam abandoned until it timed out (no answers,
0%) or a one-question review would otherwise read as a collapse or a perfect score. The history
still lists every attempt and says why one is left out."""

import csv
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils import timezone

from quizzes.models import Attempt, Outcome, Quiz, Skill
from quizzes.progress import review_queue
from study.models import Duty, Lesson, Service

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
TREND_MIN_ANSWERS = 2
TREND_RULE = (
    f"The trend and the exam scores behind readiness count finished attempts with at least {TREND_MIN_ANSWERS} "
    "answered questions, retries of missed questions left out; the others stay in your history below."
)
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


def counted(outcomes, *fields, **expressions):
    """Answers and known answers per value of `fields` (and `expressions`)."""
    # Every group has at least one outcome, so its Sum is a number, never None.
    return list(outcomes.values(*fields, **expressions).annotate(answers=Count("id"), known=KNOWN).order_by())


def add(totals, key, answers, known):
    total = totals.setdefault(key, [0, 0])
    total[0] += answers
    total[1] += known


def left_out_of_trend(attempt):
    """Why an attempt is not in the trend ("" if it is): unfinished, a retry (it asks again the
    questions whose answers the learner has just read), or too few answers to say anything.
    `attempt.answered` is its number of answers (annotated by `summary`)."""
    if attempt.score is None:
        return "not finished"
    if attempt.retry_of_id:
        return "a retry of questions just explained"
    if attempt.answered == 0:
        return "no answers"
    if attempt.answered < TREND_MIN_ANSWERS:
        return f"only {attempt.answered} answer{'' if attempt.answered == 1 else 's'}"
    return ""


def in_trend(attempt):
    return not left_out_of_trend(attempt)


def trend_chart(attempts, width=600, height=240, pad=30, axis=72):
    """Points of the score trend as SVG coordinates (oldest on the left), each with its number in
    the chart's legend; `axis` is the room left of the plot for the percentages."""
    finished = [attempt for attempt in reversed(attempts) if in_trend(attempt)][-TREND_POINTS:]
    if not finished:
        return None
    step = (width - axis - pad) / max(len(finished) - 1, 1)

    def y(score):
        return round(height - pad - (height - 2 * pad) * score / 100, 1)

    points = [(round(axis + index * step, 1), y(attempt.score), attempt) for index, attempt in enumerate(finished)]
    ys = [py for _x, py, _attempt in points]

    def label_below(index):
        # A dip's number (lower than a neighbour, higher than none) goes under it, where the line does
        # not run; every other number goes on top.
        neighbours = ys[max(index - 1, 0) : index] + ys[index + 1 : index + 2]
        return any(ys[index] > other for other in neighbours) and all(ys[index] >= other for other in neighbours)

    return {
        "width": width,
        "height": height,
        "points": points,
        "polyline": " ".join(f"{x},{py}" for x, py, _attempt in points),
        # Each point's number, for the legend under the chart: (x, y, number, whether it goes under).
        "labels": [(x, py, index + 1, label_below(index)) for index, (x, py, _attempt) in enumerate(points)],
        "pass_percent": EXAM_PASS_PERCENT,
        "pass_y": y(EXAM_PASS_PERCENT),
        "grid": [(value, y(value)) for value in (0, 50, 100)],
        "left": axis,
        "right": width - pad,
    }


def summary(user):
    now = timezone.now()
    # The answers are counted in the same query, so the trend's rule costs nothing per attempt.
    attempts = list(
        Attempt.objects.filter(user=user)
        .select_related("quiz")
        .annotate(answered=Count("answers"))
        .order_by("-started_at")[:HISTORY_ROWS]
    )
    for attempt in attempts:
        attempt.left_out_of_trend = left_out_of_trend(attempt)
    # A running exam's answers count once it ends: before, the figures would say which were wrong.
    running_exams = Q(attempt__mode=Quiz.Mode.EXAM, attempt__finished_at__isnull=True)
    outcomes = Outcome.objects.filter(user=user).exclude(running_exams)

    duties = {}  # id -> (name, slug, lesson ids), in the database's order of names
    for pk, name, slug, lesson_id in Duty.objects.order_by("name", "pk").values_list("pk", "name", "slug", "lessons"):
        lesson_ids = duties.setdefault(pk, (name, slug, []))[2]
        if lesson_id is not None:
            lesson_ids.append(lesson_id)
    # Two GROUP BYs, each feeding several figures, summed here: by duty and (written) lesson, and by
    # service and skill. Their groups are few (tens), unlike those of one GROUP BY on all four.
    by_lesson, by_service, by_skill, by_duty = {}, {}, {}, {}
    for group in counted(outcomes, "duty_id", "lesson_id", written=Q(question__isnull=False)):
        answers, known, duty_id = group["answers"], group["known"], group["duty_id"]
        # A catalog answer counts for every lesson of its duty, a written one for its own lesson.
        if duty_id is not None:
            add(by_duty, duty_id, answers, known)
            for lesson_id in duties[duty_id][2]:
                add(by_lesson, lesson_id, answers, known)
        if group["written"]:
            add(by_lesson, group["lesson_id"], answers, known)
    for group in counted(outcomes, "service_id", "skill"):
        if group["service_id"] is not None:
            add(by_service, group["service_id"], group["answers"], group["known"])
        add(by_skill, group["skill"], group["answers"], group["known"])

    lessons = [
        Mastery(lesson.title, *by_lesson.get(lesson.pk, (0, 0)), lesson.get_absolute_url())
        for lesson in Lesson.objects.in_order()
    ]
    services = [
        Mastery(service.name, *by_service.get(service.pk, (0, 0)), service.get_absolute_url())
        for service in Service.objects.in_order()
    ]
    skills = [Mastery(label, *by_skill.get(value, (0, 0))) for value, label in Skill.choices]

    missed = {pk: total for pk, total in by_duty.items() if total[0] >= 2 and total[1] < total[0]}
    name_order = {pk: index for index, pk in enumerate(duties)}

    def weakness(pk):
        # Lowest share known first, then the most answers, then the name in the database's own order.
        answers, known = missed[pk]
        return known / answers, -answers, name_order[pk]

    weakest = [
        Mastery(duties[pk][0], *missed[pk], f"/study/duties/{duties[pk][1]}/")
        for pk in sorted(missed, key=weakness)[:WEAKEST_DUTIES]
    ]

    return {
        "attempts": attempts,
        "trend": trend_chart(attempts),
        "lessons": lessons,
        "services": services,
        "skills": skills,
        "weakest": weakest,
        "levels_rule": LEVELS_RULE,
        "readiness": readiness(skills, attempts),
        "trend_rule": TREND_RULE,
        "queue": review_queue.status(user, now),
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
    exams = [a for a in attempts if a.quiz.mode == Quiz.Mode.EXAM and in_trend(a)][:3]
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
                safe_cell(attempt.title),
                attempt.mode,
                "" if attempt.score is None else attempt.score,
                "" if attempt.passed is None else ("yes" if attempt.passed else "no"),
                int(attempt.duration.total_seconds()) if attempt.finished_at else "",
                attempt.item_count,
            ]
        )
    return response
