import csv
import io
import re

import pytest
from django.utils.timezone import localtime

from quizzes.models import Kind, Quiz, Skill
from quizzes.progress.mastery import level
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db


def test_progress_needs_an_account(client):
    assert client.get("/progress/")["Location"].startswith("/accounts/login/")


def test_progress_shows_history_trend_mastery_and_readiness(learner_client, quiz_content):
    attempt = start(learner_client, Quiz.objects.get(slug="drill-ec2"))
    for index, item in enumerate(attempt.items.all()):
        answer(learner_client, item, right_answer(item) if index % 2 else wrong_answer(item))
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    html = learner_client.get("/progress/").content.decode()
    assert "Drill: Amazon EC2" in html
    assert '<polyline class="trend-line"' in html
    assert "How the levels are set" in html and "Mastered" in html
    assert "Amazon EC2" in html and "Not started" in html
    assert "How this is estimated" in html
    assert "due now" in html
    assert 'href="/progress/review-schedule/"' in html
    assert "at least 2 answered questions" in html


def test_history_downloads_as_csv(learner_client, quiz_content):
    attempt = start(learner_client, Quiz.objects.get(slug="quick-check"))
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    response = learner_client.get("/progress/history.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["started_at", "finished_at", "quiz"]
    assert rows[1][2] == "Quick check (10 questions)"
    assert rows[1][4] == "0.0"


@pytest.mark.parametrize(
    ("answers", "known", "expected"),
    [(0, 0, "Not started"), (2, 2, "Attempted"), (3, 1, "Attempted"), (3, 2, "Familiar"), (5, 4, "Proficient"),
     (8, 8, "Mastered"), (20, 17, "Proficient")],
)  # fmt: skip
def test_mastery_levels_follow_the_stated_rule(answers, known, expected):
    assert level(answers, known) == expected


def test_results_page_breaks_the_score_down(client, quiz_content):
    attempt = start(client, Quiz.objects.get(slug="quick-check"))
    for item in attempt.items.exclude(kind=Kind.SORT):
        answer(client, item, right_answer(item))
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    html = client.get(f"/quizzes/attempts/{attempt.pk}/results/").content.decode()
    assert "By skill" in html and "By lesson" in html and "By service" in html
    assert "Review every question" in html


def test_weakest_duties_are_the_lowest_share_known_not_the_fewest_known(learner, quiz_content):
    from django.utils import timezone

    from quizzes.models import Answer, Attempt, AttemptItem, Outcome
    from quizzes.progress.mastery import summary
    from study.models import Duty

    attempt = Attempt.objects.create(quiz=Quiz.objects.first(), user=learner, mode="practice", pass_mark=70)
    duties = list(Duty.objects.order_by("pk")[:6])
    # Five duties at 1 of 2 known (50%), one at 2 of 10 known (20%): the last is the weakest.
    plan = [(duty, 2, 1) for duty in duties[:5]] + [(duties[5], 10, 2)]
    position = 0
    for duty, answers, known in plan:
        for index in range(answers):
            item = AttemptItem.objects.create(
                attempt=attempt, position=position, kind=Kind.OWNER, duty=duty, skill="aws", prompt="p"
            )
            position += 1
            stored = Answer.objects.create(item=item, attempt=attempt, response={}, score=0, is_correct=index < known)
            Outcome.objects.create(
                user=learner, answer=stored, attempt=attempt, duty=duty, skill="aws",
                is_correct=index < known, is_known=index < known, answered_at=timezone.now(),
            )  # fmt: skip
    weakest = summary(learner)["weakest"]
    assert weakest[0].label == duties[5].name
    assert (weakest[0].known, weakest[0].answers) == (2, 10)
    assert len(weakest) == 5


# -- levels, readiness and the trend, from explicit figures ---------------------------------------


@pytest.mark.parametrize(
    ("answers", "known", "expected"),
    [(8, 8, "Mastered"), (8, 7, "Proficient"), (7, 7, "Proficient"), (10, 9, "Mastered"), (9, 8, "Proficient"),
     (5, 4, "Proficient"), (4, 4, "Familiar"), (4, 3, "Familiar"), (4, 2, "Familiar"), (6, 2, "Attempted"),
     (3, 2, "Familiar"), (2, 2, "Attempted"), (1, 0, "Attempted"), (20, 15, "Proficient"), (20, 14, "Familiar"),
     (20, 10, "Familiar"), (20, 9, "Attempted")],
)  # fmt: skip
def test_each_level_starts_at_its_stated_count_and_share(answers, known, expected):
    assert level(answers, known) == expected


def test_a_mastery_row_gives_its_percent_level_and_slug():
    from quizzes.progress.mastery import Mastery

    row = Mastery("EC2", answers=8, known=5)
    assert (row.percent, row.level, row.level_slug, row.url) == (62, "Familiar", "familiar", "")
    assert Mastery("EC2", answers=3, known=2).percent == 67
    blank = Mastery("S3", answers=0, known=0, url="/s3/")
    assert (blank.percent, blank.level, blank.level_slug, blank.url) == (None, "Not started", "not-started", "/s3/")


def skills(*figures):
    from quizzes.progress.mastery import Mastery

    return [Mastery(f"Skill {index}", answers, known) for index, (answers, known) in enumerate(figures)]


def exam(score, mode="exam", answered=10):
    from types import SimpleNamespace

    return SimpleNamespace(score=score, quiz=SimpleNamespace(mode=mode), answered=answered, retry_of_id=None)


@pytest.mark.parametrize(
    ("figures", "percent", "verdict"),
    [
        ([(10, 8), (5, 4), (20, 16)], 80, "Likely ready"),
        ([(10, 8), (10, 8), (10, 7)], 77, "Borderline"),
        ([(10, 7), (10, 7), (10, 7)], 70, "Borderline"),
        ([(10, 7), (10, 7), (10, 6)], 67, "Not ready yet"),
        ([(10, 10), (5, 0)], 50, "Not ready yet"),
        ([(5, 4), (5, 4), (10, 8), (20, 15)], 79, "Borderline"),
    ],
)
def test_readiness_is_the_mean_share_of_the_skills_against_the_pass_mark(figures, percent, verdict):
    from quizzes.progress.mastery import readiness

    result = readiness(skills(*figures), [])
    assert result.percent == percent
    assert result.verdict.startswith(verdict)
    assert result.basis == [f"Skill {i}: {known} of {answers} known" for i, (answers, known) in enumerate(figures)]


def test_readiness_waits_for_five_answers_in_every_skill():
    from quizzes.progress.mastery import readiness

    result = readiness(skills((50, 50), (4, 4)), [])
    assert result.percent is None
    assert result.verdict == "Not enough answers yet: answer at least 5 questions of every skill."
    assert readiness(skills((50, 50), (5, 5)), []).percent == 100


def test_readiness_names_the_latest_three_exam_scores():
    from quizzes.progress.mastery import readiness

    attempts = [exam(91.6), exam(None), exam(40.0, mode="practice"), exam(0.0, answered=0), exam(100.0, answered=1),
                exam(72.4), exam(68.5, answered=2), exam(10.0)]  # fmt: skip
    result = readiness(skills((1, 1)), attempts)
    assert result.basis == ["Skill 0: 1 of 1 known", "Latest exam simulations: 92%, 72%, 68%"]
    assert readiness(skills((1, 1)), [exam(40.0, mode="practice")]).basis == ["Skill 0: 1 of 1 known"]


def test_the_trend_chart_places_scores_oldest_first():
    from quizzes.progress.mastery import trend_chart

    newest_first = [exam(100.0), exam(None), exam(50.0), exam(0.0)]
    chart = trend_chart(newest_first)
    assert [(x, y) for x, y, _attempt in chart["points"]] == [(72.0, 210.0), (321.0, 120.0), (570.0, 30.0)]
    assert [attempt.score for _x, _y, attempt in chart["points"]] == [0.0, 50.0, 100.0]
    assert chart["polyline"] == "72.0,210.0 321.0,120.0 570.0,30.0"
    assert (chart["width"], chart["height"], chart["left"], chart["right"]) == (600, 240, 72, 570)
    assert (chart["pass_y"], chart["pass_percent"]) == (84.0, 70)
    assert chart["grid"] == [(0, 210.0), (50, 120.0), (100, 30.0)]
    assert chart["labels"] == [(72.0, 210.0, 1, True), (321.0, 120.0, 2, False), (570.0, 30.0, 3, False)]


def test_a_dips_number_goes_under_it_and_every_other_number_on_top():
    from quizzes.progress.mastery import trend_chart

    newest_first = [exam(90.0), exam(20.0), exam(60.0), exam(60.0), exam(10.0), exam(10.0), exam(10.0), exam(50.0)]
    chart = trend_chart(newest_first)  # oldest first: 50, 10, 10, 10, 60, 60, 20, 90
    assert [(number, below) for _x, _y, number, below in chart["labels"]] == [
        (1, False), (2, True), (3, False), (4, True), (5, False), (6, False), (7, True), (8, False)
    ]  # fmt: skip
    assert [below for *_rest, below in trend_chart([exam(10.0)])["labels"]] == [False]
    assert [below for *_rest, below in trend_chart([exam(90.0), exam(10.0)])["labels"]] == [True, False]


def test_the_trend_chart_keeps_the_latest_twenty_and_copes_with_one_or_none():
    from quizzes.progress.mastery import trend_chart

    assert trend_chart([]) is None
    assert trend_chart([exam(None)]) is None
    assert [(x, y) for x, y, _a in trend_chart([exam(70.0)])["points"]] == [(72.0, 84.0)]
    assert [y for _x, y, _a in trend_chart([exam(33.3)])["points"]] == [150.1]
    chart = trend_chart([exam(float(score)) for score in range(25)])
    assert len(chart["points"]) == 20
    assert [a.score for _x, _y, a in chart["points"]] == [float(score) for score in range(19, -1, -1)]
    assert chart["points"][1][0] == round(72 + 498 / 19, 1)
    small = trend_chart([exam(50.0), exam(25.0)], width=100, height=50, pad=10, axis=10)
    assert [(x, y) for x, y, _a in small["points"]] == [(10.0, 32.5), (90.0, 25.0)]
    assert (small["left"], small["right"], small["pass_y"]) == (10, 90, 19.0)


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("Quiz = fun", "Quiz = fun"), ("", ""),
     (12, "12")],
)  # fmt: skip
def test_a_cell_that_a_spreadsheet_would_run_is_quoted(value, cell):
    from quizzes.progress.mastery import safe_cell

    assert safe_cell(value) == cell


