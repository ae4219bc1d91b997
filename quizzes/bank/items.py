"""Freeze what a draw chose into `AttemptItem`s: the prompt, the options in the order shown, and
the key, copied so that later edits of the bank or the catalog never change an attempt in progress.

Owner, sort and exam-format ("pick", `quizzes/bank/exam_items.py`) items are generated from catalog
rows, written questions from their stored choices and cards."""

from django.utils.crypto import salted_hmac

from quizzes.bank.catalog import first_lesson
from quizzes.bank.exam_items import pick_item
from quizzes.models import AttemptItem, Kind, Question, Skill
from study.models import Owner

OWNER_OPTIONS = [
    {"key": Owner.AWS, "text": "AWS"},
    {"key": Owner.CUSTOMER, "text": "The customer"},
    {"key": Owner.SHARED, "text": "Shared: each side does a part"},
]
SORT_CARDS = 4


def build_items(attempt, chosen, catalog, *, rng, shuffle_choices):
    """Freeze `chosen` (candidates as `draw` resolved them) into the attempt's items, in that order."""
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
            item = sort_item(catalog, candidate[1], rng, duty_ids=candidate[2] if len(candidate) > 2 else None)
        elif candidate[0] == "pick":
            item = pick_item(catalog, candidate, rng)
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


def choose_sort_cards(pairs, rng, is_fresh=lambda _duty_id: True):
    """Up to SORT_CARDS (duty, row) pairs of `pairs`, in a random order: first one of each owner, so
    that every bucket is used where the service allows, and duties not asked recently first."""
    pairs = list(pairs)
    rng.shuffle(pairs)
    pairs.sort(key=lambda pair: not is_fresh(pair[0].pk))
    cards, owners_used = [], set()
    for duty, row in pairs:
        if row.owner not in owners_used:
            cards.append((duty, row))
            owners_used.add(row.owner)
    for pair in pairs:
        if len(cards) >= SORT_CARDS:
            break
        if pair not in cards:
            cards.append(pair)
    cards = cards[:SORT_CARDS]
    rng.shuffle(cards)
    return cards


def sort_item(catalog, service_id, rng, duty_ids=None):
    """A sort item of the service's rows: the cards of `duty_ids` (as the draw resolved them), or
    cards chosen here when none are given."""
    service = catalog.services[service_id]
    if duty_ids is None:
        cards = choose_sort_cards(catalog.applicable(service_id), rng)
    else:
        cards = [(catalog.duties[duty_id], catalog.row(duty_id, service_id)) for duty_id in duty_ids]
    keys = [f"k{index}" for index in range(len(cards))]
    return AttemptItem(
        kind=Kind.SORT,
        service=service,
        skill=Skill.SHIFT,
        prompt=f"Your team uses **{service.name}**. Place each duty under the side responsible for it.",
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
