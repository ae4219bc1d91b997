"""What a learner is told about an answered item. Only built once the key may be shown: after the
answer in practice mode, after the attempt in exam mode.

Every option is listed, marked right or wrong, with the learner's picks and the feedback the key
has for it (for a right option too); a sort item is shown as the board the learner made, each
card in the bucket it was placed in, marked, with the bucket it belongs in when it is wrong."""

from collections import defaultdict
from dataclasses import dataclass, field

from quizzes.models import Kind
from study.models import Misconception, Owner

OWNER_LABELS = dict(Owner.choices)
NOT_PLACED = "Not placed"


@dataclass
class OptionFeedback:
    """One option as it was shown, marked."""

    key: str
    text: str
    is_correct: bool
    picked: bool
    feedback: str = ""
    # The misconception the learner's answer showed, on the wrong option that showed it.
    misconception: Misconception | None = None


@dataclass
class CardFeedback:
    """One sort card: `placed` and `expected` are owners ("aws", "customer", "shared"; `placed` is
    "" for a card left unplaced)."""

    key: str
    text: str
    placed: str
    expected: str
    right: bool
    explanation: str = ""

    @property
    def placed_label(self):
        return OWNER_LABELS.get(self.placed, NOT_PLACED)

    @property
    def expected_label(self):
        return OWNER_LABELS[self.expected]


@dataclass
class BucketFeedback:
    """A bucket of the board: the cards the learner placed under one owner ("" for not placed)."""

    owner: str
    label: str
    cards: list = field(default_factory=list)


@dataclass
class Feedback:
    answered: bool
    right: bool
    score: float
    chosen: list  # the texts of the options picked, in the order shown
    correct: list  # the texts of the right options, in the order shown
    explanation: str
    explanation_is_markdown: bool
    options: list = field(default_factory=list)  # OptionFeedback, every option in the order shown
    misconception: Misconception | None = None  # the one the answer showed
    source: dict | None = None
    cards: list = field(default_factory=list)  # sort items: CardFeedback, in the order shown
    buckets: list = field(default_factory=list)  # sort items: BucketFeedback, the board

    @property
    def misconception_without_option(self):
        """The answer's misconception when no option carries it, to show on its own."""
        if self.misconception is None or any(option.misconception for option in self.options):
            return None
        return self.misconception


def misconceptions_for(answers):
    ids = {answer.misconception_id for answer in answers if answer and answer.misconception_id}
    return Misconception.objects.in_bulk(ids) if ids else {}


def build(item, answer, misconceptions):
    """The feedback on `answer` (None for a question left unanswered when the attempt ended)."""
    if item.kind == Kind.SORT:
        return build_sort(item, answer)
    key = item.key
    chosen = set(answer.response["choices"]) if answer else set()
    correct = set(key["correct"])
    misconception = misconceptions.get(answer.misconception_id) if answer and answer.misconception_id else None
    options = [
        OptionFeedback(
            key=option["key"],
            text=option["text"],
            is_correct=option["key"] in correct,
            picked=option["key"] in chosen,
            feedback=key.get("feedback", {}).get(option["key"], ""),
        )
        for option in item.options
    ]
    if misconception:
        shown_by = key.get("misconceptions", {})
        carrier = next(
            (o for o in options if o.picked and not o.is_correct and shown_by.get(o.key) == misconception.pk), None
        )
        if carrier:
            carrier.misconception = misconception
    return Feedback(
        answered=answer is not None,
        right=bool(answer and answer.is_correct),
        score=answer.score if answer else 0.0,
        chosen=[option.text for option in options if option.picked],
        correct=[option.text for option in options if option.is_correct],
        explanation=key.get("explanation", ""),
        explanation_is_markdown=item.question_id is not None,
        options=options,
        misconception=misconception,
        source=key.get("source"),
    )


def build_sort(item, answer):
    key = item.key
    placed = answer.response["cards"] if answer else {}
    cards = []
    for option in item.options:
        expected = key["correct"][option["key"]]
        where = placed.get(option["key"], "")
        cards.append(
            CardFeedback(
                key=option["key"],
                text=option["text"],
                placed=where if where in OWNER_LABELS else "",
                expected=expected,
                right=where == expected,
                explanation=key.get("explanations", {}).get(option["key"], ""),
            )
        )
    # The buckets in the order the learner placed the cards in (the form's and the board's); an
    # item left unanswered has no board, only its cards, not placed.
    buckets = [
        BucketFeedback(owner=owner, label=label, cards=[card for card in cards if card.placed == owner])
        for owner, label in (Owner.choices if answer else [])
    ]
    unplaced = [card for card in cards if not card.placed]
    if unplaced:
        buckets.append(BucketFeedback(owner="", label=NOT_PLACED, cards=unplaced))
    return Feedback(
        answered=answer is not None,
        right=bool(answer and answer.is_correct),
        score=answer.score if answer else 0.0,
        chosen=[],
        correct=[],
        explanation=key.get("explanation", ""),
        explanation_is_markdown=item.question_id is not None,
        source=key.get("source"),
        cards=cards,
        buckets=buckets,
    )


def breakdown(items):
    """Score per lesson, service and skill of a finished attempt's items (items carry their answer)."""
    groups = {"lesson": defaultdict(list), "service": defaultdict(list), "skill": defaultdict(list)}
    for item in items:
        score = item.answer_or_none.score if item.answer_or_none else 0.0
        if item.lesson:
            groups["lesson"][item.lesson.title].append(score)
        if item.service:
            groups["service"][item.service.name].append(score)
        groups["skill"][item.get_skill_display()].append(score)
    return {
        name: sorted(
            ((label, len(scores), round(100 * sum(scores) / len(scores))) for label, scores in values.items()),
            key=lambda row: row[2],
        )
        for name, values in groups.items()
    }
