"""Exam simulations ask what CLF-C02 asks: single choice and multiple response, written or generated,
whatever their rules say; a rule of another kind is refused by the loader and by the quiz admin."""

import random
import shutil
from collections import Counter

import pytest
from django.urls import reverse

from quizzes.bank.content_files import QUIZ_CONTENT_DIR, read_quiz_content
from quizzes.bank.drawing import draw, draw_counts
from quizzes.models import Kind, Question, Quiz, SelectionRule
from quizzes.tests.test_quiz_admin import change_form_values
from study.content_files import ContentError, read_content

pytestmark = pytest.mark.django_db

EXAM_KINDS = {Kind.SINGLE, Kind.MULTIPLE}


def kinds_drawn(chosen):
    written = dict(Question.objects.values_list("pk", "kind"))
    kinds = Counter()
    for candidate in chosen:
        if candidate[0] == "q":
            kinds[written[candidate[1]]] += 1
        elif candidate[0] == "pick":
            kinds[Kind.SINGLE if candidate[3] == 1 else Kind.MULTIPLE] += 1
        else:
            kinds[{"row": Kind.OWNER, "sort": Kind.SORT}[candidate[0]]] += 1
    return kinds


@pytest.mark.parametrize("seed", range(5))
def test_an_exam_draws_only_exam_kinds_whatever_its_rules_say(quiz_content, seed):
    # Rules the admin and the loader refuse in an exam, written straight to the database.
    exam = Quiz.objects.create(slug="anything-exam", title="Anything", mode=Quiz.Mode.EXAM)
    for position, kind in enumerate(["", *Kind.values]):
        SelectionRule.objects.create(quiz=exam, position=position, count=4, kind=kind)
    _catalog, chosen = draw(exam, rng=random.Random(seed))
    kinds = kinds_drawn(chosen)
    assert set(kinds) == EXAM_KINDS
    assert kinds[Kind.SINGLE] >= 4
    assert kinds[Kind.MULTIPLE] >= 4
    # The same rules in practice mode draw every kind.
    exam.mode = Quiz.Mode.PRACTICE
    exam.save()
    assert set(kinds_drawn(draw(exam, rng=random.Random(seed))[1])) == set(Kind.values)


@pytest.mark.parametrize("slug", ["exam-simulation", "exam-simulation-full"])
@pytest.mark.parametrize("seed", range(4))
def test_the_shipped_simulations_draw_only_exam_kinds_written_and_generated(quiz_content, slug, seed):
    _catalog, chosen = draw(Quiz.objects.get(slug=slug), rng=random.Random(seed))
    assert set(kinds_drawn(chosen)) == EXAM_KINDS
    assert {candidate[0] for candidate in chosen} == {"q", "pick"}


@pytest.mark.parametrize("seed", range(10))
def test_the_short_simulation_draws_thirty(quiz_content, seed):
    exam = Quiz.objects.get(slug="exam-simulation")
    assert exam.planned_count == 30
    assert len(draw(exam, rng=random.Random(seed))[1]) == 30


@pytest.mark.parametrize("seed", range(5))
def test_the_full_simulation_draws_sixty_five_asking_no_duty_twice(quiz_content, seed):
    exam = Quiz.objects.get(slug="exam-simulation-full")
    assert exam.planned_count == 65
    _catalog, chosen = draw(exam, rng=random.Random(seed))
    assert len(chosen) == 65
    asked = [duty for candidate in chosen if candidate[0] == "pick" for duty in candidate[4]]
    distractors = {duty for candidate in chosen if candidate[0] == "pick" for duty in candidate[5]}
    assert len(asked) == len(set(asked))  # no duty is the answer twice
    assert not set(asked) & distractors  # nor shown as a distractor elsewhere, which would say whose it is
    assert draw_counts(exam).total == 65


def test_a_quiz_the_bank_cannot_fill_says_how_many_it_has(learner_client, quiz_content):
    exam = Quiz.objects.get(slug="exam-simulation-full")
    SelectionRule.objects.filter(quiz=exam, kind=Kind.MULTIPLE).update(count=200)
    response = learner_client.post(f"/quizzes/{exam.slug}/start/", follow=True)
    attempt = exam.attempts.get()
    assert attempt.item_count < exam.planned_count
    assert (
        f"This quiz asks for {exam.planned_count} questions, but the bank can fill only {attempt.item_count}"
        in response.content.decode()
    )


def test_the_planned_count_is_the_rules_sum_or_the_question_count(quiz_content):
    quiz = Quiz.objects.create(slug="planned", title="Planned", question_count=12)
    assert quiz.planned_count == 12
    SelectionRule.objects.create(quiz=quiz, position=0, count=3, kind=Kind.OWNER)
    SelectionRule.objects.create(quiz=quiz, position=1, count=4)
    assert Quiz.objects.get(pk=quiz.pk).planned_count == 7
    assert Quiz.objects.prefetch_related("rules").get(pk=quiz.pk).planned_count == 7
    review = Quiz.objects.get(slug="review-my-mistakes")
    assert review.planned_count == review.question_count == 10