def test_the_history_csv_has_one_row_per_attempt_oldest_first(learner, make_learner, quiz_content):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Attempt
    from quizzes.progress.mastery import history_csv

    start_time = timezone.now() - timedelta(days=2)
    formula = Quiz.objects.create(slug="formula", title="=HYPERLINK(1)")
    Attempt.objects.create(
        quiz=formula, user=learner, mode="exam", pass_mark=70, started_at=start_time, item_count=30,
        finished_at=start_time + timedelta(minutes=12, seconds=5, milliseconds=700), score=83.3, passed=True,
    )  # fmt: skip
    Attempt.objects.create(
        quiz=formula, user=learner, mode="practice", pass_mark=70, started_at=start_time + timedelta(days=1),
        item_count=10, finished_at=start_time + timedelta(days=1, seconds=30), score=0.0, passed=False,
    )  # fmt: skip
    running = Attempt.objects.create(
        quiz=formula, user=learner, mode="practice", pass_mark=70, started_at=start_time + timedelta(days=1, hours=1),
        item_count=5,
    )  # fmt: skip
    Attempt.objects.create(quiz=formula, user=make_learner(), mode="practice", pass_mark=70, item_count=1)
    response = history_csv(learner)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="srm-study-history.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["started_at", "finished_at", "quiz", "mode", "score_percent", "passed", "duration_seconds", "questions"],
        [start_time.isoformat(), (start_time + timedelta(minutes=12, seconds=5, milliseconds=700)).isoformat(),
         "'=HYPERLINK(1)", "exam", "83.3", "yes", "725", "30"],
        [(start_time + timedelta(days=1)).isoformat(), (start_time + timedelta(days=1, seconds=30)).isoformat(),
         "'=HYPERLINK(1)", "practice", "0.0", "no", "30", "10"],
        [running.started_at.isoformat(), "", "'=HYPERLINK(1)", "practice", "", "", "", "5"],
    ]  # fmt: skip


