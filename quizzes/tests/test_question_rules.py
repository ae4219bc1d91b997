"""The rules every question follows (`Question.problems_with`), called directly, and the values a
question, a quiz and a rule are saved and copied with."""

import pytest

from quizzes.models import Choice, Kind, Question, Quiz, SelectionRule, SortCard

OTHER = "Only single-choice, multiple-response and true/false questions have choices; remove them or change the kind."


def problems(kind, *, status="draft", explanation="", owner="", correct=(), cards=()):
    return Question.problems_with(
        kind=kind,
        status=status,
        explanation=explanation,
        owner=owner,
        correct_flags=list(correct),
        card_owners=list(cards),
    )


@pytest.mark.parametrize(
    ("kind", "correct", "expected"),
    [
        (Kind.SINGLE, [True, False], {}),
        (Kind.SINGLE, [True, False, False, False], {}),
        (Kind.MULTIPLE, [True, True, False], {}),
        (Kind.MULTIPLE, [True, True], {}),
        (Kind.TRUE_FALSE, [False, True], {}),
        (
            Kind.SINGLE,
            [True, True],
            {"choices": ["A single choice question has exactly one correct choice; it has 2."]},
        ),
        (
            Kind.SINGLE,
            [True],
            {"choices": ["A single choice question needs at least two choices; it has 1."]},
        ),
        (
            Kind.SINGLE,
            [],
            {
                "choices": [
                    "A single choice question needs at least two choices; it has 0.",
                    "A single choice question has exactly one correct choice; it has 0.",
                ]
            },
        ),
        (
            Kind.MULTIPLE,
            [False],
            {
                "choices": [
                    "A multiple response question needs at least two choices; it has 1.",
                    "A multiple-response question needs at least one correct choice.",
                ]
            },
        ),
        # One right choice is enough for a multiple-response question ("choose the ones that apply").
        (Kind.MULTIPLE, [True, False, False], {}),
        (
            Kind.TRUE_FALSE,
            [True, True, False],
            {
                "choices": [
                    "A true/false question has exactly two choices (True and False); it has 3.",
                    "A true or false question has exactly one correct choice; it has 2.",
                ]
            },
        ),
        (
            Kind.TRUE_FALSE,
            [True],
            {"choices": ["A true/false question has exactly two choices (True and False); it has 1."]},
        ),
        (
            Kind.TRUE_FALSE,
            [False, False],
            {"choices": ["A true or false question has exactly one correct choice; it has 0."]},
        ),
    ],
)
def test_choice_questions_need_their_number_of_choices_and_right_answers(kind, correct, expected):
    assert problems(kind, correct=correct) == expected


def test_owner_and_sort_questions_have_no_choices_and_only_sort_questions_have_cards():
    other = (
        "Only single-choice, multiple-response and true/false questions have choices; remove them or change the kind."
    )
    assert problems(Kind.OWNER, owner="aws", correct=[False]) == {"choices": [other]}
    assert problems(Kind.SORT, correct=[True], cards=["aws", "customer"]) == {"choices": [other]}
    assert problems(Kind.SINGLE, correct=[True, False], cards=["aws"]) == {
        "cards": ["Only sort questions have cards; remove them or change the kind."]
    }
    assert problems(Kind.OWNER, owner="aws") == {}


def test_a_sort_question_needs_two_cards_each_with_an_owner():
    assert problems(Kind.SORT, cards=["aws", "customer"]) == {}
    assert problems(Kind.SORT, cards=["aws"]) == {"cards": ["A sort question needs at least two cards; it has 1."]}
    assert problems(Kind.SORT, cards=["aws", ""]) == {"cards": ["Every card of a sort question needs an owner."]}
    assert problems(Kind.SORT, cards=[""]) == {
        "cards": [
            "A sort question needs at least two cards; it has 1.",
            "Every card of a sort question needs an owner.",
        ]
    }


