"""Owner and sort questions come from the catalog; quiz rules decide what is drawn."""

import random
from collections import Counter

import pytest

from quizzes.bank.drawing import Catalog, RuleSpec, candidates, draw
from quizzes.models import Kind, Question, Quiz
from study.models import Responsibility, Service

pytestmark = pytest.mark.django_db


def test_every_responsibility_row_is_an_owner_question(quiz_content):
    found = set(candidates(RuleSpec(count=1, kind=Kind.OWNER), Catalog()))
    rows = {("row", duty, service) for duty, service in Responsibility.objects.values_list("duty_id", "service_id")}
    assert rows <= found
    assert len(rows) >= 100


def test_a_catalog_change_changes_the_questions(client, quiz_content):
    row = Responsibility.objects.get(duty__slug="patch-guest-os", service__slug="ec2")
    row.explanation = "Updated explanation from the admin."
    row.save()
    from quizzes.bank.drawing import owner_item

    item = owner_item(Catalog(), row.duty_id, row.service_id)
    assert item.key["explanation"] == "Updated explanation from the admin."
    assert item.key["correct"] == ["customer"]


def test_a_service_drill_draws_only_that_services_items(quiz_content):
    _catalog, chosen = draw(Quiz.objects.get(slug="drill-rds"), rng=random.Random(1))
    services = {s.pk: s.slug for s in Service.objects.all()}
    owner_services = {services[c[2]] for c in chosen if c[0] == "row"}
    assert owner_services <= {"rds", "aurora"}
    assert len(chosen) == 10


def kind_of(candidate):
    if candidate[0] == "row":
        return Kind.OWNER
    if candidate[0] == "sort":
        return Kind.SORT
    if candidate[0] == "pick":
        return Kind.SINGLE if candidate[3] == 1 else Kind.MULTIPLE
    return Question.objects.get(pk=candidate[1]).kind


@pytest.mark.parametrize("seed", [2, 3])
def test_the_exam_simulation_draws_thirty_exam_format_questions_written_and_generated(quiz_content, seed):
    exam = Quiz.objects.get(slug="exam-simulation")
    rules = list(exam.rules.all())
    # Every rule of the exam names its kind, so the rules fix how many of each kind it asks.
    assert all(rule.kind for rule in rules)
    expected = Counter()
    for rule in rules:
        expected[rule.kind] += rule.count
    assert set(expected) == {Kind.SINGLE, Kind.MULTIPLE}
    assert sum(expected.values()) == exam.planned_count == 30

    _catalog, chosen = draw(exam, rng=random.Random(seed))

    assert len(chosen) == 30
    assert len(set(chosen)) == 30
    assert Counter(kind_of(candidate) for candidate in chosen) == expected
    # A mix: written questions and items generated from the catalog.
    assert {candidate[0] for candidate in chosen} == {"q", "pick"}


def test_sort_cards_hold_the_services_rows(quiz_content):
    from quizzes.bank.drawing import sort_item

    catalog = Catalog()
    ec2 = Service.objects.get(slug="ec2")
    item = sort_item(catalog, ec2.pk, random.Random(3))
    assert 2 <= len(item.options) <= 4
    for card, owner in item.key["correct"].items():
        duty = catalog.duties[item.key["duties"][card]]
        assert duty.row_for(ec2).owner == owner
    assert len(set(item.key["correct"].values())) >= 2  # more than one bucket is used


def test_the_shipped_quizzes_are_there(quiz_content):
    slugs = set(Quiz.objects.published().values_list("slug", flat=True))
    assert {
        "quick-check", "drill-ec2", "drill-rds", "drill-lambda", "drill-s3", "drill-dynamodb", "drill-containers",
        "sort-the-duties", "exam-simulation", "exam-simulation-full", "review-my-mistakes",
    } <= slugs  # fmt: skip
    exam = Quiz.objects.get(slug="exam-simulation")
    assert (exam.mode, exam.time_limit_minutes, exam.pass_mark) == ("exam", 40, 70)
    full = Quiz.objects.get(slug="exam-simulation-full")
    assert (full.mode, full.time_limit_minutes, full.pass_mark, full.planned_count) == ("exam", 90, 70, 65)


