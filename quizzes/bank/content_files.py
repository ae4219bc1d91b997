"""Read and validate quizzes/content/questions.yaml and quizzes.yaml (format: docs/questions.md).

Values come out in the shape of `Question.content_values()` and `Quiz.content_values()`, checked
against the catalog bundle that `study.content_files.read_content` returned."""

from pathlib import Path

from quizzes.bank.exam_items import EXAM_KINDS
from quizzes.models import Kind, Question, Quiz, Skill
from study.content_files import ContentError, ContentReader
from study.models import Owner, Service

QUIZ_CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"
OWNERS = set(Owner.values)


class QuizReader(ContentReader):
    def __init__(self, content_dir, catalog):
        super().__init__(content_dir)
        self.catalog = catalog
        self.questions = {}
        self.quizzes = {}

    def optional_ref(self, path, label, entry, key, known, kind):
        value = entry.get(key)
        if value in (None, ""):
            return None
        if value not in known:
            self.problem(path, label, f"'{key}' names unknown {kind} {value!r}")
            return None
        return value

    def read_questions(self):
        path = self.dir / "questions.yaml"
        allowed = {
            "slug", "kind", "prompt", "explanation", "difficulty", "skill", "lesson", "duties", "services",
            "status", "choices", "answer", "feedback_true", "feedback_false", "misconception", "owner", "cards",
        }  # fmt: skip
        for index, entry in self.load_yaml_list(path):
            slug = self.slug(path, index, entry, self.questions, "question")
            label = f"question '{slug}'" if slug else f"entry {index}"
            self.unknown_keys(path, label, entry, allowed)
            kind = self.choice(path, label, entry, "kind", set(Kind.values))
            status = self.choice(path, label, entry, "status", set(Question.Status.values))
            explanation = self.text(path, label, entry, "explanation", required=status == "published")
            difficulty = entry.get("difficulty", 2)
            if difficulty not in (1, 2, 3):
                self.problem(path, label, f"'difficulty' must be 1, 2 or 3, got {difficulty!r}")
            values = {
                "kind": kind,
                "prompt": self.text(path, label, entry, "prompt"),
                "explanation": explanation,
                "owner": "",
                "misconception": self.optional_ref(
                    path, label, entry, "misconception", self.catalog.misconceptions, "misconception"
                ),
                "difficulty": difficulty,
                "skill": self.choice(path, label, entry, "skill", set(Skill.values)),
                "lesson": self.optional_ref(path, label, entry, "lesson", self.catalog.lessons, "lesson"),
                "duties": self.reference_list(path, label, entry, "duties", self.catalog.duties, "duty"),
                "services": self.reference_list(path, label, entry, "services", self.catalog.services, "service"),
                "status": status,
                "choices": [],
                "cards": [],
            }
            if kind in (Kind.SINGLE, Kind.MULTIPLE):
                values["choices"] = self.read_choices(path, label, entry, kind)
            elif kind == Kind.TRUE_FALSE:
                values["choices"] = self.true_false_choices(path, label, entry)
            elif kind == Kind.OWNER:
                values["owner"] = self.choice(path, label, entry, "owner", OWNERS)
            elif kind == Kind.SORT:
                values["cards"] = self.read_cards(path, label, entry)
            if slug:
                self.questions[slug] = values

    def read_choices(self, path, label, entry, kind):
        choices = entry.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            self.problem(path, label, "needs at least two 'choices'")
            return []
        found = []
        for number, choice in enumerate(choices, start=1):
            where = f"{label}, choice {number}"
            if not isinstance(choice, dict):
                self.problem(path, where, "must be a mapping with 'text' and 'correct'")
                continue
            self.unknown_keys(path, where, choice, {"text", "correct", "feedback", "misconception"})
            if not isinstance(choice.get("correct"), bool):
                self.problem(path, where, "'correct' must be true or false")
            found.append(
                {
                    "text": self.text(path, where, choice, "text"),
                    "correct": choice.get("correct") is True,
                    "feedback": self.text(path, where, choice, "feedback", required=False),
                    "misconception": self.optional_ref(
                        path, where, choice, "misconception", self.catalog.misconceptions, "misconception"
                    ),
                }
            )
        correct = sum(choice["correct"] for choice in found)
        if kind == Kind.SINGLE and correct != 1:
            self.problem(path, label, f"a single-choice question needs exactly one correct choice, it has {correct}")
        if kind == Kind.MULTIPLE and correct < 1:
            self.problem(path, label, "a multiple-response question needs at least one correct choice")
        return found

    def true_false_choices(self, path, label, entry):
        answer = entry.get("answer")
        if not isinstance(answer, bool):
            self.problem(path, label, "a true/false question needs 'answer: true' or 'answer: false'")
            return []
        return [
            {
                "text": text,
                "correct": answer is value,
                "feedback": self.text(path, label, entry, f"feedback_{text.lower()}", required=False),
                "misconception": None,
            }
            for text, value in (("True", True), ("False", False))
        ]

    def read_cards(self, path, label, entry):
        cards = entry.get("cards")
        if not isinstance(cards, list) or len(cards) < 2:
            self.problem(path, label, "a sort question needs at least two 'cards'")
            return []
        found = []
        for number, card in enumerate(cards, start=1):
            where = f"{label}, card {number}"
            if not isinstance(card, dict):
                self.problem(path, where, "must be a mapping with 'text' and 'owner'")
                continue
            found.append(
                {"text": self.text(path, where, card, "text"), "owner": self.choice(path, where, card, "owner", OWNERS)}
            )
        return found

    def read_quizzes(self):
        path = self.dir / "quizzes.yaml"
        allowed = {
            "slug", "title", "description", "mode", "source", "question_count", "time_limit_minutes", "pass_mark",
            "shuffle_questions", "shuffle_choices", "is_published", "rules",
        }  # fmt: skip
        for position, (index, entry) in enumerate(self.load_yaml_list(path), start=1):
            slug = self.slug(path, index, entry, self.quizzes, "quiz")
            label = f"quiz '{slug}'" if slug else f"entry {index}"
            self.unknown_keys(path, label, entry, allowed)
            values = {
                "title": self.text(path, label, entry, "title"),
                "description": self.text(path, label, entry, "description", required=False),
                "mode": self.choice(path, label, entry, "mode", set(Quiz.Mode.values)),
                "source": entry.get("source", Quiz.Source.BANK),
                "question_count": self.whole(path, label, entry, "question_count", 10, 1, 200),
                "time_limit_minutes": self.whole(path, label, entry, "time_limit_minutes", None, 1, 600),
                "pass_mark": self.whole(path, label, entry, "pass_mark", 70, 0, 100),
                "shuffle_questions": entry.get("shuffle_questions", True) is not False,
                "shuffle_choices": entry.get("shuffle_choices", True) is not False,
                "is_published": entry.get("is_published", True) is not False,
                "position": position,
                "rules": self.read_rules(path, label, entry.get("rules") or []),
            }
            if values["source"] not in Quiz.Source.values:
                self.problem(path, label, f"'source' must be one of {', '.join(Quiz.Source.values)}")
            if values["mode"] == Quiz.Mode.EXAM:
                for number, rule in enumerate(values["rules"], start=1):
                    if problem := exam_rule_problem(rule["kind"]):
                        self.problem(path, f"{label}, rule {number}", problem)
            if slug:
                self.quizzes[slug] = values

    def whole(self, path, label, entry, key, default, low, high):
        value = entry.get(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problem(path, label, f"'{key}' must be a whole number from {low} to {high}, got {value!r}")
            return default
        return value

    def read_rules(self, path, label, rules):
        found = []
        for number, rule in enumerate(rules, start=1):
            where = f"{label}, rule {number}"
            if not isinstance(rule, dict):
                self.problem(path, where, "must be a mapping")
                continue
            self.unknown_keys(path, where, rule, {"count", "kind", "services", "category", "lesson", "skill"})
            found.append(
                {
                    "count": self.whole(path, where, rule, "count", 1, 1, 200),
                    "kind": rule.get("kind") or "",
                    "services": self.reference_list(path, where, rule, "services", self.catalog.services, "service"),
                    "category": rule.get("category") or "",
                    "lesson": self.optional_ref(path, where, rule, "lesson", self.catalog.lessons, "lesson"),
                    "skill": rule.get("skill") or "",
                }
            )
            for key, allowed in (("kind", Kind.values), ("category", Service.Category.values), ("skill", Skill.values)):
                if found[-1][key] and found[-1][key] not in allowed:
                    self.problem(path, where, f"'{key}' must be one of: {', '.join(allowed)}")
        return found


def exam_rule_problem(kind):
    """Why a rule of this kind cannot be in an exam simulation (None if it can): the exam asks
    only single-choice and multiple-response questions, and so does every exam here (the quiz
    admin applies the same check)."""
    if not kind or kind in EXAM_KINDS or kind not in Kind.values:  # an unknown kind is reported on its own
        return None
    return (
        f"an exam asks only single-choice and multiple-response questions, as CLF-C02 does, so it cannot "
        f"draw '{kind}' ({Kind(kind).label}) questions; give the rule kind single, multiple or none"
    )


def read_quiz_content(catalog, content_dir=QUIZ_CONTENT_DIR):
    reader = QuizReader(content_dir, catalog)
    reader.read_questions()
    reader.read_quizzes()
    if reader.problems:
        raise ContentError(reader.problems)
    return reader.questions, reader.quizzes
