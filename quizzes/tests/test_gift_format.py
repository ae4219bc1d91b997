"""Moodle GIFT files: the supported question types are read back as written, every other type is a
problem named by its line, and nothing in a file can make the reader raise."""

import pytest

from quizzes.bank.content_files import read_quiz_content
from quizzes.instructor.banks.formats import new_choice, new_values
from quizzes.instructor.banks.gift import read_gift, write_gift
from study.content_files import read_content

MOODLE_FILE = """\
// A file as an instructor would write it in Moodle.
$CATEGORY: $course$/Shared responsibility

::Who patches RDS::[markdown]Who patches the **operating system** of an Amazon RDS database host?{
    =AWS#Right\\: RDS is a managed service.
    ~The customer#On EC2 it would be; on RDS it is not.
    // a comment between answers
    ~Both
    ####AWS runs the host; the customer runs its data\\nand its access rules.
}

::Customer duties:: Which of these are the customer's?
{
    ~%50%Its data
    ~%50%Its IAM users
    ~%-100%The data centre's guards#AWS guards its buildings.
}

::Encryption is optional::Encryption at rest is turned on for every S3 bucket by default.
{T#Look again\\: it is.#Yes, since January 2023.####SSE-S3 is the default.}
"""


@pytest.fixture(scope="module")
def bank():
    questions, _quizzes = read_quiz_content(read_content())
    return questions


def read(text):
    return read_gift(text.encode())


def test_the_real_bank_comes_back_from_gift_with_its_prompts_choices_and_feedback(bank):
    parsed = read(write_gift(bank))
    assert parsed.problems == []
    assert list(parsed.questions) == list(bank)
    for slug, values in bank.items():
        back = parsed.questions[slug]
        assert (back["kind"], back["prompt"], back["explanation"]) == (
            values["kind"],
            values["prompt"],
            values["explanation"],
        )
        assert [(c["text"], c["correct"], c["feedback"]) for c in back["choices"]] == [
            (c["text"], c["correct"], c["feedback"]) for c in values["choices"]
        ]


def test_a_moodle_file_with_comments_categories_and_answers_on_several_lines_is_read():
    parsed = read(MOODLE_FILE)
    assert parsed.problems == []
    assert parsed.locations == {
        "who-patches-rds": "line 4",
        "customer-duties": "line 12",
        "encryption-is-optional": "line 19",
    }
    assert parsed.questions["who-patches-rds"] == new_values(
        kind="single",
        prompt="Who patches the **operating system** of an Amazon RDS database host?",
        explanation="AWS runs the host; the customer runs its data\nand its access rules.",
        choices=[
            new_choice("AWS", True, "Right: RDS is a managed service."),
            new_choice("The customer", False, "On EC2 it would be; on RDS it is not."),
            new_choice("Both", False),
        ],
    )
    duties = parsed.questions["customer-duties"]
    assert duties["kind"] == "multiple"
    assert duties["prompt"] == "Which of these are the customer's?"
    assert [(c["text"], c["correct"]) for c in duties["choices"]] == [
        ("Its data", True),
        ("Its IAM users", True),
        ("The data centre's guards", False),
    ]
    assert duties["choices"][2]["feedback"] == "AWS guards its buildings."


def test_imported_questions_are_drafts_with_the_default_skill_and_difficulty():
    values = read(MOODLE_FILE).questions["who-patches-rds"]
    assert (values["status"], values["skill"], values["difficulty"]) == ("draft", "components", 2)
    assert (values["lesson"], values["misconception"], values["duties"], values["services"]) == (None, None, [], [])


@pytest.mark.parametrize(
    ("answer", "true_feedback", "false_feedback"),
    [("T", "right", "wrong"), ("TRUE", "right", "wrong"), ("F", "wrong", "right"), ("FALSE", "wrong", "right")],
)
def test_true_false_feedback_is_read_in_moodles_order_wrong_answer_first(answer, true_feedback, false_feedback):
    values = read(f"S3 is a storage service.{{{answer}#wrong#right}}").questions["s3-is-a-storage-service"]
    assert values["kind"] == "truefalse"
    assert values["choices"] == [
        new_choice("True", answer.startswith("T"), true_feedback),
        new_choice("False", answer.startswith("F"), false_feedback),
    ]


