"""The question admin: every validation rule, bulk actions, and the draw count of quizzes."""

import pytest
from django.urls import reverse

from quizzes.models import Choice, Kind, Question, Quiz, SelectionRule, SortCard

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:quizzes_question_add")


def question_post(
    *, slug="new-question", kind="single", status="draft", explanation="", owner="", choices=(), cards=()
):
    """The admin's add-form POST: the question's fields and both inline formsets."""
    data = {
        "slug": slug,
        "kind": kind,
        "status": status,
        "prompt": "Who patches the guest operating system on EC2?",
        "explanation": explanation,
        "owner": owner,
        "difficulty": "2",
        "skill": "customer",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
        "cards-TOTAL_FORMS": str(len(cards)),
        "cards-INITIAL_FORMS": "0",
    }
    for index, (text, correct) in enumerate(choices):
        data |= {f"choices-{index}-position": str(index), f"choices-{index}-text": text}
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    for index, (text, card_owner) in enumerate(cards):
        data |= {f"cards-{index}-position": str(index), f"cards-{index}-text": text, f"cards-{index}-owner": card_owner}
    return data


def errors_of(response):
    """Every error message the admin shows: form fields and both inlines' non-form errors."""
    found = [str(error) for errors in response.context["adminform"].form.errors.values() for error in errors]
    for formset in response.context["inline_admin_formsets"]:
        found += [str(error) for error in formset.formset.non_form_errors()]
        found += [
            f"{name}: {error}" for form in formset.formset for name, errors in form.errors.items() for error in errors
        ]
    return " ".join(found)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": "single", "choices": [("A", True), ("B", True)]}, "exactly one correct choice; it has 2"),
        ({"kind": "single", "choices": [("A", False), ("B", False)]}, "exactly one correct choice; it has 0"),
        ({"kind": "single", "choices": [("A", True)]}, "at least two choices"),
        ({"kind": "multiple", "choices": [("A", False), ("B", False)]}, "at least one correct choice"),
        ({"kind": "truefalse", "choices": [("True", True), ("False", False), ("Maybe", False)]}, "exactly two"),
        ({"kind": "owner", "owner": ""}, "needs the right owner"),
        ({"kind": "owner", "owner": "aws", "choices": [("A", True), ("B", False)]}, "Only single-choice"),
        ({"kind": "sort", "cards": [("Patch the guest OS", "customer")]}, "at least two cards"),
        ({"kind": "sort", "cards": [("A", "aws"), ("B", "")]}, "owner"),
        (
            {"kind": "single", "cards": [("A", "aws"), ("B", "aws")], "choices": [("A", True), ("B", False)]},
            "Only sort",
        ),
        (
            {"kind": "single", "status": "published", "choices": [("A", True), ("B", False)]},
            "A published question needs an explanation",
        ),
    ],
)
def test_the_admin_refuses_a_question_that_breaks_a_rule_and_says_why(instructor_client, fields, expected):
    response = instructor_client.post(ADD_URL, question_post(**fields))
    assert response.status_code == 200
    assert expected in errors_of(response)
    assert not Question.objects.filter(slug="new-question").exists()


def test_an_instructor_adds_a_sort_question_with_three_cards(instructor_client):
    cards = [("Patch the guest OS", "customer"), ("Secure the data centre", "aws"), ("Configure encryption", "shared")]
    response = instructor_client.post(ADD_URL, question_post(kind="sort", cards=cards, explanation="Because."))
    assert response.status_code == 302, errors_of(response)
    question = Question.objects.get(slug="new-question")
    assert question.kind == Kind.SORT and question.status == Question.Status.DRAFT
    assert [(card.text, card.owner) for card in question.cards.all()] == cards


def test_valid_questions_of_every_choice_kind_are_saved(instructor_client):
    for kind, choices in [
        ("single", [("A", True), ("B", False)]),
        ("multiple", [("A", True), ("B", True), ("C", False)]),
        ("truefalse", [("True", False), ("False", True)]),
    ]:
        data = question_post(slug=f"q-{kind}", kind=kind, status="published", explanation="Why.", choices=choices)
        assert instructor_client.post(ADD_URL, data).status_code == 302
        assert Question.objects.get(slug=f"q-{kind}").choices.count() == len(choices)
    data = question_post(slug="q-owner", kind="owner", owner="customer", status="published", explanation="Why.")
    assert instructor_client.post(ADD_URL, data).status_code == 302


def make_question(slug, *, explanation="Because.", correct=True, status=Question.Status.DRAFT):
    question = Question.objects.create(
        slug=slug, kind=Kind.SINGLE, prompt="Prompt", explanation=explanation, skill="aws", status=status
    )
    Choice.objects.create(question=question, position=0, text="Right", is_correct=correct)
    Choice.objects.create(question=question, position=1, text="Wrong", is_correct=False)
    return question


def run_action(client, action, questions):
    return client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": action, "_selected_action": [question.pk for question in questions]},
        follow=True,
    )


def test_publish_publishes_valid_questions_and_names_the_ones_it_refuses(instructor_client):
    good = make_question("good")
    no_explanation = make_question("no-explanation", explanation="")
    no_right_choice = make_question("no-right-choice", correct=False)
    response = run_action(instructor_client, "publish", [good, no_explanation, no_right_choice])
    statuses = dict(Question.objects.values_list("slug", "status"))
    assert statuses == {"good": "published", "no-explanation": "draft", "no-right-choice": "draft"}
    text = response.content.decode()
    assert "1 question(s) published" in text
    assert "no-explanation" in text and "needs an explanation" in text
    assert "no-right-choice" in text and "exactly one correct choice" in text


def test_unpublish_sends_questions_back_to_draft(instructor_client):
    question = make_question("live", status=Question.Status.PUBLISHED)
    run_action(instructor_client, "unpublish", [question])
    assert Question.objects.get(pk=question.pk).status == Question.Status.DRAFT


def test_duplicate_makes_a_draft_copy_with_choices_and_cards(instructor_client):
    question = make_question("original", status=Question.Status.PUBLISHED)
    SortCard.objects.create(question=question, text="card", owner="aws")
    run_action(instructor_client, "duplicate", [question])
    run_action(instructor_client, "duplicate", [question])
    first, second = Question.objects.get(slug="original-copy"), Question.objects.get(slug="original-copy-2")
    for copy in (first, second):
        assert copy.status == Question.Status.DRAFT and copy.loaded_hash == ""
        assert [(c.text, c.is_correct) for c in copy.choices.all()] == [("Right", True), ("Wrong", False)]
        assert list(copy.cards.values_list("text", "owner")) == [("card", "aws")]
    assert question.choices.count() == 2  # the original keeps its own


def test_the_quiz_admin_shows_how_many_questions_its_rules_draw(instructor_client):
    for index in range(3):
        make_question(f"q{index}", status=Question.Status.PUBLISHED)
    quiz = Quiz.objects.create(slug="small", title="Small")
    SelectionRule.objects.create(quiz=quiz, position=0, count=5, kind=Kind.SINGLE)
    response = instructor_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    text = response.content.decode()
    assert "<strong>3 questions</strong> per attempt" in text
    assert "Rule 1 (5 of Single choice): 3 asked, from 3 matching" in text


@pytest.mark.parametrize("size", [20, 400])
def test_the_question_list_takes_the_same_queries_whatever_the_bank_size(
    instructor_client, django_assert_max_num_queries, size
):
    from quizzes.seeding import seed_bank

    seed_bank(size)
    with django_assert_max_num_queries(9):
        response = instructor_client.get(reverse("admin:quizzes_question_changelist"), {"all": ""})
    assert response.status_code == 200
