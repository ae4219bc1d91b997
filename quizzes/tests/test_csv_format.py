"""Question CSV files: every kind survives a write then a read, problems name the spreadsheet row,
and a cell is never left for a spreadsheet to run as a formula."""

import csv
import io

import pytest

from quizzes.bank.content_files import read_quiz_content
from quizzes.instructor.banks.csv_format import header, read_csv, write_csv
from quizzes.instructor.banks.formats import new_choice, new_values
from study.content_files import read_content

EVERY_KIND = {
    "rds-who-patches": new_values(
        kind="single",
        prompt="Who patches the OS of an **RDS** host?",
        explanation="AWS: RDS is managed.\nThe customer keeps its data.",
        misconception="rds-customer-patches-os",
        difficulty=1,
        skill="shift",
        lesson="how-the-line-moves",
        duties=["patch-guest-os"],
        services=["ec2", "rds"],
        status="published",
        choices=[new_choice("AWS", True, "Right."), new_choice("The customer", False, "Not on RDS.")],
    ),
    "customer-picks-two": new_values(
        kind="multiple",
        prompt="Pick two.",
        choices=[new_choice("Data", True), new_choice("IAM", True), new_choice("Guards", False, "AWS's.")],
    ),
    "s3-default-encryption": new_values(
        kind="truefalse",
        prompt="S3 encrypts new objects by default.",
        choices=[new_choice("True", True, "Yes."), new_choice("False", False, "Since 2023 it does.")],
    ),
    "who-configures-security-groups": new_values(kind="owner", prompt="Security groups on EC2?", owner="customer"),
    "sort-ec2": new_values(
        kind="sort",
        prompt="Sort these for EC2.",
        skill="customer",
        cards=[{"text": "Guest OS", "owner": "customer"}, {"text": "Hypervisor", "owner": "aws"}],
    ),
}
HEADER = "slug,kind,prompt,option_1,option_1_correct,option_2,option_2_correct"


@pytest.fixture(scope="module")
def bank():
    questions, _quizzes = read_quiz_content(read_content())
    return questions


def read(text):
    return read_csv(text.encode())


def test_every_kind_survives_a_write_then_read():
    parsed = read(write_csv(EVERY_KIND))
    assert parsed.problems == []
    assert parsed.questions == EVERY_KIND
    assert parsed.locations == {slug: f"row {number}" for number, slug in enumerate(EVERY_KIND, start=2)}


def test_the_real_bank_survives_a_write_then_read_with_its_choice_misconceptions(bank):
    assert any(choice["misconception"] for values in bank.values() for choice in values["choices"])
    parsed = read(write_csv(bank))
    assert parsed.problems == []
    assert parsed.questions == bank