def test_the_starter_bank_has_forty_written_questions_of_kinds_3_to_5(quiz_content):
    from quizzes.models import Question

    written = Question.objects.published().filter(kind__in=[Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE])
    assert written.count() >= 40
    for question in written.prefetch_related("choices"):
        correct = sum(choice.is_correct for choice in question.choices.all())
        assert correct == 1 if question.kind != Kind.MULTIPLE else correct >= 1, question.slug
        assert question.explanation, question.slug


# -- the filters of a selection rule, and how rules share out the bank ----------------------------


def service_pk(slug):
    return Service.objects.get(slug=slug).pk


def written(found):
    return {candidate[1] for candidate in found if candidate[0] == "q"}


def rows(found):
    return {candidate[1:] for candidate in found if candidate[0] == "row"}


def sorts(found):
    return {candidate[1] for candidate in found if candidate[0] == "sort"}


def test_a_question_picked_by_one_rule_is_not_in_a_later_rules_pool(quiz_content):
    from quizzes.bank.drawing import draw_per_rule
    from quizzes.models import SelectionRule

    quiz = Quiz.objects.create(slug="overlap", title="Overlap", shuffle_questions=False)
    for position, count in enumerate((5, 1000)):
        rule = SelectionRule.objects.create(quiz=quiz, position=position, count=count, kind=Kind.OWNER)
        rule.services.add(service_pk("ec2"))
    catalog = Catalog()
    everything = candidates(RuleSpec(count=1, kind=Kind.OWNER, service_ids={service_pk("ec2")}), catalog)
    (_spec1, pool1, first), (spec2, pool2, second) = draw_per_rule(quiz, catalog, random.Random(0))
    assert (pool1, len(first)) == (len(everything), 5)
    assert (pool2, len(second)) == (len(everything) - 5, len(everything) - 5)
    assert spec2.count == 1000
    assert not set(first) & set(second)
    assert set(first) | set(second) == set(everything)
    _catalog, chosen = draw(quiz, rng=random.Random(0))
    assert len(chosen) == len(set(chosen)) == len(everything)


def test_drafts_are_never_drawn(quiz_content):
    draft = Question.objects.filter(kind=Kind.SINGLE).first()
    draft.status = Question.Status.DRAFT
    draft.save()
    published = set(Question.objects.published().filter(kind=Kind.SINGLE).values_list("pk", flat=True))
    found = written(candidates(RuleSpec(count=1, kind=Kind.SINGLE), Catalog()))
    assert found == published
    assert draft.pk not in found


def test_the_kind_filter_keeps_only_that_kind(quiz_content):
    catalog = Catalog()
    for kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE):
        found = candidates(RuleSpec(count=1, kind=kind), catalog)
        assert written(found) == set(Question.objects.published().filter(kind=kind).values_list("pk", flat=True))
        # Single choice and multiple response are also generated from the catalog, one or two right.
        assert {candidate[0] for candidate in found} == ({"q", "pick"} if kind != Kind.TRUE_FALSE else {"q"})
        assert {kind_of(candidate) for candidate in found if candidate[0] == "pick"} <= {kind}
    owner = candidates(RuleSpec(count=1, kind=Kind.OWNER), catalog)
    assert {candidate[0] for candidate in owner} == {"row"}
    sort = candidates(RuleSpec(count=1, kind=Kind.SORT), catalog)
    # Every service has enough rows for a sort item; no written sort question is published.
    assert sort == [("sort", pk) for pk in catalog.services]
    picks = [
        candidate
        for kind in (Kind.SINGLE, Kind.MULTIPLE)
        for candidate in candidates(RuleSpec(count=1, kind=kind), catalog)
        if candidate[0] == "pick"
    ]
    assert len(picks) > len(catalog.services)
    anything = candidates(RuleSpec(count=1), catalog)
    assert set(anything) == set(owner) | set(sort) | set(picks) | {
        ("q", pk) for pk in Question.objects.published().values_list("pk", flat=True)
    }


