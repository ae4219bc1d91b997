"""The cohort report on small hand-made examples, its CSV, permissions and query counts."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission

from quizzes.instructor import cohort
from quizzes.models import Answer, Attempt, AttemptItem, Kind, Outcome, Question, Quiz
from study.models import Duty, Layer, Lesson, Service

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PAGE = "/admin/quizzes/attempt/cohort/"
CSV = "/admin/quizzes/attempt/cohort.csv"
# Session, user, two permission lookups, then the report's own queries: the same for any data size.
PAGE_QUERY_BOUND = 11
CSV_QUERY_BOUND = 5


def finished(quiz, user, score, at):
    return Attempt.objects.create(
        quiz=quiz, user=user, mode=quiz.mode, pass_mark=70, item_count=10, score=score, started_at=at, finished_at=at
    )


@pytest.fixture
def scores(make_learner, django_user_model):
    """Finished attempts of two quizzes; only each learner's latest attempt of a quiz counts."""
    alpha = Quiz.objects.create(slug="alpha", title="Alpha", position=0)
    beta = Quiz.objects.create(slug="beta", title="=Beta", position=1)
    u1, u2, u3, u4 = (make_learner(f"u{n}") for n in range(1, 5))
    staff = django_user_model.objects.create_user(username="staff", is_staff=True)
    finished(alpha, u1, 95.0, NOW - timedelta(days=3))
    finished(alpha, u1, 35.0, NOW - timedelta(days=1))  # latest: 30-39
    Attempt.objects.create(quiz=alpha, user=u1, mode=alpha.mode, pass_mark=70, started_at=NOW)  # unfinished
    finished(alpha, u2, 5.0, NOW - timedelta(days=5))
    finished(alpha, u2, 100.0, NOW - timedelta(days=2))  # latest: 90-100
    finished(alpha, u3, 9.9, NOW - timedelta(days=4))  # 0-9
    finished(beta, u4, 89.9, NOW - timedelta(days=1))
    finished(beta, u4, 90.0, NOW - timedelta(days=1))  # same instant, higher id: the latest, 90-100
    finished(alpha, staff, 50.0, NOW)  # staff: left out
    finished(alpha, None, 60.0, NOW)  # anonymous: left out
    return {"alpha": alpha, "beta": beta}


