"""export_bank and import_bank: the round trip is exact, a bad file changes nothing and says where
it is wrong, and what an import writes counts as an instructor's edit for the content loader."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Choice, Kind, Question, Quiz, SelectionRule, SortCard
from study.catalog import catalog_document
from study.models import (
    Duty,
    GlossaryTerm,
    Layer,
    Lesson,
    Misconception,
    Owner,
    Responsibility,
    Service,
    Source,
)

pytestmark = pytest.mark.django_db

# In an order that deletes without tripping over PROTECT.
CONTENT_MODELS = [Quiz, Question, Misconception, Responsibility, Duty, Layer, Service, Source, Lesson, GlossaryTerm]
MANY_TO_MANY = [
    Duty.lessons,
    Misconception.duties,
    Misconception.services,
    Question.duties,
    Question.services,
    SelectionRule.services,
]
KNOWN_QUESTION = "aws-side-is-security-of-the-cloud"  # also in quizzes/content/questions.yaml


def snapshot():
    """Every row of the bank with all its values (loaded_hash included), to prove nothing changed."""
    state = {}
    for model in [*CONTENT_MODELS, Choice, SortCard, SelectionRule]:
        state[model.__name__] = sorted(
            tuple(sorted((key, str(value)) for key, value in row.items())) for row in model.objects.values()
        )
    for relation in MANY_TO_MANY:
        through = relation.through
        state[through.__name__] = sorted(tuple(row.values()) for row in through.objects.values())
    return state


def export(path):
    call_command("export_bank", "--output", str(path), stdout=StringIO())
    return path.read_text(encoding="utf-8")


def run_import(path, *args):
    out = StringIO()
    call_command("import_bank", str(path), *args, stdout=out)
    return out.getvalue()


def write(path, document):
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def flush():
    for model in CONTENT_MODELS:
        model.objects.all().delete()


@pytest.fixture
def bank(content, tmp_path):
    """The real content exported: (the JSON text, the document)."""
    text = export(tmp_path / "bank.json")
    return text, json.loads(text)


@pytest.fixture
def admin_rows(content):
    """Rows made in the admin (no loaded_hash): a draft sort question with cards, a quiz with a rule
    on two services, and a layer and a service moved to positions that leave gaps."""
    question = Question.objects.create(
        slug="draft-sort-from-admin",
        kind=Kind.SORT,
        prompt="Sort these duties — «ünïcode» included.",
        skill="shift",
        lesson=Lesson.objects.get(slug="how-the-line-moves"),
    )
    question.services.set(Service.objects.filter(slug__in=["ec2", "rds"]))
    SortCard.objects.create(question=question, position=0, text="Patch the guest OS on EC2", owner=Owner.CUSTOMER)
    SortCard.objects.create(question=question, position=1, text="Patch the host OS under RDS", owner=Owner.AWS)
    quiz = Quiz.objects.create(slug="admin-drill", title="Admin drill", time_limit_minutes=None, position=99)
    rule = SelectionRule.objects.create(quiz=quiz, position=0, count=3, kind=Kind.OWNER, skill="shift")
    rule.services.set(Service.objects.filter(slug__in=["lambda", "s3"]))
    Layer.objects.filter(pk=Layer.objects.order_by("position").first().pk).update(position=40)
    Service.objects.filter(slug="ec2").update(position=70)


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_json(admin_rows, tmp_path):
    first = export(tmp_path / "first.json")
    rows = sum(model.objects.count() for model in CONTENT_MODELS)
    flush()
    assert not any(model.objects.exists() for model in CONTENT_MODELS)

    output = run_import(tmp_path / "first.json")

    assert output == f"{rows} created, 0 updated, 0 unchanged.\n"
    assert export(tmp_path / "second.json") == first
    cards = Question.objects.get(slug="draft-sort-from-admin").cards.values_list("text", "owner")
    assert list(cards) == [("Patch the guest OS on EC2", "customer"), ("Patch the host OS under RDS", "aws")]
    rule = Quiz.objects.get(slug="admin-drill").rules.get()
    assert sorted(rule.services.values_list("slug", flat=True)) == ["lambda", "s3"]
    assert Service.objects.get(slug="ec2").position == 70


def test_export_without_output_writes_the_document_to_standard_output(bank):
    text, _document = bank
    out = StringIO()
    call_command("export_bank", stdout=out)
    assert out.getvalue() == text
    assert text.endswith("}\n") and "\\u" not in text  # UTF-8 as it is, not escaped


def test_the_catalog_section_is_catalog_json_plus_what_rebuilds_the_rows(bank):
    _text, document = bank
    extra = {
        "services": {"summary", "position"},
        "duties": {"lessons", "position"},
        "misconceptions": {"believed_owner", "services", "position"},
    }
    catalog = document["catalog"]
    for section, keys in extra.items():
        for item in catalog[section]:
            for key in keys:
                del item[key]
    for duty in catalog["duties"]:
        for row in duty["responsibilities"]:
            assert row.pop("source_slug") in {source["slug"] for source in document["sources"]}
    assert catalog == catalog_document()
    assert document["format"] == "srm-bank" and document["version"] == 1


def test_importing_the_export_into_the_same_database_changes_no_value(admin_rows, tmp_path):
    export(tmp_path / "bank.json")
    edited = [Layer.objects.get(position=40), Service.objects.get(slug="ec2")]  # moved, so edits
    before = snapshot()

    output = run_import(tmp_path / "bank.json")

    assert output.startswith("0 created, 0 updated, ")
    # The rows edited since the last load become the import's edits; no other hash and no value changes.
    for row in edited:
        assert type(row).objects.get(pk=row.pk).loaded_hash == ""
        type(row).objects.filter(pk=row.pk).update(loaded_hash=row.loaded_hash)
    assert snapshot() == before


def test_a_dry_run_reports_the_changes_and_writes_nothing(bank, tmp_path):
    _text, document = bank
    question = next(q for q in document["questions"] if q["slug"] == KNOWN_QUESTION)
    question["prompt"] = "Changed by the bank."
    document["glossary"].append({"slug": "new-term", "term": "New term", "definition": "Only in the bank."})
    before = snapshot()

    output = run_import(write(tmp_path / "changed.json", document), "--dry-run")

    assert output.splitlines()[:4] == [
        "Dry run: nothing was written. The import would give:",
        output.splitlines()[1],
        "  created glossary term 'new-term'",
        f"  updated question '{KNOWN_QUESTION}'",
    ]
    assert output.splitlines()[1].startswith("1 created, 1 updated, ")
    assert snapshot() == before


def test_an_import_creates_updates_and_leaves_what_the_file_does_not_hold(bank, tmp_path):
    _text, document = bank
    left_out = document["glossary"].pop()["slug"]
    document["quizzes"][0]["title"] = "Renamed by the bank"

    output = run_import(write(tmp_path / "partial.json", document))

    assert output.splitlines()[0].startswith("0 created, 1 updated, ")
    assert "1 row(s) in the database are not in the file; left as they are." in output
    assert GlossaryTerm.objects.filter(slug=left_out).exists()
    assert Quiz.objects.get(slug=document["quizzes"][0]["slug"]).title == "Renamed by the bank"


def first_single_question(document):
    return next((i, q) for i, q in enumerate(document["questions"]) if q["kind"] == "single")


def break_nothing_json(document):
    return b'{"format": "srm-bank",', "not valid JSON: Expecting property name enclosed in double quotes at line 1"


def break_utf8(document):
    return '{"format": "café"}'.encode("latin-1"), "not valid UTF-8 (invalid continuation byte at byte 15)"


def break_format(document):
    document["format"] = "moodle-xml"
    return document, "format: must be 'srm-bank', got 'moodle-xml': not a bank export"


def break_version(document):
    document["version"] = 2
    return document, "version: this site reads version 1, got 2"


def break_layer(document):
    duty = document["catalog"]["duties"][3]
    duty["layer"] = "nowhere"
    return document, f"catalog.duties[3] '{duty['slug']}': 'layer' names unknown layer 'nowhere'"


def break_correct_choice(document):
    index, question = first_single_question(document)
    for choice in question["choices"]:
        choice["correct"] = False
    message = "A single choice question has exactly one correct choice; it has 0."
    return document, f"questions[{index}] '{question['slug']}': {message}"


def break_slug(document):
    copy = dict(document["layers"][0])
    document["layers"].append(copy)
    index, slug = len(document["layers"]) - 1, copy["slug"]
    return document, f"layers[{index}] '{slug}': slug is used twice (first at layers[0] '{slug}')"


def break_length(document):
    service = document["catalog"]["services"][0]
    service["name"] = "x" * 201
    return document, f"catalog.services[0] '{service['slug']}': 'name' is 201 characters long; at most 200 fit"


def break_nul(document):
    term = document["glossary"][0]
    term["definition"] = "Before\u0000after"
    return document, f"glossary[0] '{term['slug']}': 'definition' holds a NUL character"


def break_source(document):
    row = document["catalog"]["duties"][0]["responsibilities"][0]
    row["source"] = "https://example.com/elsewhere"
    slug = document["catalog"]["duties"][0]["slug"]
    return document, f"catalog.duties[0] '{slug}'.responsibilities[0]: 'source' is 'https://example.com/elsewhere'"


@pytest.mark.parametrize(
    "breaks",
    [
        break_nothing_json,
        break_utf8,
        break_format,
        break_version,
        break_layer,
        break_correct_choice,
        break_slug,
        break_length,
        break_nul,
        break_source,
    ],
)
def test_a_bad_file_is_refused_with_the_place_of_the_problem_and_changes_nothing(bank, tmp_path, breaks):
    _text, document = bank
    broken, message = breaks(document)
    path = tmp_path / "broken.json"
    if isinstance(broken, bytes):
        path.write_bytes(broken)
    else:
        write(path, broken)
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert f"{path} has 1 problem(s); nothing was imported." in str(error.value)
    assert message in str(error.value)
    assert snapshot() == before


def test_every_problem_of_a_file_is_reported_at_once(bank, tmp_path):
    _text, document = bank
    document, layer_message = break_layer(document)
    document, choice_message = break_correct_choice(document)
    document["quizzes"][0]["pass_mark"] = 101

    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path / "broken.json", document))

    text = str(error.value)
    assert "has 3 problem(s)" in text
    assert layer_message in text and choice_message in text
    assert f"quizzes[0] '{document['quizzes'][0]['slug']}': 'pass_mark' must be a whole number from 0 to 100" in text


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.json: cannot read it: No such file or directory"):
        run_import(tmp_path / "missing.json")


def test_an_imported_row_is_an_edit_that_the_next_load_content_keeps(bank, tmp_path):
    _text, document = bank
    question = next(q for q in document["questions"] if q["slug"] == KNOWN_QUESTION)
    question["prompt"] = "Changed by the bank."
    run_import(write(tmp_path / "changed.json", document))
    assert Question.objects.get(slug=KNOWN_QUESTION).loaded_hash == ""

    out = StringIO()
    call_command("load_content", stdout=out)

    assert Question.objects.get(slug=KNOWN_QUESTION).prompt == "Changed by the bank."
    assert f"kept question '{KNOWN_QUESTION}'" in out.getvalue()
    # What the import did not write is still the loader's.
    untouched = Question.objects.exclude(slug=KNOWN_QUESTION).prefetch_related("choices", "cards").first()
    assert untouched.loaded_hash == untouched.current_fingerprint()


def test_an_admin_edit_that_the_bank_repeats_stays_an_edit(content, tmp_path):
    # The admin saves the row and leaves the loader's old hash: the loader now treats it as an edit.
    question = Question.objects.get(slug=KNOWN_QUESTION)
    question.prompt = "Edited in the admin."
    question.save()
    export(tmp_path / "bank.json")

    output = run_import(tmp_path / "bank.json")
    call_command("load_content", stdout=StringIO())

    assert output.startswith("0 created, 0 updated, ")
    assert Question.objects.get(slug=KNOWN_QUESTION).prompt == "Edited in the admin."