def test_the_category_filter_keeps_the_services_of_that_category(quiz_content):
    catalog = Catalog()
    abstracted = set(Service.objects.filter(category="abstracted").values_list("pk", flat=True))
    found = candidates(RuleSpec(count=1, category="abstracted"), catalog)
    assert {service for _duty, service in rows(found)} == abstracted
    assert rows(found) == {(duty.pk, pk) for pk in abstracted for duty, _row in catalog.applicable(pk)}
    assert sorts(found) == abstracted
    assert written(found) == set(
        Question.objects.published().filter(services__category="abstracted").values_list("pk", flat=True)
    )
    assert written(found)


def test_services_and_a_category_together_keep_the_services_in_that_category(quiz_content):
    catalog = Catalog()
    spec = RuleSpec(count=1, service_ids={service_pk("ec2"), service_pk("s3")}, category="abstracted")
    found = candidates(spec, catalog)
    assert {service for _duty, service in rows(found)} == {service_pk("s3")}
    assert sorts(found) == {service_pk("s3")}
    assert written(found) == set(
        Question.objects.published().filter(services=service_pk("s3")).values_list("pk", flat=True)
    )


def test_services_none_of_which_is_in_the_category_draw_nothing(quiz_content):
    # Not every service: an empty intersection must not read as "no service filter".
    spec = RuleSpec(count=1, service_ids={service_pk("ec2")}, category="abstracted")
    assert candidates(spec, Catalog()) == []


def test_the_service_filter_keeps_that_services_rows_and_questions(quiz_content):
    catalog = Catalog()
    ec2 = service_pk("ec2")
    found = candidates(RuleSpec(count=1, service_ids={ec2}), catalog)
    assert rows(found) == {(duty.pk, ec2) for duty, _row in catalog.applicable(ec2)}
    assert sorts(found) == {ec2}
    assert written(found) == set(Question.objects.published().filter(services=ec2).values_list("pk", flat=True))


@pytest.mark.parametrize("skill", ["customer", "aws", "shared", "shift"])
def test_the_skill_filter_keeps_the_duties_and_questions_of_that_skill(quiz_content, skill):
    catalog = Catalog()
    found = candidates(RuleSpec(count=1, skill=skill), catalog)
    duties = {duty for duty, _service in rows(found)}
    assert duties == {duty.pk for duty in catalog.duties.values() if catalog.skill_of(duty) == skill}
    assert duties
    # A duty's rows for every service it has one for.
    assert len(rows(found)) == sum(len(catalog.duties[pk].responsibilities.all()) for pk in duties)
    assert written(found) == set(Question.objects.published().filter(skill=skill).values_list("pk", flat=True))
    # Sort items practise how responsibilities shift, so only that skill (or none) draws them.
    assert bool(sorts(found)) is (skill == "shift")


def test_the_lesson_filter_keeps_that_lessons_duties_and_questions_and_no_sort_item(quiz_content):
    from study.models import Lesson

    catalog = Catalog()
    lesson = Lesson.objects.get(slug="customer-responsibilities")
    found = candidates(RuleSpec(count=1, lesson_id=lesson.pk), catalog)
    duties = {duty for duty, _service in rows(found)}
    assert duties == set(lesson.duties.values_list("pk", flat=True))
    assert duties
    assert not sorts(found)
    assert written(found) == set(Question.objects.published().filter(lesson=lesson).values_list("pk", flat=True))
    assert written(found)


def test_a_quiz_without_rules_draws_its_question_count_from_everything(quiz_content):
    from quizzes.bank.drawing import rule_specs

    quiz = Quiz.objects.create(slug="no-rules", title="No rules", question_count=12, shuffle_questions=False)
    assert rule_specs(quiz) == [RuleSpec(count=12)]
    _catalog, chosen = draw(quiz, rng=random.Random(0))
    assert len(chosen) == len(set(chosen)) == 12


def test_rule_specs_carry_every_filter_of_the_rules_in_order(quiz_content):
    from quizzes.bank.drawing import rule_specs
    from quizzes.models import SelectionRule
    from study.models import Lesson

    quiz = Quiz.objects.create(slug="specs", title="Specs")
    lesson = Lesson.objects.get(slug="the-model")
    second = SelectionRule.objects.create(quiz=quiz, position=1, count=2, kind=Kind.SINGLE, skill="aws", lesson=lesson)
    first = SelectionRule.objects.create(quiz=quiz, position=0, count=3, category="managed")
    first.services.add(service_pk("rds"), service_pk("ecs"))
    assert first.pk > second.pk
    assert rule_specs(quiz) == [
        RuleSpec(count=3, kind="", service_ids={service_pk("rds"), service_pk("ecs")}, category="managed"),
        RuleSpec(count=2, kind=Kind.SINGLE, service_ids=set(), lesson_id=lesson.pk, skill="aws"),
    ]


