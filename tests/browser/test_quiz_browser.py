"""A learner takes quizzes in a real Chromium: practice with feedback, sort cards by mouse and by
keyboard, a timed exam to the end, and an exam that the server finishes when its time runs out."""

import re
from datetime import timedelta

import pytest
from django.template.defaultfilters import floatformat
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Attempt, AttemptItem, Kind, Quiz

pytestmark = pytest.mark.browser

QUESTION_URL = re.compile(r"/quizzes/attempts/(\d+)/q/(\d+)/$")
RESULTS_URL = re.compile(r"/quizzes/attempts/\d+/results/$")
OWNER_LABELS = {"aws": "AWS", "customer": "Customer", "shared": "Shared"}
# From "Choose…", how many ArrowDown presses reach each owner of a card's select.
OWNER_ARROWS = {"aws": 1, "customer": 2, "shared": 3}


# --- helpers ---------------------------------------------------------------------------------------


def current_item(page):
    """The attempt item on screen, read from the URL (the test shares the live server's database)."""
    expect(page).to_have_url(QUESTION_URL)
    attempt_pk, number = QUESTION_URL.search(page.url).groups()
    return AttemptItem.objects.get(attempt_id=int(attempt_pk), position=int(number) - 1)


def wrong_owner(owner):
    return next(other for other in OWNER_LABELS if other != owner)


def card_names(page):
    """The select names of the sort cards, in the order of the page (cards move, names don't)."""
    return page.locator(".sort-card select").evaluate_all("selects => selects.map(s => s.name)")


def answer_question(page, item, right):
    """Answer the question on screen, right or wrong on purpose (sort: every card but the first
    right when `right` is false). Returns what was answered, for the feedback check."""
    if item.kind == Kind.SORT:
        placed = {}
        for index, name in enumerate(card_names(page)):
            owner = item.key["correct"][name.removeprefix("card_")]
            if not right and index == 0:
                owner = wrong_owner(owner)
            page.locator(f'select[name="{name}"]').select_option(owner)
            placed[name.removeprefix("card_")] = owner
        return placed
    group = page.get_by_role("group", name="Your answer")
    correct = set(item.key["correct"])
    if item.kind == Kind.MULTIPLE:
        keys = [key for key in item.option_keys if key in correct] if right else item.option_keys[:2]
        if not right and set(keys) == correct:
            keys = item.option_keys[:1]
        for key in keys:
            group.get_by_role("checkbox", name=item.option_text(key), exact=True).check()
        return keys
    key = next(key for key in item.option_keys if (key in correct) == right)
    group.get_by_role("radio", name=item.option_text(key), exact=True).check()
    return [key]


def expect_feedback(page, item, answered):
    """The practice feedback under the question says what was chosen and what was right."""
    feedback = page.locator(".feedback")
    expect(feedback).to_be_visible()
    item.refresh_from_db()
    answer = item.answer
    heading = feedback.get_by_role("heading")
    if answer.is_correct:
        expect(heading).to_contain_text("Right")
    elif answer.score > 0:
        expect(heading).to_contain_text(f"Partly right ({round(answer.score * 100)}%)")
    else:
        expect(heading).to_contain_text("Not quite")
    if item.kind == Kind.SORT:
        lines = feedback.locator(".card-results li")
        expect(lines).to_have_count(len(item.options))
        for option in item.options:
            expected = item.key["correct"][option["key"]]
            line = lines.filter(has_text=option["text"])
            expect(line).to_contain_text(f"you chose {OWNER_LABELS[answered[option['key']]]}")
            if answered[option["key"]] != expected:
                expect(line).to_contain_text(f"the answer is {OWNER_LABELS[expected]}")
    else:
        chosen = ", ".join(item.option_text(key) for key in answered)
        expect(feedback).to_contain_text(f"Your answer: {chosen}.")
        if not answer.is_correct:
            correct = ", ".join(item.option_text(key) for key in item.key["correct"])
            expect(feedback).to_contain_text(f"The right answer: {correct}.")
    explanation = item.key.get("explanation", "")
    if explanation:
        expect(feedback.locator(".explanation")).to_be_visible()
        if item.question_id is None:  # catalog explanations are plain text, written ones Markdown
            expect(feedback.locator(".explanation")).to_contain_text(explanation)


