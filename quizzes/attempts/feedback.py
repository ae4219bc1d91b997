"""What a learner is told about an answered item. Only built once the key may be shown: after the
answer in practice mode, after the attempt in exam mode."""

from collections import defaultdict
from dataclasses import dataclass, field

from quizzes.models import Kind
from study.models import Misconception, Owner

OWNER_LABELS = dict(Owner.choices)


@dataclass
class CardFeedback:
    text: str
    placed: str
    expected: str
    right: bool
    explanation: str = ""


@dataclass
class Feedback:
    answered: bool
    right: bool
    score: float
    chosen: list
    correct: list
    explanation: str
    explanation_is_markdown: bool
    choice_feedback: list = field(default_factory=list)
    misconception: Misconception | None = None
    source: dict | None = None
    cards: list = field(default_factory=list)


def misconceptions_for(answers):
    ids = {answer.misconception_id for answer in answers if answer and answer.misconception_id}
    return Misconception.objects.in_bulk(ids) if ids else {}


def build(item, answer, misconceptions):
    """The feedback on `answer` (None for a question left unanswered when the attempt ended)."""
    key = item.key
    if item.kind == Kind.SORT:
        placed = answer.response["cards"] if answer else {}
        cards = [
            CardFeedback(
                text=option["text"],
                placed=OWNER_LABELS.get(placed.get(option["key"]), "nothing"),
                expected=OWNER_LABELS[key["correct"][option["key"]]],
                right=placed.get(option["key"]) == key["correct"][option["key"]],
                explanation=key.get("explanations", {}).get(option["key"], ""),
            )
            for option in item.options
        ]
        return Feedback(
            answered=answer is not None,
            right=bool(answer and answer.is_correct),
            score=answer.score if answer else 0.0,
            chosen=[],
            correct=[],
            explanation=key.get("explanation", ""),
            explanation_is_markdown=item.question_id is not None,
            cards=cards,
        )
    chosen = answer.response["choices"] if answer else []
    return Feedback(
        answered=answer is not None,
        right=bool(answer and answer.is_correct),
        score=answer.score if answer else 0.0,
        chosen=[item.option_text(choice) for choice in chosen],
        correct=[item.option_text(choice) for choice in key["correct"]],
        explanation=key.get("explanation", ""),
        explanation_is_markdown=item.question_id is not None,
        choice_feedback=[key["feedback"][choice] for choice in chosen if choice in key.get("feedback", {})],
        misconception=misconceptions.get(answer.misconception_id) if answer else None,
        source=key.get("source"),
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
