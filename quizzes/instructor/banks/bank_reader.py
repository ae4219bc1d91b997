"""Validate a bank document (docs/bank-format.md) into plain data, without touching the database.

`read_bank()` returns the catalog as a `ContentBundle` and the questions and quizzes as dicts, all
in the shape of the models' `content_values()`, or raises `ContentError` listing every problem with
its place in the document (`catalog.duties[3] 'patch-guest-os': ...`, indexes counted from 0)."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from quizzes.models import Kind, Question, Quiz, Skill, SortCard
from study.catalog import CATALOG_FORMAT_VERSION
from study.content_files import RESERVED_LESSON_SLUGS, SLUG_PATTERN, ContentError, ContentReader
from study.models import Duty, GlossaryTerm, Layer, Lesson, Misconception, Owner, Service, Source

BANK_FORMAT = "srm-bank"
BANK_VERSION = 1
SECTIONS = ("catalog", "layers", "sources", "glossary", "lessons", "questions", "quizzes")
CATALOG_KEYS = ("version", "owners", "services", "duties", "misconceptions")
# PostgreSQL's limits for positive small and positive integer columns: a bank that loads on SQLite
# must load on PostgreSQL too.
SMALL, LARGE = 32767, 2147483647


def is_whole(value):
    # JSON true is a Python int; a flag is never a number here.
    return isinstance(value, int) and not isinstance(value, bool)


class BankReader(ContentReader):
    def __init__(self):
        # The bank is one document, not a folder: `problem()` gets JSON paths instead of file paths.
        super().__init__(content_dir="")
        self.questions = {}
        self.quizzes = {}
        self.first_seen = {}

    def problem(self, path, entry, message):
        # `path` is the JSON path with the record's slug; the helpers here pass no separate `entry`.
        self.problems.append(f"{path}: {message}")

    def text(self, path, label, entry, key, *, required=True):
        # Kept exactly as exported (the content files' reader strips values), so that a round trip is exact.
        if not super().text(path, label, entry, key, required=required):
            return ""
        value = entry[key]
        if "\x00" in value:
            self.problem(path, label, f"'{key}' holds a NUL character, which the database cannot store")
            return ""
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.problem(path, label, f"'{key}' holds an unpaired surrogate (\\ud800-\\udfff), which is not text")
            return ""
        return value

    # -- helpers for the shapes of JSON -------------------------------------------------------

    def records(self, section, data, model, allowed):
        """(location, slug or None, object) for each object of a list section; problems of the list,
        of the slugs and of unknown keys are reported here."""
        if not isinstance(data, list):
            self.problem(section, None, "is missing" if data is None else "must be a list of objects")
            return
        limit = model._meta.get_field("slug").max_length
        for index, entry in enumerate(data):
            where = f"{section}[{index}]"
            if not isinstance(entry, dict):
                self.problem(where, None, "must be an object")
                continue
            slug = entry.get("slug")
            if not isinstance(slug, str) or not SLUG_PATTERN.match(slug) or len(slug) > limit:
                message = f"'slug' must be lowercase words joined by hyphens, at most {limit} characters"
                self.problem(where, None, f"{message}, got {slug!r}")
                slug = None
            else:
                where = f"{where} '{slug}'"
                if (section, slug) in self.first_seen:
                    self.problem(where, None, f"slug is used twice (first at {self.first_seen[section, slug]})")
                    slug = None
                else:
                    self.first_seen[section, slug] = where
            self.unknown_keys(where, None, entry, {"slug", *allowed})
            yield where, slug, entry

    def children(self, where, entry, key):
        """(location, object) for each object of a nested list, such as a question's choices."""
        items = entry.get(key, [])
        if not isinstance(items, list):
            self.problem(where, None, f"'{key}' must be a list")
            return
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield f"{where}.{key}[{index}]", item
            else:
                self.problem(f"{where}.{key}[{index}]", None, "must be an object")

    def whole(self, where, entry, key, low, high, *, nullable=False):
        value = entry.get(key)
        if value is None and nullable:
            return None
        if not is_whole(value) or not low <= value <= high:
            self.problem(where, None, f"'{key}' must be a whole number from {low} to {high}, got {value!r}")
            return low
        return value

    def flag(self, where, entry, key):
        value = entry.get(key)
        if not isinstance(value, bool):
            self.problem(where, None, f"'{key}' must be true or false, got {value!r}")
        return value is True

    def blank_or_choice(self, where, entry, key, allowed):
        return self.choice(where, None, entry, key, allowed) if entry.get(key) not in (None, "") else ""

    def reference(self, where, entry, key, known, kind, *, required=False):
        value = entry.get(key)
        if value in (None, ""):
            if required:
                self.problem(where, None, f"'{key}' is missing or empty")
            return None
        if not isinstance(value, str) or value not in known:
            self.problem(where, None, f"'{key}' names unknown {kind} {value!r}")
            return None
        return value

    def refs(self, where, entry, key, known, kind):
        return self.reference_list(where, None, entry, key, known, kind)

    def fits(self, where, model, values):
        """Report texts longer than their column (PostgreSQL refuses them; SQLite would not notice)."""
        for model_field in model._meta.concrete_fields:
            value = values.get(model_field.name)
            if isinstance(value, str) and model_field.max_length and len(value) > model_field.max_length:
                message = f"'{model_field.name}' is {len(value)} characters long; at most {model_field.max_length} fit"
                self.problem(where, None, message)
        return values

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

    def read_catalog_header(self, catalog):
        self.unknown_keys("catalog", None, catalog, CATALOG_KEYS)
        version = catalog.get("version")
        if not is_whole(version) or version != CATALOG_FORMAT_VERSION:
            self.problem("catalog.version", None, f"must be {CATALOG_FORMAT_VERSION}, got {version!r}")
        if catalog.get("owners") != list(Owner.values):
            self.problem("catalog.owners", None, f"must be {list(Owner.values)}, got {catalog.get('owners')!r}")

    def read_layers(self, data):
        for where, slug, entry in self.records("layers", data, Layer, {"name", "side", "description", "position"}):
            values = {
                "name": self.text(where, None, entry, "name"),
                "side": self.choice(where, None, entry, "side", set(Layer.Side.values)),
                "description": self.text(where, None, entry, "description"),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            if slug:
                self.bundle.layers[slug] = self.fits(where, Layer, values)

    def read_services(self, data):
        allowed = {"name", "category", "summary", "position"}
        for where, slug, entry in self.records("catalog.services", data, Service, allowed):
            values = {
                "name": self.text(where, None, entry, "name"),
                "category": self.choice(where, None, entry, "category", set(Service.Category.values)),
                "summary": self.text(where, None, entry, "summary", required=False),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            if slug:
                self.bundle.services[slug] = self.fits(where, Service, values)

    def read_sources(self, data):
        for where, slug, entry in self.records("sources", data, Source, {"title", "url"}):
            url = self.text(where, None, entry, "url")
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                if url:
                    self.problem(where, None, f"'url' must be an http(s) address, got {url!r}")
            if slug:
                self.bundle.sources[slug] = self.fits(
                    where, Source, {"title": self.text(where, None, entry, "title"), "url": url}
                )

    def read_glossary(self, data):
        for where, slug, entry in self.records("glossary", data, GlossaryTerm, {"term", "definition"}):
            values = {
                "term": self.text(where, None, entry, "term"),
                "definition": self.text(where, None, entry, "definition"),
            }
            if slug:
                self.bundle.glossary[slug] = self.fits(where, GlossaryTerm, values)

    def read_lessons(self, data):
        for where, slug, entry in self.records("lessons", data, Lesson, {"title", "summary", "body", "position"}):
            if slug in RESERVED_LESSON_SLUGS:
                self.problem(where, None, "this slug is a page of the site and cannot be used for a lesson")
                slug = None
            values = {
                "title": self.text(where, None, entry, "title"),
                "summary": self.text(where, None, entry, "summary"),
                "body": self.text(where, None, entry, "body"),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            if slug:
                self.bundle.lessons[slug] = self.fits(where, Lesson, values)

    def read_duties(self, data):
        allowed = {"name", "description", "layer", "responsibilities", "lessons", "position"}
        for where, slug, entry in self.records("catalog.duties", data, Duty, allowed):
            values = {
                "name": self.text(where, None, entry, "name"),
                "description": self.text(where, None, entry, "description"),
                "layer": self.reference(where, entry, "layer", self.bundle.layers, "layer", required=True),
                "lessons": self.refs(where, entry, "lessons", self.bundle.lessons, "lesson"),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            rows = self.read_rows(where, slug, entry)
            if slug:
                self.bundle.duties[slug] = self.fits(where, Duty, values)
                self.bundle.responsibilities.update(rows)

    def read_rows(self, duty_where, duty_slug, entry):
        found = {}
        for where, row in self.children(duty_where, entry, "responsibilities"):
            self.unknown_keys(where, None, row, {"service", "owner", "explanation", "source", "source_slug"})
            service = row.get("service")
            if service is not None and (not isinstance(service, str) or service not in self.bundle.services):
                self.problem(where, None, f"'service' names unknown service {service!r}")
                continue
            if (duty_slug, service) in found:
                self.problem(where, None, f"a second row for {service or 'any service'}")
                continue
            source = self.reference(where, row, "source_slug", self.bundle.sources, "source", required=True)
            url = self.bundle.sources[source]["url"] if source else None
            if source and row.get("source") != url:
                self.problem(
                    where, None, f"'source' is {row.get('source')!r} but source '{source}' has the url {url!r}"
                )
            found[duty_slug, service] = {
                "owner": self.choice(where, None, row, "owner", set(Owner.values)),
                "explanation": self.text(where, None, row, "explanation"),
                "source": source,
            }
        return found

    def read_misconceptions(self, data):
        allowed = {"belief", "correction", "duties", "believed_owner", "services", "position"}
        for where, slug, entry in self.records("catalog.misconceptions", data, Misconception, allowed):
            values = {
                "belief": self.text(where, None, entry, "belief"),
                "correction": self.text(where, None, entry, "correction"),
                "duties": self.refs(where, entry, "duties", self.bundle.duties, "duty"),
                "believed_owner": self.blank_or_choice(where, entry, "believed_owner", set(Owner.values)),
                "services": self.refs(where, entry, "services", self.bundle.services, "service"),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            if slug:
                self.bundle.misconceptions[slug] = values

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
