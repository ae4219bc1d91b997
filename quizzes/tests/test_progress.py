import csv
import io

import pytest

from quizzes.models import Kind, Quiz
from quizzes.progress import level
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db


def test_progress_needs_an_account(client):
    assert client.get("/progress/")["Location"].startswith("/accounts/login/")


def test_progress_shows_history_trend_mastery_and_readiness(learner_client, quiz_content):
    attempt = start(learner_client, Quiz.objects.get(slug="drill-ec2"))
    for index, item in enumerate(attempt.items.all()):
        answer(learner_client, item, right_answer(item) if index % 2 else wrong_answer(item))
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/finish/")
    html = learner_client.get("/progress/").content.decode()
    assert "Drill: Amazon EC2" in html
    assert '<polyline class="trend-line"' in html
    assert "How the levels are set" in html and "Mastered" in html
    assert "Amazon EC2" in html and "Not started" in html
    assert "How this is estimated" in html
    assert "items due now" in html


def test_history_downloads_as_csv(learner_client, quiz_content):
    attempt = start(learner_client, Quiz.objects.get(slug="quick-check"))
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/finish/")
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
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/")
    html = client.get(f"/quizzes/attempts/{attempt.pk}/results/").content.decode()
    assert "By skill" in html and "By lesson" in html and "By service" in html
    assert "Review every question" in html
