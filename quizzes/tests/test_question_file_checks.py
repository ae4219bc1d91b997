"""What every question file reader shares: the defaults of a question, the checks of its values, the
slug rules and the file-level problems (quizzes/instructor/banks/formats.py)."""

import pytest

from quizzes.instructor.banks.formats import ParsedQuestions, check_values, decode, new_choice, new_values


def test_a_new_question_has_every_value_in_the_order_of_the_content_files():
    assert new_values() == {
        "kind": "",
        "prompt": "",
        "explanation": "",
        "owner": "",
        "misconception": None,
        "difficulty": 2,
        "skill": "components",
        "lesson": None,
        "duties": [],
        "services": [],
        "status": "draft",
        "choices": [],
        "cards": [],
    }
    assert list(new_values(status="published", kind="owner")) == list(new_values())
    assert new_values(kind="owner", difficulty=3)["difficulty"] == 3
    assert new_choice("a", True) == {"text": "a", "correct": True, "feedback": "", "misconception": None}
    assert new_choice("b", False, "fb", "m") == {"text": "b", "correct": False, "feedback": "fb", "misconception": "m"}


def owner_question(**given):
    return new_values(**{"kind": "owner", "prompt": "Who?", "owner": "aws", **given})


def true_false(*choices):
    return new_values(kind="truefalse", prompt="Sky?", choices=list(choices))


@pytest.mark.parametrize(
    ("values", "messages"),
    [
        (owner_question(), []),
        (new_values(kind="essay", prompt="Why?"), [
            "'kind' is 'essay'; expected one of: 'owner', 'sort', 'single', 'multiple', 'truefalse'",
        ]),
        (owner_question(status="live"), ["'status' is 'live'; expected one of: 'draft', 'published'"]),
        (owner_question(skill="all"), [
            "'skill' is 'all'; expected one of: 'components', 'customer', 'aws', 'shared', 'shift'",
        ]),
        (new_values(kind="owner", prompt="Who?", owner="me"), [
            "'owner' is 'me'; expected one of: '', 'aws', 'customer', 'shared'",
        ]),
        (owner_question(difficulty=True), ["'difficulty' is True; expected 1 (easy), 2 (medium) or 3 (hard)"]),
        (owner_question(difficulty=0), ["'difficulty' is 0; expected 1 (easy), 2 (medium) or 3 (hard)"]),
        (owner_question(difficulty=4), ["'difficulty' is 4; expected 1 (easy), 2 (medium) or 3 (hard)"]),
        (owner_question(difficulty="2"), ["'difficulty' is '2'; expected 1 (easy), 2 (medium) or 3 (hard)"]),
        (owner_question(prompt=" \n "), ["the question has no prompt"]),
        (owner_question(kind="single", choices=[new_choice("a", True), new_choice(" ", False)]), [
            "only owner-assignment questions have an owner; leave it blank or change the kind",
            "choice 2 has no text",
        ]),
        (new_values(kind="sort", prompt="Sort.", cards=[{"text": "", "owner": "aws"}, {"text": "b", "owner": "me"}]), [
            "card 1 has no text",
            "card 2: owner 'me' is not one of: aws, customer, shared",
        ]),
        (true_false(new_choice("Yes", True), new_choice("No", False)), [
            'a true/false question has exactly the two choices "True" and "False"',
        ]),
        (true_false(new_choice("False", False), new_choice("True", True)), []),
        (true_false(new_choice("True", True)), [
            'a true/false question has exactly the two choices "True" and "False"',
            "A true/false question has exactly two choices (True and False); it has 1.",
        ]),
        # An unknown kind is named once; the rules of the known kinds would only add noise.
        (new_values(kind="essay", prompt="Why?", status="published"), [
            "'kind' is 'essay'; expected one of: 'owner', 'sort', 'single', 'multiple', 'truefalse'",
        ]),
        (owner_question(status="published"), [
            "A published question needs an explanation: learners read it after answering.",
        ]),
    ],
)  # fmt: skip
def test_each_value_is_checked_with_a_message_naming_it(values, messages):
    assert check_values(values) == messages


def test_a_question_is_kept_under_a_good_slug_and_its_location():
    parsed = ParsedQuestions()
    parsed.add("a-b", "row 2", owner_question())
    parsed.add("x" * 100, "row 3", owner_question())
    assert list(parsed.questions) == ["a-b", "x" * 100]
    assert parsed.locations == {"a-b": "row 2", "x" * 100: "row 3"}
    assert parsed.problems == []


@pytest.mark.parametrize("slug", ["x" * 101, "A-b", "a_b", "", None, 7])
def test_a_bad_slug_is_the_first_problem_of_its_question(slug):
    parsed = ParsedQuestions()
    parsed.add(slug, "row 2", owner_question(prompt=""), ["syntax"])
    assert parsed.problems == [
        f"row 2: the slug must be lowercase words joined by hyphens, at most 100 characters; got {slug!r}",
        "row 2: syntax",
        "row 2: the question has no prompt",
    ]
    assert parsed.questions == {}


def test_a_slug_used_twice_names_both_places_even_when_the_first_was_left_out():
    parsed = ParsedQuestions()
    parsed.add("q", "row 2", owner_question(prompt=""))
    parsed.add("q", "row 3", owner_question(), ["syntax"])
    parsed.add("q", "row 4", owner_question())
    assert parsed.problems == [
        "row 2: the question has no prompt",
        "row 3: the slug 'q' is used twice: at row 2 and at row 3",
        "row 3: syntax",
        "row 4: the slug 'q' is used twice: at row 2 and at row 4",
    ]
    assert parsed.questions == {}


def test_a_problem_without_a_place_is_about_the_whole_file():
    parsed = ParsedQuestions()
    parsed.problem(None, "The whole file.")
    parsed.problem("line 3", "this line")
    assert parsed.problems == ["The whole file.", "line 3: this line"]


def test_a_file_without_questions_or_problems_says_so():
    assert ParsedQuestions().require_some("row 2").problems == ["row 2: the file holds no questions"]
    assert ParsedQuestions().require_some(None).problems == ["The file holds no questions."]
    with_problem = ParsedQuestions(problems=["x"])
    assert with_problem.require_some("row 2") is with_problem
    assert with_problem.problems == ["x"]
    with_question = ParsedQuestions()
    with_question.add("q", "row 2", owner_question())
    assert with_question.require_some("row 2").problems == []


def test_a_file_is_read_as_utf8_text_without_its_bom():
    assert decode("\ufeffQué".encode()) == ("Qué", None)
    assert decode(memoryview(b"plain")) == ("plain", None)
    assert decode(b"a\x00b") == (
        None,
        "The file is not a text file: it holds NUL bytes. Save the questions as UTF-8 text and try again.",
    )
    assert decode("Qué".encode("latin-1")) == (
        None,
        "The file is not UTF-8 text: unexpected end of data at byte 2. Save it as UTF-8 and try again.",
    )