def start(page, quiz_title):
    page.goto("/quizzes/")
    page.get_by_role("button", name=f"Start {quiz_title}").click()
    expect(page).to_have_url(QUESTION_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 1 of")


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(user.raw_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def drag_card_to(page, card, bucket):
    """Drag a card by its handle and drop it under a bucket's title, with real pointer events.

    The drop point must be inside the viewport (the script finds the bucket under the pointer
    with elementFromPoint), so the title is aimed at rather than the middle of a tall bucket."""
    title = bucket.get_by_role("heading")
    title.scroll_into_view_if_needed()
    handle = card.locator(".drag-handle")
    handle.scroll_into_view_if_needed()
    start, target = handle.bounding_box(), title.bounding_box()
    drop_x, drop_y = target["x"] + target["width"] / 2, target["y"] + target["height"] + 4
    assert 0 < drop_y < page.viewport_size["height"], "the bucket is out of sight"
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(drop_x, drop_y, steps=8)
    page.mouse.up()


def is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, presses=80):
    """Move the keyboard focus to `locator` with Tab (or Shift+Tab), as a keyboard user would."""
    for key in ("Tab", "Shift+Tab"):
        for _ in range(presses):
            if is_focused(locator):
                return
            page.keyboard.press(key)
    assert is_focused(locator), "Tab never reached the element"


# --- tests -----------------------------------------------------------------------------------------


def test_a_learner_signs_up_and_takes_the_quick_check_with_feedback(page, live_content, screenshot):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("new-learner")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill("correct-horse-battery-9")
    page.get_by_label(re.compile(r"^\s*Password confirmation\W*$")).fill("correct-horse-battery-9")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator(".account-menu")).to_contain_text("new-learner")

    start(page, "Quick check")
    count = Attempt.objects.get(user__username="new-learner").item_count
    assert count == 10
    kinds = set()
    for number in range(1, count + 1):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number} of {count}")
        expect(page.locator(".feedback")).to_have_count(0)  # no answer key before the answer
        item = current_item(page)
        kinds.add(item.kind)
        answered = answer_question(page, item, right=number % 2 == 1)
        page.get_by_role("button", name="Save answer").click()
        expect_feedback(page, item, answered)
        expect(page.get_by_role("button", name="Save answer")).to_have_count(0)
        if number == 1:
            screenshot(page, "practice-feedback", scroll_to=".feedback")
        if number < count:
            page.get_by_role("link", name="Next question").click()
    assert kinds == set(Kind.values)

    page.get_by_role("button", name="Finish the attempt").click()
    expect(page).to_have_url(RESULTS_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Quick check (10 questions)")
    attempt = Attempt.objects.get(user__username="new-learner")
    assert attempt.is_finished
    score = f"{floatformat(attempt.score, 0)}%"
    expect(page.locator(".score-card .score")).to_have_text(score)
    expect(page.locator(".score-card")).to_contain_text("10 of 10 questions answered")
    expect(page.get_by_role("heading", name="Review every question")).to_be_visible()
    expect(page.locator(".review-item")).to_have_count(10)
    expect(page.locator(".review-item .feedback")).to_have_count(10)
    expect(page.locator(".review-item .feedback", has_text="Not answered")).to_have_count(0)
    screenshot(page, "results")

    page.get_by_role("link", name="Your progress").click()
    expect(page).to_have_url(re.compile(r"/progress/$"))
    history = page.get_by_role("region", name="Attempts")
    row = history.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Quick check (10 questions)"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(score)
    expect(row.get_by_role("link", name=re.compile(r"^(Passed|Not passed)"))).to_be_visible()
    mastery = page.locator("section", has=page.get_by_role("heading", name="Mastery", exact=True))
    for title in ("By CLF-C02 skill", "By lesson", "By service"):
        expect(mastery.get_by_role("heading", name=title)).to_be_visible()
    expect(mastery.locator("table.mastery")).to_have_count(3)
    # Every skill of the quiz was answered, so the skill table shows known/answered counts.
    expect(
        mastery.locator("table.mastery").first.locator("td", has_text=re.compile(r"^\d+/\d+$")).first
    ).to_be_visible()
    screenshot(page, "progress")


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

    page.get_by_role("button", name="Save answer").click()
    expect_feedback(page, item, placed)
    expect(page.locator(".feedback").get_by_role("heading")).to_contain_text("Right")


def test_a_sort_question_by_keyboard_alone(page, live_content):
    start(page, "Sort the duties")
    item = current_item(page)
    assert item.kind == Kind.SORT
    expect(page.locator(".sort-board")).to_be_visible()
    page.locator("#main").focus()  # where "Skip to main content" leads; from here on, keys only

    placed = {}
    for name in card_names(page):
        select = page.locator(f'select[name="{name}"]')
        owner = item.key["correct"][name.removeprefix("card_")]
        tab_to(page, select)
        for _ in range(OWNER_ARROWS[owner]):
            page.keyboard.press("ArrowDown")
        expect(select).to_have_value(owner)
        # The card moved to its bucket; the keyboard user must not lose their place.
        expect(select).to_be_focused()
        expect(page.locator(f'.sort-bucket[data-owner="{owner}"]').locator(f'select[name="{name}"]')).to_be_attached()
        placed[name.removeprefix("card_")] = owner

    save = page.get_by_role("button", name="Save answer")
    tab_to(page, save)
    page.keyboard.press("Enter")
    expect_feedback(page, item, placed)
    expect(page.locator(".feedback").get_by_role("heading")).to_contain_text("Right")


def test_an_exam_simulation_to_the_end(page, live_content, make_learner):
    learner = make_learner()
    log_in(page, learner)
    start(page, "Exam simulation")
    timer = page.locator(".exam-timer")
    expect(timer).to_be_visible()
    expect(timer).to_contain_text(re.compile(r"Time left: (30:00|29:\d\d)"))
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
        page.get_by_role("button", name="Save answer").click()
        if number < count:
            expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number + 1} of {count}")
        if number == 1:
            # Back on the answered question: saved, but no verdict and no key until the end.
            page.get_by_role("navigation", name="Questions of this attempt").get_by_role(
                "link", name=re.compile(r"^1 \(answered\)")
            ).click()
            expect(page.get_by_role("status").filter(has_text="Answer saved")).to_be_visible()
            expect(page.locator(".feedback")).to_have_count(0)
            expect(page.get_by_role("button", name="Save answer")).to_have_count(0)
            page.get_by_role("link", name="Next question").click()
    expect(page.get_by_role("status").filter(has_text="Answer saved")).to_be_visible()
    expect(page.locator(".feedback")).to_have_count(0)
    expect(page.get_by_text(f"{count} of {count} answered")).to_be_visible()

    page.get_by_role("button", name="Finish the attempt").click()
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


