"""Question files as JSON: every field of a question, so a write then a read gives it back whole.

`{"format": "srm-questions", "version": 1, "questions": [{"slug": ..., <the fields of
Question.content_values()>}]}`. A whole-bank document (`"format": "srm-bank"`) is read too, by its
"questions" list alone."""

import json

from quizzes.instructor.banks.formats import (
    CARD_KEYS,
    CHOICE_KEYS,
    VALUE_KEYS,
    ParsedQuestions,
    decode,
    new_choice,
    new_values,
)

FORMAT = "srm-questions"
BANK_FORMAT = "srm-bank"
VERSION = 1
TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list"}
FIELDS = {
    "kind": str, "prompt": str, "explanation": str, "owner": str, "misconception": str, "difficulty": int, "skill": str,
    "lesson": str, "duties": list, "services": list, "status": str, "choices": list, "cards": list,
}  # fmt: skip
CHOICE_FIELDS = {"text": str, "correct": bool, "feedback": str, "misconception": str}
CARD_FIELDS = {"text": str, "owner": str}


def read_questions_json(data: bytes) -> ParsedQuestions:
    text, problem = decode(data)
    if problem:
        return ParsedQuestions(problems=[problem])
    parsed = ParsedQuestions()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        parsed.problem(f"line {error.lineno}", f"the file is not valid JSON: {error.msg} (column {error.colno})")
        return parsed
    if not isinstance(document, dict) or document.get("format") not in (FORMAT, BANK_FORMAT):
        parsed.problem(None, f'This is not a question file: it needs "format": "{FORMAT}" (or "{BANK_FORMAT}").')
        return parsed
    version = document.get("version")
    if isinstance(version, bool) or version != VERSION:
        parsed.problem(None, f"Version {version!r} of the format is not known; this site reads version {VERSION}.")
        return parsed
    items = document.get("questions")
    if not isinstance(items, list):
        parsed.problem(None, 'The file has no "questions" list.')
        return parsed
    for number, item in enumerate(items, start=1):
        location = f"question {number}"
        if not isinstance(item, dict):
            parsed.problem(location, "must be an object with a slug and the question's fields")
            continue
        messages = []
        given = read_fields({key: value for key, value in item.items() if key != "slug"}, FIELDS, messages)
        for key in ("duties", "services"):
            if key in given:
                if all(isinstance(slug, str) for slug in given[key]):
                    given[key] = sorted(given[key])
                else:
                    messages.append(f"'{key}' must be a list of slugs")
                    del given[key]
        choices = read_parts("choice", given.get("choices", []), CHOICE_FIELDS, messages)
        given["choices"] = [new_choice(**{"text": "", "correct": False, **choice}) for choice in choices]
        cards = read_parts("card", given.get("cards", []), CARD_FIELDS, messages)
        given["cards"] = [{"text": "", "owner": "", **card} for card in cards]
        parsed.add(item.get("slug"), location, new_values(**given), messages)
    return parsed.require_some(None)


def read_fields(item, fields, messages, part=""):
    """The fields of `item` that are set (not null) and of the right type; the others keep their defaults."""
    prefix = f"{part}: " if part else ""
    unknown = sorted(set(item) - set(fields))
    if unknown:
        messages.append(f"{prefix}unknown fields: {', '.join(unknown)}")
    found = {}
    for key, kind in fields.items():
        value = item.get(key)
        if isinstance(value, kind):
            found[key] = value
        elif value is not None:
            messages.append(f"{prefix}'{key}' must be {TYPE_NAMES[kind]}, not {json.dumps(value)[:40]}")
    return found


def read_parts(noun, items, fields, messages):
    parts = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            parts.append(read_fields(item, fields, messages, f"{noun} {number}"))
        else:
            messages.append(f"{noun} {number} must be an object with {', '.join(fields)}")
    return parts


def write_questions_json(questions: dict) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "questions": [
            {
                "slug": slug,
                **{key: values[key] for key in VALUE_KEYS},
                "choices": [{key: choice[key] for key in CHOICE_KEYS} for choice in values["choices"]],
                "cards": [{key: card[key] for key in CARD_KEYS} for card in values["cards"]],
            }
            for slug, values in questions.items()
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
