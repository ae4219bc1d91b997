"""Exam-format items generated from the catalog: a right answer is right, a distractor is never
accidentally right, every option is explained, and the keys give nothing away.

Checked for every (service, target owner, right count) the catalog can ask, against the rows read
here from the database, not through the drawing's own `Catalog`."""

import random
from collections import Counter

import pytest

from quizzes.bank.drawing import Catalog, RuleSpec, build_items, candidates, first_lesson
from quizzes.bank.exam_items import pick_candidates, pick_item, resolve_pick
from quizzes.models import Attempt, Kind, Quiz
from study.models import Duty, Misconception, Owner, Responsibility, Service

pytestmark = pytest.mark.django_db

TARGETS = ("customer", "aws", "shared")
OPTIONS = {1: 4, 2: 5}


def owners_on(service):
    """{duty id: owner} of the rows that hold on `service`: its own row, else the any-service row."""
    owners = dict(Responsibility.objects.filter(service__isnull=True).values_list("duty_id", "owner"))
    owners.update(Responsibility.objects.filter(service=service).values_list("duty_id", "owner"))
    return owners


def certainly_wrong(owner, target):
    if target == "shared":
        return owner in ("aws", "customer")
    return owner == {"customer": "aws", "aws": "customer"}[target]


@pytest.fixture
def every_pick(quiz_content):
    """Every pick candidate of the catalog, with the owners of its service's rows."""
    catalog = Catalog()
    found = pick_candidates(catalog, set(), kinds={Kind.SINGLE, Kind.MULTIPLE})
    return catalog, found, {service.pk: owners_on(service) for service in Service.objects.all()}


def test_a_pick_candidate_exists_exactly_when_its_service_has_enough_right_rows_and_distractors(every_pick):
    _catalog, found, owners = every_pick
    expected = set()
    for service_id, on_service in owners.items():
        for target in TARGETS:
            right = sum(owner == target for owner in on_service.values())
            wrong = sum(certainly_wrong(owner, target) for owner in on_service.values())
            expected |= {
                ("pick", service_id, target, count)
                for count in (1, 2)
                if right >= count and wrong >= OPTIONS[count] - count
            }
    assert set(found) == expected
    assert len(found) == len(expected) == len(set(found))
    # Every service asks about every side, one right and two right.
    assert len(found) == 6 * len(owners)


@pytest.mark.parametrize("seed", [0, 1])
def test_every_pick_item_has_its_right_count_of_right_options_and_only_certainly_wrong_distractors(every_pick, seed):
    catalog, found, owners = every_pick
    rng = random.Random(seed)
    for candidate in found:
        _pick, service_id, target, count = candidate
        item = pick_item(catalog, resolve_pick(catalog, candidate, rng=rng), rng)
        where = f"{target} x{count} on {catalog.services[service_id].slug}"
        keys = [option["key"] for option in item.options]
        assert len(keys) == len(set(keys)) == OPTIONS[count], where
        assert item.kind == (Kind.SINGLE if count == 1 else Kind.MULTIPLE), where
        duty_of = item.key["duties"]
        assert set(duty_of) == set(keys), where
        assert len(set(duty_of.values())) == len(keys), where  # no duty twice in one item
        right = [key for key in keys if owners[service_id][duty_of[key]] == target]
        assert sorted(item.key["correct"]) == sorted(right), where
        assert len(right) == count, where
        for key in set(keys) - set(right):
            assert certainly_wrong(owners[service_id][duty_of[key]], target), where
        assert [option["text"] for option in item.options] == [catalog.duties[duty_of[key]].name for key in keys]


def test_the_candidate_keeps_what_it_resolved_and_every_option_is_explained(every_pick):
    catalog, found, _owners = every_pick
    rng = random.Random(5)
    for candidate in found:
        resolved = resolve_pick(catalog, candidate, rng=rng)
        _pick, service_id, target, _count, right_ids, wrong_ids = resolved
        assert resolved[:4] == candidate
        item = pick_item(catalog, resolved, rng)
        service = catalog.services[service_id]
        by_duty = {duty_id: key for key, duty_id in item.key["duties"].items()}
        assert sorted(by_duty) == sorted([*right_ids, *wrong_ids])
        assert sorted(item.key["correct"]) == sorted(by_duty[duty_id] for duty_id in right_ids)
        assert set(item.key["feedback"]) == set(item.key["duties"])
        for key, duty_id in item.key["duties"].items():
            row = catalog.row(duty_id, service_id)
            feedback = item.key["feedback"][key]
            assert feedback.startswith(f"{catalog.duties[duty_id].name}: ")
            assert feedback.endswith(row.explanation)
        first = catalog.row(right_ids[0], service_id)
        assert (item.duty.pk, item.service, item.responsibility) == (right_ids[0], service, first)
        assert item.lesson == first_lesson(catalog.duties[right_ids[0]])
        assert item.skill == {"customer": "customer", "aws": "aws", "shared": "shared"}[target]
        assert item.key["source"] == {"title": first.source.title, "url": first.source.url}
        assert item.question is None
        for duty_id in right_ids:
            assert catalog.duties[duty_id].name in item.key["explanation"]


