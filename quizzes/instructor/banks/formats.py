"""What the question-file readers and writers share (GIFT, CSV, JSON; see docs/import-formats.md).

Nothing here touches the database. A reader turns a file's bytes into questions in the shape of
`Question.content_values()`, keyed by slug, and lists every problem it found with where it is.
Whether the lessons, duties, services and misconceptions that the questions name exist is for the
caller to check: only it has the database."""

from dataclasses import dataclass, field

from quizzes.models import Kind, Question, Skill
from study.content_files import SLUG_PATTERN
from study.models import Owner

SLUG_MAX_LENGTH = Question._meta.get_field("slug").max_length
VALUE_KEYS = (
    "kind", "prompt", "explanation", "owner", "misconception", "difficulty", "skill", "lesson", "duties", "services",
    "status", "choices", "cards",
)  # fmt: skip
CHOICE_KEYS = ("text", "correct", "feedback", "misconception")
CARD_KEYS = ("text", "owner")
DIFFICULTIES = (1, 2, 3)
TRUE_FALSE_TEXTS = ["False", "True"]
ENUMS = (
    ("kind", Kind.values),
    ("status", Question.Status.values),
    ("skill", Skill.values),
    ("owner", ["", *Owner.values]),
)


@dataclass
class ParsedQuestions:
    """What a reader found: the whole questions (slug -> values, in file order), where each was read
    ("line 12", "row 3", "question 4") and every problem, prefixed with its location."""

    questions: dict = field(default_factory=dict)
    locations: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    # Where each slug was first read, questions left out included, so that a second use names both places.
    seen: dict = field(default_factory=dict, repr=False)

    def problem(self, location, message):
        """Record a problem at `location`, or about the whole file if that is None."""
        self.problems.append(f"{location}: {message}" if location else message)

    def add(self, slug, location, values, messages=()):
        """Check a question read at `location` and keep it unless something is wrong with it.

        `messages` are the problems the reader found in the file's own syntax. A question with any
        problem is left out, so that every question kept can be written as it is."""
        messages = [*messages, *check_values(values)]
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX_LENGTH:
            rule = f"lowercase words joined by hyphens, at most {SLUG_MAX_LENGTH} characters"
            messages.insert(0, f"the slug must be {rule}; got {slug!r}")
        elif slug in self.seen:
            messages.insert(0, f"the slug '{slug}' is used twice: at {self.seen[slug]} and at {location}")
        else:
            self.seen[slug] = location
        if messages:
            self.problems.extend(f"{location}: {message}" for message in messages)
        else:
            self.questions[slug] = values
            self.locations[slug] = location

    def require_some(self, location):
        """An empty file is most likely the wrong file: say so rather than import nothing quietly."""
        if not self.questions and not self.problems:
            self.problem(location, "the file holds no questions" if location else "The file holds no questions.")
        return self


def decode(data):
    """The file's text and None, or None and the one problem to report."""
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = f"{error.reason} at byte {error.start}"
        return None, f"The file is not UTF-8 text: {where}. Save it as UTF-8 and try again."
    if "\x00" in text:
        return None, "The file is not a text file: it holds NUL bytes. Save the questions as UTF-8 text and try again."
    return text, None


def new_values(**given):
    """Question values in the order of `Question.content_values()`, defaults for what is not given."""
    values = {
        "kind": "",
        "prompt": "",
        "explanation": "",
        "owner": "",
        "misconception": None,
        "difficulty": 2,
        "skill": Skill.COMPONENTS.value,
        "lesson": None,
        "duties": [],
        "services": [],
        "status": Question.Status.DRAFT.value,
        "choices": [],
        "cards": [],
    }
    values.update(given)
    return values


def new_choice(text, correct, feedback="", misconception=None):
    return {"text": text, "correct": correct, "feedback": feedback, "misconception": misconception}


def check_values(values):
    """The problems of one question's values, as messages: enums, texts, and `Question.problems_in()`."""
    messages = [
        f"'{key}' is {values[key]!r}; expected one of: {', '.join(repr(value) for value in allowed)}"
        for key, allowed in ENUMS
        if values[key] not in allowed
    ]
    difficulty = values["difficulty"]
    if isinstance(difficulty, bool) or difficulty not in DIFFICULTIES:
        messages.append(f"'difficulty' is {difficulty!r}; expected 1 (easy), 2 (medium) or 3 (hard)")
    if not values["prompt"].strip():
        messages.append("the question has no prompt")
    if values["owner"] and values["kind"] != Kind.OWNER:
        messages.append("only owner-assignment questions have an owner; leave it blank or change the kind")
    for noun, parts in (("choice", values["choices"]), ("card", values["cards"])):
        for number, part in enumerate(parts, start=1):
            if not part["text"].strip():
                messages.append(f"{noun} {number} has no text")
    for number, card in enumerate(values["cards"], start=1):
        if card["owner"] and card["owner"] not in Owner.values:
            messages.append(f"card {number}: owner {card['owner']!r} is not one of: {', '.join(Owner.values)}")
    if values["kind"] == Kind.TRUE_FALSE and sorted(choice["text"] for choice in values["choices"]) != TRUE_FALSE_TEXTS:
        messages.append('a true/false question has exactly the two choices "True" and "False"')
    # The model's rules assume a known kind; for an unknown one they would only add noise.
    if values["kind"] in Kind.values:
        messages.extend(message for part in Question.problems_in(values).values() for message in part)
    return messages