def test_questions_come_in_rule_order_unless_the_quiz_shuffles_them(quiz_content):
    from quizzes.models import SelectionRule

    quiz = Quiz.objects.create(slug="ordered", title="Ordered", shuffle_questions=False)
    SelectionRule.objects.create(quiz=quiz, position=0, count=3, kind=Kind.TRUE_FALSE)
    SelectionRule.objects.create(quiz=quiz, position=1, count=3, kind=Kind.OWNER)
    _catalog, chosen = draw(quiz, rng=random.Random(4))
    assert [candidate[0] for candidate in chosen] == ["q", "q", "q", "row", "row", "row"]
    quiz.shuffle_questions = True
    orders = {tuple(c[0] for c in draw(quiz, rng=random.Random(seed))[1]) for seed in range(3)}
    assert len(orders) > 1


def test_draw_counts_describe_each_rule_with_its_pool(quiz_content):
    from quizzes.bank.drawing import draw_counts
    from quizzes.models import SelectionRule
    from study.models import Lesson

    quiz = Quiz.objects.create(slug="counted", title="Counted")
    rule = SelectionRule.objects.create(quiz=quiz, position=0, count=4, kind=Kind.OWNER, category="abstracted")
    rule.services.add(service_pk("s3"))
    lesson = Lesson.objects.get(slug="the-model")
    SelectionRule.objects.create(quiz=quiz, position=1, count=500, lesson=lesson, skill="components")
    catalog = Catalog()
    s3_rows = len(catalog.applicable(service_pk("s3")))
    lesson_questions = Question.objects.published().filter(lesson=lesson, skill="components").count()
    counts = draw_counts(quiz)
    assert counts.rules == [
        ("Rule 1 (4 of Who is responsible?, 1 service(s), Abstracted)", 4, s3_rows),
        (
            "Rule 2 (500 of any kind, one lesson, Recognize the components of the shared responsibility model)",
            lesson_questions,
            lesson_questions,
        ),
    ]
    assert counts.total == 4 + lesson_questions


# -- the review quiz ---------------------------------------------------------------------------


def test_the_review_quiz_draws_due_items_soonest_first_and_skips_drafts(learner, make_learner, quiz_content):
    from datetime import timedelta

    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from quizzes.bank.drawing import review_candidates
    from quizzes.models import ReviewItem

    now = timezone.now()
    catalog = Catalog()
    ec2 = service_pk("ec2")
    ec2_rows = {duty.pk for duty, _row in catalog.applicable(ec2)}
    general_duty = next(duty for duty in catalog.duties.values() if duty.general_row is not None)
    # Another duty: the review quiz asks no duty twice (test_no_repeats.py).
    row_duty = next(duty for duty in catalog.duties.values() if duty.pk in ec2_rows and duty != general_duty)
    # Questions tagged with neither duty, for the same reason.
    single, draft, later = (
        Question.objects.published().filter(kind=Kind.SINGLE).exclude(duties__in=[general_duty, row_duty])[:3]
    )
    draft.status = Question.Status.DRAFT
    draft.save()

    def queue(key, due, box=1, user=learner, **target):
        ReviewItem.objects.create(user=user, key=key, due_at=due, last_reviewed_at=now, box=box, **target)

    queue("q:late", now - timedelta(minutes=1), question=later)
    # Due at the same moment: the lower box first, whatever the order they were queued in.
    queue("d:row", now - timedelta(hours=2), box=2, duty=row_duty, service_id=ec2)
    queue("d:general", now - timedelta(hours=2), box=1, duty=general_duty)
    queue("q:draft", now - timedelta(hours=3), question=draft)
    queue("q:single", now - timedelta(hours=1), question=single)
    queue("q:future", now + timedelta(hours=1), question=Question.objects.published().last())
    queue("q:other", now - timedelta(days=9), question=single, user=make_learner())
    expected = [("row", general_duty.pk, None), ("row", row_duty.pk, ec2), ("q", single.pk), ("q", later.pk)]
    assert review_candidates(learner, 10, catalog) == expected
    assert review_candidates(learner, 2, catalog) == expected[:2]
    assert review_candidates(None, 10, catalog) == []
    assert review_candidates(AnonymousUser(), 10, catalog) == []

    review = Quiz.objects.get(slug="review-my-mistakes")
    _catalog, chosen = draw(review, rng=random.Random(0), user=learner)
    assert chosen == expected[: review.question_count]


