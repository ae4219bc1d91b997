"""Question files as CSV, one row per question (columns: docs/import-formats.md).

A spreadsheet is where most instructors write questions, so problems are named by the row number the
spreadsheet shows (the header is row 1). The options are the choices, or the cards of a sort question.
Every value of a question has a column, so that exporting and importing again changes nothing."""

import csv
import io
import re

from quizzes.instructor.banks.formats import ParsedQuestions, decode, new_choice, new_values
from quizzes.models import Kind
from quizzes.progress.mastery import safe_cell

COLUMNS = (
    "slug", "kind", "status", "skill", "difficulty", "lesson", "services", "duties", "misconception", "owner",
    "prompt", "explanation",
)  # fmt: skip
REQUIRED = ("slug", "kind", "prompt")
OPTION_PARTS = ("", "_correct", "_owner", "_feedback", "_misconception")
OPTION_COLUMN = re.compile(r"^option_([1-9]\d*)(?:_correct|_owner|_feedback|_misconception)?$")
OPTIONS_WRITTEN = 8
DIFFICULTIES = {"1": 1, "2": 2, "3": 3}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
# safe_cell quotes a cell that starts with = + - @; a leading tab or carriage return can start a formula too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def header(options=OPTIONS_WRITTEN):
    return [*COLUMNS, *(f"option_{number}{part}" for number in range(1, options + 1) for part in OPTION_PARTS)]


def read_csv(data: bytes) -> ParsedQuestions:
    text, problem = decode(data)
    if problem:
        return ParsedQuestions(problems=[problem])
    parsed = ParsedQuestions()
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        parsed.problem("row 1", f"the file is not valid CSV: {error}")
        return parsed
    names = [unprotect(cell).strip().lower() for cell in rows[0]] if rows else []
    problem = header_problem(names)
    if problem:
        parsed.problem("row 1", problem)
        return parsed
    for number, row in enumerate(rows[1:], start=2):
        cells = [unprotect(cell) for cell in row]
        if not any(cell.strip() for cell in cells):
            continue
        location = f"row {number}"
        record = {name: cell.strip() for name, cell in zip(names, cells, strict=False) if name}
        values, messages = read_row(record)
        if any(cell.strip() for cell in cells[len(names) :]):
            messages.insert(0, "the row has more cells than the header has columns")
        parsed.add(record.get("slug", ""), location, values, messages)
    return parsed.require_some("row 2")


def header_problem(names):
    if not any(names):
        return f"the first row is empty; it must be the header: {','.join(header())}"
    named = [name for name in names if name]
    parts = []
    unknown = [name for name in named if name not in COLUMNS and not OPTION_COLUMN.match(name)]
    if unknown:
        parts.append(f"unknown columns {', '.join(unknown)}")
    missing = [name for name in REQUIRED if name not in named]
    if missing:
        parts.append(f"missing columns {', '.join(missing)}")
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        parts.append(f"columns named twice: {', '.join(twice)}")
    if not parts:
        return None
    return (
        f"the first row is not the header of a question file ({'; '.join(parts)}). "
        f"The columns are {', '.join(COLUMNS)} and option_N, option_N_correct, option_N_owner, option_N_feedback, "
        "option_N_misconception for each option; slug, kind and prompt are required"
    )


def read_row(record):
    """(values, problems) of one row, `record` mapping column names to trimmed cells."""
    messages = []
    given = {name: record[name] for name in COLUMNS if record.get(name)}
    given.pop("slug", None)
    if "difficulty" in given:
        # An unknown value stays as written, for the check to name it.
        given["difficulty"] = DIFFICULTIES.get(given["difficulty"], given["difficulty"])
    for name in ("duties", "services"):
        given[name] = sorted(set(given.get(name, "").replace(",", " ").split()))
    values = new_values(**given)
    numbers = sorted({int(match[1]) for name in record if (match := OPTION_COLUMN.match(name))})
    for number in numbers:
        name = f"option_{number}"
        text, correct, owner, feedback, misconception = (record.get(name + part, "") for part in OPTION_PARTS)
        if not (text or correct or owner or feedback or misconception):
            continue
        if not text:
            messages.append(f"{name} is empty, but the other cells of that option are filled")
        elif values["kind"] == Kind.SORT:
            if correct or feedback or misconception:
                messages.append(
                    f"{name}_correct, {name}_feedback and {name}_misconception are not used by sort questions; "
                    "clear them"
                )
            values["cards"].append({"text": text, "owner": owner})
        else:
            if owner:
                messages.append(f"{name}_owner is only for the cards of sort questions; clear it")
            if correct.lower() not in YES | NO:
                messages.append(f"{name}_correct is {correct!r}; write yes or no")
            values["choices"].append(new_choice(text, correct.lower() in YES, feedback, misconception or None))
    return values, messages


def write_csv(questions: dict) -> str:
    """The questions as CSV text, with a column group for each option (at least eight)."""
    options = max([OPTIONS_WRITTEN, *(len(values["choices"]) + len(values["cards"]) for values in questions.values())])
    columns = header(options)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for slug, values in questions.items():
        row = [
            slug,
            values["kind"],
            values["status"],
            values["skill"],
            values["difficulty"],
            values["lesson"] or "",
            " ".join(values["services"]),
            " ".join(values["duties"]),
            values["misconception"] or "",
            values["owner"],
            values["prompt"],
            values["explanation"],
        ]
        for choice in values["choices"]:
            row += [choice["text"], "yes" if choice["correct"] else "no", "", choice["feedback"]]
            row.append(choice["misconception"] or "")
        for card in values["cards"]:
            row += [card["text"], "", card["owner"], "", ""]
        row += [""] * (len(columns) - len(row))
        writer.writerow([protect(str(cell)) for cell in row])
    return out.getvalue()


def protect(text):
    if text[:1] in ("\t", "\r", "'") and starts_formula(text):
        return "'" + text
    return safe_cell(text)


def unprotect(cell):
    return cell[1:] if cell[:1] == "'" and starts_formula(cell[1:]) else cell


def starts_formula(text):
    """Whether a spreadsheet would run the text, or it is quotes before such a text: reading takes one
    quote off those, so writing must add one to keep them as they are."""
    return text.lstrip("'")[:1] in FORMULA_START