# -- the summary's figures, from stored outcomes --------------------------------------------------


@pytest.fixture
def record(learner, quiz_content):
    """Store outcomes for the learner: record(count, known, duty=..., ...) in one attempt per mode."""
    from django.utils import timezone

    from quizzes.models import Answer, Attempt, AttemptItem, Outcome

    attempts = {}
    positions = iter(range(10_000))

    def make(count, known, *, mode="practice", finished=True, user=None, **target):
        key = (mode, finished, user)
        if key not in attempts:
            attempts[key] = Attempt.objects.create(
                quiz=Quiz.objects.first(), user=user or learner, mode=mode, pass_mark=70,
                finished_at=timezone.now() if finished else None,
            )  # fmt: skip
        attempt = attempts[key]
        for index in range(count):
            item = AttemptItem.objects.create(
                attempt=attempt, position=next(positions), kind=Kind.OWNER, skill=target.get("skill", "aws"), prompt="p"
            )
            stored = Answer.objects.create(item=item, attempt=attempt, response={}, score=0, is_correct=index < known)
            Outcome.objects.create(
                user=user or learner, answer=stored, attempt=attempt, is_correct=index < known,
                is_known=index < known, answered_at=timezone.now(), **{"skill": "aws", **target},
            )  # fmt: skip

    return make