def test_general_feedback_of_a_true_false_question_is_its_explanation():
    values = read(MOODLE_FILE).questions["encryption-is-optional"]
    assert values["explanation"] == "SSE-S3 is the default."
    assert values["choices"][0] == new_choice("True", True, "Yes, since January 2023.")
    assert values["choices"][1] == new_choice("False", False, "Look again: it is.")


def test_a_question_without_a_title_gets_a_slug_from_its_prompt_that_no_title_takes():
    parsed = read(
        "Who patches the guest OS on EC2?{=The customer ~AWS}\n\n"
        "Who patches the guest OS on EC2?{=The customer ~AWS ~Both}\n\n"
        "::who-patches-the-guest-os-on-ec2::Titled.{=a ~b}\n"
    )
    assert parsed.problems == []
    assert parsed.locations == {
        "who-patches-the-guest-os-on-ec2-2": "line 1",
        "who-patches-the-guest-os-on-ec2-3": "line 3",
        "who-patches-the-guest-os-on-ec2": "line 5",
    }


def test_the_same_title_twice_is_a_problem_naming_both_lines():
    parsed = read("::Same::One?{=a ~b}\n\n// two\n::same::Two?{=a ~b}\n")
    assert parsed.problems == ["line 4: the slug 'same' is used twice: at line 1 and at line 4"]
    assert parsed.questions["same"]["prompt"] == "One?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Match.{=cat -> cat food =dog -> dog food}", "matching questions are not supported; only multiple choice"),
        ("When was it born?{#1822:5}", "numerical questions"),
        ("Write an essay.{}", "essay questions"),
        ("Who is buried there?{=no one =nobody}", "short-answer questions"),
        ("Just a description, no answers.", "descriptions are not supported"),
        ("Unbalanced {=a ~b", "braces { } around the answers do not match"),
        ("Unbalanced }=a ~b{", "braces { } around the answers do not match"),
        ("Grant is {~buried =entombed} in Grant's tomb.", "missing-word questions are not supported"),
        ("::Unclosed title Who?{=a ~b}", "the title has no closing '::'"),
    ],
)
def test_each_unsupported_question_is_a_problem_with_its_line_and_the_rest_is_read(question, expected):
    parsed = read(f"// first\nGood one?{{=a ~b}}\n\n{question}\n\nAnother good one?{{=a ~b}}\n")
    assert len(parsed.problems) == 1
    assert parsed.problems[0].startswith("line 4: ")
    assert expected in parsed.problems[0]
    assert list(parsed.questions) == ["good-one", "another-good-one"]


def test_a_question_without_a_correct_answer_is_a_problem_and_left_out():
    parsed = read("::none::Which one?{~a ~b ~c}\n\n::one::Which one?{=a ~b}\n")
    assert parsed.problems == ["line 1: A multiple-response question needs at least one correct choice."]
    assert list(parsed.questions) == ["one"]


def test_an_answer_without_text_is_a_problem():
    assert read("::q::Which?{=a ~#only feedback}").problems == ["line 1: choice 2 has no text"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café?{=oui ~non}".encode("latin-1"), "The file is not UTF-8 text: invalid continuation byte at byte 3."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not UTF-8 text: invalid start byte at byte 0."),
        (b"", "line 1: the file holds no questions"),
        (b"Dear team,\nplease find the questions attached.\n", "line 1: this question has no answers in { }"),
    ],
)
def test_a_file_that_is_not_gift_is_one_clear_problem(data, expected):
    parsed = read_gift(data)
    assert len(parsed.problems) == 1
    assert parsed.problems[0].startswith(expected)
    assert parsed.questions == {}


def test_a_utf8_bom_and_windows_line_ends_are_accepted():
    parsed = read_gift("\ufeff::q::Qué?\r\n{=sí\r\n~no}\r\n".encode())
    assert parsed.problems == []
    assert [c["text"] for c in parsed.questions["q"]["choices"]] == ["sí", "no"]


