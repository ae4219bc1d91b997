"""Question JSON files: a write then a read gives every field back, the output is stable, and a bad
file or question is a problem named by its place."""

import json

import pytest

from quizzes.bank.content_files import read_quiz_content
from quizzes.instructor.banks.formats import new_choice, new_values
from quizzes.instructor.banks.json_format import read_questions_json, write_questions_json
from study.content_files import read_content

EVERY_KIND = {
    "rds-who-patches": new_values(
        kind="single",
        prompt="Who patches the OS of an **RDS** host? «managed»",
        explanation="AWS.",
        misconception="rds-customer-patches-os",
        difficulty=3,
        skill="shift",
        lesson="how-the-line-moves",
        duties=["patch-guest-os"],
        services=["ec2", "rds"],
        status="published",
        choices=[new_choice("AWS", True), new_choice("The customer", False, "No.", "rds-customer-patches-os")],
    ),
    "pick-two": new_values(kind="multiple", prompt="Pick two.", choices=[new_choice(t, t != "c") for t in "abc"]),
    "s3-default": new_values(
        kind="truefalse", prompt="S3?", choices=[new_choice("True", False), new_choice("False", True, "Right.")]
    ),
    "security-groups": new_values(kind="owner", prompt="Security groups?", owner="customer", misconception="x"),
    "sort-ec2": new_values(
        kind="sort", prompt="Sort.", cards=[{"text": "OS", "owner": "customer"}, {"text": "Racks", "owner": "aws"}]
    ),
}


@pytest.fixture(scope="module")
def bank():
    questions, _quizzes = read_quiz_content(read_content())
    return questions


def document(*questions, **fields):
    return json.dumps({"format": "srm-questions", "version": 1, "questions": list(questions), **fields}).encode()


def question(slug="q", **fields):
    choices = [{"text": "a", "correct": True}, {"text": "b", "correct": False}]
    return {"slug": slug, "kind": "single", "prompt": "Which?", "choices": choices, **fields}


@pytest.mark.parametrize("source", ["every kind", "the real bank"])
def test_a_write_then_read_gives_every_field_back(source, bank):
    questions = EVERY_KIND if source == "every kind" else bank
    parsed = read_questions_json(write_questions_json(questions).encode())
    assert parsed.problems == []
    assert parsed.questions == questions
    assert parsed.locations == {slug: f"question {number}" for number, slug in enumerate(questions, start=1)}


def test_the_output_is_stable_readable_json_with_a_trailing_newline():
    written = write_questions_json(EVERY_KIND)
    assert written == write_questions_json(dict(EVERY_KIND))
    assert written.endswith("}\n")
    assert "«managed»" in written
    assert written.startswith('{\n  "format": "srm-questions",\n  "version": 1,\n  "questions": [\n    {\n      "slug"')
    first = json.loads(written)["questions"][0]
    assert list(first) == ["slug", *EVERY_KIND["rds-who-patches"]]


def test_a_whole_bank_document_is_read_by_its_questions():
    data = json.dumps({"format": "srm-bank", "version": 1, "quizzes": [{"slug": "x"}], "questions": [question()]})
    parsed = read_questions_json(data.encode())
    assert parsed.problems == []
    assert parsed.locations == {"q": "question 1"}


def test_missing_fields_take_the_defaults():
    parsed = read_questions_json(document({"slug": "q", "kind": "owner", "prompt": "Who?", "owner": "aws"}))
    assert parsed.problems == []
    assert parsed.questions["q"] == new_values(kind="owner", prompt="Who?", owner="aws")


def test_choices_get_their_defaults_and_tag_lists_are_sorted():
    item = question(choices=[{"text": "a", "correct": True}, {"text": "b"}], services=["rds", "ec2"])
    values = read_questions_json(document(item)).questions["q"]
    assert values["choices"] == [new_choice("a", True), new_choice("b", False)]
    assert values["services"] == ["ec2", "rds"]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (question(slug="Not A Slug"), "question 2: the slug must be lowercase words joined by hyphens"),
        ({"kind": "single", "prompt": "No slug?"}, "question 2: the slug must be lowercase words"),
        (question(difficulty="hard"), "question 2: 'difficulty' must be a whole number, not \"hard\""),
        (question(difficulty=True), "question 2: 'difficulty' is True; expected 1 (easy), 2 (medium) or 3 (hard)"),
        (question(skill="everything"), "question 2: 'skill' is 'everything'; expected one of: 'components'"),
        (question(status="live"), "question 2: 'status' is 'live'; expected one of: 'draft', 'published'"),
        (question(colour="red"), "question 2: unknown fields: colour"),
        (question(choices=[{"text": "a", "correct": "yes"}]), "question 2: choice 1: 'correct' must be true or false"),
        (question(choices=["a", "b"]), "question 2: choice 1 must be an object with text, correct, feedback"),
        (question(services="ec2"), "question 2: 'services' must be a list"),
        (question(choices=[{"text": "a", "slug": "x"}]), "question 2: choice 1: unknown fields: slug"),
        (question(duties=[1]), "question 2: 'duties' must be a list of slugs"),
        (question(status="published"), "question 2: A published question needs an explanation"),
        ("just text", "question 2: must be an object with a slug and the question's fields"),
    ],
)
def test_a_bad_question_is_a_problem_with_its_number_and_is_left_out(item, expected):
    parsed = read_questions_json(document(question(slug="good"), item))
    assert parsed.problems[0].startswith(expected)
    assert list(parsed.questions) == ["good"]


def test_a_question_without_a_correct_choice_is_a_problem():
    item = question(kind="multiple", choices=[{"text": "a", "correct": False}, {"text": "b", "correct": False}])
    parsed = read_questions_json(document(item))
    assert parsed.problems == ["question 1: A multiple-response question needs at least one correct choice."]
    assert parsed.questions == {}


