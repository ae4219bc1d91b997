"""A learner takes quizzes in a real Chromium: sort cards by dragging them with the mouse, and a timed
exam to the end. The whole journeys (practice with feedback, the keyboard alone, no JavaScript, a
phone, an exam that runs out of time) are in test_learner_journeys.py."""

import re

import pytest
from django.template.defaultfilters import floatformat
from playwright.sync_api import expect

from quizzes.models import Attempt, Kind
from tests.browser.helpers import (
    RESULTS_URL,
    answer_question,
    card_names,
    current_item,
    drag_card_to,
    expect_feedback,
    log_in,
    start,
)

pytestmark = pytest.mark.browser


def test_a_sort_question_by_drag_and_drop(page, live_content, screenshot):
    start(page, "Sort the duties")
    item = current_item(page)
    assert item.kind == Kind.SORT
    expect(page.locator(".sort-bucket")).to_have_count(4)
    pool = page.locator('.sort-bucket[data-owner=""]')
    names = card_names(page)
    expect(pool.locator(".sort-card")).to_have_count(len(names))

    placed = {}
    for index, name in enumerate(names):
        card = page.locator(".sort-card", has=page.locator(f'select[name="{name}"]'))
        owner = item.key["correct"][name.removeprefix("card_")]
        drag_card_to(page, card, page.locator(f'.sort-bucket[data-owner="{owner}"]'))
        expect(page.locator(f'.sort-bucket[data-owner="{owner}"]').locator(f'select[name="{name}"]')).to_be_attached()
        expect(card.locator("select")).to_have_value(owner)
        expect(card).not_to_have_class(re.compile(r"is-dragging"))
        placed[name.removeprefix("card_")] = owner
        if index == 1:
            screenshot(page, "sort-question", scroll_to=".sort-board")
    expect(pool.locator(".sort-card")).to_have_count(0)

    # A card dropped back on "Not placed yet" is unplaced again, and can be placed once more.
    first = page.locator(".sort-card", has=page.locator(f'select[name="{names[0]}"]'))
    drag_card_to(page, first, pool)
    expect(first.locator("select")).to_have_value("")
    expect(pool.locator(".sort-card")).to_have_count(1)
    drag_card_to(page, first, page.locator(f'.sort-bucket[data-owner="{placed[names[0].removeprefix("card_")]}"]'))
    expect(first.locator("select")).to_have_value(placed[names[0].removeprefix("card_")])

    page.get_by_role("button", name="Check my answer").click()
    expect_feedback(page, item, placed)
    expect(page.locator(".feedback h2")).to_contain_text("Right")


def test_an_exam_simulation_to_the_end(page, live_content, make_learner):
    learner = make_learner()
    log_in(page, learner)
    start(page, "Exam simulation")
    timer = page.locator(".exam-timer")
    expect(timer).to_be_visible()
    expect(timer).to_contain_text(re.compile(r"Time left: (40:00|39:\d\d)"))
    attempt = Attempt.objects.get(user=learner)
    count = attempt.item_count
    assert count == 30
    assert attempt.deadline is not None

    for number in range(1, count + 1):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number} of {count}")
        expect(page.locator(".feedback")).to_have_count(0)
        expect(timer).to_be_visible()
        item = current_item(page)
        answer_question(page, item, right=number % 3 != 0)
        page.get_by_role("button", name="Save and next" if number < count else "Save").click()
        if number < count:
            expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number + 1} of {count}")
        if number == 1:
            # Back on the answered question: saved and shown selected, but no verdict and no key until the end.
            page.locator(".exam-bar summary").click()
            page.get_by_role("navigation", name="Questions of this attempt").get_by_role(
                "link", name=re.compile(r"^1 \(answered\)")
            ).click()
            expect(page.get_by_text("Your saved answer is selected")).to_be_visible()
            expect(page.locator(".feedback")).to_have_count(0)
            page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("status").filter(has_text="Answer saved")).to_be_visible()
    expect(page.locator(".feedback")).to_have_count(0)
    expect(page.get_by_text(f"{count} of {count} answered")).to_be_visible()

    page.get_by_role("link", name="Review and finish").click()
    page.get_by_role("button", name="Finish and see my results").click()
    expect(page).to_have_url(RESULTS_URL)
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert not attempt.expired
    card = page.locator(".score-card")
    expect(card.locator(".score")).to_have_text(f"{floatformat(attempt.score, 0)}%")
    expect(card).to_contain_text(f"{'Passed' if attempt.passed else 'Not passed'} (pass mark 70%)")
    expect(card).to_contain_text(f"{count} of {count} questions answered")
    expect(card).not_to_contain_text("Time ran out")
    expect(page.locator(".review-item")).to_have_count(count)
    expect(page.locator(".review-item .feedback")).to_have_count(count)
    expect(page.locator(".review-item .feedback", has_text="Not answered")).to_have_count(0)
    # Every third answer was wrong on purpose: its review gives the right answer.
    expect(page.locator(".review-item .feedback-wrong").first).to_be_visible()
