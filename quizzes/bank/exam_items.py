"""Exam-format items generated from the catalog ("pick" items).

The CLF-C02 exam asks only single-choice questions (one right answer of four) and multiple-response
questions ("choose two" of five). A pick item asks one of those about one service: "which of these
is the customer's responsibility when a company uses Amazon RDS?", its options the names of duties
whose rows hold on that service.

A wrong option must never be accidentally right, so distractors are drawn only from rows whose
owner rules them out: for the customer, rows that are AWS's alone (a shared duty is partly the
customer's, so it is not wrong); for AWS, rows that are the customer's alone; for "shared", rows
that are one side's alone.

A candidate is ("pick", service_id, target_owner, right_count); the draw resolves it into
("pick", service_id, target_owner, right_count, right_duty_ids, distractor_duty_ids) against the
duties the attempt already asks about (`quizzes/bank/resolving.py`), and `pick_item` freezes that.
"""

from django.utils.crypto import salted_hmac

from quizzes.bank.catalog import SKILL_OF_OWNER, first_lesson
from quizzes.models import AttemptItem, Kind
from study.models import Owner

EXAM_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE})
RIGHT_COUNT_OF_KIND = {Kind.SINGLE: 1, Kind.MULTIPLE: 2}
KIND_OF_RIGHT_COUNT = {count: kind for kind, count in RIGHT_COUNT_OF_KIND.items()}
OPTIONS_SHOWN = {1: 4, 2: 5}  # as on the exam: one of four, two of five
TARGETS = (Owner.CUSTOMER, Owner.AWS, Owner.SHARED)

ONE = {
    Owner.CUSTOMER: "the customer's responsibility",
    Owner.AWS: "AWS's responsibility",
    Owner.SHARED: "a responsibility that AWS and the customer share",
}
MANY = {
    Owner.CUSTOMER: "the customer's responsibilities",
    Owner.AWS: "AWS's responsibilities",
    Owner.SHARED: "responsibilities that AWS and the customer share",
}
WHOSE = {
    Owner.CUSTOMER: "the customer's job",
    Owner.AWS: "AWS's job",
    Owner.SHARED: "shared (AWS and the customer each do a part)",
}
THE_OTHERS = {
    Owner.CUSTOMER: "Each of the other options is AWS's alone.",
    Owner.AWS: "Each of the other options is the customer's alone.",
    Owner.SHARED: "Each of the other options belongs to one side alone.",
}


def rules_out(owner, target):
    """Whether a row of `owner` is certainly a wrong answer to "which is `target`'s?"."""
    if target == Owner.SHARED:
        return owner != Owner.SHARED
    return owner not in (target, Owner.SHARED)


def in_lesson(duty, lesson_id):
    return not lesson_id or lesson_id in {lesson.pk for lesson in duty.lessons.all()}


def options_for(catalog, service_id, target, *, usable=None, usable_as_distractor=None, lesson_id=None):
    """(right duties, distractor duties) of a pick item about `target` on one service: right duties
    among the `usable` ones (and of the lesson, when one is given), distractors among those
    `usable_as_distractor` (by default the `usable` ones too)."""
    usable_as_distractor = usable_as_distractor or usable
    applicable = catalog.applicable(service_id)
    right = [
        duty
        for duty, row in applicable
        if row.owner == target and in_lesson(duty, lesson_id) and (usable is None or usable(duty.pk))
    ]
    wrong = [
        duty
        for duty, row in applicable
        if rules_out(row.owner, target) and (usable_as_distractor is None or usable_as_distractor(duty.pk))
    ]
    return right, wrong


def pick_candidates(catalog, service_ids, *, kinds, skill="", lesson_id=None):
    """Every (service, target, right count) the catalog can ask, with enough right rows (in the
    lesson, if one is given) and enough distractors to fill the options."""
    counts = [RIGHT_COUNT_OF_KIND[kind] for kind in (Kind.SINGLE, Kind.MULTIPLE) if kind in kinds]
    found = []
    if not counts:
        return found
    for service_id in service_ids or catalog.services:
        for target in TARGETS:
            if skill and SKILL_OF_OWNER[target] != skill:
                continue
            right, wrong = options_for(catalog, service_id, target, lesson_id=lesson_id)
            found += [
                ("pick", service_id, target, count)
                for count in counts
                if len(right) >= count and len(wrong) >= OPTIONS_SHOWN[count] - count
            ]
    return found