def test_a_catalog_item_without_a_row_any_more_is_not_reviewed(learner, quiz_content):
    from django.utils import timezone

    from quizzes.bank.drawing import review_candidates
    from quizzes.models import ReviewItem

    now = timezone.now()
    catalog = Catalog()
    duty, service = next(
        (duty, service)
        for duty in catalog.duties.values()
        for service in catalog.services
        if duty.general_row is None and catalog.row(duty.pk, service) is None
    )
    ReviewItem.objects.create(user=learner, key="d:x", duty=duty, service_id=service, due_at=now, last_reviewed_at=now)
    assert review_candidates(learner, 10, catalog) == []


def test_the_catalog_finds_a_row_by_duty_and_service(quiz_content):
    from study.models import Duty

    catalog = Catalog()
    duty = Duty.objects.get(slug="patch-guest-os")
    ec2 = service_pk("ec2")
    assert catalog.row(duty.pk, ec2) == Responsibility.objects.get(duty=duty, service_id=ec2)
    assert catalog.row(duty.pk, None) == duty.general_row
    assert catalog.row(duty.pk, 999_999) is None
    assert catalog.row(999_999, ec2) is None


# -- the items an attempt freezes ---------------------------------------------------------------


def test_an_owner_item_asks_about_the_duty_on_its_service_with_the_rows_key(quiz_content):
    from quizzes.bank.drawing import OWNER_OPTIONS, first_lesson, owner_item
    from study.models import Duty, Misconception

    catalog = Catalog()
    duty = Duty.objects.get(slug="patch-guest-os")
    ec2 = service_pk("ec2")
    row = Responsibility.objects.get(duty=duty, service_id=ec2)
    myth = Misconception.objects.create(slug="aws-patches", belief="AWS does.", correction="No.", believed_owner="aws")
    myth.duties.add(duty)
    catalog = Catalog()
    item = owner_item(catalog, duty.pk, ec2)
    assert (item.kind, item.duty, item.service.pk, item.responsibility, item.skill) == (
        "owner",
        duty,
        ec2,
        row,
        catalog.skill_of(duty),
    )
    assert item.lesson == first_lesson(duty) is not None
    assert item.prompt == (
        f"When you use {row.service.name}, who is responsible for this?\n\n**{duty.name}**: {duty.description}"
    )
    assert item.options == OWNER_OPTIONS
    assert item.key == {
        "correct": [row.owner],
        "explanation": row.explanation,
        "source": {"title": row.source.title, "url": row.source.url},
        "misconceptions": {"aws": myth.pk} if row.owner != "aws" else {},
    }


def test_an_owner_item_of_a_general_row_holds_on_any_service(quiz_content):
    from quizzes.bank.drawing import owner_item

    catalog = Catalog()
    duty = next(duty for duty in catalog.duties.values() if duty.general_row is not None)
    item = owner_item(catalog, duty.pk, None)
    assert item.service is None
    assert item.prompt.startswith("Whatever AWS service you use, who is responsible for this?\n\n**")
    assert item.key["correct"] == [duty.general_row.owner]
    assert item.key["misconceptions"] == {}


def test_a_duty_with_one_owner_trains_that_skill_and_one_with_several_the_shift(quiz_content):
    from study.models import Duty

    catalog = Catalog()
    skill_of_owner = {"aws": "aws", "customer": "customer", "shared": "shared"}
    for duty in Duty.objects.all():
        owners = set(Responsibility.objects.filter(duty=duty).values_list("owner", flat=True))
        expected = "shift" if len(owners) > 1 else skill_of_owner[owners.pop()]
        assert catalog.skill_of(catalog.duties[duty.pk]) == expected, duty.slug