# -- refused where quizzes are written -------------------------------------------------------------


def quiz_files(tmp_path, quizzes_yaml):
    shutil.copy(QUIZ_CONTENT_DIR / "questions.yaml", tmp_path / "questions.yaml")
    (tmp_path / "quizzes.yaml").write_text(quizzes_yaml)
    return tmp_path


def test_the_loader_refuses_a_rule_of_another_kind_in_an_exam(tmp_path):
    folder = quiz_files(
        tmp_path,
        """
- slug: mock-exam
  title: Mock exam
  mode: exam
  rules:
    - {count: 5, kind: single}
    - {count: 5, kind: owner}
    - {count: 5}
    - {count: 2, kind: truefalse}
- slug: practice
  title: Practice
  mode: practice
  rules:
    - {count: 5, kind: owner}
""",
    )
    with pytest.raises(ContentError) as error:
        read_quiz_content(read_content(), folder)
    message = (
        "an exam asks only single-choice and multiple-response questions, as CLF-C02 does, so it cannot draw "
        "'{}' ({}) questions; give the rule kind single, multiple or none"
    )
    assert error.value.problems == [
        f"{folder.name}/quizzes.yaml: quiz 'mock-exam', rule 2: " + message.format("owner", "Who is responsible?"),
        f"{folder.name}/quizzes.yaml: quiz 'mock-exam', rule 4: " + message.format("truefalse", "True or false"),
    ]


def test_the_loader_accepts_the_exam_kinds_in_an_exam(tmp_path):
    folder = quiz_files(
        tmp_path,
        """
- slug: mock-exam
  title: Mock exam
  mode: exam
  rules:
    - {count: 5, kind: single}
    - {count: 5, kind: multiple}
    - {count: 5}
""",
    )
    _questions, quizzes = read_quiz_content(read_content(), folder)
    assert [rule["kind"] for rule in quizzes["mock-exam"]["rules"]] == ["single", "multiple", ""]


@pytest.fixture
def exam_form(admin_client, quiz_content):
    """The admin's change form of the short simulation as a browser would submit it, with one more rule."""
    exam = Quiz.objects.get(slug="exam-simulation")
    url = reverse("admin:quizzes_quiz_change", args=[exam.pk])
    data = change_form_values(admin_client.get(url))
    total = int(data["rules-TOTAL_FORMS"])
    data.update({"rules-TOTAL_FORMS": str(total + 1), f"rules-{total}-position": "9", f"rules-{total}-count": "2"})
    return exam, url, data, total


@pytest.mark.parametrize("kind", [Kind.OWNER, Kind.SORT, Kind.TRUE_FALSE])
def test_the_quiz_admin_refuses_a_rule_of_another_kind_in_an_exam(admin_client, exam_form, kind):
    exam, url, data, total = exam_form
    data[f"rules-{total}-kind"] = kind
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = [
        str(error) for inline in response.context["inline_admin_formsets"] for error in inline.formset.non_form_errors()
    ]
    assert errors == [
        f"Rule {total + 1}: an exam asks only single-choice and multiple-response questions, as CLF-C02 does, "
        f"so it cannot draw '{kind}' ({Kind(kind).label}) questions; give the rule kind single, multiple or none."
    ]
    assert exam.rules.count() == total


@pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.MULTIPLE, ""])
def test_the_quiz_admin_saves_an_exam_rule_of_an_exam_kind(admin_client, exam_form, kind):
    exam, url, data, total = exam_form
    data[f"rules-{total}-kind"] = kind
    assert admin_client.post(url, data).status_code == 302
    assert exam.rules.count() == total + 1


def test_the_quiz_admin_refuses_turning_a_practice_quiz_with_owner_rules_into_an_exam(admin_client, quiz_content):
    quiz = Quiz.objects.get(slug="quick-check")
    url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    data = change_form_values(admin_client.get(url))
    assert admin_client.post(url, data).status_code == 302  # as it is, in practice mode
    data["mode"] = Quiz.Mode.EXAM
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = [
        str(error) for inline in response.context["inline_admin_formsets"] for error in inline.formset.non_form_errors()
    ]
    assert [error.split(":")[0] for error in errors] == ["Rule 1", "Rule 2", "Rule 5"]  # owner, sort, true/false
    assert Quiz.objects.get(pk=quiz.pk).mode == Quiz.Mode.PRACTICE


@pytest.mark.parametrize("seed", range(3))
def test_the_next_simulation_asks_thirty_and_not_the_written_questions_of_the_last_while_fresh_ones_remain(
    quiz_content, seed
):
    from quizzes.bank.drawing import RecentlyAsked

    exam = Quiz.objects.get(slug="exam-simulation")
    _catalog, first = draw(exam, rng=random.Random(seed))
    asked = {candidate[1] for candidate in first if candidate[0] == "q"}
    _catalog, second = draw(exam, rng=random.Random(seed + 100), recent=RecentlyAsked(question_ids=frozenset(asked)))
    assert len(second) == 30
    again = {candidate[1] for candidate in second if candidate[0] == "q"}
    assert not again & asked
