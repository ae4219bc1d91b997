"""Validate a bank document (docs/bank-format.md) into plain data, without touching the database.

`read_bank()` returns the catalog as a `ContentBundle` and the questions and quizzes as dicts, all
in the shape of the models' `content_values()`, or raises `ContentError` listing every problem with
its place in the document (`catalog.duties[3] 'patch-guest-os': ...`, indexes counted from 0).

The field helpers are in bank_fields.py and the catalog sections in bank_catalog.py; this module
reads the document's header, the questions and the quizzes."""

from quizzes.instructor.banks.bank_catalog import BankCatalogReader
from quizzes.instructor.banks.bank_fields import LARGE, SMALL, is_whole
from quizzes.models import Kind, Question, Quiz, Skill, SortCard
from study.content_files import ContentError
from study.models import Owner, Service

BANK_FORMAT = "srm-bank"
BANK_VERSION = 1
SECTIONS = ("catalog", "layers", "sources", "glossary", "lessons", "questions", "quizzes")


class BankReader(BankCatalogReader):
    def __init__(self):
        super().__init__()
        self.questions = {}
        self.quizzes = {}

    # -- the sections, each after those it may refer to -------------------------------------

    def read(self, document):
        if not isinstance(document, dict):
            self.problem("the document", None, f'must be a JSON object with "format": "{BANK_FORMAT}"')
            return
        # A different format or version is a different document: its other problems would only be noise.
        if document.get("format") != BANK_FORMAT:
            self.problem("format", None, f"must be '{BANK_FORMAT}', got {document.get('format')!r}: not a bank export")
            return
        if not is_whole(document.get("version")) or document["version"] != BANK_VERSION:
            self.problem("version", None, f"this site reads version {BANK_VERSION}, got {document.get('version')!r}")
            return
        self.unknown_keys("the document", None, document, {"format", "version", *SECTIONS})
        catalog = document.get("catalog")
        if not isinstance(catalog, dict):
            self.problem("catalog", None, f"must be an object, got {type(catalog).__name__}")
            catalog = {}
        else:
            self.read_catalog_header(catalog)
        self.read_layers(document.get("layers"))
        self.read_services(catalog.get("services"))
        self.read_sources(document.get("sources"))
        self.read_glossary(document.get("glossary"))
        self.read_lessons(document.get("lessons"))
        self.read_duties(catalog.get("duties"))
        self.read_misconceptions(catalog.get("misconceptions"))
        self.read_questions(document.get("questions"))
        self.read_quizzes(document.get("quizzes"))

    def read_questions(self, data):
        catalog = self.bundle
        allowed = {
            "kind", "prompt", "explanation", "owner", "misconception", "difficulty", "skill", "lesson", "duties",
            "services", "status", "choices", "cards",
        }  # fmt: skip
        for where, slug, entry in self.records("questions", data, Question, allowed):
            values = {
                "kind": self.choice(where, None, entry, "kind", set(Kind.values)),
                "prompt": self.text(where, None, entry, "prompt"),
                "explanation": self.text(where, None, entry, "explanation", required=False),
                "owner": self.blank_or_choice(where, entry, "owner", set(Owner.values)),
                "misconception": self.reference(where, entry, "misconception", catalog.misconceptions, "misconception"),
                "difficulty": self.whole(where, entry, "difficulty", 1, 3),
                "skill": self.choice(where, None, entry, "skill", set(Skill.values)),
                "lesson": self.reference(where, entry, "lesson", catalog.lessons, "lesson"),
                "duties": self.refs(where, entry, "duties", catalog.duties, "duty"),
                "services": self.refs(where, entry, "services", catalog.services, "service"),
                "status": self.choice(where, None, entry, "status", set(Question.Status.values)),
                "choices": [
                    self.read_choice(place, choice) for place, choice in self.children(where, entry, "choices")
                ],
                "cards": [self.read_card(place, card) for place, card in self.children(where, entry, "cards")],
            }
            if values["owner"] and values["kind"] != Kind.OWNER:
                self.problem(where, None, "only owner-assignment questions have an 'owner'; leave it empty")
            for messages in Question.problems_in(values).values():
                for message in messages:
                    self.problem(where, None, message)
            if slug:
                self.questions[slug] = values

    def read_choice(self, where, choice):
        self.unknown_keys(where, None, choice, {"text", "correct", "feedback", "misconception"})
        return {
            "text": self.text(where, None, choice, "text"),
            "correct": self.flag(where, choice, "correct"),
            "feedback": self.text(where, None, choice, "feedback", required=False),
            "misconception": self.reference(
                where, choice, "misconception", self.bundle.misconceptions, "misconception"
            ),
        }

    def read_card(self, where, card):
        self.unknown_keys(where, None, card, {"text", "owner"})
        values = {
            "text": self.text(where, None, card, "text"),
            "owner": self.choice(where, None, card, "owner", set(Owner.values)),
        }
        return self.fits(where, SortCard, values)

    def read_quizzes(self, data):
        allowed = {
            "title", "description", "mode", "source", "question_count", "time_limit_minutes", "pass_mark",
            "shuffle_questions", "shuffle_choices", "is_published", "position", "rules",
        }  # fmt: skip
        for where, slug, entry in self.records("quizzes", data, Quiz, allowed):
            values = {
                "title": self.text(where, None, entry, "title"),
                "description": self.text(where, None, entry, "description", required=False),
                "mode": self.choice(where, None, entry, "mode", set(Quiz.Mode.values)),
                "source": self.choice(where, None, entry, "source", set(Quiz.Source.values)),
                "question_count": self.whole(where, entry, "question_count", 0, SMALL),
                "time_limit_minutes": self.whole(where, entry, "time_limit_minutes", 0, SMALL, nullable=True),
                "pass_mark": self.whole(where, entry, "pass_mark", 0, 100),
                "shuffle_questions": self.flag(where, entry, "shuffle_questions"),
                "shuffle_choices": self.flag(where, entry, "shuffle_choices"),
                "is_published": self.flag(where, entry, "is_published"),
                "position": self.whole(where, entry, "position", 0, LARGE),
                "rules": [self.read_rule(place, rule) for place, rule in self.children(where, entry, "rules")],
            }
            if slug:
                self.quizzes[slug] = self.fits(where, Quiz, values)

    def read_rule(self, where, rule):
        self.unknown_keys(where, None, rule, {"count", "kind", "services", "category", "lesson", "skill"})
        return {
            "count": self.whole(where, rule, "count", 0, SMALL),
            "kind": self.blank_or_choice(where, rule, "kind", set(Kind.values)),
            "services": self.refs(where, rule, "services", self.bundle.services, "service"),
            "category": self.blank_or_choice(where, rule, "category", set(Service.Category.values)),
            "lesson": self.reference(where, rule, "lesson", self.bundle.lessons, "lesson"),
            "skill": self.blank_or_choice(where, rule, "skill", set(Skill.values)),
        }


def read_bank(document):
    """(catalog bundle, questions, quizzes) from a parsed bank document, or ContentError."""
    reader = BankReader()
    reader.read(document)
    if reader.problems:
        raise ContentError(reader.problems)
    return reader.bundle, reader.questions, reader.quizzes
