"""The progress page (queue, trend and history) and the review schedule page pass axe-core, wide and
at 375 px, with a queue that has items due and waiting and a history with attempts left out of the
trend; the chart and the schedule table never make the page scroll sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Answer, Attempt, AttemptItem, Kind, Quiz, ReviewItem
from tests.browser.axe import blocking_violations
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def history_and_queue(learner):
    now = timezone.now()
    for index, (slug, answered, score) in enumerate(
        [
            ("quick-check", 10, 40.0),
            ("exam-simulation", 0, 0.0),
            ("review-my-mistakes", 1, 100.0),
            ("drill-ec2", 8, 80.0),
        ]
    ):
        quiz = Quiz.objects.get(slug=slug)
        started = now - timedelta(days=5 - index)
        attempt = Attempt.objects.create(
            quiz=quiz, user=learner, mode=quiz.mode, pass_mark=70, started_at=started, item_count=10,
            finished_at=started + timedelta(minutes=9), score=score, passed=score >= 70,
        )  # fmt: skip
        for position in range(answered):
            item = AttemptItem.objects.create(
                attempt=attempt, position=position, kind=Kind.OWNER, skill="aws", prompt="p"
            )
            Answer.objects.create(item=item, attempt=attempt, response={}, score=1, is_correct=True)
    for index, offset in enumerate([-timedelta(hours=1), timedelta(minutes=52), timedelta(days=2)]):
        ReviewItem.objects.create(user=learner, key=f"k{index}", due_at=now + offset, last_reviewed_at=now)


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_progress_and_schedule_pages_pass_axe_and_fit(page, live_content, make_learner, width):
    learner = make_learner()
    history_and_queue(learner)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, learner)
    page.goto("/progress/")
    queue = page.get_by_role("region", name="Review queue")
    expect(queue).to_contain_text("1 due now; 2 waiting, next in")
    expect(queue.get_by_role("button", name="Review my mistakes (1 due)")).to_be_visible()
    expect(page.locator(".trend-chart .trend-point")).to_have_count(2)
    expect(page.get_by_role("list", name="Points in the chart").get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_text("not in the trend: no answers")).to_be_visible()
    assert blocking_violations(page) == []
    assert fits(page)
    queue.get_by_role("link", name="How the review schedule works").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the review schedule works")
    assert blocking_violations(page) == []
    assert fits(page)


def test_the_schedule_page_passes_axe_for_a_visitor(page, live_content):
    page.goto("/progress/review-schedule/")
    expect(page.get_by_role("table", name="Every case at a glance")).to_be_visible()
    assert blocking_violations(page) == []
