"""The quiz pages pass axe-core with no serious or critical violation, in every state."""

import pytest

from quizzes.models import Attempt, Kind
from tests.browser.axe import blocking_violations

pytestmark = pytest.mark.browser


def start(page, title):
    page.goto("/quizzes/")
    page.get_by_role("button", name=f"Start {title}").click()
    page.wait_for_url("**/q/*/")
    return Attempt.objects.order_by("-pk").first()


def test_quiz_list_question_feedback_results_and_progress(page, live_content, make_learner):
    learner = make_learner()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(learner.username)
    page.get_by_label("Password").fill(learner.raw_password)
    page.get_by_role("button", name="Log in").click()
    page.goto("/quizzes/")
    assert blocking_violations(page) == []
    attempt = start(page, "Quick check (10 questions)")
    for item in attempt.items.all():
        page.goto(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/")
        assert blocking_violations(page) == [], item.kind
        if item.kind == Kind.SORT:
            for select in page.locator(".sort-card select").all():
                select.select_option("aws")
        else:
            page.locator(".answer-form input[name=choice]").first.check()
        page.get_by_role("button", name="Save answer").click()
        assert blocking_violations(page) == [], f"{item.kind} with feedback"
    page.get_by_role("button", name="Finish the attempt").click()
    assert blocking_violations(page) == []
    page.goto("/progress/")
    assert blocking_violations(page) == []


def test_exam_question_with_the_timer(page, live_content):
    start(page, "Exam simulation (30 questions, 30 minutes)")
    assert page.locator(".exam-timer").is_visible()
    assert blocking_violations(page) == []
