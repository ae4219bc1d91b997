"""Choose the questions of a new attempt by its quiz's selection rules.

Candidates are light tuples, so that a bank of thousands of written questions is sampled by id
and only the chosen questions are loaded:
- ("row", duty_id, service_id or None): an owner-assignment question generated from the catalog;
- ("sort", service_id): a sort-into-buckets item generated from one service's rows;
- ("pick", service_id, target_owner, right_count): an exam-format item (single choice or "choose
  two") generated from the catalog (`quizzes/bank/exam_items.py`);
- ("q", question_id): a written question.

Each rule's pool is taken in a random order, what the learner was asked recently last, through a
`Resolver` (`quizzes/bank/resolving.py`) that keeps any duty from being asked twice in one attempt
and fixes the cards and options of the generated items. The parts live in their own modules;
callers import them all from here.
"""

import random
from dataclasses import dataclass, field

from django.utils import timezone

from quizzes.bank.catalog import Catalog, first_lesson
from quizzes.bank.exam_items import EXAM_KINDS, pick_candidates
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
from quizzes.bank.resolving import Resolver, in_draw_order
from quizzes.models import Kind, Question, Quiz, ReviewItem, Skill
from study.models import Service

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
    exam_format: bool = False  # an exam simulation asks only what the exam asks

    def kinds(self):
        """The kinds of question this rule may draw."""
        kinds = {self.kind} if self.kind else set(Kind.values)
        return kinds & EXAM_KINDS if self.exam_format else kinds


def rule_specs(quiz):
    rules = list(quiz.rules.prefetch_related("services"))
    exam_format = quiz.mode == Quiz.Mode.EXAM
    if not rules:
        return [RuleSpec(count=quiz.question_count, exam_format=exam_format)]
    return [
        RuleSpec(
            count=rule.count,
            kind=rule.kind,
            service_ids={service.pk for service in rule.services.all()},
            category=rule.category,
            lesson_id=rule.lesson_id,
            skill=rule.skill,
            exam_format=exam_format,
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
    kinds = spec.kinds()
    found = []
    if Kind.OWNER in kinds:
        found += owner_candidates(spec, catalog, service_ids)
    if Kind.SORT in kinds and not spec.lesson_id and spec.skill in ("", Skill.SHIFT):
        for service_id in service_ids or catalog.services:
            if len(catalog.applicable(service_id)) >= 3:
                found.append(("sort", service_id))
    found += pick_candidates(catalog, service_ids, kinds=kinds, skill=spec.skill, lesson_id=spec.lesson_id)
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
    if spec.kind or spec.exam_format:
        questions = questions.filter(kind__in=spec.kinds())
    if spec.lesson_id:
        questions = questions.filter(lesson_id=spec.lesson_id)
    if spec.skill:
        questions = questions.filter(skill=spec.skill)
    if service_ids:  # a rule's category is applied through its services (see candidates)
        questions = questions.filter(services__in=service_ids)
    return list(questions.values_list("pk", flat=True).distinct())


def draw(quiz, *, rng, user=None, recent=None, include_waiting=False):
    """The candidates of a new attempt of `quiz`, resolved and in the order they will be asked.

    `recent` (a `RecentlyAsked`, see `recently_asked`) puts what the learner was asked lately after
    the fresh candidates of every rule: drawn only when nothing fresh is left. The review quiz
    ignores it (it asks what is due, on purpose) and, with `include_waiting`, also asks the items
    not due yet, soonest due first."""
    catalog = Catalog()
    if quiz.source == Quiz.Source.REVIEW:
        return catalog, review_candidates(user, quiz.question_count, catalog, include_waiting=include_waiting)
    drawn = draw_per_rule(quiz, catalog, rng, recent=recent)
    chosen = [candidate for _spec, _pool, picked in drawn for candidate in picked]
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return catalog, chosen


def draw_per_rule(quiz, catalog, rng, recent=None):
    """(spec, pool size, picked candidates) per rule; a question picked by one rule is not in later
    pools, and no duty is asked twice in the attempt (a candidate that would repeat one is passed
    over, and the rule fills its count from the rest of its pool; see `resolving.py`). What was
    asked recently comes last in every pool."""
    specs = rule_specs(quiz)
    resolver = Resolver(catalog, rng=rng, recent=recent)
    pools = [candidates(spec, catalog) for spec in specs]
    orders = [in_draw_order(pool, rng, resolver.is_recent) for pool in pools]
    picked = [[] for _spec in specs]
    taken = [set() for _spec in specs]  # the candidates each rule took, as drawn (before resolving)
    for spec, order, rule_picked, rule_taken in zip(specs, orders, picked, taken, strict=True):
        for candidate in order:
            if len(rule_picked) >= spec.count:
                break
            if any(candidate in other for other in taken):
                continue
            resolved = resolver.take(candidate, lesson_id=spec.lesson_id)
            if resolved is not None:
                rule_picked.append(resolved)
                rule_taken.add(candidate)
    drawn = []
    for index, spec in enumerate(specs):
        earlier = set().union(*taken[:index])
        drawn.append((spec, sum(candidate not in earlier for candidate in pools[index]), picked[index]))
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
                Kind(spec.kind).label if spec.kind else ("any exam kind" if spec.exam_format else "any kind"),
                f"{len(spec.service_ids)} service(s)" if spec.service_ids else "",
                Service.Category(spec.category).label if spec.category else "",
                "one lesson" if spec.lesson_id else "",
                Skill(spec.skill).label if spec.skill else "",
            )
            if part
        )
        rules.append((f"Rule {number} ({spec.count} of {what})", len(picked), pool))
    return DrawCounts(rules=rules, total=sum(drawn for _label, drawn, _pool in rules))


def review_candidates(user, limit, catalog, include_waiting=False):
    """Up to `limit` of the learner's review items that are due, soonest first (with
    `include_waiting`, the ones not due yet too, after them), no duty twice."""
    if user is None or not user.is_authenticated:
        return []
    queued = ReviewItem.objects.filter(user=user)
    if not include_waiting:
        queued = queued.filter(due_at__lte=timezone.now())
    found = []
    # More than `limit`: drafts, rows gone from the catalog and repeated duties are passed over.
    for item in queued.order_by("due_at", "box")[: limit * 3]:
        if item.question_id:
            found.append(("q", item.question_id))
        elif catalog.row(item.duty_id, item.service_id):
            found.append(("row", item.duty_id, item.service_id))
    written = [candidate[1] for candidate in found if candidate[0] == "q"]
    published = set(Question.objects.published().filter(pk__in=written).values_list("pk", flat=True))
    resolver = Resolver(catalog, rng=None)
    chosen = []
    for candidate in found:
        if len(chosen) >= limit:
            break
        if (candidate[0] != "q" or candidate[1] in published) and resolver.take(candidate) is not None:
            chosen.append(candidate)
    return chosen