def test_an_owner_question_needs_its_owner_and_a_published_question_its_explanation():
    assert problems(Kind.OWNER) == {"owner": ["An owner-assignment question needs the right owner."]}
    needs = "A published question needs an explanation: learners read it after answering."
    assert problems(Kind.OWNER, owner="aws", status="published") == {"explanation": [needs]}
    assert problems(Kind.OWNER, owner="aws", status="published", explanation=" \n ") == {"explanation": [needs]}
    assert problems(Kind.OWNER, owner="aws", status="published", explanation=None) == {"explanation": [needs]}
    assert problems(Kind.OWNER, owner="aws", status="published", explanation="Why.") == {}
    assert problems(Kind.OWNER, owner="aws", status="draft") == {}


def test_problems_in_reads_content_values():
    values = {
        "kind": Kind.SORT,
        "status": "published",
        "explanation": "",
        "owner": "",
        "choices": [{"correct": True}],
        "cards": [{"owner": "aws"}, {"owner": None}, {}],
    }
    assert Question.problems_in(values) == {
        "choices": [OTHER],
        "cards": ["Every card of a sort question needs an owner."],
        "explanation": ["A published question needs an explanation: learners read it after answering."],
    }
    assert Question.problems_in({"kind": Kind.SINGLE, "choices": None, "cards": None})["choices"] == [
        "A single choice question needs at least two choices; it has 0.",
        "A single choice question has exactly one correct choice; it has 0.",
    ]
    single = {"kind": Kind.SINGLE, "status": "draft", "choices": [{"correct": True}, {"correct": False}]}
    assert Question.problems_in(single) == {}


@pytest.fixture
def question(db, quiz_content):
    return Question.objects.filter(kind=Kind.SINGLE, misconception__isnull=True).first()


def test_a_saved_question_is_checked_with_its_saved_choices_and_cards(question):
    assert question.problems() == {}
    question.choices.update(is_correct=True)
    assert question.problems() == {
        "choices": [f"A single choice question has exactly one correct choice; it has {question.choices.count()}."]
    }
    SortCard.objects.create(question=question, text="c", owner="")
    question.explanation = ""
    assert question.problems()["cards"] == ["Only sort questions have cards; remove them or change the kind."]
    assert question.problems()["explanation"]


def test_a_question_is_copied_as_a_draft_with_its_choices_cards_and_tags(question):
    from study.models import Duty, Service

    question.duties.add(Duty.objects.first())
    question.services.add(Service.objects.first())
    SortCard.objects.create(question=question, text="card", owner="aws")
    copy = question.duplicate()
    again = question.duplicate()
    assert (copy.slug, again.slug) == (f"{question.slug}-copy", f"{question.slug}-copy-2")
    assert Question.objects.get(slug=f"{question.slug}-copy-2").pk == again.pk
    copy = Question.objects.get(pk=copy.pk)
    assert (copy.status, copy.loaded_hash, copy.prompt) == ("draft", "", question.prompt)
    values, original = copy.content_values(), question.content_values()
    assert values == {**original, "status": "draft"}
    assert Question.objects.get(pk=question.pk).content_values() == original
    assert Choice.objects.filter(question=question).count() == Choice.objects.filter(question=copy).count() >= 2
    third = question.duplicate()
    assert third.slug == f"{question.slug}-copy-3"
    long = Question.objects.create(slug="x" * 100, kind=Kind.OWNER, prompt="p", owner="aws", skill="aws")
    assert long.duplicate().slug == "x" * 90 + "-copy"