def test_the_header_has_eight_option_groups_and_grows_for_more_options():
    assert write_csv({}).splitlines()[0] == ",".join(header(8))
    many = new_values(kind="multiple", prompt="Many.", choices=[new_choice(str(n), True) for n in range(10)])
    written = write_csv({"many": many})
    assert written.splitlines()[0].endswith("option_10_misconception")
    assert read(written).questions["many"] == many


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "'=quoted", "''+twice", "'plain"])
def test_a_cell_that_could_run_as_a_formula_is_quoted_and_read_back_as_written(text):
    values = new_values(kind="single", prompt=text, choices=[new_choice(text, True, text), new_choice("b", False)])
    written = write_csv({"q": values})
    cells = list(csv.reader(io.StringIO(written, newline="")))[1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert read(written).questions["q"] == values


@pytest.mark.parametrize("text", ["\tindented", "\rreturn"])
def test_a_cell_that_starts_with_a_tab_or_carriage_return_is_quoted(text):
    written = write_csv({"q": new_values(kind="owner", prompt=text, owner="aws")})
    assert list(csv.reader(io.StringIO(written, newline="")))[1][10] == f"'{text}"


def test_a_quote_a_spreadsheet_user_typed_before_a_formula_character_is_taken_off():
    assert read(f"{HEADER}\nq,single,'=1+1?,'-1,yes,'+1,no\n").questions["q"]["prompt"] == "=1+1?"


def test_blank_optional_cells_take_the_defaults():
    parsed = read(f"{HEADER}\nq,single,Which?,a,yes,b,\n")
    assert parsed.problems == []
    assert parsed.questions["q"] == new_values(
        kind="single", prompt="Which?", choices=[new_choice("a", True), new_choice("b", False)]
    )


@pytest.mark.parametrize(("yes", "no"), [("yes", "no"), ("Y", "n"), ("TRUE", "false"), ("1", "0"), ("yes", "")])
def test_correct_is_read_from_any_usual_spelling_of_yes_and_no(yes, no):
    choices = read(f"{HEADER}\nq,single,Which?,a,{yes},b,{no}\n").questions["q"]["choices"]
    assert [choice["correct"] for choice in choices] == [True, False]


def test_problems_name_the_spreadsheet_row_even_after_a_cell_on_several_lines():
    parsed = read(f'{HEADER}\nok,single,"Two\nlines",a,yes,b,no\nbad,single,Which?,a,maybe,b,no\n')
    assert list(parsed.questions) == ["ok"]
    assert parsed.questions["ok"]["prompt"] == "Two\nlines"
    assert parsed.problems == [
        "row 3: option_1_correct is 'maybe'; write yes or no",
        "row 3: A single choice question has exactly one correct choice; it has 0.",
    ]


def test_a_question_without_a_correct_choice_is_a_problem_and_left_out():
    parsed = read(f"{HEADER}\nnone,multiple,Which?,a,no,b,no\n")
    assert parsed.problems == ["row 2: A multiple-response question needs at least one correct choice."]
    assert parsed.questions == {}


def test_the_same_slug_twice_is_a_problem_naming_both_rows():
    parsed = read(f"{HEADER}\nq,single,One?,a,yes,b,no\n,,,,,,\nq,single,Two?,a,yes,b,no\n")
    assert parsed.problems == ["row 4: the slug 'q' is used twice: at row 2 and at row 4"]
    assert parsed.questions["q"]["prompt"] == "One?"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Bad Slug,single,Which?,a,yes,b,no", "row 2: the slug must be lowercase words joined by hyphens"),
        ("q,essay,Write.,,,,", "row 2: 'kind' is 'essay'; expected one of: 'owner', 'sort'"),
        ("q,single,,a,yes,b,no", "row 2: the question has no prompt"),
        ("q,single,Which?,,yes,b,no", "row 2: option_1 is empty, but the other cells of that option are filled"),
        ("q,single,Which?,a,yes,b,no,extra", "row 2: the row has more cells than the header has columns"),
    ],
)
def test_a_bad_row_is_a_problem_with_its_row_and_is_left_out(row, expected):
    parsed = read(f"{HEADER}\n{row}\n")
    assert parsed.problems[0].startswith(expected)
    assert parsed.questions == {}


def test_sort_cards_need_an_owner_and_choices_need_none():
    columns = "slug,kind,prompt,option_1,option_1_owner,option_2,option_2_owner"
    parsed = read(f"{columns}\ns,sort,Sort.,a,aws,b,\nc,single,Pick.,a,aws,b,\n")
    assert parsed.problems == [
        "row 2: Every card of a sort question needs an owner.",
        "row 3: option_1_owner is only for the cards of sort questions; clear it",
        "row 3: A single choice question has exactly one correct choice; it has 0.",
    ]


def test_an_unknown_or_missing_column_is_one_clear_problem_and_no_question_is_read():
    parsed = read("slug,kind,question,option_1\nq,single,Which?,a\n")
    assert parsed.problems == [
        "row 1: the first row is not the header of a question file (unknown columns question; missing columns "
        "prompt). The columns are slug, kind, status, skill, difficulty, lesson, services, duties, misconception, "
        "owner, prompt, explanation and option_N, option_N_correct, option_N_owner, option_N_feedback, "
        "option_N_misconception for each option; slug, kind and prompt are required"
    ]
    assert parsed.questions == {}


def test_header_names_are_read_whatever_their_case_and_a_bom_is_accepted():
    parsed = read_csv("\ufeffSlug, Kind ,PROMPT,Option_1,Option_1_Correct,Option_2\nq,single,Which?,a,yes,b\n".encode())
    assert parsed.problems == []
    assert list(parsed.questions) == ["q"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (f"{HEADER}\nq,single,Café?,a,oui,b,non\n".encode("latin-1"), "The file is not UTF-8 text: invalid contin"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not UTF-8 text: invalid start byte at byte 0."),
        (b"Dear team,\nplease find the questions attached.\n", "row 1: the first row is not the header"),
        (b"", "row 1: the first row is empty; it must be the header: slug,kind,status"),
        (f"{HEADER}\n".encode(), "row 2: the file holds no questions"),
    ],
)
def test_a_file_that_is_not_question_csv_is_one_clear_problem(data, expected):
    parsed = read_csv(data)
    assert len(parsed.problems) == 1
    assert parsed.problems[0].startswith(expected)
    assert parsed.questions == {}


