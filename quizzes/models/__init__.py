"""The quizzes app's models, one module per part: the question bank, attempts and grading, and
the review queue. Import them from here."""

from quizzes.models.attempts import Answer, Attempt, AttemptItem, Confidence, Grade, Outcome
from quizzes.models.bank import Choice, Kind, Question, Quiz, SelectionRule, Skill, SortCard
from quizzes.models.review import ReviewItem

__all__ = [
    "Answer",
    "Attempt",
    "AttemptItem",
    "Choice",
    "Confidence",
    "Grade",
    "Kind",
    "Outcome",
    "Question",
    "Quiz",
    "ReviewItem",
    "SelectionRule",
    "Skill",
    "SortCard",
]
