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
from django.utils.crypto import salted_hmac

from quizzes.models import AttemptItem, Kind, Question, Quiz, ReviewItem, Skill
from study.models import Duty, Misconception, Owner, Service

OWNER_OPTIONS = [
    {"key": Owner.AWS, "text": "AWS"},
    {"key": Owner.CUSTOMER, "text": "The customer"},
    {"key": Owner.SHARED, "text": "Shared: each side does a part"},
]
SORT_CARDS = 4


@dataclass
class RuleSpec:
    """A selection rule as plain values (a quiz without rules draws with one empty spec)."""

    count: int
    kind: str = ""
    service_ids: set = field(default_factory=set)
    category: str = ""
    lesson_id: int | None = None
    skill: str = ""


class Catalog:
    """The whole duty catalog in memory (it is small: tens of services, a few hundred rows)."""

    def __init__(self):
        self.services = {service.pk: service for service in Service.objects.in_order()}
        self.duties = {duty.pk: duty for duty in Duty.objects.with_rows().prefetch_related("lessons")}
        self.misconceptions = list(
            Misconception.objects.exclude(believed_owner="").prefetch_related("duties", "services")
        )

    def row(self, duty_id, service_id):
        duty = self.duties.get(duty_id)
        if duty is None:
            return None
        if service_id is None:
            return duty.general_row
        service = self.services.get(service_id)
        return duty.row_for(service) if service else None

    def applicable(self, service_id):
        """(duty, row) pairs that hold on one service, its own rows and the any-service rows."""
        service = self.services[service_id]
        return [(duty, row) for duty in self.duties.values() if (row := duty.row_for(service))]

    def skill_of(self, duty):
        owners = {row.owner for row in duty.responsibilities.all()}
        if len(owners) > 1:
            return Skill.SHIFT
        return {Owner.AWS: Skill.AWS, Owner.CUSTOMER: Skill.CUSTOMER, Owner.SHARED: Skill.SHARED}[owners.pop()]

    def misconception_for(self, duty_id, service_id, owner):
        return next(
            (m for m in self.misconceptions if m.matches(duty_id=duty_id, service_id=service_id, owner=owner)), None
        )


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


def draw(quiz, *, rng, user=None):
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


def build_items(attempt, chosen, catalog, *, rng, shuffle_choices):
    question_ids = [candidate[1] for candidate in chosen if candidate[0] == "q"]
    questions = (
        Question.objects.filter(pk__in=question_ids)
        .select_related("misconception", "lesson")
        .prefetch_related("choices", "cards", "services")
    )
    by_id = {question.pk: question for question in questions}
    items = []
    for position, candidate in enumerate(chosen):
        if candidate[0] == "row":
            item = owner_item(catalog, candidate[1], candidate[2])
        elif candidate[0] == "sort":
            item = sort_item(catalog, candidate[1], rng)
        else:
            item = written_item(by_id[candidate[1]], rng=rng, shuffle_choices=shuffle_choices)
        item.attempt = attempt
        item.position = position
        items.append(item)
    return AttemptItem.objects.bulk_create(items)


def owner_item(catalog, duty_id, service_id):
    duty = catalog.duties[duty_id]
    row = catalog.row(duty_id, service_id)
    service = catalog.services.get(service_id)
    where = f"When you use {service.name}" if service else "Whatever AWS service you use"
    misconceptions = {
        option["key"]: found.pk
        for option in OWNER_OPTIONS
        if option["key"] != row.owner and (found := catalog.misconception_for(duty_id, service_id, option["key"]))
    }
    return AttemptItem(
        kind=Kind.OWNER,
        duty=duty,
        service=service,
        responsibility=row,
        lesson=first_lesson(duty),
        skill=catalog.skill_of(duty),
        prompt=f"{where}, who is responsible for this?\n\n**{duty.name}**: {duty.description}",
        options=OWNER_OPTIONS,
        key={
            "correct": [row.owner],
            "explanation": row.explanation,
            "source": {"title": row.source.title, "url": row.source.url},
            "misconceptions": misconceptions,
        },
    )


