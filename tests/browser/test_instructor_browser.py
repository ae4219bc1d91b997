"""An instructor curates the bank in a real Chromium: adds a sort question with three cards in the
admin, previews it as a learner, publishes it, imports a Moodle GIFT file and opens the statistics."""

import re

import pytest
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Kind, Question, Quiz, SelectionRule

pytestmark = pytest.mark.browser

GIFT = """// Questions from a Moodle course
::gift-who-patches-rds::Who patches the database engine of an RDS instance? {
  =AWS#AWS applies engine patches in the maintenance window you choose.
  ~The customer#On RDS you pick the window; AWS does the patching.
  ####RDS is a managed service: AWS runs and patches the engine.
}

::gift-data-is-yours::Customer data is always the customer's responsibility. {T}
"""
CARDS = [
    ("Patch the guest operating system of an instance", "customer"),
    ("Secure the data centre buildings", "aws"),
    ("Decide how data is encrypted", "shared"),
]


def learners_answer_written_questions(make_learner, learners=6):
    """Finished attempts of single-choice questions, some answers wrong, for the statistics to show."""
    quiz = Quiz.objects.create(slug="stats-demo", title="Statistics demo", question_count=5)
    SelectionRule.objects.create(quiz=quiz, count=5, kind=Kind.SINGLE)
    for number in range(learners):
        attempt = services.start_attempt(quiz=quiz, user=make_learner())
        for index, item in enumerate(attempt.items.all()):
            wrong = [key for key in item.option_keys if key not in item.key["correct"]]
            chosen = wrong[:1] if (number + index) % 3 == 0 else item.key["correct"]
            services.record_answer(attempt=attempt, item=item, response={"choices": chosen})
        services.finish_attempt(attempt=attempt)


def test_an_instructor_adds_previews_publishes_imports_and_reads_the_statistics(
    page, live_content, make_instructor, make_learner, tmp_path, screenshot
):
    instructor = make_instructor("ines")

    # Log in to the admin.
    page.goto("/admin/")
    page.get_by_label("Username").fill(instructor.username)
    page.get_by_label("Password").fill(instructor.raw_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#instructor-tools")).to_be_visible()

    # Add a sort question with three cards, as a draft.
    page.goto("/admin/quizzes/question/add/")
    page.get_by_label("Slug").fill("sort-ec2-basics")
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
    question = Question.objects.get(slug="sort-ec2-basics")
    assert question.status == Question.Status.DRAFT
    assert list(question.cards.values_list("text", "owner")) == CARDS
    screenshot(page, "admin-sort-question")

    # Preview it as a learner, answer it, read the feedback; nothing is saved.
    page.get_by_role("link", name="Preview as a learner: practice").click()
    expect(page.get_by_text("Preview as a learner")).to_be_visible()
    for text, owner in CARDS:
        page.get_by_label(text).select_option(owner)
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator(".feedback h2")).to_contain_text("Right")
    screenshot(page, "admin-preview")
    page.get_by_role("link", name="Back to the question in the admin").click()

    # Publish it from the list with the bulk action.
    page.goto("/admin/quizzes/question/?q=sort-ec2-basics")
    page.locator('input[name="_selected_action"]').first.check()
    page.locator('select[name="action"]').select_option("publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 question(s) published")
    assert Question.objects.get(slug="sort-ec2-basics").status == Question.Status.PUBLISHED

    # Import a GIFT file: preview, then confirm.
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

    # Open the item statistics, once learners have answered.
    learners_answer_written_questions(make_learner)
    page.get_by_role("link", name="Item statistics").click()
    expect(page).to_have_url(re.compile(r"/admin/quizzes/question/statistics/"))
    expect(page.locator("h1")).to_contain_text("statistics", ignore_case=True)
    answered = Question.objects.filter(items__answer__isnull=False).distinct().first()
    expect(page.locator("#content-main")).to_contain_text(answered.slug)
    screenshot(page, "admin-statistics")
