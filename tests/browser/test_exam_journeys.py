"""The exam simulation as the real exam runs it, in a real Chromium: an answer changed after
moving on, two questions flagged, the review screen, the confirmation to finish with questions
unanswered, and results that count the changed answer. With a mouse, on a phone by touch (with the
bar pinned to the bottom of the screen), with the keyboard alone, and without JavaScript."""

import re

import pytest
from django.template.defaultfilters import floatformat
from playwright.sync_api import expect

from quizzes.models import Kind
from tests.browser.axe import blocking_violations
from tests.browser.helpers import (
    RESULTS_URL,
    KeyboardUser,
    current_item,
    fits_the_screen,
    loaded,
    log_in,
    planned_answer,
)

pytestmark = pytest.mark.browser

EXAM = "Exam simulation (30 questions, 40 minutes)"
REVIEW_URL = re.compile(r"/quizzes/attempts/\d+/review/$")


class Mouse:
    def __init__(self, page):
        self.page = page

    def press(self, target):
        target.click()

    def choose(self, item, keys):
        role = "checkbox" if item.kind == Kind.MULTIPLE else "radio"
        group = self.page.get_by_role("group", name="Your answer")
        if item.kind == Kind.MULTIPLE:  # a changed answer: clear the boxes first
            for box in group.get_by_role("checkbox").all():
                box.uncheck()
        for key in keys:
            group.get_by_role(role, name=item.option_text(key), exact=True).check()


class Finger(Mouse):
    def press(self, target):
        target.tap()

    def choose(self, item, keys):
        group = self.page.get_by_role("group", name="Your answer")
        role = "checkbox" if item.kind == Kind.MULTIPLE else "radio"
        if item.kind == Kind.MULTIPLE:
            for box in group.get_by_role("checkbox").all():
                if box.is_checked():
                    box.tap()
        for key in keys:
            option = group.get_by_role(role, name=item.option_text(key), exact=True)
            option.tap()
            expect(option).to_be_checked()


class Keys:
    def __init__(self, page):
        self.page = page
        self.user = KeyboardUser(page)

    def press(self, target):
        self.user.activate(target)

    def choose(self, item, keys):
        form = self.page.locator(".answer-form")
        if item.kind == Kind.MULTIPLE:
            for box in form.locator('input[name="choice"]').all():
                if box.is_checked() != (box.get_attribute("value") in keys):
                    self.user.tab_to(box)
                    self.page.keyboard.press("Space")
        else:
            self.user.choose_radio("choice", keys[0])


def expect_question(page, number, total=30):
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number} of {total}")


