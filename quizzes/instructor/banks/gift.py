"""Moodle GIFT files: the part of the format that maps onto this bank (docs/import-formats.md).

Read: multiple choice (one `=` answer), multiple response (`~%weight%` answers, a positive weight
is a correct choice) and true/false, with per-answer feedback and `####` general feedback (the
explanation). Every other GIFT question type is reported as a problem with its line. GIFT has no
place for a lesson, skill, difficulty, tags or misconceptions: imported questions are drafts with
the defaults. The parsing follows Moodle's own importer (question/format/gift/format.php)."""

import re

from django.utils.text import slugify

from quizzes.instructor.banks.formats import SLUG_MAX_LENGTH, ParsedQuestions, decode, new_choice, new_values
from quizzes.models import Kind
from study.models import Owner

SPECIAL = "~=#{}:\\"
# While a question is cut up, each escaped character stands in as a private-use code point, so that
# an escaped brace or tilde is never taken for syntax; it becomes itself again in the finished text.
PLACEHOLDER = {char: chr(0xF0000 + ord(char)) for char in SPECIAL + "n"}
RESTORE = str.maketrans({placeholder: "\n" if char == "n" else char for char, placeholder in PLACEHOLDER.items()})
ESCAPED = re.compile(r"\\(.)")
FORMAT_MARKER = re.compile(r"^\[(?:markdown|html|plain|moodle)\]")
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
SUPPORTED = "only multiple choice, multiple response and true/false questions are supported"
OWNER_CHOICES = ((Owner.AWS, "AWS"), (Owner.CUSTOMER, "The customer"), (Owner.SHARED, "Shared: each side does a part"))
PROMPT_SLUG_WORDS = 8
PROMPT_SLUG_LENGTH = 60


class Unsupported(Exception):
    """A question this bank cannot hold; the message says why."""


def read_gift(data: bytes) -> ParsedQuestions:
    text, problem = decode(data)
    if problem:
        return ParsedQuestions(problems=[problem])
    parsed = ParsedQuestions()
    found = []
    for block in blocks(text):
        location = f"line {block[0][0]}"
        try:
            found.append((location, *read_question("\n".join(line for _number, line in block))))
        except Unsupported as error:
            parsed.problem(location, str(error))
    # A title is the author's slug; a question without one gets a slug from its prompt that no title takes.
    taken = {make_slug(title) for _location, title, _values, _messages in found if title} - {""}
    for location, title, values, messages in found:
        slug = make_slug(title or "") or free_slug(values["prompt"], taken)
        taken.add(slug)
        parsed.add(slug, location, values, messages)
    return parsed.require_some("line 1")


def blocks(text):
    """The questions as lists of (line number, line): blank lines part them; comments and categories go."""
    block = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            if block:
                yield block
            block = []
        elif not line.startswith(("//", "$CATEGORY:")):
            block.append((number, line))
    if block:
        yield block


def read_question(text):
    """(title or None, values, problems) of one question; raises Unsupported for what the bank can't hold."""
    text = ESCAPED.sub(lambda match: PLACEHOLDER.get(match[1], match[0]), text)
    title = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise Unsupported("the title has no closing '::'; write a colon in a title as \\:")
        title, text = finish(text[2:end]), text[end + 2 :]
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        raise Unsupported(f"this question has no answers in {{ }}; descriptions are not supported; {SUPPORTED}")
    if start < 0 or end < start or "{" in text[start + 1 : end]:
        raise Unsupported("the braces { } around the answers do not match; write a literal brace as \\{ or \\}")
    if text[end + 1 :].strip():
        raise Unsupported(
            "there is text after the closing } of the answers: missing-word questions are not supported, "
            "and questions must be parted by a blank line"
        )
    # As in Moodle, the last #### starts the general feedback.
    answers, marker, general = text[start + 1 : end].rpartition("####")
    if not marker:
        answers, general = general, ""
    answers = answers.strip()
    values = new_values(prompt=finish(text[:start]), explanation=finish(general))
    if not answers:
        raise Unsupported(f"essay questions ({{}} without answers) are not supported; {SUPPORTED}")
    if answers.startswith("#"):
        raise Unsupported(f"numerical questions ({{#...}}) are not supported; {SUPPORTED}")
    if "~" in answers:
        values["kind"], values["choices"], problems = read_choices(answers)
        return title, values, problems
    if "=" in answers and "->" in answers:
        raise Unsupported(f"matching questions are not supported; {SUPPORTED}")
    answer, *feedback = answers.split("#", 2)
    truth = TRUE_FALSE.get(answer.strip().upper())
    if truth is None:
        raise Unsupported(f"short-answer questions (only = answers, no ~) are not supported; {SUPPORTED}")
    # Moodle's order: {T#feedback for a wrong answer#feedback for a right answer}.
    wrong, right = (finish(part) for part in [*feedback, "", ""][:2])
    values["kind"] = Kind.TRUE_FALSE
    values["choices"] = [
        new_choice(label, value is truth, right if value is truth else wrong)
        for label, value in (("True", True), ("False", False))
    ]
    return title, values, []