def test_a_sort_item_holds_four_cards_of_the_service_using_every_owner(quiz_content):
    from quizzes.bank.drawing import sort_item

    catalog = Catalog()
    ec2 = Service.objects.get(slug="ec2")
    owners_on_ec2 = {row.owner for _duty, row in catalog.applicable(ec2.pk)}
    assert len(owners_on_ec2) == 3
    for seed in range(4):
        item = sort_item(catalog, ec2.pk, random.Random(seed))
        assert (item.kind, item.service, item.skill) == ("sort", ec2, "shift")
        assert item.prompt == (f"Your team uses **{ec2.name}**. Place each duty under the side responsible for it.")
        keys = ["k0", "k1", "k2", "k3"]
        assert [option["key"] for option in item.options] == keys
        assert list(item.key["correct"]) == list(item.key["explanations"]) == list(item.key["duties"]) == keys
        duties = [catalog.duties[item.key["duties"][key]] for key in keys]
        assert len(set(duties)) == 4
        assert [option["text"] for option in item.options] == [duty.name for duty in duties]
        rows = [duty.row_for(ec2) for duty in duties]
        assert [item.key["correct"][key] for key in keys] == [row.owner for row in rows]
        assert [item.key["explanations"][key] for key in keys] == [row.explanation for row in rows]
        assert set(item.key["correct"].values()) == owners_on_ec2


def test_sort_items_vary_with_the_draw(quiz_content):
    from quizzes.bank.drawing import sort_item

    catalog = Catalog()
    drawn = {
        tuple(sort_item(catalog, service_pk("s3"), random.Random(seed)).key["duties"].values()) for seed in range(5)
    }
    assert len(drawn) > 1


@pytest.fixture
def written_question(quiz_content):
    from quizzes.models import Choice
    from study.models import Lesson, Misconception

    def make(kind, choices=(), cards=(), owner="", misconception=None):
        question = Question.objects.create(
            slug=f"written-{kind}", kind=kind, prompt=f"A {kind} question?", explanation="Because.", owner=owner,
            skill="aws", lesson=Lesson.objects.get(slug="the-model"), status="published",
            misconception=Misconception.objects.get(slug=misconception) if misconception else None,
        )  # fmt: skip
        question.services.add(service_pk("s3"))
        for position, (text, correct, feedback, myth) in enumerate(choices):
            Choice.objects.create(
                question=question, position=position, text=text, is_correct=correct, feedback=feedback,
                misconception=Misconception.objects.get(slug=myth) if myth else None,
            )  # fmt: skip
        for position, (text, card_owner) in enumerate(cards):
            question.cards.create(position=position, text=text, owner=card_owner)
        return Question.objects.prefetch_related("choices", "cards", "services").get(pk=question.pk)

    return make


def myth_slugs():
    from study.models import Misconception

    return list(Misconception.objects.order_by("slug").values_list("slug", flat=True)[:2])


def test_a_written_choice_question_keys_its_choices_without_their_ids(written_question):
    from quizzes.bank.drawing import choice_key, written_item
    from study.models import Misconception

    first, second = myth_slugs()
    question = written_question(
        "single",
        [
            ("Right", True, "Yes.", None),
            ("Wrong", False, "", first),
            ("Other", False, "No.", None),
            ("X", True, "", second),
        ],
    )
    choices = list(question.choices.all())
    keys = [choice_key(choice.pk) for choice in choices]
    item = written_item(question, rng=random.Random(0), shuffle_choices=False)
    assert (item.kind, item.question, item.lesson.slug, item.skill, item.prompt, item.service.slug) == (
        "single",
        question,
        "the-model",
        "aws",
        "A single question?",
        "s3",
    )
    assert item.options == [{"key": key, "text": choice.text} for key, choice in zip(keys, choices, strict=True)]
    assert item.key == {
        "correct": [keys[0], keys[3]],
        "explanation": "Because.",
        "feedback": {keys[0]: "Yes.", keys[2]: "No."},
        "misconceptions": {keys[1]: Misconception.objects.get(slug=first).pk},
    }