def take_the_exam(page, hands, *, phone=False, screenshot=None, scan=False):
    """Q1 answered wrong, Q2 right and flagged, Q3 flagged and left blank; back to Q1 through the
    question grid, changed to right; the review screen; finish, confirmed. Returns the attempt."""
    page.goto("/quizzes/")
    hands.press(page.get_by_role("button", name=f"Start {EXAM}"))
    expect_question(page, 1)
    attempt = current_item(page).attempt
    first, second = list(attempt.items.all()[:2])
    assert {item.kind for item in attempt.items.all()} <= {Kind.SINGLE, Kind.MULTIPLE}
    bar = page.get_by_role("region", name="Exam: time, position and flags")
    expect(bar).to_contain_text("Q 1 / 30")
    grid = page.get_by_role("navigation", name="Questions of this attempt")
    expect(grid).to_be_hidden()  # the grid opens on demand
    if phone:
        expect(bar).to_be_in_viewport()  # pinned to the bottom of the screen while the page scrolls
        fits_the_screen(page)
        if screenshot:
            screenshot(page, "exam-question-phone")
    if scan:
        assert blocking_violations(page) == [], "an exam question"

    hands.choose(first, planned_answer(first, right=False))
    hands.press(page.get_by_role("button", name="Save and next"))
    expect_question(page, 2)
    hands.choose(second, planned_answer(second, right=True))
    hands.press(bar.get_by_role("button", name=re.compile(r"^Flag")))
    expect_question(page, 2)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Flagged")
    expect(bar.get_by_role("button", name=re.compile(r"^Flagged"))).to_have_attribute("aria-pressed", "true")
    hands.press(page.get_by_role("button", name="Save and next"))
    expect_question(page, 3)
    hands.press(bar.get_by_role("button", name=re.compile(r"^Flag")))
    expect_question(page, 3)
    hands.press(page.get_by_role("button", name="Save and next"))  # nothing chosen: left for later
    expect_question(page, 4)
    if phone:
        expect(bar).to_be_in_viewport()

    # Back to question 1 through the grid, which says answered or not, and flagged, never right or wrong.
    hands.press(bar.locator("summary"))
    expect(grid).to_be_visible()
    expect(grid.get_by_role("link", name="2 (answered, flagged)")).to_be_visible()
    expect(grid.get_by_role("link", name="3 (not answered, flagged)")).to_be_visible()
    hands.press(grid.get_by_role("link", name="1 (answered)"))
    expect_question(page, 1)
    wrong = planned_answer(first, right=False)
    for key in wrong:  # the saved answer is shown selected
        expect(page.locator(f'input[name="choice"][value="{key}"]')).to_be_checked()
    expect(page.locator(".feedback")).to_have_count(0)
    hands.choose(first, planned_answer(first, right=True))
    hands.press(page.get_by_role("button", name="Save and next"))
    expect_question(page, 2)

    # The review screen: flagged and unanswered questions, each a link.
    hands.press(bar.get_by_role("link", name="Review and finish"))
    expect(page).to_have_url(REVIEW_URL)
    flagged = page.get_by_role("region", name=re.compile("Flagged for review"))
    expect(flagged.get_by_role("link")).to_have_text(["Question 2", "Question 3"])
    unanswered = page.get_by_role("region", name=re.compile("Not answered"))
    expect(unanswered.get_by_role("heading")).to_have_text(re.compile(r"Not answered \(28\)"))
    if scan:
        assert blocking_violations(page) == [], "the review screen"
    if screenshot and not phone:
        screenshot(page, "exam-review")
    hands.press(page.get_by_role("button", name="Finish with 28 unanswered"))

    expect(page).to_have_url(RESULTS_URL)
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert [answer.is_correct for answer in attempt.answers.order_by("item__position")] == [True, True]
    assert attempt.score == round(100 * 2 / 30, 1)
    loaded(page)
    card = page.locator(".score-card")
    expect(card.locator(".score")).to_have_text(f"{floatformat(attempt.score, 0)}%")
    expect(card).to_contain_text("2 of 30 questions answered")
    expect(card).to_contain_text("scaled score from 100 to 1,000")
    first_review = page.locator(".review-item").first.locator(".feedback")
    expect(first_review.locator("h2")).to_contain_text("Right")  # the changed answer is the one counted
    expect(page.get_by_role("button", name="Retry the 28 questions I missed")).to_be_visible()
    if phone:
        fits_the_screen(page)
    return attempt


def test_with_a_mouse_a_learner_changes_flags_reviews_and_confirms(page, live_content, learner, screenshot):
    log_in(page, learner)
    take_the_exam(page, Mouse(page), screenshot=screenshot, scan=True)
    assert blocking_violations(page) == [], "the results of an exam"
    screenshot(page, "exam-results")


def test_on_a_phone_the_exam_bar_stays_in_reach(chromium, live_server, live_content, learner, screenshot):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, learner)
    take_the_exam(page, Finger(page), phone=True, screenshot=screenshot)
    context.close()


def test_with_the_keyboard_alone(page, live_content, learner):
    log_in(page, learner)
    hands = Keys(page)
    take_the_exam(page, hands)
    assert hands.user.pointer_events == []


def test_without_javascript(chromium, live_server, live_content, learner):
    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, learner)
    take_the_exam(page, Mouse(page))
    context.close()
