"""The instructor's journey in a real Chromium: write a single-choice question and a sort question
in the admin, preview them as a learner, publish them, see the new question drawn in a quiz that a
learner takes in a second browser, import a Moodle GIFT file, and read the learner's answer in the
item statistics and the cohort report."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Answer, Attempt, Question, Quiz

pytestmark = pytest.mark.browser

GIFT = """// Questions from a Moodle course
::gift-who-patches-rds::Who patches the database engine of an RDS instance? {
  =AWS#AWS applies engine patches in the maintenance window you choose.
  ~The customer#On RDS you pick the window; AWS does the patching.
  ####RDS is a managed service: AWS runs and patches the engine.
}

::gift-data-is-yours::Customer data is always the customer's responsibility. {T}
"""
WRITTEN_SLUG = "glossary-inherited-control"
WRITTEN_PROMPT = "In the AWS glossary, what is an **inherited control**?"
WRITTEN_PROMPT_SHOWN = "In the AWS glossary, what is an inherited control?"
RIGHT = "A control the customer fully inherits from AWS, such as the physical and environmental controls"
WRONG = "A control that AWS and the customer each apply, in their own layer"
WRONG_FEEDBACK = "That is a shared control: patch management is one, each side patching its own layer."
CHOICES = [
    (RIGHT, True, ""),
    (WRONG, False, WRONG_FEEDBACK),
    ("A control only the customer applies", False, "That is a customer-specific control."),
]
# The glossary lesson has no written question in the content files, so a rule for single-choice
# questions of that lesson draws the new question and nothing else.
LESSON = "Glossary"
SORT_SLUG = "sort-ec2-basics"
CARDS = [
    ("Patch the guest operating system of an instance", "customer"),
    ("Secure the data centre buildings", "aws"),
    ("Decide how data is encrypted", "shared"),
]
QUIZ_TITLE = "Glossary check"


def log_in(page, user, url):
    page.goto(url)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(user.raw_password)
    page.get_by_role("button", name="Log in").click()


def fill_choice(page, index, text, is_correct, feedback):
    page.locator("#choices-group .add-row a").click()
    page.locator(f'[name="choices-{index}-position"]').fill(str(index))
    page.locator(f'[name="choices-{index}-text"]').fill(text)
    page.locator(f'[name="choices-{index}-is_correct"]').set_checked(is_correct)
    page.locator(f'[name="choices-{index}-feedback"]').fill(feedback)


def write_the_single_choice_question(page):
    page.goto("/admin/quizzes/question/add/")
    page.get_by_label("Slug").fill(WRITTEN_SLUG)
    page.get_by_label("Kind").select_option("single")
    page.get_by_label("Prompt").fill(WRITTEN_PROMPT)
    page.get_by_label("Explanation").fill("Physical and environmental controls are inherited: AWS runs them for you.")
    page.get_by_label("Skill").select_option("components")
    page.locator('select[name="lesson"]').select_option(label=LESSON)
    # A slip first: two choices marked correct. The form names the rule and saves nothing.
    for index, (text, _is_correct, feedback) in enumerate(CHOICES):
        fill_choice(page, index, text, index < 2, feedback)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("#choices-group .errorlist")).to_contain_text("exactly one correct choice; it has 2")
    assert not Question.objects.filter(slug=WRITTEN_SLUG).exists()
    page.locator('[name="choices-1-is_correct"]').uncheck()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    question = Question.objects.get(slug=WRITTEN_SLUG)
    assert (question.kind, question.status, question.lesson.title) == ("single", Question.Status.DRAFT, LESSON)
    assert list(question.choices.values_list("text", "is_correct", "feedback")) == CHOICES


def write_the_sort_question(page, screenshot):
    page.goto("/admin/quizzes/question/add/")
    page.get_by_label("Slug").fill(SORT_SLUG)
    page.get_by_label("Kind").select_option("sort")
    page.get_by_label("Prompt").fill("You run a web app on **Amazon EC2**. Who does each of these?")
    page.get_by_label("Explanation").fill("On EC2 the customer runs the guest OS; AWS runs the buildings.")
    page.get_by_label("Skill").select_option("shift")
    cards = page.locator("#cards-group")
    for index, (text, owner) in enumerate(CARDS):
        cards.locator(".add-row a").click()
        page.locator(f'[name="cards-{index}-text"]').fill(text)
        page.locator(f'[name="cards-{index}-owner"]').select_option(owner)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    question = Question.objects.get(slug=SORT_SLUG)
    assert question.status == Question.Status.DRAFT
    assert list(question.cards.values_list("text", "owner")) == CARDS
    screenshot(page, "admin-sort-question")


def preview_the_single_choice_question(page):
    """Practice shows the feedback at once; exam only says the answer was saved, then what the
    results would show."""
    page.goto(f"/admin/quizzes/question/?q={WRITTEN_SLUG}")
    page.get_by_role("link", name=WRITTEN_SLUG, exact=True).click()
    page.get_by_role("link", name="Preview as a learner: practice").click()
    # The banner of the preview (the change form's link says "Preview as a learner" too).
    expect(page.locator(".preview-banner")).to_contain_text("Preview as a learner")
    expect(page.locator(".prompt")).to_have_text(WRITTEN_PROMPT_SHOWN)
    page.get_by_role("group", name="Your answer").get_by_role("radio", name=WRONG, exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    feedback = page.locator(".feedback")
    expect(feedback.locator("h2")).to_contain_text("Not quite")
    expect(feedback).to_contain_text(f"The right answer: {RIGHT}")
    expect(feedback).to_contain_text(WRONG_FEEDBACK)

    page.get_by_role("link", name="Exam mode").click()
    expect(page.locator(".preview-banner")).to_contain_text("in exam mode")
    expect(page.locator(".feedback")).to_have_count(0)
    page.get_by_role("group", name="Your answer").get_by_role("radio", name=RIGHT, exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Answer saved")).to_be_visible()
    expect(page.get_by_role("heading", name="What the learner sees in the results")).to_be_visible()
    expect(page.locator(".feedback h2")).to_contain_text("Right")


def preview_the_sort_question(page, screenshot):
    page.goto(f"/admin/quizzes/question/?q={SORT_SLUG}")
    page.get_by_role("link", name=SORT_SLUG, exact=True).click()
    page.get_by_role("link", name="Preview as a learner: practice").click()
    for text, owner in CARDS:
        page.get_by_label(text).select_option(owner)
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".feedback h2")).to_contain_text("Right")
    screenshot(page, "admin-preview")
    page.get_by_role("link", name="Back to the question in the admin").click()
    pk = Question.objects.get(slug=SORT_SLUG).pk
    expect(page).to_have_url(re.compile(rf"/admin/quizzes/question/{pk}/change/$"))


def publish_the_drafts(page, slugs):
    page.goto("/admin/quizzes/question/?status__exact=draft")
    for slug in slugs:
        pk = Question.objects.get(slug=slug).pk
        page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.locator('select[name="action"]').select_option("publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text(f"{len(slugs)} question(s) published")
    assert set(Question.objects.filter(slug__in=slugs).values_list("status", flat=True)) == {"published"}


def make_a_quiz_that_draws_the_question(page):
    page.goto("/admin/quizzes/quiz/add/")
    page.get_by_label("Slug").fill("glossary-check")
    page.get_by_label("Title").fill(QUIZ_TITLE)
    page.get_by_label("Question count").fill("1")
    page.locator("#rules-group .add-row a").click()
    page.locator('[name="rules-0-count"]').fill("1")
    page.locator('[name="rules-0-kind"]').select_option("single")
    page.locator('[name="rules-0-lesson"]').select_option(label=LESSON)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    drawn = page.locator(".field-questions_drawn")
    expect(drawn).to_contain_text(re.compile(r"\b1 question per attempt"))
    expect(drawn).to_contain_text("Rule 1 (1 of Single choice, one lesson): 1 asked, from 1 matching")


def a_learner_takes_the_quiz(browser, base_url, learner):
    """In a browser context of its own, as on another machine: answers the new question wrongly
    and finishes."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, learner, "/accounts/login/")
        # Logged in before the next page: going on at once would cancel the login's answer.
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        page.goto("/quizzes/")
        page.get_by_role("button", name=f"Start {QUIZ_TITLE}").click()
        expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/q/1/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Question 1 of 1")
        expect(page.locator(".prompt")).to_have_text(WRITTEN_PROMPT_SHOWN)
        page.get_by_role("group", name="Your answer").get_by_role("radio", name=WRONG, exact=True).check()
        page.get_by_role("button", name="Check my answer").click()
        expect(page.locator(".feedback")).to_contain_text(WRONG_FEEDBACK)
        page.get_by_role("button", name="See my results").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Results: {QUIZ_TITLE}")
    finally:
        context.close()
    attempt = Attempt.objects.get(user=learner)
    assert attempt.quiz.title == QUIZ_TITLE and attempt.finished_at is not None and attempt.score == 0
    assert list(attempt.items.values_list("question__slug", flat=True)) == [WRITTEN_SLUG]