def test_distribution_counts_each_learners_latest_finished_attempt(scores):
    distributions = cohort.score_distribution()
    assert [(d.quiz, d.counts) for d in distributions] == [
        ("Alpha", [1, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
        ("=Beta", [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    ]
    assert distributions[0].bars[3] == ("30-39", 1, 100)
    assert distributions[0].bars[1] == ("10-19", 0, 0)


def test_csv_has_one_formula_safe_row_per_learner_and_quiz(client, instructor, scores):
    client.force_login(instructor)
    response = client.get(CSV)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="srm-cohort.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    day = timedelta(days=1)
    assert rows == [
        ["username", "quiz", "attempts_finished", "best_score", "latest_score", "latest_finished_at"],
        ["u1", "Alpha", "2", "95.0", "35.0", (NOW - day).isoformat()],
        ["u2", "Alpha", "2", "100.0", "100.0", (NOW - 2 * day).isoformat()],
        ["u3", "Alpha", "1", "9.9", "9.9", (NOW - 4 * day).isoformat()],
        ["u4", "'=Beta", "2", "90.0", "90.0", (NOW - day).isoformat()],
    ]


@pytest.fixture
def practice(make_learner, django_user_model):
    """Outcomes of three learners (and of staff and a visitor, left out) on two lessons and services.

    The catalog duty belongs to lessons L1 and L2, so its outcomes count for both."""
    l1, l2 = (Lesson.objects.create(slug=f"l{n}", title=f"L{n}", summary="s", body="b", position=n) for n in (1, 2))
    Lesson.objects.create(slug="l3", title="L3", summary="s", body="b", position=3)
    s1, s2 = (Service.objects.create(slug=f"s{n}", name=f"S{n}", category="abstracted", position=n) for n in (1, 2))
    layer = Layer.objects.create(slug="layer", name="Layer", side="customer", description="d")
    duty = Duty.objects.create(slug="duty", name="Duty", description="d", layer=layer)
    duty.lessons.set([l1, l2])
    written = Question.objects.create(slug="w", kind=Kind.SINGLE, prompt="p", skill="aws")
    quiz = Quiz.objects.create(slug="practice", title="Practice")
    users = {name: make_learner(name) for name in ("u1", "u2", "u3", "u4")}
    users["staff"] = django_user_model.objects.create_user(username="staff", is_staff=True)
    users["gone"] = django_user_model.objects.create_user(username="gone", is_active=False)

    def outcome(user, days_ago, known, *, lesson=None, question=None, duty=None, service=None):
        attempt = Attempt.objects.create(quiz=quiz, user=user, mode=quiz.mode, pass_mark=70)
        item = AttemptItem.objects.create(attempt=attempt, position=0, kind=Kind.OWNER, skill="aws", prompt="p")
        answer = Answer.objects.create(item=item, attempt=attempt, response={}, score=known, is_correct=known)
        Outcome.objects.create(
            user=user, answer=answer, attempt=attempt, duty=duty, service=service, question=question,
            lesson=lesson, skill="aws", is_correct=known, is_known=known, answered_at=NOW - timedelta(days=days_ago),
        )  # fmt: skip

    outcome(users["u1"], 1, True, lesson=l1, question=written, service=s1)
    # A catalog owner item records its duty's first lesson too; the duty's lessons are what count.
    outcome(users["u1"], 20, False, lesson=l1, duty=duty, service=s1)
    outcome(users["u2"], 20, True, duty=duty, service=s2)
    outcome(users["u3"], 30, False, lesson=l2, question=written)
    outcome(users["staff"], 40, True, lesson=l1, question=written, service=s1)
    outcome(users["gone"], 40, True, lesson=l1, question=written, service=s1)
    outcome(None, 40, True, lesson=l1, question=written, service=s1)


def test_mastery_counts_answers_known_and_learners_per_lesson_and_service(practice):
    lessons = [(row.label, row.answers, row.known, row.learners) for row in cohort.lesson_mastery()]
    assert lessons == [("L1", 3, 2, 2), ("L2", 3, 1, 3), ("L3", 0, 0, 0)]
    services = [(row.label, row.answers, row.known, row.learners) for row in cohort.service_mastery()]
    assert services == [("S1", 2, 1, 1), ("S2", 1, 1, 1)]
    assert cohort.lesson_mastery()[0].percent_known == 67


def test_idle_learners_are_those_whose_latest_answer_is_older_than_14_days(practice, monkeypatch):
    idle = cohort.idle_learners(NOW)
    assert [(p["username"], p["last_practised"]) for p in idle["shown"]] == [
        ("u3", NOW - timedelta(days=30)),
        ("u2", NOW - timedelta(days=20)),
    ]
    assert (idle["idle_total"], idle["never_practised"]) == (2, 1)  # u4 never answered
    # Two days on, u1's last answer is 3 days old: still active.
    assert cohort.idle_learners(NOW + timedelta(days=2))["idle_total"] == 2
    monkeypatch.setattr(cohort, "IDLE_SHOWN", 1)
    capped = cohort.idle_learners(NOW)
    assert ([p["username"] for p in capped["shown"]], capped["idle_total"]) == (["u3"], 2)


def test_page_shows_the_report(instructor_client, scores):
    response = instructor_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alpha (3 learners)" in html and "=Beta (1 learner)" in html
    assert 'max="100" value="100"' in html
    assert "Mastery by lesson" in html and "Mastery by service" in html
    assert "never practised" in html and CSV in html


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_reports_need_staff_status_and_the_statistics_permission(client, learner, superuser, django_user_model, url):
    assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(learner)
    assert client.get(url)["Location"].startswith("/admin/login/")
    staff = django_user_model.objects.create_user(username="staff", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_statistics"))
    assert client.get(url).status_code == 200
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def seed(learners, make_learner):
    """`learners` learners with two finished attempts and two outcomes each."""
    quiz = Quiz.objects.create(slug=f"seed-{learners}", title="Seed")
    lesson = Lesson.objects.create(slug=f"seed-{learners}", title="Seed", summary="s", body="b")
    users = [make_learner() for _ in range(learners)]
    attempts = Attempt.objects.bulk_create(
        Attempt(quiz=quiz, user=user, mode=quiz.mode, pass_mark=70, item_count=1, score=10.0 * n, finished_at=NOW)
        for user in users
        for n in range(2)
    )
    items = AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, position=0, kind=Kind.OWNER, skill="aws", prompt="p") for attempt in attempts
    )
    answers = Answer.objects.bulk_create(
        Answer(item=item, attempt=item.attempt, response={}, score=1, is_correct=True) for item in items
    )
    Outcome.objects.bulk_create(
        Outcome(
            user=answer.attempt.user, answer=answer, attempt=answer.attempt, lesson=lesson, skill="aws",
            is_correct=True, is_known=True, answered_at=NOW - timedelta(days=30),
        )
        for answer in answers
    )  # fmt: skip


@pytest.mark.parametrize("learners", [3, 60])
def test_query_counts_do_not_grow_with_the_cohort(
    instructor_client, make_learner, django_assert_max_num_queries, learners
):
    seed(learners, make_learner)
    with django_assert_max_num_queries(PAGE_QUERY_BOUND):
        assert instructor_client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(CSV_QUERY_BOUND):
        response = instructor_client.get(CSV)
    assert len(response.content.decode().splitlines()) == learners + 1