def test_choices_are_shuffled_when_the_quiz_says_so_but_never_true_and_false(written_question):
    from quizzes.bank.drawing import written_item

    question = written_question("multiple", [(text, text == "a", "", None) for text in "abcdef"])
    orders = {
        tuple(
            option["text"] for option in written_item(question, rng=random.Random(seed), shuffle_choices=True).options
        )
        for seed in range(4)
    }
    assert len(orders) > 1
    assert sorted(next(iter(orders))) == list("abcdef")
    unshuffled = written_item(question, rng=random.Random(1), shuffle_choices=False)
    assert [option["text"] for option in unshuffled.options] == list("abcdef")


def test_a_true_false_question_keeps_its_order_and_names_its_misconception_on_the_wrong_choice(written_question):
    from quizzes.bank.drawing import choice_key, written_item
    from study.models import Misconception

    first, _second = myth_slugs()
    question = written_question(
        "truefalse", [("True", False, "", None), ("False", True, "", None)], misconception=first
    )
    for seed in range(3):
        item = written_item(question, rng=random.Random(seed), shuffle_choices=True)
        assert [option["text"] for option in item.options] == ["True", "False"]
    true_choice = question.choices.get(text="True")
    assert item.key["misconceptions"] == {choice_key(true_choice.pk): Misconception.objects.get(slug=first).pk}
    assert item.key["feedback"] == {}


def test_a_written_owner_question_names_its_misconception_for_every_wrong_owner(written_question):
    from quizzes.bank.drawing import OWNER_OPTIONS, written_item
    from study.models import Misconception

    first, _second = myth_slugs()
    myth = Misconception.objects.get(slug=first)
    item = written_item(
        written_question("owner", owner="customer", misconception=first), rng=None, shuffle_choices=True
    )
    assert item.options == OWNER_OPTIONS
    assert item.key == {
        "correct": ["customer"],
        "explanation": "Because.",
        "misconceptions": {"aws": myth.pk, "shared": myth.pk},
    }


def test_a_written_owner_question_without_a_misconception_names_none(written_question):
    from quizzes.bank.drawing import written_item

    question = written_question("owner", owner="aws")
    item = written_item(question, rng=None, shuffle_choices=True)
    assert item.key == {"correct": ["aws"], "explanation": "Because.", "misconceptions": {}}
    assert (item.kind, item.question, item.prompt, item.skill, item.lesson.slug, item.service.slug) == (
        "owner",
        question,
        "A owner question?",
        "aws",
        "the-model",
        "s3",
    )


def test_a_written_sort_question_shuffles_its_cards_under_plain_keys(written_question):
    from quizzes.bank.drawing import written_item

    question = written_question("sort", cards=[("OS", "customer"), ("Racks", "aws"), ("Keys", "shared")])
    texts = set()
    for seed in range(4):
        item = written_item(question, rng=random.Random(seed), shuffle_choices=False)
        assert (item.kind, item.question, item.prompt, item.service.slug) == (
            "sort",
            question,
            "A sort question?",
            "s3",
        )
        assert [option["key"] for option in item.options] == ["k0", "k1", "k2"]
        owners = {"OS": "customer", "Racks": "aws", "Keys": "shared"}
        assert item.key == {
            "correct": {option["key"]: owners[option["text"]] for option in item.options},
            "explanation": "Because.",
        }
        texts.add(tuple(option["text"] for option in item.options))
    assert len(texts) > 1


def test_built_items_take_their_places_in_the_attempt(learner, written_question):
    from quizzes.bank.drawing import build_items
    from quizzes.models import Attempt
    from study.models import Duty

    question = written_question("single", [("a", True, "", None), ("b", False, "", None)])
    duty = Duty.objects.get(slug="patch-guest-os")
    quiz = Quiz.objects.first()
    attempt = Attempt.objects.create(quiz=quiz, user=learner, mode="practice", pass_mark=70)
    chosen = [("sort", service_pk("s3")), ("q", question.pk), ("row", duty.pk, service_pk("ec2"))]
    build_items(attempt, chosen, Catalog(), rng=random.Random(0), shuffle_choices=False)
    items = list(attempt.items.order_by("position"))
    assert [(item.position, item.kind, item.question_id, item.duty_id) for item in items] == [
        (0, "sort", None, None),
        (1, "single", question.pk, None),
        (2, "owner", None, duty.pk),
    ]
    assert [option["text"] for option in items[1].options] == ["a", "b"]