def by_label(rows):
    return {row.label: (row.answers, row.known) for row in rows}


def test_the_summary_counts_answers_by_lesson_service_and_skill(learner, make_learner, record):
    from quizzes.models import Question
    from quizzes.progress.mastery import summary
    from study.models import Duty, Lesson, Service

    duty = Duty.objects.filter(lessons__isnull=False).distinct().first()
    duty_lessons = set(duty.lessons.values_list("title", flat=True))
    written = Question.objects.filter(lesson__isnull=False).first()
    ec2, s3 = Service.objects.get(slug="ec2"), Service.objects.get(slug="s3")
    record(4, 3, duty=duty, service=ec2, skill="customer")
    record(2, 1, duty=duty, service=None, skill="customer")
    record(5, 5, question=written, lesson=written.lesson, service=s3, skill="shift")
    record(3, 3, duty=duty, service=ec2, skill="customer", mode="exam", finished=False)  # a running exam
    record(7, 7, duty=duty, service=ec2, skill="customer", user=make_learner())

    figures = summary(learner)

    lessons = by_label(figures["lessons"])
    assert list(lessons) == list(Lesson.objects.in_order().values_list("title", flat=True))
    for title, counts in lessons.items():
        expected = [0, 0]
        if title in duty_lessons:
            expected = [expected[0] + 6, expected[1] + 4]
        if title == written.lesson.title:
            expected = [expected[0] + 5, expected[1] + 5]
        assert counts == tuple(expected), title
    services = by_label(figures["services"])
    assert list(services) == list(Service.objects.in_order().values_list("name", flat=True))
    assert services[ec2.name] == (4, 3)
    assert services[s3.name] == (5, 5)
    assert {counts for name, counts in services.items() if name not in (ec2.name, s3.name)} == {(0, 0)}
    skills = by_label(figures["skills"])
    assert list(skills) == [label for _value, label in Skill.choices]
    assert skills[Skill.CUSTOMER.label] == (6, 4)
    assert skills[Skill.SHIFT.label] == (5, 5)
    assert skills[Skill.AWS.label] == (0, 0)
    assert [(row.label, row.answers, row.known, row.url) for row in figures["weakest"]] == [
        (duty.name, 6, 4, f"/study/duties/{duty.slug}/")
    ]
    assert figures["readiness"].percent is None
    assert (figures["queue"].total, figures["queue"].due_now) == (0, 0)
    assert [row.url for row in figures["services"]][:1] == [Service.objects.in_order().first().get_absolute_url()]
    assert figures["lessons"][0].url == Lesson.objects.in_order().first().get_absolute_url()
    assert figures["levels_rule"][0] == ("Not started", "no answer yet")