def test_special_characters_and_line_breaks_survive_a_write_then_read():
    text = "Braces {x}, ~tilde, =equals, #hash, a: colon, back\\slash, a literal \\n and\nline two"
    values = new_values(
        kind="single",
        prompt=text,
        explanation=f"Why: {text}",
        choices=[new_choice(text, True, text), new_choice("%50% is not a weight here", False, "#")],
    )
    assert read(write_gift({"q": values})).questions["q"] == values


def test_multiple_response_is_written_with_weights_that_add_up_to_100():
    values = new_values(
        kind="multiple", prompt="Pick three.", choices=[new_choice(t, t != "d") for t in ("a", "b", "c", "d")]
    )
    written = write_gift({"pick": values})
    assert "\t~%33.33333%a\n\t~%33.33333%b\n\t~%33.33333%c\n\t~%-100%d\n" in written
    assert read(written).questions["pick"] == values


def test_owner_questions_become_three_options_and_sort_questions_are_listed_as_left_out():
    owner = new_values(kind="owner", prompt="Who patches the guest OS on EC2?", owner="customer", explanation="Yours.")
    sort = new_values(kind="sort", prompt="Sort.", cards=[{"text": "a", "owner": "aws"}, {"text": "b", "owner": "aws"}])
    written = write_gift({"sort-one": sort, "patch-ec2": owner})
    assert written.startswith("// Sort questions have no GIFT form and were left out: sort-one\n\n")
    assert "\t~AWS\n\t=The customer\n\t~Shared\\: each side does a part\n\t####Yours.\n" in written
    parsed = read(written)
    assert list(parsed.questions) == ["patch-ec2"]
    assert parsed.questions["patch-ec2"]["kind"] == "single"
    assert [c["text"] for c in parsed.questions["patch-ec2"]["choices"] if c["correct"]] == ["The customer"]


# -- every message and rule of the reader and the writer, exactly ---------------------------------

ONLY = "only multiple choice, multiple response and true/false questions are supported"


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ("::open title Which?{=a ~b}", "the title has no closing '::'; write a colon in a title as \\:"),
        ("Just a description.", f"this question has no answers in {{ }}; descriptions are not supported; {ONLY}"),
        ("Which?{=a ~b", "the braces { } around the answers do not match; write a literal brace as \\{ or \\}"),
        ("Which?}=a ~b{", "the braces { } around the answers do not match; write a literal brace as \\{ or \\}"),
        ("Which?{=a {~b}", "the braces { } around the answers do not match; write a literal brace as \\{ or \\}"),
        (
            "Which? {=a ~b} and more",
            "there is text after the closing } of the answers: missing-word questions are not supported, "
            "and questions must be parted by a blank line",
        ),
        ("Write an essay.{}", f"essay questions ({{}} without answers) are not supported; {ONLY}"),
        ("Write an essay.{ ####Any answer}", f"essay questions ({{}} without answers) are not supported; {ONLY}"),
        ("How many?{#2:0.5}", f"numerical questions ({{#...}}) are not supported; {ONLY}"),
        ("Match.{=a -> 1 =b -> 2}", f"matching questions are not supported; {ONLY}"),
        ("Name it.{=Paris =paris}", f"short-answer questions (only = answers, no ~) are not supported; {ONLY}"),
        (
            "Which?{text before =a ~b}",
            "every answer starts with = (right) or ~ (wrong); there is text before the first",
        ),
        ("Which?{=a ~%100%b ~%50%c}", "A single choice question has exactly one correct choice; it has 2."),
    ],
)
def test_each_problem_of_a_question_is_named_exactly(question, problem):
    parsed = read(f"Good?{{=a ~b}}\n\n{question}\n")
    assert parsed.problems == [f"line 3: {problem}"]
    assert list(parsed.questions) == ["good"]


def choices_of(parsed, slug):
    return [(c["text"], c["correct"], c["feedback"]) for c in parsed.questions[slug]["choices"]]