@pytest.mark.parametrize("difficulty", ["hard", "²", "4"])
def test_a_difficulty_other_than_1_2_or_3_is_a_problem(difficulty):
    parsed = read(f"slug,kind,prompt,owner,difficulty\nq,owner,Who?,aws,{difficulty}\n")
    assert parsed.problems == [f"row 2: 'difficulty' is '{difficulty}'; expected 1 (easy), 2 (medium) or 3 (hard)"]


# -- every message and rule of the reader and the writer, exactly ---------------------------------

COLUMNS_RULE = (
    "The columns are slug, kind, status, skill, difficulty, lesson, services, duties, misconception, owner, prompt, "
    "explanation and option_N, option_N_correct, option_N_owner, option_N_feedback, option_N_misconception for each "
    "option; slug, kind and prompt are required"
)


@pytest.mark.parametrize(
    ("first_row", "parts"),
    [
        ("slug,kind,prompt,prompt,kind", "columns named twice: kind, prompt"),
        ("slug,kind,question,colour", "unknown columns question, colour; missing columns prompt"),
        ("kind,prompt,explanation", "missing columns slug"),
        ("prompt,option_0,option_1_colour", "unknown columns option_0, option_1_colour; missing columns slug, kind"),
    ],
)
def test_a_header_problem_names_every_wrong_column(first_row, parts):
    parsed = read(f"{first_row}\nq,single,Which?,x,y\n")
    assert parsed.problems == [f"row 1: the first row is not the header of a question file ({parts}). {COLUMNS_RULE}"]


def test_a_header_may_leave_columns_unnamed_and_name_any_option_number():
    parsed = read("slug,,kind,prompt,option_12,option_12_correct,option_3\nq,ignored,single,Which?,a,yes,b\n")
    assert parsed.problems == []
    assert [c["text"] for c in parsed.questions["q"]["choices"]] == ["b", "a"]


@pytest.mark.parametrize(
    ("row", "problems"),
    [
        ("q,single,,a,yes,b,no,extra", [
            "the row has more cells than the header has columns",
            "the question has no prompt",
        ]),
        ("q,single,Which?,a,maybe,b,no", [
            "option_1_correct is 'maybe'; write yes or no",
            "A single choice question has exactly one correct choice; it has 0.",
        ]),
        (",single,Which?,a,yes,b,no", [
            "the slug must be lowercase words joined by hyphens, at most 100 characters; got ''",
        ]),
    ],
)  # fmt: skip
def test_a_bad_row_gets_each_of_its_problems(row, problems):
    parsed = read(f"{HEADER}\n{row}\n")
    assert parsed.problems == [f"row 2: {problem}" for problem in problems]


def test_a_sort_card_has_only_text_and_owner():
    columns = "slug,kind,prompt,option_1,option_1_correct,option_1_feedback,option_1_misconception,option_1_owner"
    parsed = read(f"{columns},option_2,option_2_owner\ns,sort,Sort.,a,,,m,aws,b,customer\n")
    assert parsed.problems == [
        "row 2: option_1_correct, option_1_feedback and option_1_misconception are not used by sort questions; "
        "clear them"
    ]
    for filled in ("yes,,", ",fb,"):
        parsed = read(f"{columns},option_2,option_2_owner\ns,sort,Sort.,a,{filled},aws,b,customer\n")
        assert len(parsed.problems) == 1
    parsed = read(f"{columns},option_2,option_2_owner\ns,sort,Sort.,a,,,,aws,b,customer\n")
    assert parsed.questions["s"]["cards"] == [{"text": "a", "owner": "aws"}, {"text": "b", "owner": "customer"}]
    assert parsed.questions["s"]["choices"] == []


@pytest.mark.parametrize(
    "filled", ["option_1_owner", "option_1_correct", "option_1_feedback", "option_1_misconception"]
)
def test_an_option_with_only_its_other_cells_filled_is_a_problem(filled):
    columns = "slug,kind,prompt,option_1_owner,option_1_correct,option_1_feedback,option_1_misconception,option_1"
    cells = ",".join("x" if name == filled else "" for name in columns.split(",")[3:7])
    parsed = read(f"{columns},option_2,option_3\nq,multiple,Which?,{cells},,a,b\n")
    assert parsed.problems[0] == "row 2: option_1 is empty, but the other cells of that option are filled"