def sort_item(catalog, service_id, rng):
    service = catalog.services[service_id]
    applicable = catalog.applicable(service_id)
    # Prefer cards with different owners, so that every bucket is used where the service allows.
    rng.shuffle(applicable)
    cards, owners_used = [], set()
    for duty, row in applicable:
        if row.owner not in owners_used:
            cards.append((duty, row))
            owners_used.add(row.owner)
    for pair in applicable:
        if len(cards) >= SORT_CARDS:
            break
        if pair not in cards:
            cards.append(pair)
    cards = cards[:SORT_CARDS]
    rng.shuffle(cards)
    keys = [f"k{index}" for index in range(len(cards))]
    return AttemptItem(
        kind=Kind.SORT,
        service=service,
        skill=Skill.SHIFT,
        prompt=f"Your team runs a workload on **{service.name}**. Place each duty under the side responsible for it.",
        options=[{"key": key, "text": duty.name} for key, (duty, _row) in zip(keys, cards, strict=True)],
        key={
            "correct": {key: row.owner for key, (_duty, row) in zip(keys, cards, strict=True)},
            "explanations": {key: row.explanation for key, (_duty, row) in zip(keys, cards, strict=True)},
            "duties": {key: duty.pk for key, (duty, _row) in zip(keys, cards, strict=True)},
        },
    )


def written_item(question, *, rng, shuffle_choices):
    base = {
        "kind": question.kind,
        "question": question,
        "lesson": question.lesson,
        "skill": question.skill,
        "prompt": question.prompt,
    }
    service = next(iter(question.services.all()), None)
    if question.kind == Kind.OWNER:
        wrong = {option["key"]: question.misconception_id for option in OWNER_OPTIONS if question.misconception_id}
        wrong.pop(question.owner, None)
        return AttemptItem(
            **base,
            service=service,
            options=OWNER_OPTIONS,
            key={"correct": [question.owner], "explanation": question.explanation, "misconceptions": wrong},
        )
    if question.kind == Kind.SORT:
        cards = list(question.cards.all())
        rng.shuffle(cards)
        keys = [f"k{index}" for index in range(len(cards))]
        return AttemptItem(
            **base,
            service=service,
            options=[{"key": key, "text": card.text} for key, card in zip(keys, cards, strict=True)],
            key={
                "correct": {key: card.owner for key, card in zip(keys, cards, strict=True)},
                "explanation": question.explanation,
            },
        )
    choices = list(question.choices.all())
    if shuffle_choices and question.kind != Kind.TRUE_FALSE:
        rng.shuffle(choices)
    misconceptions = {choice_key(c.pk): c.misconception_id for c in choices if c.misconception_id and not c.is_correct}
    if question.kind == Kind.TRUE_FALSE and question.misconception_id:
        misconceptions.update({choice_key(c.pk): question.misconception_id for c in choices if not c.is_correct})
    return AttemptItem(
        **base,
        service=service,
        options=[{"key": choice_key(choice.pk), "text": choice.text} for choice in choices],
        key={
            "correct": [choice_key(choice.pk) for choice in choices if choice.is_correct],
            "explanation": question.explanation,
            "feedback": {choice_key(choice.pk): choice.feedback for choice in choices if choice.feedback},
            "misconceptions": misconceptions,
        },
    )


def choice_key(choice_id):
    """The key a choice is shown and answered by: the same for a choice in every attempt, and
    unrelated to its row id. Questions are often written right answer first, so keys in the order
    of writing would let anyone who reads the page's source pick the right one."""
    return "c" + salted_hmac("quizzes.bank.drawing.choice_key", str(choice_id)).hexdigest()[:12]


def first_lesson(duty):
    lessons = sorted(duty.lessons.all(), key=lambda lesson: lesson.position)
    return lessons[0] if lessons else None