def test_the_weakest_duties_need_two_answers_and_a_miss_and_come_lowest_share_first(learner, record):
    from quizzes.progress.mastery import summary
    from study.models import Duty

    duties = list(Duty.objects.order_by("name", "pk")[:9])
    record(1, 0, duty=duties[0])  # one answer: not enough to call it weak
    record(4, 4, duty=duties[1])  # no miss
    record(4, 3, duty=duties[2])  # 75%
    record(2, 1, duty=duties[3])  # 50%, two answers
    record(4, 2, duty=duties[4])  # 50%, four answers: before the one with two
    record(2, 1, duty=duties[5])  # 50%, two answers, after duties[3] by name
    record(3, 0, duty=duties[6])  # 0%
    record(5, 4, duty=duties[7])  # 80%: the sixth, left out
    weakest = summary(learner)["weakest"]
    assert [(row.label, row.answers, row.known) for row in weakest] == [
        (duties[6].name, 3, 0),
        (duties[4].name, 4, 2),
        (duties[3].name, 2, 1),
        (duties[5].name, 2, 1),
        (duties[2].name, 4, 3),
    ]


def test_the_summary_counts_the_review_queue_and_what_is_due(learner, make_learner, quiz_content):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import ReviewItem
    from quizzes.progress.mastery import summary

    now = timezone.now()
    for index, due in enumerate([now - timedelta(minutes=1), now - timedelta(days=1), now + timedelta(hours=1)]):
        ReviewItem.objects.create(user=learner, key=f"k{index}", due_at=due, last_reviewed_at=now)
    ReviewItem.objects.create(user=make_learner(), key="k", due_at=now - timedelta(days=1), last_reviewed_at=now)
    figures = summary(learner)
    assert (figures["queue"].due_now, figures["queue"].waiting) == (2, 1)
    assert figures["queue"].next_due_at == now + timedelta(hours=1)
    assert figures["trend"] is None and figures["attempts"] == []


def test_a_finished_exam_counts_and_a_running_one_does_not(learner, record):
    from quizzes.progress.mastery import summary

    record(3, 2, skill="aws", mode="exam", finished=True)
    record(4, 4, skill="aws", mode="exam", finished=False)
    record(1, 1, skill="aws", mode="practice", finished=False)
    assert by_label(summary(learner)["skills"])[Skill.AWS.label] == (4, 3)


def test_a_duty_without_a_miss_is_not_among_the_weakest(learner, record):
    from quizzes.progress.mastery import summary
    from study.models import Duty

    record(4, 4, duty=Duty.objects.first())
    assert summary(learner)["weakest"] == []


def test_equally_weak_duties_come_in_the_order_of_their_names(learner, record):
    from quizzes.progress.mastery import summary
    from study.models import Duty

    first_made, last_made = Duty.objects.order_by("pk")[:2]
    Duty.objects.filter(pk=first_made.pk).update(name="Zz last by name")
    Duty.objects.filter(pk=last_made.pk).update(name="Aa first by name")
    record(2, 1, duty=first_made)
    record(2, 1, duty=last_made)
    assert [row.label for row in summary(learner)["weakest"]] == ["Aa first by name", "Zz last by name"]


# -- the honest trend: attempts with too few answers are left out, and said to be -----------------


