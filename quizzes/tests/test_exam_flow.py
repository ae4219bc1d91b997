"""Exam mode like the real exam: answers change until the end, questions can be flagged, a review
screen comes before finishing, and finishing with unanswered questions asks first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Answer, Attempt, Kind, Outcome, Quiz, ReviewItem, SelectionRule
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam_quiz(quiz_content):
    quiz = Quiz.objects.create(
        slug="small-exam", title="Small exam", mode=Quiz.Mode.EXAM, time_limit_minutes=30, question_count=5
    )
    SelectionRule.objects.create(quiz=quiz, position=0, count=3, kind=Kind.SINGLE)
    SelectionRule.objects.create(quiz=quiz, position=1, count=2, kind=Kind.MULTIPLE)
    return quiz


@pytest.fixture
def exam(learner_client, exam_quiz):
    return start(learner_client, exam_quiz)


def page(client, attempt, number):
    return client.get(f"/quizzes/attempts/{attempt.pk}/q/{number}/").content.decode()


def finish(client, attempt, **data):
    return client.post(f"/quizzes/attempts/{attempt.pk}/finish/", data)


def checked_keys(html, item):
    return {key for key in item.option_keys if f'value="{key}"' in html and _is_checked(html, key)}


def _is_checked(html, key):
    tag_start = html.rfind("<input", 0, html.index(f'value="{key}"'))
    tag = html[tag_start : html.index(">", tag_start)]
    return " checked" in tag


def test_a_changed_exam_answer_replaces_the_first_and_the_last_one_counts(learner_client, exam):
    item = exam.items.first()
    answer(learner_client, item, wrong_answer(item), action="save")
    assert Answer.objects.get(item=item).is_correct is False
    assert checked_keys(page(learner_client, exam, 1), item) == set(wrong_answer(item)["choice"])

    answer(learner_client, item, right_answer(item), action="save")

    stored = Answer.objects.get(item=item)  # still one answer for the item
    assert stored.is_correct
    assert checked_keys(page(learner_client, exam, 1), item) == set(item.key["correct"])
    finish(learner_client, exam, confirm="unanswered")
    exam.refresh_from_db()
    assert exam.score == pytest.approx(round(100 / exam.item_count, 1))


def test_an_exam_answer_counts_for_progress_and_the_queue_only_as_it_stands_at_the_end(learner_client, learner, exam):
    first, second = list(exam.items.all()[:2])
    answer(learner_client, first, wrong_answer(first))
    answer(learner_client, second, wrong_answer(second))
    answer(learner_client, first, right_answer(first))
    assert not Outcome.objects.filter(attempt=exam).exists()
    assert not ReviewItem.objects.filter(user=learner).exists()

    finish(learner_client, exam, confirm="unanswered")

    outcomes = Outcome.objects.filter(attempt=exam)
    assert sorted(outcomes.values_list("answer__item_id", "is_correct")) == sorted(
        [(first.pk, True), (second.pk, False)]
    )
    # Only the miss is queued: a written question by its id, a generated item by its duty.
    [review] = ReviewItem.objects.filter(user=learner)
    if second.question_id:
        assert review.question_id == second.question_id
    else:
        assert (review.question_id, review.duty_id) == (None, second.duty_id)
    # Finishing again writes nothing twice.
    finish(learner_client, exam, confirm="unanswered")
    assert Outcome.objects.filter(attempt=exam).count() == 2


def test_save_and_next_goes_to_the_following_question_and_the_last_to_the_review_screen(learner_client, exam):
    items = list(exam.items.all())
    response = answer(learner_client, items[0], right_answer(items[0]), action="next")
    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/q/2/"
    response = answer(learner_client, items[-1], right_answer(items[-1]), action="next")
    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/review/"
    response = answer(learner_client, items[-1], right_answer(items[-1]), action="save")
    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/q/{len(items)}/"


def test_one_button_saves_and_moves_on_and_the_last_question_has_save(learner_client, exam):
    first = page(learner_client, exam, 1)
    assert "Save and next" in first and 'value="save"' not in first
    last = page(learner_client, exam, exam.item_count)
    assert 'value="save"' in last and "Save and next" not in last


def test_a_blank_exam_answer_stores_nothing_and_moves_on(learner_client, exam):
    item = exam.items.first()
    response = answer(learner_client, item, {}, action="next")
    assert response.status_code == 302
    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/q/2/"
    assert not Answer.objects.filter(item=item).exists()


def test_a_blank_save_keeps_the_answer_saved_before(learner_client, exam):
    item = exam.items.first()
    answer(learner_client, item, right_answer(item))
    answer(learner_client, item, {}, action="save")
    assert Answer.objects.get(item=item).is_correct


def test_a_practice_answer_is_still_required_and_first_answer_counts(client, every_kind_quiz):
    practice = start(client, every_kind_quiz(Quiz.Mode.PRACTICE))
    item = practice.items.get(kind=Kind.SINGLE)
    assert answer(client, item, {}).status_code == 400
    answer(client, item, wrong_answer(item))
    answer(client, item, right_answer(item))
    assert Answer.objects.get(item=item).is_correct is False


def test_flagging_a_question_keeps_the_answer_chosen_with_it(learner_client, exam):
    item = exam.items.first()
    response = answer(learner_client, item, right_answer(item), action="flag")
    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/q/1/"
    item.refresh_from_db()
    assert item.flagged and Answer.objects.get(item=item).is_correct
    assert "Flagged" in page(learner_client, exam, 1)
    answer(learner_client, item, {}, action="unflag")
    item.refresh_from_db()
    assert not item.flagged and Answer.objects.filter(item=item).exists()


def test_the_review_screen_lists_answered_unanswered_and_flagged_questions_as_links(learner_client, exam):
    items = list(exam.items.all())
    answer(learner_client, items[0], right_answer(items[0]), action="flag")
    answer(learner_client, items[1], {}, action="flag")
    answer(learner_client, items[2], wrong_answer(items[2]))

    html = learner_client.get(f"/quizzes/attempts/{exam.pk}/review/").content.decode()

    flagged = html[html.index('id="flagged-heading"') : html.index('id="unanswered-heading"')]
    unanswered = html[html.index('id="unanswered-heading"') : html.index('id="all-heading"')]
    assert "Flagged for review (2)" in flagged
    for number in (1, 2):
        assert f'href="/quizzes/attempts/{exam.pk}/q/{number}/">Question {number}</a>' in flagged
    assert "Not answered (3)" in unanswered
    for number in (2, 4, 5):
        link = f'href="/quizzes/attempts/{exam.pk}/q/{number}/"><span class="visually-hidden">Question </span>{number}'
        assert link in unanswered
    assert "Finish with 3 unanswered" in html
    # Which answers are right stays hidden: answered is all the screen says.
    assert "feedback" not in html and "✔" not in html and "✘" not in html


def test_finishing_with_unanswered_questions_asks_for_confirmation_first(learner_client, exam):
    item = exam.items.first()
    answer(learner_client, item, right_answer(item))

    response = finish(learner_client, exam)

    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/review/"
    exam.refresh_from_db()
    assert not exam.is_finished
    assert "4 questions are not answered yet" in learner_client.get(response["Location"]).content.decode()
    response = finish(learner_client, exam, confirm="unanswered")
    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/results/"
    exam.refresh_from_db()
    assert exam.is_finished


def test_finishing_with_every_question_answered_needs_no_confirmation(learner_client, exam):
    for item in exam.items.all():
        answer(learner_client, item, right_answer(item))
    finish(learner_client, exam)
    exam.refresh_from_db()
    assert exam.is_finished and exam.score == 100


def test_no_answer_or_flag_changes_once_the_exam_is_finished(learner_client, exam):
    item = exam.items.first()
    answer(learner_client, item, wrong_answer(item))
    finish(learner_client, exam, confirm="unanswered")
    response = answer(learner_client, item, right_answer(item), action="flag")
    assert response["Location"] == f"/quizzes/attempts/{exam.pk}/results/"
    assert Answer.objects.get(item=item).is_correct is False
    item.refresh_from_db()
    assert not item.flagged


def test_a_change_after_the_deadline_is_refused_and_the_answer_before_it_counts(learner_client, exam):
    item = exam.items.first()
    answer(learner_client, item, right_answer(item))
    Attempt.objects.filter(pk=exam.pk).update(deadline=timezone.now() - timedelta(seconds=1))

    answer(learner_client, item, wrong_answer(item))

    assert Answer.objects.get(item=item).is_correct
    exam.refresh_from_db()
    assert exam.expired and exam.score == pytest.approx(round(100 / exam.item_count, 1))


def test_the_exam_navigation_says_answered_never_right_or_wrong(learner_client, exam):
    first, second = list(exam.items.all()[:2])
    answer(learner_client, first, right_answer(first))
    answer(learner_client, second, wrong_answer(second))
    html = page(learner_client, exam, 3)
    assert html.count("(answered)") == 2
    assert "status-right" not in html and "status-wrong" not in html and "(right" not in html


def test_the_practice_navigation_says_right_or_wrong_in_words(client, every_kind_quiz):
    practice = start(client, every_kind_quiz(Quiz.Mode.PRACTICE))
    first, second = list(practice.items.exclude(kind=Kind.SORT)[:2])
    answer(client, first, right_answer(first))
    answer(client, second, wrong_answer(second))
    html = page(client, practice, 1)
    assert f'{first.number}<span aria-hidden="true" class="nav-mark"> ✔</span>' in html
    assert "(right)" in html and "(wrong)" in html


def test_the_exam_page_has_a_bar_with_time_position_flag_and_the_question_grid(learner_client, exam):
    html = page(learner_client, exam, 2)
    bar = html[html.index('class="exam-bar"') :]
    assert "exam-timer" in bar and f"Q 2 / {exam.item_count}" in bar
    assert 'name="action" value="flag"' in bar and 'form="answer-form"' in bar
    assert "<details" in bar and "Questions of this attempt" in bar
    # The bar comes after the form, so that Enter in the form saves rather than flags.
    assert html.index('id="answer-form"') < html.index('class="exam-bar"')


def test_migration_0004_drops_the_outcomes_older_code_wrote_for_running_exams(learner_client, exam, every_kind_quiz):
    """Outcomes are written when an exam ends; ones written at answer time by the earlier code, for
    exams still running, are dropped once by migration 0004 so that the end never counts them twice."""
    import importlib

    from django.apps import apps

    from quizzes.attempts.services import outcomes

    migration = importlib.import_module("quizzes.migrations.0004_outcomes_of_running_exams")
    practice = start(learner_client, every_kind_quiz(Quiz.Mode.PRACTICE))
    practice_item = practice.items.exclude(kind=Kind.SORT).first()
    answer(learner_client, practice_item, right_answer(practice_item))
    item = exam.items.first()
    answer(learner_client, item, right_answer(item))
    stored = Answer.objects.get(item=item)
    Outcome.objects.bulk_create(outcomes(exam, item, stored, item.grade(stored.response), "", stored.answered_at))

    migration.drop_outcomes_of_running_exams(apps, None)

    assert not Outcome.objects.filter(attempt=exam).exists()
    assert Outcome.objects.filter(attempt=practice).count() == 1
    finish(learner_client, exam, confirm="unanswered")
    assert Outcome.objects.filter(attempt=exam).count() == 1