def test_an_exam_whose_time_runs_out_is_finished_by_the_server(page, live_content):
    Quiz.objects.filter(slug="exam-simulation").update(time_limit_minutes=1)
    start(page, "Exam simulation")
    timer = page.locator(".exam-timer")
    expect(timer).to_contain_text(re.compile(r"Time left: (1:00|0:5\d)"))

    item = current_item(page)
    answer_question(page, item, right=True)
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 2 of 30")
    attempt = item.attempt
    assert attempt.answers.count() == 1

    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=3))
    page.reload()
    expect(timer).to_contain_text(re.compile(r"Time left: 0:0[0-3]"))
    # No click: the timer script sends the learner on, and the server finishes the attempt.
    expect(page).to_have_url(RESULTS_URL, timeout=15_000)

    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.expired
    assert attempt.finished_at <= attempt.deadline
    assert attempt.score == pytest.approx(round(100 / 30, 1))
    card = page.locator(".score-card")
    expect(card).to_contain_text("Time ran out: the attempt was finished with the answers saved before the deadline")
    expect(card).to_contain_text("1 of 30 questions answered")
    expect(card.locator(".score")).to_have_text(f"{floatformat(attempt.score, 0)}%")
    expect(card).to_contain_text("Not passed")
    reviews = page.locator(".review-item")
    expect(reviews).to_have_count(30)
    expect(reviews.first.locator(".feedback")).to_contain_text("Right")
    expect(page.locator(".review-item .feedback", has_text="Not answered")).to_have_count(29)

    # The answer key is out, but the attempt is closed: an old question page cannot change it.
    page.goto(f"/quizzes/attempts/{attempt.pk}/q/2/")
    expect(page).to_have_url(RESULTS_URL)