def test_empty_options_between_filled_ones_are_skipped():
    parsed = read("slug,kind,prompt,option_1,option_2,option_3,option_3_correct\nq,single,Which?,a,,b,yes\n")
    assert parsed.problems == []
    assert [(c["text"], c["correct"]) for c in parsed.questions["q"]["choices"]] == [("a", False), ("b", True)]


def test_tags_are_split_on_commas_and_spaces_sorted_and_made_unique():
    parsed = read('slug,kind,prompt,owner,services,duties\nq,owner,Who?,aws,"s3,ec2 ec2","b , a"\n')
    assert parsed.problems == []
    assert (parsed.questions["q"]["services"], parsed.questions["q"]["duties"]) == (["ec2", "s3"], ["a", "b"])


def test_a_line_break_in_a_cell_is_kept_as_written():
    parsed = read_csv(b'slug,kind,prompt,option_1,option_1_correct,option_2\nq,single,"a\r\nb",x,yes,y\n')
    assert parsed.questions["q"]["prompt"] == "a\r\nb"


def test_a_file_the_csv_reader_refuses_is_one_problem():
    parsed = read_csv(b"slug,kind,prompt\nq,single," + b"x" * 131_073 + b"\n")
    assert parsed.problems == ["row 1: the file is not valid CSV: field larger than field limit (131072)"]
    assert parsed.questions == {}


def test_a_question_is_written_as_one_row_with_every_option_group():
    single = new_values(
        kind="single", prompt="=Which?", explanation="Why.", misconception="m", difficulty=3, skill="aws",
        lesson="the-model", services=["ec2", "s3"], duties=["d1", "d2"], status="published",
        choices=[new_choice("a", True, "fb", "m1"), new_choice("b", False)],
    )  # fmt: skip
    sort = new_values(kind="sort", prompt="Sort.", cards=[{"text": "c", "owner": "aws"}] * 9)
    rows = list(csv.reader(io.StringIO(write_csv({"q": single, "s": sort}))))
    assert rows[0] == header(9)
    assert rows[1] == [
        "q", "single", "published", "aws", "3", "the-model", "ec2 s3", "d1 d2", "m", "", "'=Which?", "Why.",
        "a", "yes", "", "fb", "m1", "b", "no", "", "", "", *[""] * 35,
    ]  # fmt: skip
    assert rows[2] == [
        "s", "sort", "draft", "components", "2", "", "", "", "", "", "Sort.", "", *["c", "", "aws", "", ""] * 9,
    ]  # fmt: skip
    short = list(csv.reader(io.StringIO(write_csv({"q": new_values(kind="owner", prompt="p", owner="aws")}))))
    assert short[1] == ["q", "owner", "draft", "components", "2", "", "", "", "", "aws", "p", "", *[""] * 40]
    mixed = new_values(
        kind="single", prompt="p", choices=[new_choice("a", True)] * 5, cards=[{"text": "c", "owner": ""}] * 4
    )
    assert write_csv({"m": mixed}).splitlines()[0] == ",".join(header(9))


def test_old_mac_line_ends_are_read():
    parsed = read_csv(b"slug,kind,prompt,owner\rq,owner,Who?,aws\r")
    assert parsed.problems == []
    assert list(parsed.questions) == ["q"]


def test_a_quote_before_a_text_that_is_no_formula_is_kept():
    parsed = read("slug,kind,prompt,owner\nq,owner,'X=1,aws\n")
    assert parsed.questions["q"]["prompt"] == "'X=1"


def test_the_extra_cells_problem_comes_before_the_problems_of_the_options():
    parsed = read(f"{HEADER}\nq,single,Which?,a,maybe,b,no,extra\n")
    assert parsed.problems == [
        "row 2: the row has more cells than the header has columns",
        "row 2: option_1_correct is 'maybe'; write yes or no",
        "row 2: A single choice question has exactly one correct choice; it has 0.",
    ]


def test_a_row_too_short_to_reach_the_slug_has_an_empty_slug():
    parsed = read("kind,prompt,owner,slug\nowner,Who?,aws\n")
    assert parsed.problems == [
        "row 2: the slug must be lowercase words joined by hyphens, at most 100 characters; got ''"
    ]