def test_the_content_values_of_a_question_name_everything_by_slug(question):
    from study.models import Duty, Misconception, Service

    myth = Misconception.objects.first()
    question.misconception = myth
    question.save()
    question.duties.set(Duty.objects.order_by("-slug")[:2])
    question.services.set(Service.objects.filter(slug__in=["s3", "ec2"]))
    choice = question.choices.first()
    choice.misconception = myth
    choice.save()
    values = question.content_values()
    assert list(values) == [
        "kind", "prompt", "explanation", "owner", "misconception", "difficulty", "skill", "lesson", "duties",
        "services", "status", "choices", "cards",
    ]  # fmt: skip
    assert values["misconception"] == myth.slug
    assert values["duties"] == sorted(Duty.objects.order_by("-slug").values_list("slug", flat=True)[:2])
    assert values["services"] == ["ec2", "s3"]
    assert values["lesson"] == (question.lesson.slug if question.lesson else None)
    assert values["choices"][0] == {
        "text": choice.text,
        "correct": choice.is_correct,
        "feedback": choice.feedback,
        "misconception": myth.slug,
    }
    assert (values["kind"], values["prompt"], values["difficulty"], values["skill"], values["status"]) == (
        question.kind,
        question.prompt,
        question.difficulty,
        question.skill,
        question.status,
    )
    bare = Question.objects.create(slug="bare", kind=Kind.SORT, prompt="p", skill="shift")
    SortCard.objects.create(question=bare, text="t", owner="aws")
    values = bare.content_values()
    assert (values["misconception"], values["lesson"], values["cards"]) == (None, None, [{"text": "t", "owner": "aws"}])


def test_the_content_values_of_a_quiz_and_its_rules(db, quiz_content):
    from study.models import Lesson, Service

    quiz = Quiz.objects.create(
        slug="values", title="Values", description="D", mode="exam", source="bank", question_count=7,
        time_limit_minutes=15, pass_mark=80, shuffle_questions=False, shuffle_choices=False, is_published=False,
        position=3,
    )  # fmt: skip
    lesson = Lesson.objects.get(slug="the-model")
    rule = SelectionRule.objects.create(
        quiz=quiz, count=2, kind="single", category="managed", lesson=lesson, skill="aws"
    )
    rule.services.set(Service.objects.filter(slug__in=["s3", "ec2"]))
    SelectionRule.objects.create(quiz=quiz, position=1, count=1)
    assert quiz.content_values() == {
        "title": "Values", "description": "D", "mode": "exam", "source": "bank", "question_count": 7,
        "time_limit_minutes": 15, "pass_mark": 80, "shuffle_questions": False, "shuffle_choices": False,
        "is_published": False, "position": 3,
        "rules": [
            {"count": 2, "kind": "single", "services": ["ec2", "s3"], "category": "managed", "lesson": "the-model",
             "skill": "aws"},
            {"count": 1, "kind": "", "services": [], "category": "", "lesson": None, "skill": ""},
        ],
    }  # fmt: skip


def test_only_a_timed_exam_is_timed_and_published_quizzes_come_in_their_order(db):
    assert Quiz(mode="exam", time_limit_minutes=30).is_timed is True
    assert Quiz(mode="exam", time_limit_minutes=None).is_timed is False
    assert Quiz(mode="exam", time_limit_minutes=0).is_timed is False
    assert Quiz(mode="practice", time_limit_minutes=30).is_timed is False
    Quiz.objects.create(slug="b", title="B", position=1)
    Quiz.objects.create(slug="a", title="Z", position=0)
    Quiz.objects.create(slug="c", title="A", position=1)
    Quiz.objects.create(slug="hidden", title="H", position=0, is_published=False)
    assert list(Quiz.objects.published().values_list("slug", flat=True)) == ["a", "c", "b"]


def test_published_questions_are_the_published_ones(db):
    Question.objects.create(slug="d", kind=Kind.OWNER, prompt="p", skill="aws", status="draft")
    Question.objects.create(slug="p", kind=Kind.OWNER, prompt="p", skill="aws", status="published")
    assert list(Question.objects.published().values_list("slug", flat=True)) == ["p"]


def test_display_labels():
    assert str(Question(slug="q")) == "q"
    assert str(Quiz(title="T")) == "T"
    assert str(Choice(text="c")) == "c"
    assert str(SortCard(text="s")) == "s"
    assert str(SelectionRule(count=3, kind="single")) == "3 of Single choice"
    assert str(SelectionRule(count=2)) == "2 of any kind"
