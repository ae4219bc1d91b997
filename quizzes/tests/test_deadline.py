"""The exam's time limit is enforced by the server, not by the page's timer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Answer, Attempt, Quiz
from quizzes.tests.conftest import answer, right_answer, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(client, quiz_content):
    attempt = start(client, Quiz.objects.get(slug="exam-simulation"))
    assert attempt.deadline is not None
    assert attempt.deadline - attempt.started_at == timedelta(minutes=40)
    return attempt


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_is_finished(client, exam):
    first, second = list(exam.items.all()[:2])
    answer(client, first, right_answer(first))
    Attempt.objects.filter(pk=exam.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = answer(client, second, right_answer(second))
    assert response.status_code == 302
    assert not Answer.objects.filter(item=second).exists()
    exam.refresh_from_db()
    assert exam.is_finished and exam.expired
    assert exam.finished_at == exam.deadline
    assert exam.score == pytest.approx(round(100 / exam.item_count, 1))


def test_opening_an_expired_attempt_finishes_it_with_the_saved_answers(client, exam):
    Attempt.objects.filter(pk=exam.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = client.get(f"/quizzes/attempts/{exam.pk}/q/1/")
    assert response.status_code == 302
    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/results/"
    assert "Time ran out" in client.get(response["Location"]).content.decode()


def test_the_page_shows_the_time_left(client, exam):
    html = client.get(f"/quizzes/attempts/{exam.pk}/q/1/").content.decode()
    assert 'class="exam-timer' in html and 'aria-live="polite"' in html


def test_the_quiz_list_offers_to_resume_the_exam_with_its_time_left(client, exam):
    html = client.get("/quizzes/").content.decode()
    assert "Resume “Exam simulation" in html
    assert "39 min" in html or "40 min" in html