def import_a_gift_file(page, tmp_path):
    gift = tmp_path / "moodle-course.gift"
    gift.write_text(GIFT, encoding="utf-8")
    page.goto("/admin/quizzes/question/")
    page.get_by_role("link", name="Import questions").click()
    page.get_by_label("File").set_input_files(str(gift))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("table", name="What the import would do")).to_contain_text("gift-who-patches-rds")
    assert not Question.objects.filter(slug="gift-who-patches-rds").exists()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator(".messagelist")).to_contain_text("2 created")
    assert Question.objects.get(slug="gift-data-is-yours").kind == "truefalse"


def read_the_item_statistics(page):
    page.goto("/admin/quizzes/question/")
    page.get_by_role("link", name="Item statistics").click()
    expect(page).to_have_url(re.compile(r"/admin/quizzes/question/statistics/$"))
    # The learner's one answer is the only one: the previews saved nothing.
    rows = page.locator("#item-statistics tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(0)).to_have_text(WRITTEN_SLUG)
    expect(cells.nth(2)).to_have_text(LESSON)
    expect(cells.nth(3)).to_have_text("1")
    expect(cells.nth(4)).to_have_text("0.00")
    expect(cells.nth(7)).to_have_text(f"{WRONG} (1)")
    # Flags need five answers.
    expect(cells.nth(8)).to_have_text("—")


def read_the_cohort_report(page):
    page.goto("/admin/quizzes/attempt/")
    page.get_by_role("link", name="Cohort report").click()
    expect(page).to_have_url(re.compile(r"/admin/quizzes/attempt/cohort/$"))
    expect(page.get_by_role("heading", name=f"{QUIZ_TITLE} (1 learner)")).to_be_visible()
    bars = page.locator("h3", has_text=QUIZ_TITLE).locator("xpath=following-sibling::table[1]")
    lowest = bars.locator("tbody tr").filter(has=page.get_by_role("rowheader", name="0-9", exact=True))
    expect(lowest.locator("td").first).to_have_text("1")
    lessons = page.locator("h2", has_text="Mastery by lesson").locator("xpath=following-sibling::table[1]")
    glossary = lessons.locator("tbody tr").filter(has=page.get_by_role("cell", name=LESSON, exact=True))
    expect(glossary.locator("td")).to_have_text([LESSON, "1", "0%", "1"])


def test_an_instructor_writes_previews_publishes_sees_the_question_drawn_and_reads_its_statistics(
    page, chromium, live_server, live_content, make_instructor, make_learner, tmp_path, screenshot
):
    instructor = make_instructor("ines")
    log_in(page, instructor, "/admin/")
    expect(page.locator("#instructor-tools")).to_be_visible()

    write_the_single_choice_question(page)
    write_the_sort_question(page, screenshot)
    preview_the_single_choice_question(page)
    preview_the_sort_question(page, screenshot)
    assert not Attempt.objects.exists() and not Answer.objects.exists()

    publish_the_drafts(page, [WRITTEN_SLUG, SORT_SLUG])
    make_a_quiz_that_draws_the_question(page)
    assert Quiz.objects.get(title=QUIZ_TITLE).rules.get().lesson.title == LESSON

    a_learner_takes_the_quiz(chromium, live_server.url, make_learner())

    import_a_gift_file(page, tmp_path)
    read_the_item_statistics(page)
    read_the_cohort_report(page)