def fresh_first(duties, rng, is_fresh):
    """`duties` in a random order, those not asked recently first."""
    duties = list(duties)
    rng.shuffle(duties)
    return sorted(duties, key=lambda duty: not is_fresh(duty.pk))


def resolve_pick(
    catalog,
    candidate,
    *,
    rng,
    usable=lambda _duty_id: True,
    usable_as_distractor=None,
    is_fresh=lambda _duty_id: True,
    lesson_id=None,
):
    """The duties a pick candidate shows: right ones `usable`, distractors `usable_as_distractor`,
    fresh ones first; None if too few are left."""
    _pick, service_id, target, count = candidate[:4]
    right, wrong = options_for(
        catalog, service_id, target, usable=usable, usable_as_distractor=usable_as_distractor, lesson_id=lesson_id
    )
    needed = OPTIONS_SHOWN[count] - count
    if len(right) < count or len(wrong) < needed:
        return None
    right = fresh_first(right, rng, is_fresh)[:count]
    wrong = fresh_first(wrong, rng, is_fresh)[:needed]
    return ("pick", service_id, target, count, tuple(duty.pk for duty in right), tuple(duty.pk for duty in wrong))


def pick_prompt(service, target, count):
    asked = (
        f"which of these is {ONE[target]}?" if count == 1 else f"which TWO of these are {MANY[target]}? (Choose two.)"
    )
    return f"A company uses **{service.name}**. Under the AWS shared responsibility model, {asked}"


def row_sentence(duty, row, service):
    where = f"on {service.name}" if row.service_id else "whatever the service"
    return f"{duty.name}: {WHOSE[row.owner]} {where}. {row.explanation}"


def option_key(question, duty_id):
    """The key an option is shown and answered by: unrelated to the duty's id and to whether it is
    right, and different for every option of an attempt (no duty is in two of its items), so that
    an option of one item is never a valid answer to another."""
    service_id, target, count = question[1:4]
    return (
        "o"
        + salted_hmac("quizzes.bank.exam_items.option_key", f"{service_id}:{target}:{count}:{duty_id}").hexdigest()[:12]
    )


def pick_item(catalog, candidate, rng):
    """Freeze a resolved pick candidate. The options are always shuffled, whatever the quiz says
    about choices: the resolved candidate lists the right duties first."""
    if len(candidate) == 4:
        candidate = resolve_pick(catalog, candidate, rng=rng)
    _pick, service_id, target, count, right_ids, wrong_ids = candidate
    service = catalog.services[service_id]
    shown = [*right_ids, *wrong_ids]
    rng.shuffle(shown)
    keys = {duty_id: option_key(candidate[:4], duty_id) for duty_id in shown}
    rows = {duty_id: catalog.row(duty_id, service_id) for duty_id in shown}
    duties = {duty_id: catalog.duties[duty_id] for duty_id in shown}
    first = right_ids[0]
    named = " and ".join(duties[duty_id].name for duty_id in right_ids)
    explanation = " ".join(
        [
            f"{named} {'is' if count == 1 else 'are'} {(ONE if count == 1 else MANY)[target]} on {service.name}.",
            *(rows[duty_id].explanation for duty_id in right_ids),
            THE_OTHERS[target],
        ]
    )
    misconceptions = {
        keys[duty_id]: found.pk
        for duty_id in wrong_ids
        if (found := catalog.misconception_for(duty_id, service_id, target))
    }
    return AttemptItem(
        kind=KIND_OF_RIGHT_COUNT[count],
        duty=duties[first],
        service=service,
        responsibility=rows[first],
        lesson=first_lesson(duties[first]),
        skill=SKILL_OF_OWNER[target],
        prompt=pick_prompt(service, target, count),
        options=[{"key": keys[duty_id], "text": duties[duty_id].name} for duty_id in shown],
        key={
            "correct": [keys[duty_id] for duty_id in shown if duty_id in right_ids],
            "explanation": explanation,
            "feedback": {keys[duty_id]: row_sentence(duties[duty_id], rows[duty_id], service) for duty_id in shown},
            "source": {"title": rows[first].source.title, "url": rows[first].source.url},
            "duties": {keys[duty_id]: duty_id for duty_id in shown},
            "misconceptions": misconceptions,
        },
    )