def test_weights_make_multiple_response_and_a_positive_weight_is_a_right_answer():
    parsed = read("Which?{~%50%a ~%50%b ~%0%c ~d ~%-50%e ~%33.3%f}")
    assert parsed.questions["which"]["kind"] == "multiple"
    assert choices_of(parsed, "which") == [
        ("a", True, ""),
        ("b", True, ""),
        ("c", False, ""),
        ("d", False, ""),
        ("e", False, ""),
        ("f", True, ""),
    ]


def test_single_choice_counts_only_a_full_weight_as_right():
    parsed = read("Which?{=a#yes ~%100%b ~%99.9%c#close ~d}")
    assert parsed.problems == ["line 1: A single choice question has exactly one correct choice; it has 2."]
    parsed = read("Which?{=a#yes ~%99.9%c#close ~d}")
    assert parsed.questions["which"]["kind"] == "single"
    assert choices_of(parsed, "which") == [("a", True, "yes"), ("c", False, "close"), ("d", False, "")]


def test_format_markers_escapes_and_the_last_general_feedback_are_read():
    parsed = read("[html]Which \\{ \\} \\~ \\= \\# \\: \\\\ \\q?{=[plain]a#yes ~b#no####One####General\\n two}")
    # The slug takes the prompt's first eight words.
    values = parsed.questions["which"]
    assert values["prompt"] == "Which { } ~ = # : \\ \\q?"
    assert values["explanation"] == "General\n two"
    assert choices_of(parsed, "which") == [("a", True, "yes"), ("b", False, "no####One")]


@pytest.mark.parametrize(
    ("answer", "truth"), [("T", True), ("TRUE", True), ("true", True), ("F", False), ("FALSE", False), (" f ", False)]
)
def test_a_true_false_answer_in_any_spelling_marks_the_right_choice(answer, truth):
    parsed = read(f"Sky?{{{answer}}}")
    assert choices_of(parsed, "sky") == [("True", truth, ""), ("False", not truth, "")]
    assert parsed.questions["sky"]["kind"] == "truefalse"


def test_true_false_with_only_the_wrong_answers_feedback():
    parsed = read("Sky?{T#only wrong}")
    assert choices_of(parsed, "sky") == [("True", True, ""), ("False", False, "only wrong")]


def test_blank_lines_part_the_questions_and_comments_and_categories_are_dropped():
    parsed = read("// note\n$CATEGORY: x\n\n\n  First?\n{=a\n~b}\n   \n// between\nSecond?{=a ~b}\n\n")
    assert parsed.locations == {"first": "line 5", "second": "line 10"}
    assert parsed.questions["first"]["prompt"] == "First?"


def test_a_slug_is_made_from_a_title_or_the_first_eight_words_of_the_prompt():
    from quizzes.instructor.banks.gift import free_slug, make_slug

    assert make_slug("Hello_World -- Foo__bar-") == "hello-world-foo-bar"
    assert make_slug("abc def ghi", 5) == "abc-d"
    assert make_slug("a-b-c", 4) == "a-b"
    assert make_slug("!!!") == ""
    assert make_slug("x" * 150) == "x" * 100
    assert (
        free_slug("one two three four five six seven eight nine ten", set())
        == "one-two-three-four-five-six-seven-eight"
    )
    assert (
        free_slug(" ".join(["abcdefghij"] * 9), set()) == "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcde"
    )
    assert free_slug("!!! ???", set()) == "question"
    assert free_slug("a b", {"a-b", "a-b-2"}) == "a-b-3"
    assert free_slug("a b", {"a-b-2"}) == "a-b"


def test_untitled_questions_with_the_same_prompt_get_numbered_slugs():
    parsed = read("::same-prompt::Other?{=a ~b}\n\nSame prompt{=a ~b}\n\nSame prompt{=a ~b}\n")
    assert list(parsed.questions) == ["same-prompt", "same-prompt-2", "same-prompt-3"]
    assert parsed.problems == []
    assert read("::!!!::Which?{=a ~b}").questions.keys() == {"which"}


