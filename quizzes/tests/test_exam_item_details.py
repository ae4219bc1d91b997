"""The details of generated exam-format items and of the no-repeat resolver that the sweeping tests
(`test_exam_items.py`, `test_no_repeats.py`) do not pin: the exact words of an item's explanation
and per-option feedback, where a candidate starts to exist, and how the resolver reads recency,
lessons and written questions' tags."""

import random
from types import SimpleNamespace

import pytest

from quizzes.bank.catalog import Catalog
from quizzes.bank.exam_items import THE_OTHERS, option_key, pick_candidates, pick_item, resolve_pick
from quizzes.bank.recent import RecentlyAsked
from quizzes.bank.resolving import MIN_SORT_CARDS, Resolver
from quizzes.models import Kind, Question
from study.models import Misconception, Owner, Service

pytestmark = pytest.mark.django_db


def rows_on(catalog, service, owner, *, general):
    """(duty, row) pairs holding on `service` with this owner: its own rows, or the any-service ones."""
    return [
        (duty, row)
        for duty, row in catalog.applicable(service.pk)
        if row.owner == owner and (row.service_id is None) == general
    ]


@pytest.fixture
def ec2(quiz_content):
    catalog = Catalog()
    service = Service.objects.get(slug="ec2")
    own_customer = rows_on(catalog, service, Owner.CUSTOMER, general=False)
    general_customer = rows_on(catalog, service, Owner.CUSTOMER, general=True)
    own_aws = rows_on(catalog, service, Owner.AWS, general=False)
    general_aws = rows_on(catalog, service, Owner.AWS, general=True)
    assert own_customer and general_customer and len(own_aws) >= 2 and len(general_aws) >= 2
    return SimpleNamespace(
        catalog=catalog,
        service=service,
        right=[own_customer[0], general_customer[0]],
        wrong=[own_aws[0], own_aws[1], general_aws[0]],
    )


def test_a_choose_two_item_names_both_answers_and_explains_each_option_where_it_holds(ec2):
    (a, row_a), (b, row_b) = ec2.right
    wrong = [duty.pk for duty, _row in ec2.wrong]
    candidate = ("pick", ec2.service.pk, Owner.CUSTOMER, 2, (a.pk, b.pk), tuple(wrong))
    item = pick_item(ec2.catalog, candidate, random.Random(1))

    assert item.key["explanation"] == (
        f"{a.name} and {b.name} are the customer's responsibilities on Amazon EC2. "
        f"{row_a.explanation} {row_b.explanation} {THE_OTHERS[Owner.CUSTOMER]}"
    )
    feedback = {item.option_text(key): text for key, text in item.key["feedback"].items()}
    assert feedback[a.name] == f"{a.name}: the customer's job on Amazon EC2. {row_a.explanation}"
    assert feedback[b.name] == f"{b.name}: the customer's job whatever the service. {row_b.explanation}"
    (own_aws, own_row), _second, (general_aws, general_row) = ec2.wrong
    assert feedback[own_aws.name] == f"{own_aws.name}: AWS's job on Amazon EC2. {own_row.explanation}"
    assert (
        feedback[general_aws.name] == f"{general_aws.name}: AWS's job whatever the service. {general_row.explanation}"
    )
    assert item.kind == Kind.MULTIPLE and item.duty == a and item.responsibility == row_a


def test_a_single_choice_item_says_is_and_the_singular(ec2):
    (a, _row_a), _b = ec2.right
    candidate = ("pick", ec2.service.pk, Owner.CUSTOMER, 1, (a.pk,), tuple(duty.pk for duty, _row in ec2.wrong))
    item = pick_item(ec2.catalog, candidate, random.Random(1))
    assert item.key["explanation"].startswith(f"{a.name} is the customer's responsibility on Amazon EC2. ")
    assert item.kind == Kind.SINGLE


