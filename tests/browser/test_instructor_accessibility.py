"""The instructor pages pass axe-core with no serious or critical violation: the admin index with
the instructor tools, the item statistics and the cohort report (empty and with answers), the
import page and its previews, and the question preview in both modes."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.attempts import services
from quizzes.models import Kind, Question, Quiz, SelectionRule, Skill, SortCard
from study.models import Lesson
from tests.browser.axe import blocking_violations

pytestmark = pytest.mark.browser

GOOD_GIFT = """::gift-who-patches-rds::Who patches the database engine of an RDS instance? {
  =AWS#AWS applies engine patches in the maintenance window you choose.
  ~The customer#On RDS you pick the window; AWS does the patching.
}

::gift-data-is-yours::Customer data is always the customer's responsibility. {T}
"""
# The second question has no correct answer and the third reuses the first one's slug.
BAD_GIFT = """::gift-who-patches-rds::Who patches the database engine of an RDS instance? {
  =AWS
  ~The customer
}

::gift-no-right-answer::Who owns the data you store in S3? {
  ~AWS
  ~Nobody
}

::gift-who-patches-rds::The same slug again? {T}
"""
# The banner at the top of the preview comes from the learner templates (templates/quizzes/
# preview.html, static/css/site.css), which the learner pages' owner looks after: it is checked
# on its own below, so that the rest of the preview is held to the rule meanwhile.


@pytest.fixture
def instructor_page(page, live_content, make_instructor):
    instructor = make_instructor()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(instructor.username)
    page.get_by_label("Password").fill(instructor.raw_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#instructor-tools")).to_be_visible()
    return page


def learners_answer_written_questions(make_learner, learners=12):
    """Finished attempts of one lesson's single-choice questions, answered so that the statistics
    have something to show: each learner has an ability, each question a difficulty (a learner gets
    a question right when able enough), except one question answered at random, which
    discriminates poorly. Wrong answers go to a choice with a misconception when there is one;
    each answer takes between 8 and 90 seconds."""
    lesson = Lesson.objects.get(slug="how-the-line-moves")
    # Of the skill no generated exam-format item trains (it asks one side's duties), so that only
    # written questions are drawn: the statistics are theirs.
    pool = list(
        Question.objects.published().filter(kind=Kind.SINGLE, lesson=lesson, skill=Skill.SHIFT).order_by("slug")
    )
    difficulty = {question.pk: index / len(pool) for index, question in enumerate(pool)}
    coin_flip = pool[len(pool) // 2].pk
    quiz = Quiz.objects.create(slug="stats-demo", title="Statistics demo", question_count=5)
    SelectionRule.objects.create(quiz=quiz, count=5, kind=Kind.SINGLE, lesson=lesson, skill=Skill.SHIFT)
    for number in range(learners):
        rng = random.Random(number)
        ability = (number + 1) / (learners + 1)
        attempt = services.start_attempt(quiz=quiz, user=make_learner(), rng=rng)
        for item in attempt.items.all():
            right = rng.random() < 0.5 if item.question_id == coin_flip else ability > difficulty[item.question_id]
            misleading = item.key["misconceptions"]
            wrong = sorted(
                (key for key in item.option_keys if key not in item.key["correct"]),
                key=lambda key: key not in misleading,
            )
            chosen = item.key["correct"] if right else wrong[:1]
            item.shown_at = timezone.now() - timedelta(seconds=rng.randint(8, 90))
            item.save(update_fields=["shown_at"])
            services.record_answer(attempt=attempt, item=item, response={"choices": chosen})
        services.finish_attempt(attempt=attempt)


def test_the_admin_index_with_the_instructor_tools_has_no_blocking_violation(instructor_page):
    expect(instructor_page.locator("#instructor-tools")).to_contain_text("Item statistics")
    assert blocking_violations(instructor_page) == []


def test_the_reports_without_answers_have_no_blocking_violation(instructor_page):
    page = instructor_page
    page.goto("/admin/quizzes/question/statistics/")
    expect(page.locator("#content-main")).to_contain_text("No written question matching these filters")
    assert blocking_violations(page) == []
    page.goto("/admin/quizzes/attempt/cohort/")
    expect(page.locator("#content-main")).to_contain_text("No learner has finished an attempt yet")
    assert blocking_violations(page) == []


def test_the_reports_with_answers_have_no_blocking_violation(instructor_page, make_learner, screenshot):
    page = instructor_page
    learners_answer_written_questions(make_learner)
    page.goto("/admin/quizzes/question/statistics/")
    expect(page.locator("#item-statistics .stats-flag").first).to_be_visible()
    expect(page.locator("#misconception-statistics tbody tr").first).to_be_visible()
    assert blocking_violations(page) == []
    screenshot(page, "admin-statistics")
    page.goto("/admin/quizzes/attempt/cohort/")
    expect(page.get_by_role("heading", name="Statistics demo (12 learners)")).to_be_visible()
    assert blocking_violations(page) == []
    screenshot(page, "admin-cohort")


def test_the_import_page_and_its_previews_have_no_blocking_violation(instructor_page, tmp_path, screenshot):
    page = instructor_page
    page.goto("/admin/quizzes/question/import/")
    assert blocking_violations(page) == []

    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".errorlist")).to_contain_text("This field is required")
    assert blocking_violations(page) == []

    bad = tmp_path / "broken.gift"
    bad.write_text(BAD_GIFT, encoding="utf-8")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-problems")).to_contain_text("problems found")
    assert blocking_violations(page) == []

    page.goto("/admin/quizzes/question/import/")
    good = tmp_path / "moodle-course.gift"
    good.write_text(GOOD_GIFT, encoding="utf-8")
    page.get_by_label("File").set_input_files(str(good))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("button", name="Confirm the import")).to_be_visible()
    assert blocking_violations(page) == []
    screenshot(page, "admin-import-preview")


def a_sort_question():
    question = Question.objects.create(
        slug="sort-preview", kind=Kind.SORT, prompt="Who does each of these on **Amazon EC2**?", skill="shift"
    )
    for position, (text, owner) in enumerate([("Patch the guest OS", "customer"), ("Guard the buildings", "aws")]):
        SortCard.objects.create(question=question, position=position, text=text, owner=owner)
    return question


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_the_question_preview_has_no_blocking_violation(instructor_page, mode):
    page = instructor_page
    for question in (Question.objects.filter(kind=Kind.SINGLE).first(), a_sort_question()):
        page.goto(f"/admin/quizzes/question/{question.pk}/preview/?mode={mode}")
        assert blocking_violations(page) == [], f"{question.kind} before answering"
        if question.kind == Kind.SORT:
            # By name: the script moves each card into its bucket once chosen, so positions change.
            for name in page.locator(".sort-card select").evaluate_all("selects => selects.map(s => s.name)"):
                page.locator(f'select[name="{name}"]').select_option("aws")
        else:
            page.locator(".answer-form input[name=choice]").first.check()
        page.get_by_role("button", name="Save" if mode == "exam" else "Check my answer").click()
        expect(page.locator(".feedback")).to_be_visible()
        assert blocking_violations(page) == [], f"{question.kind} answered"