def test_the_prompts_ask_for_one_or_two_of_the_targets_responsibilities(quiz_content):
    catalog = Catalog()
    rds = Service.objects.get(slug="rds")
    prompts = {}
    for target in TARGETS:
        for count in (1, 2):
            resolved = resolve_pick(catalog, ("pick", rds.pk, target, count), rng=random.Random(0))
            prompts[target, count] = pick_item(catalog, resolved, random.Random(0)).prompt
    start = "A company uses **Amazon RDS**. Under the AWS shared responsibility model, "
    assert prompts == {
        ("customer", 1): start + "which of these is the customer's responsibility?",
        ("customer", 2): start + "which TWO of these are the customer's responsibilities? (Choose two.)",
        ("aws", 1): start + "which of these is AWS's responsibility?",
        ("aws", 2): start + "which TWO of these are AWS's responsibilities? (Choose two.)",
        ("shared", 1): start + "which of these is a responsibility that AWS and the customer share?",
        ("shared", 2): start + "which TWO of these are responsibilities that AWS and the customer share? (Choose two.)",
    }


def test_the_keys_of_the_options_say_nothing_of_which_is_right(quiz_content):
    catalog = Catalog()
    rds = Service.objects.get(slug="rds").pk
    places = Counter()
    keys_of_duty = {}
    for seed in range(40):
        rng = random.Random(seed)
        item = pick_item(catalog, resolve_pick(catalog, ("pick", rds, "customer", 1), rng=rng), rng)
        keys = [option["key"] for option in item.options]
        assert all(len(key) == 13 and key[0] == "o" and int(key[1:], 16) >= 0 for key in keys)
        assert len(set(keys)) == 4
        places[keys.index(item.key["correct"][0])] += 1
        for key, duty_id in item.key["duties"].items():
            keys_of_duty.setdefault(duty_id, set()).add(key)
    # The right option is at every place, about as often; a duty's option has one key in this question.
    assert set(places) == {0, 1, 2, 3}
    assert min(places.values()) >= 4
    assert all(len(keys) == 1 for keys in keys_of_duty.values())
    assert len(set().union(*keys_of_duty.values())) == len(keys_of_duty)


def test_an_unresolved_pick_is_resolved_when_it_is_frozen(quiz_content):
    catalog = Catalog()
    item = pick_item(catalog, ("pick", Service.objects.get(slug="s3").pk, "aws", 2), random.Random(1))
    assert (item.kind, len(item.options), len(item.key["correct"])) == (Kind.MULTIPLE, 5, 2)


def test_a_wrong_pick_names_the_misconception_of_believing_it_the_targets(quiz_content):
    rds = Service.objects.get(slug="rds")
    owners = owners_on(rds)
    aws_duty = Duty.objects.get(pk=next(duty for duty, owner in owners.items() if owner == "aws"))
    myth = Misconception.objects.create(
        slug="aaa-customer-does-it",
        belief="I do that.",
        correction="AWS does.",
        believed_owner=Owner.CUSTOMER,
        position=0,
    )
    myth.duties.add(aws_duty)
    catalog = Catalog()
    shown = 0
    for target in TARGETS:
        for seed in range(30):
            rng = random.Random(seed)
            item = pick_item(catalog, resolve_pick(catalog, ("pick", rds.pk, target, 1), rng=rng), rng)
            for key, misconception_id in item.key["misconceptions"].items():
                # Only a wrong option, and only a belief that it is the asked side's.
                named = Misconception.objects.get(pk=misconception_id)
                assert key not in item.key["correct"]
                assert named.believed_owner == target
                assert named.duties.filter(pk=item.key["duties"][key]).exists()
                assert not named.services.exists() or named.services.filter(pk=rds.pk).exists()
            key_of = {duty_id: key for key, duty_id in item.key["duties"].items()}
            if target == "customer" and aws_duty.pk in key_of:
                assert item.key["misconceptions"][key_of[aws_duty.pk]] == myth.pk
                shown += 1
    assert shown


def test_a_rule_filters_pick_candidates_by_skill_lesson_and_service(quiz_content):
    from study.models import Lesson

    catalog = Catalog()
    s3 = Service.objects.get(slug="s3").pk
    by_skill = candidates(RuleSpec(count=1, kind=Kind.SINGLE, skill="shared", service_ids={s3}), catalog)
    assert {candidate for candidate in by_skill if candidate[0] == "pick"} == {("pick", s3, "shared", 1)}
    assert not [c for c in candidates(RuleSpec(count=1, skill="shift"), catalog) if c[0] == "pick"]
    lesson = Lesson.objects.get(slug="customer-responsibilities")
    lesson_duties = set(lesson.duties.values_list("pk", flat=True))
    spec = RuleSpec(count=1, kind=Kind.SINGLE, lesson_id=lesson.pk)
    picks = [candidate for candidate in candidates(spec, catalog) if candidate[0] == "pick"]
    assert picks
    for candidate in picks:
        resolved = resolve_pick(catalog, candidate, rng=random.Random(0), lesson_id=lesson.pk)
        assert set(resolved[4]) <= lesson_duties


def test_built_pick_items_are_stored_in_their_places(learner, quiz_content):
    catalog = Catalog()
    s3 = Service.objects.get(slug="s3").pk
    attempt = Attempt.objects.create(quiz=Quiz.objects.first(), user=learner, mode="exam", pass_mark=70)
    chosen = [resolve_pick(catalog, ("pick", s3, "customer", 2), rng=random.Random(0)), ("pick", s3, "aws", 1)]
    build_items(attempt, chosen, catalog, rng=random.Random(0), shuffle_choices=False)
    items = list(attempt.items.order_by("position"))
    assert [(item.position, item.kind, item.question_id, item.service_id) for item in items] == [
        (0, "multiple", None, s3),
        (1, "single", None, s3),
    ]
    assert sorted(items[0].key["duties"].values()) == sorted([*chosen[0][4], *chosen[0][5]])