def test_an_options_key_depends_on_the_question_and_its_duty_only(ec2):
    (a, _row), (b, _row_b) = ec2.right
    wrong = tuple(duty.pk for duty, _row in ec2.wrong)
    one = pick_item(ec2.catalog, ("pick", ec2.service.pk, Owner.CUSTOMER, 1, (a.pk,), wrong), random.Random(1))
    other = pick_item(ec2.catalog, ("pick", ec2.service.pk, Owner.CUSTOMER, 1, (b.pk,), wrong), random.Random(2))
    assert {option["text"]: option["key"] for option in one.options if option["text"] != a.name} == {
        option["text"]: option["key"] for option in other.options if option["text"] != b.name
    }
    assert option_key(("pick", ec2.service.pk, Owner.CUSTOMER, 1), a.pk) in one.key["correct"]


def test_a_misconception_of_one_service_names_the_distractor_on_that_service_only(ec2):
    distractor, _row = ec2.wrong[0]
    belief = Misconception.objects.create(slug="ec2-only", belief="B", correction="C", believed_owner=Owner.CUSTOMER)
    belief.duties.add(distractor)
    belief.services.add(ec2.service)
    catalog = Catalog()
    (a, _row_a), _b = ec2.right
    candidate = ("pick", ec2.service.pk, Owner.CUSTOMER, 1, (a.pk,), tuple(duty.pk for duty, _row in ec2.wrong))
    item = pick_item(catalog, candidate, random.Random(1))
    key_of = {option["text"]: option["key"] for option in item.options}
    assert item.key["misconceptions"] == {key_of[distractor.name]: belief.pk}


def stub_catalog(owners):
    """A catalog of one service whose rows have these owners (duty ids 1, 2, ...)."""
    pairs = [
        (SimpleNamespace(pk=index, lessons=SimpleNamespace(all=list)), SimpleNamespace(owner=owner))
        for index, owner in enumerate(owners, start=1)
    ]
    return SimpleNamespace(services={7: None}, applicable=lambda _service_id: pairs)


@pytest.mark.parametrize("count", [1, 2])
def test_a_candidate_exists_from_exactly_enough_right_rows_and_distractors(count):
    needed = {1: 3, 2: 3}[count]  # four options with one right, five with two
    exactly = stub_catalog([Owner.CUSTOMER] * count + [Owner.AWS] * needed)
    assert ("pick", 7, Owner.CUSTOMER, count) in pick_candidates(exactly, set(), kinds={Kind.SINGLE, Kind.MULTIPLE})
    resolved = resolve_pick(exactly, ("pick", 7, Owner.CUSTOMER, count), rng=random.Random(0))
    assert resolved is not None and len(resolved[4]) == count and len(resolved[5]) == needed
    short = stub_catalog([Owner.CUSTOMER] * count + [Owner.AWS] * (needed - 1))
    assert ("pick", 7, Owner.CUSTOMER, count) not in pick_candidates(short, set(), kinds={Kind.SINGLE, Kind.MULTIPLE})
    assert resolve_pick(short, ("pick", 7, Owner.CUSTOMER, count), rng=random.Random(0)) is None


# -- the resolver ---------------------------------------------------------------------------------


def test_an_owner_item_is_recent_when_its_duty_was_asked_lately(ec2):
    duty, _row = ec2.right[0]
    resolver = Resolver(ec2.catalog, rng=random.Random(0), recent=RecentlyAsked(duty_ids=frozenset({duty.pk})))
    assert resolver.is_recent(("row", duty.pk, ec2.service.pk))
    other, _row = ec2.right[1]
    assert not resolver.is_recent(("row", other.pk, ec2.service.pk))