def test_the_same_slug_twice_is_a_problem_naming_both_questions():
    parsed = read_questions_json(document(question(), question(prompt="Again?")))
    assert parsed.problems == ["question 2: the slug 'q' is used twice: at question 1 and at question 2"]
    assert parsed.questions["q"]["prompt"] == "Which?"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('{"format": "srm-questions"}'.encode("utf-16"), "The file is not UTF-8 text: invalid start byte at byte 0."),
        ('{"prompt": "Café"}'.encode("latin-1"), "The file is not UTF-8 text: invalid continuation byte"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not UTF-8 text: invalid start byte at byte 0."),
        (b"slug,kind,prompt\nq,single,Which?\n", "line 1: the file is not valid JSON: Expecting value (column 1)"),
        (b'{\n  "format": "srm-questions",\n  "version": 1,\n}', "line 4: the file is not valid JSON"),
        (b"[]", 'This is not a question file: it needs "format": "srm-questions" (or "srm-bank").'),
        (b'{"format": "moodle-xml", "version": 1}', "This is not a question file"),
        (b'{"format": "srm-questions", "version": 2}', "Version 2 of the format is not known; this site reads"),
        (b'{"format": "srm-questions", "version": 1}', 'The file has no "questions" list.'),
        (document(), "The file holds no questions."),
    ],
)
def test_a_file_that_is_not_a_question_file_is_one_clear_problem(data, expected):
    parsed = read_questions_json(data)
    assert len(parsed.problems) == 1
    assert parsed.problems[0].startswith(expected)
    assert parsed.questions == {}


# -- every message and rule of the reader and the writer, exactly ---------------------------------


def problems_of(*items):
    return read_questions_json(document(*items)).problems


def test_each_bad_part_of_a_question_is_named():
    item = question(
        kind="sort",
        choices=[],
        cards=[{"text": "a", "owner": "aws"}, "b", {"owner": 3, "colour": "red"}, {"text": "d", "owner": "customer"}],
        zeta=1,
        alpha=2,
    )
    assert problems_of(1, item) == [
        "question 1: must be an object with a slug and the question's fields",
        "question 2: unknown fields: alpha, zeta",
        "question 2: card 2 must be an object with text, owner",
        "question 2: card 3: unknown fields: colour",
        "question 2: card 3: 'owner' must be text, not 3",
        "question 2: card 2 has no text",
        "question 2: Every card of a sort question needs an owner.",
    ]


def test_a_wrong_type_is_quoted_up_to_forty_characters():
    assert problems_of(question(difficulty="x" * 50)) == [
        f"question 1: 'difficulty' must be a whole number, not \"{'x' * 39}"
    ]
    assert problems_of(question(choices=[{"text": "a", "correct": 1}, {"text": "b", "correct": True}])) == [
        "question 1: choice 1: 'correct' must be true or false, not 1"
    ]
    assert problems_of(question(services="ec2", prompt=["Which?"])) == [
        "question 1: 'prompt' must be text, not [\"Which?\"]",
        "question 1: 'services' must be a list, not \"ec2\"",
        "question 1: the question has no prompt",
    ]


def test_null_fields_keep_their_defaults_and_missing_parts_of_choices_and_cards_too():
    item = question(explanation=None, choices=[{"text": "a", "correct": True}, {"text": "b"}])
    parsed = read_questions_json(document(item))
    assert parsed.problems == []
    assert parsed.questions["q"]["explanation"] == ""
    assert parsed.questions["q"]["choices"][1] == new_choice("b", False, "", None)
    sort = {"slug": "s", "kind": "sort", "prompt": "S", "cards": [{"text": "a", "owner": "aws"}, {"owner": "aws"}]}
    assert problems_of(sort) == ["question 1: card 2 has no text"]
    sort["cards"][1] = {"text": "b"}
    assert problems_of(sort) == ["question 1: Every card of a sort question needs an owner."]


UNKNOWN_VERSION = "of the format is not known; this site reads version 1."
NOT_A_QUESTION_FILE = 'This is not a question file: it needs "format": "srm-questions" (or "srm-bank").'


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'{"format": "srm-questions", "version": true, "questions": []}', f"Version True {UNKNOWN_VERSION}"),
        (b'{"format": "srm-questions", "questions": []}', f"Version None {UNKNOWN_VERSION}"),
        (b'{"format": "srm-questions", "version": 1, "questions": {}}', 'The file has no "questions" list.'),
        (b"x\x00y", "The file is not a text file: it holds NUL bytes. Save the questions as UTF-8 text and try again."),
        (b'{"version": 1, "questions": []}', NOT_A_QUESTION_FILE),
        (b"[1", "line 1: the file is not valid JSON: Expecting ',' delimiter (column 3)"),
    ],
)
def test_a_file_level_problem_is_named_exactly(data, problem):
    assert read_questions_json(data).problems == [problem]


def test_the_output_keeps_the_field_order_and_writes_text_as_it_is():
    values = new_values(kind="owner", prompt="Qui «patche» ?", owner="aws", duties=["b", "a"])
    written = write_questions_json({"q": values})
    assert "«patche»" in written
    document = json.loads(written)
    assert list(document) == ["format", "version", "questions"]
    assert list(document["questions"][0]) == ["slug", *values]
    assert document["questions"][0]["duties"] == ["b", "a"]


def test_a_choice_without_text_is_a_problem():
    assert problems_of(question(choices=[{"text": "a", "correct": True}, {"correct": False}])) == [
        "question 1: choice 2 has no text"
    ]