def test_true_false_questions_are_written_with_moodles_feedback_order():
    from quizzes.instructor.banks.gift import write_question

    def true_false(truth, right_feedback="", wrong_feedback="", explanation=""):
        choices = [new_choice("True", truth, right_feedback if truth else wrong_feedback)]
        choices.append(new_choice("False", not truth, wrong_feedback if truth else right_feedback))
        return new_values(kind="truefalse", prompt="Sky?", explanation=explanation, choices=choices)

    assert write_question("s", true_false(True)) == "::s::[markdown]Sky?{TRUE}\n"
    assert write_question("s", true_false(False, "r", "w", "Why")) == "::s::[markdown]Sky?{FALSE#w#r####Why}\n"
    assert write_question("s", true_false(True, "", "w")) == "::s::[markdown]Sky?{TRUE#w}\n"
    assert write_question("s", true_false(True, "r", "")) == "::s::[markdown]Sky?{TRUE##r}\n"


def test_choice_questions_are_written_one_answer_a_line():
    from quizzes.instructor.banks.gift import write_gift

    single = new_values(
        kind="single",
        prompt="Pick\r\none: a{b}",
        explanation="Because #1",
        choices=[new_choice("a", True, "yes"), new_choice("%50% off", False), new_choice("c", False, "no")],
    )
    multiple = new_values(kind="multiple", prompt="Pick.", choices=[new_choice("a", True), new_choice("b", False)])
    none_right = new_values(kind="multiple", prompt="None.", choices=[new_choice("a", False)])
    assert write_gift({"one": single, "two": multiple, "three": none_right}) == (
        "::one::[markdown]Pick\\none\\: a\\{b\\}{\n\t=a#yes\n\t~%0%%50% off\n\t~c#no\n\t####Because \\#1\n}\n"
        "\n::two::[markdown]Pick.{\n\t~%100%a\n\t~%-100%b\n}\n"
        "\n::three::[markdown]None.{\n\t~%-100%a\n}\n"
    )
    assert write_gift({}) == ""


def test_several_sort_questions_are_listed_in_the_leading_comment():
    sort = new_values(kind="sort", prompt="Sort.", cards=[{"text": "a", "owner": "aws"}])
    assert write_gift({"s1": sort, "s2": sort}) == "// Sort questions have no GIFT form and were left out: s1, s2\n"


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ("{=a ~b", "the braces { } around the answers do not match; write a literal brace as \\{ or \\}"),
        ("}Which?", "the braces { } around the answers do not match; write a literal brace as \\{ or \\}"),
        ("Which?{{=a ~b}", "the braces { } around the answers do not match; write a literal brace as \\{ or \\}"),
        ("{=a ~b}", "the question has no prompt"),
        (
            "Which?{=a ~b}x",
            "there is text after the closing } of the answers: missing-word questions are not supported, "
            "and questions must be parted by a blank line",
        ),
        (
            "Which?{=a ~b} and }",
            "there is text after the closing } of the answers: missing-word questions are not supported, "
            "and questions must be parted by a blank line",
        ),
    ],
)
def test_braces_at_either_end_of_a_question_are_checked(question, problem):
    assert read(question).problems == [f"line 1: {problem}"]


def test_a_title_ends_at_the_first_double_colon_and_may_be_empty():
    parsed = read("::title::Is a :: here?{=a ~b}\n\n::::Which?{=a ~b}\n")
    assert parsed.problems == []
    assert parsed.questions["title"]["prompt"] == "Is a :: here?"
    assert parsed.questions["which"]["prompt"] == "Which?"


def test_any_positive_weight_is_a_right_answer_of_multiple_response():
    parsed = read("Which?{~%0.5%a ~%99.5%b ~c}")
    assert choices_of(parsed, "which") == [("a", True, ""), ("b", True, ""), ("c", False, "")]


def test_true_false_feedback_after_the_second_hash_is_kept_whole():
    parsed = read("Sky?{T#wrong#right #1}")
    assert choices_of(parsed, "sky") == [("True", True, "right #1"), ("False", False, "wrong")]