def test_a_sort_or_pick_item_is_recent_only_when_too_few_fresh_duties_are_left(ec2):
    applicable = [duty.pk for duty, _row in ec2.catalog.applicable(ec2.service.pk)]
    customer = [duty.pk for duty, row in ec2.catalog.applicable(ec2.service.pk) if row.owner == Owner.CUSTOMER]
    one_asked = Resolver(ec2.catalog, rng=random.Random(0), recent=RecentlyAsked(duty_ids=frozenset(applicable[:1])))
    assert not one_asked.is_recent(("sort", ec2.service.pk))
    assert not one_asked.is_recent(("pick", ec2.service.pk, Owner.CUSTOMER, 1))
    fresh_left = frozenset(applicable[: len(applicable) - (MIN_SORT_CARDS - 1)])
    all_but_two = Resolver(ec2.catalog, rng=random.Random(0), recent=RecentlyAsked(duty_ids=fresh_left))
    assert all_but_two.is_recent(("sort", ec2.service.pk))
    just_enough = frozenset(applicable[: len(applicable) - MIN_SORT_CARDS])
    exactly = Resolver(ec2.catalog, rng=random.Random(0), recent=RecentlyAsked(duty_ids=just_enough))
    assert not exactly.is_recent(("sort", ec2.service.pk))
    no_customer = Resolver(ec2.catalog, rng=random.Random(0), recent=RecentlyAsked(duty_ids=frozenset(customer)))
    assert no_customer.is_recent(("pick", ec2.service.pk, Owner.CUSTOMER, 1))
    assert not no_customer.is_recent(("pick", ec2.service.pk, Owner.AWS, 1))
    one_customer_left = Resolver(
        ec2.catalog, rng=random.Random(0), recent=RecentlyAsked(duty_ids=frozenset(customer[1:]))
    )
    assert not one_customer_left.is_recent(("pick", ec2.service.pk, Owner.CUSTOMER, 1))
    assert one_customer_left.is_recent(("pick", ec2.service.pk, Owner.CUSTOMER, 2))


def test_a_sort_item_needs_only_the_minimum_of_cards_left(ec2):
    applicable = [duty.pk for duty, _row in ec2.catalog.applicable(ec2.service.pk)]
    resolver = Resolver(ec2.catalog, rng=random.Random(0))
    resolver.asked |= set(applicable[MIN_SORT_CARDS:])
    resolved = resolver.take(("sort", ec2.service.pk))
    assert resolved is not None and set(resolved[2]) == set(applicable[:MIN_SORT_CARDS])
    # Its cards are asked now: no other item may ask them.
    assert resolver.take(("row", applicable[0], ec2.service.pk)) is None
    too_few = Resolver(ec2.catalog, rng=random.Random(0))
    too_few.asked |= set(applicable[MIN_SORT_CARDS - 1 :])
    assert too_few.take(("sort", ec2.service.pk)) is None


def test_a_pick_item_of_a_lesson_asks_a_duty_of_that_lesson(ec2):
    lesson_duties = {}
    for duty, row in ec2.catalog.applicable(ec2.service.pk):
        if row.owner == Owner.CUSTOMER:
            for lesson in duty.lessons.all():
                lesson_duties.setdefault(lesson.pk, set()).add(duty.pk)
    lesson_id, duties = min(lesson_duties.items(), key=lambda pair: len(pair[1]))
    for seed in range(5):
        resolver = Resolver(ec2.catalog, rng=random.Random(seed))
        resolved = resolver.take(("pick", ec2.service.pk, Owner.CUSTOMER, 1), lesson_id=lesson_id)
        assert set(resolved[4]) <= duties


def test_every_written_questions_tags_keep_owner_items_away(ec2):
    tagged = [q for q in Question.objects.published().prefetch_related("duties") if q.duties.count() >= 1][:2]
    first, second = tagged
    resolver = Resolver(ec2.catalog, rng=random.Random(0))
    assert resolver.take(("q", first.pk)) and resolver.take(("q", second.pk))
    for question in (first, second):
        for duty in question.duties.all():
            assert resolver.take(("row", duty.pk, None)) is None, (question.slug, duty.slug)
