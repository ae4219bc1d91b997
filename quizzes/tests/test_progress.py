import csv
import io

import pytest

from quizzes.models import Kind, Quiz
from quizzes.progress.mastery import level
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