@pytest.fixture
def history(learner, quiz_content):
    """Make finished (or running) attempts with a given number of answers, oldest first."""
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Answer, Attempt, AttemptItem

    start_time = timezone.now() - timedelta(days=10)
    made = []

    def make(slug, *, answered, score, finished=True):
        quiz = Quiz.objects.get(slug=slug)
        started = start_time + timedelta(days=len(made))
        attempt = Attempt.objects.create(
            quiz=quiz, user=learner, mode=quiz.mode, pass_mark=70, started_at=started, item_count=max(answered, 1),
            finished_at=started + timedelta(minutes=5) if finished else None, score=score if finished else None,
            passed=(score >= 70) if finished else None,
        )  # fmt: skip
        for position in range(answered):
            item = AttemptItem.objects.create(
                attempt=attempt, position=position, kind=Kind.OWNER, skill="aws", prompt="p"
            )
            Answer.objects.create(item=item, attempt=attempt, response={}, score=1, is_correct=True)
        made.append(attempt)
        return attempt

    return make


def exam_slug():
    return Quiz.objects.filter(mode=Quiz.Mode.EXAM).values_list("slug", flat=True).first()


def test_the_trend_and_readiness_leave_out_attempts_with_fewer_than_two_answers(learner, history):
    from quizzes.progress.mastery import TREND_MIN_ANSWERS, summary

    assert TREND_MIN_ANSWERS == 2
    counted_drill = history("drill-ec2", answered=2, score=50.0)
    abandoned_exam = history(exam_slug(), answered=0, score=0.0)  # timed out with no answer
    one_review = history("review-my-mistakes", answered=1, score=100.0)
    counted_exam = history(exam_slug(), answered=5, score=80.0)
    running = history("quick-check", answered=3, score=None, finished=False)

    figures = summary(learner)
    assert [attempt for _x, _y, attempt in figures["trend"]["points"]] == [counted_drill, counted_exam]
    notes = {attempt.pk: attempt.left_out_of_trend for attempt in figures["attempts"]}
    assert notes == {
        counted_drill.pk: "",
        abandoned_exam.pk: "no answers",
        one_review.pk: "only 1 answer",
        counted_exam.pk: "",
        running.pk: "not finished",
    }
    assert {attempt.pk: attempt.answered for attempt in figures["attempts"]}[counted_exam.pk] == 5
    assert figures["readiness"].basis[-1] == "Latest exam simulations: 80%"


def test_the_progress_page_labels_each_trend_point_and_marks_the_left_out_attempts(learner_client, history):
    counted_drill = history("drill-ec2", answered=3, score=66.7)
    history(exam_slug(), answered=0, score=0.0)
    history("review-my-mistakes", answered=1, score=100.0)
    counted_quick = history("quick-check", answered=10, score=90.0)
    html = learner_client.get("/progress/").content.decode()
    chart = html[html.index('<svg class="trend-chart"') : html.index("</svg>")]
    assert chart.count('<circle class="trend-point') == 2
    legend = re.search(r'<ol class="trend-legend small" aria-label="Points in the chart">(.*?)</ol>', html, re.S)[1]
    items = re.findall(r"<li>(.*?)</li>", legend, re.S)
    expected = [
        (counted_drill, "67%"),
        (counted_quick, "90%"),
    ]
    assert chart.count('<text class="point-label"') == 2
    for (attempt, score), item, number in zip(expected, items, (1, 2), strict=True):
        when = localtime(attempt.started_at).strftime("%-d %b %Y, %H:%M")
        assert item == f'<span class="trend-quiz">{attempt.quiz.title}</span> · {when} · <strong>{score}</strong>'
        assert f"<title>{number}. {attempt.quiz.title} · {when} · {score}</title>" in chart
    assert "not in the trend: no answers" in html
    assert "not in the trend: only 1 answer" in html
    assert "at least 2 answered questions" in html


def test_the_summary_costs_the_same_queries_with_a_long_history(learner, history):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes.progress.mastery import summary

    def queries():
        with CaptureQueriesContext(connection) as captured:
            summary(learner)
        return len(captured)

    history("drill-ec2", answered=2, score=50.0)
    few = queries()
    for index in range(30):
        history("quick-check", answered=index % 4, score=float(index))
    assert queries() == few