def test_a_choice_key_is_stable_and_says_nothing_of_the_id():
    from quizzes.bank.drawing import choice_key

    keys = [choice_key(pk) for pk in range(1, 50)]
    assert len(set(keys)) == 49
    assert all(len(key) == 13 and key[0] == "c" and int(key[1:], 16) >= 0 for key in keys)
    assert choice_key(7) == choice_key(7) == keys[6]
    assert keys != sorted(keys)


def test_the_first_lesson_of_a_duty_is_the_one_placed_first(quiz_content):
    from django.db.models import Count

    from quizzes.bank.drawing import first_lesson
    from study.models import Duty

    duty = Duty.objects.annotate(lesson_count=Count("lessons")).filter(lesson_count__gte=2).first()
    lessons = sorted(duty.lessons.all(), key=lambda lesson: lesson.position)
    assert lessons[0].position < lessons[1].position
    assert first_lesson(duty) == lessons[0]
    duty.lessons.clear()
    assert first_lesson(Duty.objects.get(pk=duty.pk)) is None


def test_building_items_loads_the_chosen_questions_in_a_fixed_number_of_queries(learner, quiz_content):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes.bank.drawing import build_items
    from quizzes.models import Attempt

    quiz = Quiz.objects.first()
    singles = list(Question.objects.published().filter(kind=Kind.SINGLE, lesson__isnull=False)[:4])
    sorts = []
    for number in range(3):
        question = Question.objects.create(
            slug=f"sort-{number}", kind=Kind.SORT, prompt="Sort.", skill="shift", status="published",
            lesson=singles[0].lesson,
        )  # fmt: skip
        question.services.add(service_pk("ec2"))
        question.cards.create(text="a", owner="aws")
        question.cards.create(text="b", owner="customer")
        sorts.append(question)
    catalog = Catalog()

    def queries_for(questions):
        attempt = Attempt.objects.create(quiz=quiz, user=learner, mode="practice", pass_mark=70)
        chosen = [("q", question.pk) for question in questions]
        with CaptureQueriesContext(connection) as captured:
            build_items(attempt, chosen, catalog, rng=random.Random(0), shuffle_choices=True)
        return len(captured)

    assert queries_for(singles[:1] + sorts[:1]) == queries_for(singles + sorts)


def test_built_items_shuffle_their_choices_when_the_quiz_says_so(learner, written_question):
    from quizzes.bank.drawing import build_items
    from quizzes.models import Attempt

    question = written_question("multiple", [(text, text == "a", "", None) for text in "abcdef"])
    orders = set()
    for seed in range(4):
        attempt = Attempt.objects.create(quiz=Quiz.objects.first(), user=learner, mode="practice", pass_mark=70)
        build_items(attempt, [("q", question.pk)], Catalog(), rng=random.Random(seed), shuffle_choices=True)
        orders.add(tuple(option["text"] for option in attempt.items.get().options))
    assert len(orders) > 1


def test_a_service_needs_three_rows_for_a_sort_item(quiz_content):
    Responsibility.objects.filter(service__isnull=True).delete()
    for slug, keep in (("ec2", 3), ("s3", 2)):
        rows = Responsibility.objects.filter(service__slug=slug).order_by("pk")
        Responsibility.objects.filter(pk__in=list(rows.values_list("pk", flat=True)[keep:])).delete()
    catalog = Catalog()
    assert len(catalog.applicable(service_pk("ec2"))) == 3
    assert len(catalog.applicable(service_pk("s3"))) == 2
    found = sorts(candidates(RuleSpec(count=1, kind=Kind.SORT), catalog))
    assert service_pk("ec2") in found
    assert service_pk("s3") not in found


def test_only_a_true_false_question_lends_its_misconception_to_its_wrong_choices(written_question):
    from quizzes.bank.drawing import written_item

    first, _second = myth_slugs()
    question = written_question("single", [("Right", True, "", None), ("Wrong", False, "", None)], misconception=first)
    assert written_item(question, rng=None, shuffle_choices=False).key["misconceptions"] == {}