def read_choices(answers):
    """(kind, choices, problems) of `=right ~wrong ~%50%partly right` answers."""
    marks = [match.start() for match in re.finditer("[~=]", answers)]
    problems = []
    if answers[: marks[0]].strip():
        problems.append("every answer starts with = (right) or ~ (wrong); there is text before the first")
    # As in Moodle, an `=` answer makes it single choice and weights make it multiple response.
    single = "=" in answers
    choices = []
    for start, end in zip(marks, [*marks[1:], len(answers)], strict=True):
        body = answers[start + 1 : end].strip()
        weight = 100.0 if answers[start] == "=" else 0.0
        found = WEIGHT.match(body)
        if answers[start] == "~" and found:
            weight, body = float(found[1]), body[found.end() :]
        text, _, feedback = body.partition("#")
        # Single choice has no partial credit here: only a full-credit answer counts as the right one.
        correct = weight >= 100 if single else weight > 0
        choices.append(new_choice(finish(text), correct, finish(feedback)))
    return (Kind.SINGLE if single else Kind.MULTIPLE), choices, problems


def finish(text):
    """Text as the bank holds it: trimmed, without a format marker, escaped characters restored."""
    return FORMAT_MARKER.sub("", text.strip()).translate(RESTORE).strip()


def make_slug(text, max_length=SLUG_MAX_LENGTH):
    # The content files' slugs have no underscores, which slugify keeps.
    return re.sub(r"[-_]+", "-", slugify(text)).strip("-")[:max_length].rstrip("-")


def free_slug(prompt, taken):
    base = make_slug(" ".join(prompt.split()[:PROMPT_SLUG_WORDS]), PROMPT_SLUG_LENGTH) or "question"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def write_gift(questions: dict) -> str:
    """GIFT for single, multiple, true/false and owner questions; sort questions have no GIFT form and
    are listed in a leading comment instead."""
    skipped = [slug for slug, values in questions.items() if values["kind"] == Kind.SORT]
    parts = [f"// Sort questions have no GIFT form and were left out: {', '.join(skipped)}\n"] if skipped else []
    parts.extend(write_question(slug, values) for slug, values in questions.items() if values["kind"] != Kind.SORT)
    return "\n".join(parts)


def write_question(slug, values):
    head = f"::{escape(slug)}::[markdown]{escape(values['prompt'])}"
    general = f"####{escape(values['explanation'])}" if values["explanation"] else ""
    kind, choices = values["kind"], values["choices"]
    if kind == Kind.TRUE_FALSE:
        right = next(choice for choice in choices if choice["correct"])
        wrong = next(choice for choice in choices if choice is not right)
        feedback = f"#{escape(wrong['feedback'])}" if wrong["feedback"] or right["feedback"] else ""
        feedback += f"#{escape(right['feedback'])}" if right["feedback"] else ""
        answer = "TRUE" if right["text"] == "True" else "FALSE"
        return f"{head}{{{answer}{feedback}{general}}}\n"
    if kind == Kind.OWNER:
        choices = [new_choice(text, owner == values["owner"]) for owner, text in OWNER_CHOICES]
    # Moodle wants the right answers' weights to add up to 100 and takes five decimals (33.33333).
    share = f"{100 / max(sum(choice['correct'] for choice in choices), 1):.5f}".rstrip("0").rstrip(".")
    lines = [head + "{"]
    for choice in choices:
        if kind == Kind.MULTIPLE:
            mark = f"~%{share}%" if choice["correct"] else "~%-100%"
        elif choice["correct"]:
            mark = "="
        else:
            # A wrong answer's text that starts like a weight ("%50% of...") would be read as one.
            mark = "~%0%" if WEIGHT.match(choice["text"]) else "~"
        feedback = f"#{escape(choice['feedback'])}" if choice["feedback"] else ""
        lines.append(f"\t{mark}{escape(choice['text'])}{feedback}")
    if general:
        lines.append(f"\t{general}")
    return "\n".join([*lines, "}"]) + "\n"


def escape(text):
    escaped = "".join(f"\\{char}" if char in SPECIAL else char for char in text.replace("\r", ""))
    return escaped.replace("\n", "\\n")
