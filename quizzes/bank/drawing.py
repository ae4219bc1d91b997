"""Choose the questions of a new attempt and freeze each into an `AttemptItem`.

Candidates are light tuples, so that a bank of thousands of written questions is sampled by id
and only the chosen questions are loaded:
- ("row", duty_id, service_id or None): an owner-assignment question generated from the catalog;
- ("sort", service_id): a sort-into-buckets item generated from one service's rows;
- ("q", question_id): a written question.
"""

import random
from dataclasses import dataclass, field

from django.utils import timezone

from quizzes.bank.catalog import Catalog, first_lesson
from quizzes.bank.items import (
    OWNER_OPTIONS,
    SORT_CARDS,
    build_items,
    choice_key,
    owner_item,
    sort_item,
    written_item,
)
from quizzes.bank.recent import RecentlyAsked, recently_asked
from quizzes.models import Kind, Question, Quiz, ReviewItem, Skill
from study.models import Service

# Callers import the whole drawing API from here; the parts live in their own modules.
__all__ = [
    "OWNER_OPTIONS",
    "SORT_CARDS",
    "Catalog",
    "RecentlyAsked",
    "build_items",
    "choice_key",
    "draw",
    "draw_counts",
    "first_lesson",
    "owner_item",
    "recently_asked",
    "review_candidates",
    "rule_specs",
    "sort_item",
    "written_item",
]


@dataclass
class RuleSpec:
    """A selection rule as plain values (a quiz without rules draws with one empty spec)."""

    count: int
    kind: str = ""
    service_ids: set = field(default_factory=set)
    category: str = ""
    lesson_id: int | None = None
    skill: str = ""


def rule_specs(quiz):
    rules = list(quiz.rules.prefetch_related("services"))
    if not rules:
        return [RuleSpec(count=quiz.question_count)]
    return [
        RuleSpec(
            count=rule.count,
            kind=rule.kind,
            service_ids={service.pk for service in rule.services.all()},
            category=rule.category,
            lesson_id=rule.lesson_id,
            skill=rule.skill,
        )
        for rule in rules
    ]


def candidates(spec, catalog):
    service_ids = set(spec.service_ids)
    if spec.category:
        in_category = {pk for pk, service in catalog.services.items() if service.category == spec.category}
        service_ids = service_ids & in_category if service_ids else in_category
        if not service_ids:
            return []  # none of the rule's services is in its category: nothing fits, not everything
    found = []
    if spec.kind in ("", Kind.OWNER):
        found += owner_candidates(spec, catalog, service_ids)
    if spec.kind in ("", Kind.SORT) and not spec.lesson_id and spec.skill in ("", Skill.SHIFT):
        for service_id in service_ids or catalog.services:
            if len(catalog.applicable(service_id)) >= 3:
                found.append(("sort", service_id))
    found += [("q", pk) for pk in written_question_ids(spec, service_ids)]
    return found


def owner_candidates(spec, catalog, service_ids):
    pairs = []
    if service_ids:
        for service_id in service_ids:
            pairs += [(duty, service_id) for duty, _row in catalog.applicable(service_id)]
    else:
        pairs = [(duty, row.service_id) for duty in catalog.duties.values() for row in duty.responsibilities.all()]
    return [
        ("row", duty.pk, service_id)
        for duty, service_id in pairs
        if (not spec.lesson_id or spec.lesson_id in {lesson.pk for lesson in duty.lessons.all()})
        and (not spec.skill or catalog.skill_of(duty) == spec.skill)
    ]


def written_question_ids(spec, service_ids):
    questions = Question.objects.published()
    if spec.kind:
        questions = questions.filter(kind=spec.kind)
    if spec.lesson_id:
        questions = questions.filter(lesson_id=spec.lesson_id)
    if spec.skill:
        questions = questions.filter(skill=spec.skill)
    if service_ids:  # a rule's category is applied through its services (see candidates)
        questions = questions.filter(services__in=service_ids)
    return list(questions.values_list("pk", flat=True).distinct())


def draw(quiz, *, rng, user=None, recent=None, include_waiting=False):
    """The candidates of a new attempt of `quiz`, in the order they will be asked."""
    catalog = Catalog()
    if quiz.source == Quiz.Source.REVIEW:
        return catalog, review_candidates(user, quiz.question_count, catalog)
    chosen = [candidate for _spec, _pool, picked in draw_per_rule(quiz, catalog, rng) for candidate in picked]
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return catalog, chosen


def draw_per_rule(quiz, catalog, rng):
    """(spec, pool size, picked candidates) per rule; a question picked by one rule is not in later pools."""
    drawn, seen = [], set()
    for spec in rule_specs(quiz):
        pool = [candidate for candidate in candidates(spec, catalog) if candidate not in seen]
        picked = rng.sample(pool, min(spec.count, len(pool)))
        drawn.append((spec, len(pool), picked))
        seen.update(picked)
    return drawn


@dataclass
class DrawCounts:
    rules: list  # (label, drawn, pool size) per rule
    total: int


def draw_counts(quiz):
    """How many questions an attempt of a bank quiz would ask, per rule, with the published bank and
    catalog of now (one sample draw: where rules overlap, the pools of later rules can vary a little)."""
    catalog = Catalog()
    rules = []
    for number, (spec, pool, picked) in enumerate(draw_per_rule(quiz, catalog, random.Random(0)), start=1):
        what = ", ".join(
            part
            for part in (
                Kind(spec.kind).label if spec.kind else "any kind",
                f"{len(spec.service_ids)} service(s)" if spec.service_ids else "",
                Service.Category(spec.category).label if spec.category else "",
                "one lesson" if spec.lesson_id else "",
                Skill(spec.skill).label if spec.skill else "",
            )
            if part
        )
        rules.append((f"Rule {number} ({spec.count} of {what})", len(picked), pool))
    return DrawCounts(rules=rules, total=sum(drawn for _label, drawn, _pool in rules))


def review_candidates(user, limit, catalog):
    if user is None or not user.is_authenticated:
        return []
    due = ReviewItem.objects.filter(user=user, due_at__lte=timezone.now()).order_by("due_at", "box")[: limit * 2]
    found = []
    for item in due:
        if item.question_id:
            found.append(("q", item.question_id))
        elif catalog.row(item.duty_id, item.service_id):
            found.append(("row", item.duty_id, item.service_id))
    written = [candidate[1] for candidate in found if candidate[0] == "q"]
    published = set(Question.objects.published().filter(pk__in=written).values_list("pk", flat=True))
    return [candidate for candidate in found if candidate[0] != "q" or candidate[1] in published][:limit]
