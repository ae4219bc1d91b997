"""Whole learner journeys in a real Chromium: with a mouse, with the keyboard alone, without
JavaScript, on a phone by touch, and an exam whose time runs out. Every page state a learner meets on
the way is scanned with axe-core (the study pages in test_study_accessibility.py)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.template.defaultfilters import floatformat
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Attempt, Kind, Question, Quiz
from tests.browser.axe import blocking_violations
from tests.browser.helpers import (
    PASSWORD,
    QUESTION_URL,
    RESULTS_URL,
    Finger,
    KeyboardUser,
    ReviewQueue,
    answer_question,
    card_names,
    current_item,
    expect_feedback,
    expect_owners_in_words,
    fits_the_screen,
    loaded,
    planned_answer,
    reviewed_thing,
    reviewed_things,
    start,
)

pytestmark = pytest.mark.browser

QUICK_CHECK = "Quick check (10 questions)"
EC2_DRILL = "Drill: Amazon EC2 (with EBS and VPC)"


def expect_accessible(page, state):
    assert blocking_violations(page) == [], f"{state} at {page.url}"


def open_the_progress_page(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")


def expect_review_queue(page, queue):
    expect(page.get_by_role("region", name="Review queue")).to_contain_text(queue.progress_text())


def expect_results(page, attempt, answered=None):
    """The results page: the score from the stored answers, and every question reviewed."""
    expect(page).to_have_url(RESULTS_URL)
    attempt.refresh_from_db()
    assert attempt.is_finished
    count = attempt.item_count
    answered = count if answered is None else answered
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results: {attempt.title}")
    card = page.locator(".score-card")
    expect(card.locator(".score")).to_have_text(f"{floatformat(attempt.score, 0)}%")
    expect(card).to_contain_text(f"{answered} of {count} questions answered")
    expect(page.get_by_role("heading", name="Review every question")).to_be_visible()
    expect(page.locator(".review-item")).to_have_count(count)
    expect(page.locator(".review-item .feedback")).to_have_count(count)
    expect(page.locator(".review-item .feedback", has_text="Not answered")).to_have_count(count - answered)


def practise(page, title, wrong, queue, *, scanned_kinds=None, screenshot=None):
    """Take a practice quiz with the mouse, wrong on purpose on the question numbers `wrong` maps to
    the confidence given ("sure": due again at once). The first question of each kind not yet in
    `scanned_kinds` is scanned with axe before and after its answer. Returns the attempt and every
    scored fact (one per question, one per card of a catalog sort) with whether it was right."""
    page.goto("/quizzes/")
    page.get_by_role("button", name=f"Start {title}").click()
    expect(page).to_have_url(QUESTION_URL)
    attempt = current_item(page).attempt
    count = attempt.item_count
    facts = []
    for number in range(1, count + 1):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number} of {count}")
        expect(page.locator(".feedback")).to_have_count(0)  # no answer key before the answer
        item = current_item(page)
        scan = scanned_kinds is not None and item.kind not in scanned_kinds
        if scan:
            expect_accessible(page, f"an unanswered {item.kind} question")
        if item.kind == Kind.SORT:
            # quiz.js builds the buckets once the page has loaded: wait for them on a busy machine.
            expect(page.locator(".sort-bucket[class*=bucket-]")).to_have_count(3)
            assert expect_owners_in_words(page) == 3  # the buckets
        confidence = wrong.get(number, "")
        answered = answer_question(page, item, right=number not in wrong, confidence=confidence)
        page.get_by_role("button", name="Check my answer").click()
        expect_feedback(page, item, answered)
        expect(page.get_by_role("button", name="Check my answer")).to_have_count(0)
        if scan:
            expect_accessible(page, f"a {item.kind} question with its feedback")
            scanned_kinds.add(item.kind)
        if screenshot and number == 1:
            screenshot(page, "practice-feedback", scroll_to=".feedback")
        queue.record(item, answered, confidence)
        facts += reviewed_things(item, answered)
        if number < count:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See my results").click()
    expect_results(page, attempt)
    return attempt, facts


# --- 1. a new learner, with the mouse ------------------------------------------------------------------


def test_a_new_learner_studies_practises_and_reviews_their_mistakes(page, live_content, screenshot):
    # Study: home, a lesson with the diagram, the matrix.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who secures what in AWS?")
    screenshot(page, "home")
    page.get_by_role("link", name="Start studying").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lessons")
    page.locator(".lesson-card a").first.click()
    expect(page.locator(".srm-diagram")).to_be_visible()
    panel = page.locator("#layer-os-network-firewall")
    expect(panel).to_be_hidden()  # the script shows one layer at a time
    page.locator('.diagram-layer[data-layer="os-network-firewall"]').click()
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="Patch the guest operating system")).to_be_visible()
    expect(panel.locator(".side-tag")).not_to_be_empty()  # whose layer it is, in words
    expect(page.locator("#layer-customer-data")).to_be_hidden()
    screenshot(page, "lesson-diagram", scroll_to="#diagram-heading")
    page.get_by_role("button", name="Show every layer").click()
    expect(page.locator("#layer-customer-data")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Matrix").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Responsibility matrix")
    assert expect_owners_in_words(page) > 100
    screenshot(page, "matrix")
    row = page.locator("tr", has=page.get_by_role("link", name="Patch the guest operating system", exact=True))
    ec2_cell = row.locator("details").first
    expect(ec2_cell.locator("summary")).to_have_text("Customer")
    ec2_cell.locator("summary").click()
    expect(ec2_cell.locator("p").first).to_be_visible()
    page.get_by_label("Service category").select_option("abstracted")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("columnheader", name="AWS Lambda")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Amazon EC2")).to_have_count(0)

    # Sign up.
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("new-learner")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Password confirmation\W*$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator(".account-menu")).to_contain_text("new-learner")
    page.goto("/quizzes/")
    expect_accessible(page, "the quiz list")

    # The quick check, every kind of question, half of them wrong on purpose.
    queue, scanned = ReviewQueue(), set()
    quick, facts = practise(
        page, QUICK_CHECK, {2: "sure", 4: "sure", 6: "sure", 8: "sure", 10: "sure"}, queue,
        scanned_kinds=scanned, screenshot=screenshot,
    )  # fmt: skip
    assert scanned == set(Kind.values)
    expect_accessible(page, "the results")
    screenshot(page, "results")

    # Retry the misses now: exactly the questions missed, answered right this time.
    missed = [item for item in quick.items.select_related("answer") if item.answer.score < 1]
    page.get_by_role("button", name=f"Retry the {len(missed)} questions I missed").click()
    expect(page).to_have_url(QUESTION_URL)
    retry = current_item(page).attempt
    assert retry.retry_of_id == quick.pk and retry.mode == "practice"
    assert [(item.prompt, item.key) for item in retry.items.all()] == [(item.prompt, item.key) for item in missed]
    for number in range(1, retry.item_count + 1):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number} of {retry.item_count}")
        item = current_item(page)
        answered = answer_question(page, item, right=True)
        page.get_by_role("button", name="Check my answer").click()
        expect_feedback(page, item, answered)
        queue.record(item, answered)
        facts += reviewed_things(item, answered)
        if number < retry.item_count:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See my results").click()
    expect_results(page, retry)
    assert retry.score == 100

    # A service drill: two misses, one of them unsure (due later, not now).
    drill, drill_facts = practise(page, EC2_DRILL, {3: "sure", 7: "unsure"}, queue)
    facts += drill_facts
    services = {item.service.slug for item in drill.items.filter(question__isnull=True).select_related("service")}
    assert services <= {"ec2", "ebs", "vpc"}
    expect(page.locator(".review-item .feedback-wrong")).not_to_have_count(0)

    # Progress: both attempts, mastery from every answer, the misses queued.
    page.get_by_role("link", name="Your progress").click()
    expect(page).to_have_url(re.compile(r"/progress/$"))
    history = page.get_by_role("region", name="Attempts")
    for attempt in (quick, retry, drill):
        row = history.get_by_role("row").filter(has=page.get_by_role("rowheader", name=attempt.title, exact=True))
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"{floatformat(attempt.score, 0)}%")
        expect(row.get_by_role("link", name=re.compile(r"^(Passed|Not passed)"))).to_be_visible()
    expect(page.locator(".trend-chart .trend-point")).to_have_count(2)  # the retry is not in the trend
    mastery = page.locator("section", has=page.get_by_role("heading", name="Mastery", exact=True))
    for title in ("By CLF-C02 skill", "By lesson", "By service"):
        expect(mastery.get_by_role("heading", name=title)).to_be_visible()
    # Every scored fact counts once for its skill: known/answered per skill adds up to the journey.
    loaded(page)  # the whole table, not the rows parsed so far
    cells = mastery.locator("table.mastery").first.locator("tbody td:last-child").all_inner_texts()
    per_skill = [tuple(map(int, cell.split("/"))) for cell in cells if "/" in cell]
    assert sum(answers for _known, answers in per_skill) == len(facts)
    assert sum(known for known, _answers in per_skill) == sum(right for _fact, right in facts)
    expect(mastery.get_by_role("row", name=re.compile(r"^Amazon EC2 ")).locator("td").last).to_have_text(
        re.compile(r"^\d+/[1-9]\d*$")
    )
    expect_review_queue(page, queue)
    assert queue.due, "the journey missed nothing it was sure of"
    expect_accessible(page, "the progress page")
    screenshot(page, "progress")

    # Review my mistakes: the misses that are due, one per duty (no duty asked twice in an attempt),
    # answered right this time.
    page.get_by_role("button", name="Review my mistakes").click()
    expect(page).to_have_url(QUESTION_URL)
    review = current_item(page).attempt
    assert review.quiz.slug == "review-my-mistakes"
    asked = {reviewed_thing(item) for item in review.items.all()}
    expect_a_review_of(asked, queue.due, review.quiz.question_count)
    for number in range(1, review.item_count + 1):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number} of")
        item = current_item(page)
        if number == 1:
            expect_accessible(page, "a review question")
        answered = answer_question(page, item, right=True)
        page.get_by_role("button", name="Check my answer").click()
        expect_feedback(page, item, answered)
        queue.record(item, answered)
        if number < review.item_count:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See my results").click()
    expect_results(page, review)
    assert review.score == 100
    open_the_progress_page(page)
    expect_review_queue(page, queue)


def expect_a_review_of(asked, due, limit):
    """A review asks due things only, up to the quiz's limit, and leaves one out only when the
    attempt already asks its duty (no duty asked twice: the same duty on another service, or a
    written question tagged with it)."""
    assert asked and asked <= due
    if len(asked) == limit:
        return
    asked_duties = {thing[1] for thing in asked if thing[0] == "row"}
    tagged = {duty for thing in asked if thing[0] == "q" for duty in tags_of(thing[1])}
    for thing in due - asked:
        if thing[0] == "row":
            assert thing[1] in asked_duties | tagged, f"{thing} was due and left out"
        else:
            assert set(tags_of(thing[1])) & asked_duties, f"{thing} was due and left out"


def tags_of(question_id):
    return Question.objects.get(pk=question_id).duties.values_list("pk", flat=True)


# --- 2. the same journey, with the keyboard alone -----------------------------------------------------


def test_a_learner_does_it_all_with_the_keyboard_and_always_sees_the_focus(page, live_content):
    keys = KeyboardUser(page)
    main_menu = page.get_by_role("navigation", name="Main")
    heading = page.get_by_role("heading", level=1)

    page.goto("/")  # an address typed in, not a click
    keys.activate(page.get_by_role("link", name="Start studying"))
    expect(heading).to_have_text("Lessons")
    keys.activate(page.locator(".lesson-card a").first)
    expect(page.locator(".srm-diagram")).to_be_visible()
    expect(page.locator("#layer-customer-data")).to_be_hidden()  # diagram.js has run: one layer at a time
    # Each layer of the diagram lists its duties while it has the focus.
    keys.tab_to(page.locator('.diagram-layer[data-layer="customer-data"]'))
    expect(page.locator("#layer-customer-data")).to_be_visible()
    keys.tab()
    expect(page.locator("#layer-platform-apps-iam")).to_be_visible()
    expect(page.locator("#layer-customer-data")).to_be_hidden()

    keys.activate(main_menu.get_by_role("link", name="Matrix"), backwards=True)
    expect(heading).to_have_text("Responsibility matrix")
    cell = page.locator("details.cell").first
    keys.activate(cell.locator("summary"))
    expect(cell.locator("p").first).to_be_visible()
    keys.tab_to(page.get_by_label("Service category"), backwards=True)
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    keys.activate(page.get_by_role("button", name="Show"))
    expect(page.get_by_role("columnheader", name="AWS Lambda")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Amazon EC2")).to_have_count(0)

    keys.activate(page.get_by_role("link", name="Sign up"))
    keys.type_into(page.get_by_label("Username"), "keyboard-learner")
    keys.type_into(page.get_by_label(re.compile(r"^\s*Password\W*$")), PASSWORD)
    keys.type_into(page.get_by_label(re.compile(r"^\s*Password confirmation\W*$")), PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    keys.activate(main_menu.get_by_role("link", name="Quizzes"))
    keys.activate(page.get_by_role("button", name=f"Start {QUICK_CHECK}"))
    queue = ReviewQueue()
    quick = keyboard_practice(page, keys, queue, wrong={1: "sure", 4: "sure", 7: "sure", 10: "sure"})
    assert {item.kind for item in quick.items.all()} == set(Kind.values)
    keys.activate(page.get_by_role("button", name="See my results"))
    expect_results(page, quick)

    keys.activate(main_menu.get_by_role("link", name="Progress"))
    expect(heading).to_have_text("Your progress")
    expect_review_queue(page, queue)
    keys.activate(page.get_by_role("button", name="Review my mistakes"))
    expect(page).to_have_url(QUESTION_URL)
    review = current_item(page).attempt
    asked = {reviewed_thing(item) for item in review.items.all()}
    expect_a_review_of(asked, queue.due, review.quiz.question_count)
    keyboard_practice(page, keys, queue, wrong={})
    keys.activate(page.get_by_role("button", name="See my results"))
    expect_results(page, review)
    assert review.score == 100

    assert keys.pointer_events == []
    assert keys.stops > 200


def keyboard_practice(page, keys, queue, wrong):
    """Answer every question of the practice attempt on screen with keys alone."""
    attempt = current_item(page).attempt
    for number in range(1, attempt.item_count + 1):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number} of")
        item = current_item(page)
        keys.skip_to_main()
        answer = planned_answer(item, right=number not in wrong)
        keys.answer(item, answer, confidence=wrong.get(number, ""))
        expect_feedback(page, item, answer)
        queue.record(item, answer, wrong.get(number, ""))
        if number < attempt.item_count:
            keys.activate(page.get_by_role("link", name="Next question"))
    return attempt


# --- 3. without JavaScript ----------------------------------------------------------------------------


def test_without_javascript_a_visitor_studies_and_practises_with_a_sort_question(chromium, live_server, live_content):
    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)

    # A lesson: its diagram's layers are links to the same duties, listed in full.
    page.goto("/study/")
    page.locator(".lesson-card a").first.click()
    expect(page.locator(".srm-diagram")).to_be_visible()
    loaded(page)
    layers = page.locator(".diagram-layer").count()
    assert layers > 1
    panels = page.locator(".layer-panel")
    expect(panels).to_have_count(layers)
    for panel in panels.all():
        expect(panel).to_be_visible()
    expect(page.get_by_role("button", name="Show every layer")).to_be_hidden()
    page.locator('.diagram-layer[data-layer="aws-global-infrastructure"]').click()
    expect(page).to_have_url(re.compile(r"#layer-aws-global-infrastructure$"))
    expect(page.locator("#layer-aws-global-infrastructure")).to_be_in_viewport()
    page.goto("/study/diagram/")
    for slug in ("customer-data", "aws-software", "aws-global-infrastructure"):
        expect(page.locator(f"#layer-{slug}")).to_be_visible()

    # The matrix: cells open by themselves (details), the filter is a plain form.
    page.goto("/study/matrix/")
    cell = page.locator("details.cell").first
    cell.locator("summary").click()
    expect(cell.locator("p").first).to_be_visible()
    page.get_by_label("Service category").select_option("infrastructure")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?category=infrastructure$"))
    expect(page.get_by_role("columnheader", name="Amazon EC2")).to_be_visible()
    expect(page.get_by_role("columnheader", name="AWS Lambda")).to_have_count(0)

    # The quick check, as a visitor without an account: a sort question is a select per card.
    start(page, QUICK_CHECK)
    attempt = current_item(page).attempt
    sorted_cards = False
    for number in range(1, attempt.item_count + 1):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Question {number} of")
        item = current_item(page)
        if item.kind == Kind.SORT:
            expect(page.locator(".sort-board, .drag-handle")).to_have_count(0)
            for option in item.options:
                expect(page.get_by_label(option["text"])).to_have_value("")
            # A card left unplaced is named, and nothing is saved.
            for card in [option["key"] for option in item.options][1:]:
                page.locator(f'select[name="card_{card}"]').select_option(item.key["correct"][card])
            page.get_by_role("button", name="Check my answer").click()
            expect(page.get_by_text("Place this card under AWS, Customer or Shared.")).to_be_visible()
            assert attempt.answers.count() == number - 1
            sorted_cards = True
        answered = answer_question(page, item, right=number % 2 == 1)
        page.get_by_role("button", name="Check my answer").click()
        expect_feedback(page, item, answered)
        if number < attempt.item_count:
            page.get_by_role("link", name="Next question").click()
    assert sorted_cards
    page.get_by_role("button", name="See my results").click()
    expect_results(page, attempt)

    # An exam's time left reads as words where the script would count it down.
    start(page, "Exam simulation")
    expect(page.locator(".exam-timer")).to_have_text(re.compile(r"^Time left: (40 min 0 s|39 min \d+ s)$"))
    context.close()


# --- 4. on a phone, by touch ---------------------------------------------------------------------------


def test_on_a_phone_a_learner_studies_and_takes_a_quiz_by_touch(
    chromium, live_server, live_content, learner, screenshot
):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    main_menu = page.get_by_role("navigation", name="Main")
    heading = page.get_by_role("heading", level=1)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(learner.username)
    page.get_by_label("Password").fill(learner.raw_password)
    page.get_by_role("button", name="Log in").tap()
    expect(heading).to_have_text("Who secures what in AWS?")
    fits_the_screen(page)
    screenshot(page, "home-phone")
    page.get_by_role("link", name="Start studying").tap()
    expect(heading).to_have_text("Lessons")
    fits_the_screen(page)
    page.locator(".lesson-card a").first.tap()
    expect(page.locator(".srm-diagram")).to_be_visible()
    expect(page.locator("#layer-os-network-firewall")).to_be_hidden()  # diagram.js has run: one layer at a time
    page.locator('.diagram-layer[data-layer="os-network-firewall"]').tap()
    expect(page.locator("#layer-os-network-firewall")).to_be_visible()
    expect(page.locator("#layer-customer-data")).to_be_hidden()
    fits_the_screen(page)
    screenshot(page, "lesson-diagram-phone", scroll_to="#diagram-heading")

    main_menu.get_by_role("link", name="Matrix").tap()
    expect(heading).to_have_text("Responsibility matrix")
    page.locator("details.cell summary").first.tap()
    expect(page.locator("details.cell[open]")).to_have_count(1)
    fits_the_screen(page)  # the table scrolls in its own box
    expect_owners_in_words(page)
    screenshot(page, "matrix-phone")
    page.goto("/study/services/ec2/")
    fits_the_screen(page)

    main_menu.get_by_role("link", name="Quizzes").tap()
    expect(heading).to_have_text("Quizzes")
    fits_the_screen(page)
    page.get_by_role("button", name=f"Start {QUICK_CHECK}").tap()
    attempt = current_item(page).attempt
    finger = Finger(page)
    for number in range(1, attempt.item_count + 1):
        expect(heading).to_contain_text(f"Question {number} of")
        item = current_item(page)
        fits_the_screen(page)
        answer = planned_answer(item, right=number % 2 == 0)
        if item.kind == Kind.SORT:
            # quiz.js builds the buckets once the page has loaded: wait for them on a busy machine.
            expect(page.locator(".sort-bucket[class*=bucket-]")).to_have_count(3)
            assert expect_owners_in_words(page) == 3  # the buckets
            for index, name in enumerate(card_names(page)):
                owner = answer[name.removeprefix("card_")]
                card = page.locator(".sort-card", has=page.locator(f'select[name="{name}"]'))
                finger.drag_card_to(card, page.locator(f'.sort-bucket[data-owner="{owner}"]'))
                expect(card.locator("select")).to_have_value(owner)
                expect(page.locator(f'.sort-bucket[data-owner="{owner}"] select[name="{name}"]')).to_be_attached()
                fits_the_screen(page)
                if index == 1:
                    screenshot(page, "sort-question-phone", scroll_to=".sort-board")
            expect(page.locator('.sort-bucket[data-owner=""] .sort-card')).to_have_count(0)
        else:
            role = "checkbox" if item.kind == Kind.MULTIPLE else "radio"
            for key in answer:
                option = page.get_by_role("group", name="Your answer").get_by_role(
                    role, name=item.option_text(key), exact=True
                )
                option.tap()
                expect(option).to_be_checked()
        page.get_by_role("button", name="Check my answer").tap()
        expect_feedback(page, item, answer)
        fits_the_screen(page)
        if number == 1:
            screenshot(page, "practice-feedback-phone", scroll_to=".feedback")
        if number < attempt.item_count:
            page.get_by_role("link", name="Next question").tap()
    page.get_by_role("button", name="See my results").tap()
    expect_results(page, attempt)
    fits_the_screen(page)
    screenshot(page, "results-phone")
    page.get_by_role("link", name="Your progress").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    fits_the_screen(page)
    screenshot(page, "progress-phone")
    context.close()


# --- 5. an exam whose time runs out -------------------------------------------------------------------

# Records every change of the exam timer's text: what is shown, and what is said to screen readers.
WATCH_TIMER = """
window.timerChanges = [];
document.addEventListener("DOMContentLoaded", () => {
  const timer = document.querySelector(".exam-timer");
  if (!timer) return;
  new MutationObserver((records) => {
    for (const record of records) {
      const part = record.target.nodeType === Node.TEXT_NODE ? record.target.parentElement : record.target;
      window.timerChanges.push([part.classList.contains("timer-announce") ? "said" : "shown", part.textContent]);
    }
  }).observe(timer, {childList: true, characterData: true, subtree: true});
});
"""


# The page's clock only: the server keeps real time.
PAGE_CLOCK_START = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


def test_an_exam_whose_time_runs_out_is_finished_by_the_server_with_the_saved_answers(page, live_content):
    Quiz.objects.filter(slug="exam-simulation").update(time_limit_minutes=11)
    page.add_init_script(WATCH_TIMER)
    start(page, "Exam simulation")
    timer = page.locator(".exam-timer")
    expect(timer).to_contain_text(re.compile(r"Time left: (11:00|10:\d\d)"))
    # Scanned while the page's clock runs: axe-core waits on timers of its own.
    expect_accessible(page, "an exam question with the timer")

    # From here the page's clock stands still, in this page and in every page loaded after it: the
    # timer's seconds pass only when the test runs them, however long anything else takes. The page
    # is loaded again to count with that clock, with its 11 minutes from now on the server too.
    page.clock.install(time=PAGE_CLOCK_START)
    page.clock.pause_at(PAGE_CLOCK_START + timedelta(minutes=1))
    attempt = current_item(page).attempt
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=11))
    page.reload()
    left = int(timer.get_attribute("data-seconds-left"))  # what the server says: 660, or a little less
    assert 600 < left <= 660
    expect(timer.locator(".timer-value")).to_have_text(f"{left // 60}:{left % 60:02d}")

    # The countdown is shown every second but said rarely: a polite live region, at 10, 5 and 1 minutes.
    expect(timer.locator(".timer-announce")).to_have_attribute("aria-live", "polite")
    assert timer.locator(".timer-value").evaluate("e => e.closest('[aria-live], [role=status], [role=alert]')") is None
    assert page.evaluate("window.timerChanges") == [], "the timer ticked while the clock stood still"
    page.clock.run_for((left - 55) * 1000)
    expect(timer.locator(".timer-value")).to_have_text("0:55")
    changes = page.evaluate("window.timerChanges")
    assert len([text for part, text in changes if part == "shown"]) == left - 55
    assert [text for part, text in changes if part == "said"] == ["10 minutes left", "5 minutes left", "1 minute left"]

    # Two answers saved, one right and one wrong; in exam mode, no verdict yet.
    first = current_item(page)
    answer_question(page, first, right=True)
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 2 of 30")
    answer_question(page, current_item(page), right=False)
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 3 of 30")
    page.locator(".exam-bar summary").click()
    page.get_by_role("navigation", name="Questions of this attempt").get_by_role(
        "link", name=re.compile(r"^1 \(answered\)")
    ).click()
    expect(page.get_by_text("Your saved answer is selected")).to_be_visible()
    expect(page.locator(".feedback")).to_have_count(0)
    page.clock.resume()  # for axe-core's timers
    expect_accessible(page, "an answered exam question")
    assert attempt.answers.count() == 2

    # A deadline a few seconds away, read while the page's clock stands still again (a day on: later
    # than anything it has reached); then it runs in real time.
    page.clock.pause_at(PAGE_CLOCK_START + timedelta(days=1))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=5))
    page.goto(f"/quizzes/attempts/{attempt.pk}/q/3/")
    expect(timer).to_contain_text(re.compile(r"Time left: 0:0[1-5]"))
    page.clock.resume()
    # No click: the timer script sends the learner on, and the server finishes the attempt.
    expect(page).to_have_url(RESULTS_URL, timeout=15_000)

    attempt.refresh_from_db()
    assert attempt.expired
    assert attempt.finished_at <= attempt.deadline
    saved = [answer.score for answer in attempt.answers.order_by("item__position")]
    assert saved[0] == 1
    assert saved[1] < 1
    assert attempt.score == round(100 * sum(saved) / 30, 1)
    expect_results(page, attempt, answered=2)
    card = page.locator(".score-card")
    expect(card).to_contain_text("Time ran out: the attempt was finished with the answers saved before the deadline")
    expect(card).to_contain_text("Not passed")
    reviews = page.locator(".review-item .feedback")
    expect(reviews.nth(0)).to_contain_text("Right")
    expect(reviews.nth(1).locator("h2")).to_have_text(re.compile(r"(Not quite|Partly right)"))
    expect_accessible(page, "the results of an expired exam")

    # The answer key is out, but the attempt is closed: an old question page cannot change it.
    page.goto(f"/quizzes/attempts/{attempt.pk}/q/3/")
    expect(page).to_have_url(RESULTS_URL)
