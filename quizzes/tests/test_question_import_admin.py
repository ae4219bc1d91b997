"""The admin's import page and export actions: preview, confirm, and nothing changes on a bad file."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from quizzes.instructor.banks.importing import MAX_IMPORT_BYTES
from quizzes.models import Question

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:quizzes_question_import")

GIFT = """// Two questions from a Moodle course
$CATEGORY: $course$/Security

::gift-who-patches-rds::Who patches the database engine of an **RDS** instance? {
  =AWS#AWS applies engine patches in the maintenance window you choose.
  ~The customer#On RDS you choose the window; AWS does the patching.
  ####RDS is a managed service: AWS runs and patches the engine.
}

::gift-data-is-yours::Customer data is always the customer's responsibility. {T}
"""


def upload(client, name, data, file_format=""):
    return client.post(
        IMPORT_URL, {"step": "preview", "file": SimpleUploadedFile(name, data), "file_format": file_format}
    )


def confirm(client, preview):
    form = preview.context["confirm"]
    return client.post(IMPORT_URL, {"step": "confirm", **{name: form[name].value() for name in form.fields}})


def snapshot():
    return json.dumps(
        {
            question.slug: question.content_values()
            for question in Question.objects.prefetch_related("choices", "cards")
        },
        sort_keys=True,
        default=str,
    )


def test_a_gift_file_is_previewed_then_imported_on_confirmation(instructor_client):
    preview = upload(instructor_client, "course.gift", GIFT.encode())
    assert preview.status_code == 200
    assert preview.context["plan"].created == ["gift-who-patches-rds", "gift-data-is-yours"]
    assert not Question.objects.exists()  # the preview writes nothing
    done = confirm(instructor_client, preview)
    assert done.status_code == 302
    rds = Question.objects.get(slug="gift-who-patches-rds")
    assert rds.kind == "single" and rds.status == "draft" and rds.loaded_hash == ""
    assert rds.explanation == "RDS is a managed service: AWS runs and patches the engine."
    assert [(c.text, c.is_correct) for c in rds.choices.all()] == [("AWS", True), ("The customer", False)]
    assert Question.objects.get(slug="gift-data-is-yours").kind == "truefalse"


def test_importing_the_same_file_again_changes_nothing(instructor_client):
    confirm(instructor_client, upload(instructor_client, "course.gift", GIFT.encode()))
    again = upload(instructor_client, "course.gift", GIFT.encode())
    assert again.context["plan"].unchanged == ["gift-who-patches-rds", "gift-data-is-yours"]
    assert not again.context["plan"].can_apply


def test_json_and_csv_exports_import_back_as_updates(instructor_client, content):
    selected = list(Question.objects.order_by("slug")[:5])
    for action, name in [("export_json", "questions.json"), ("export_csv", "questions.csv")]:
        exported = instructor_client.post(
            reverse("admin:quizzes_question_changelist"),
            {"action": action, "_selected_action": [question.pk for question in selected]},
        )
        assert exported.status_code == 200
        assert exported["Content-Disposition"].startswith("attachment")
        body = exported.content
        Question.objects.filter(pk=selected[0].pk).update(explanation="Changed here.")
        preview = upload(instructor_client, name, body)
        plan = preview.context["plan"]
        assert plan.problems == []
        assert plan.updated == [(selected[0].slug, ["explanation"])]
        assert len(plan.unchanged) == 4
        confirm(instructor_client, preview)
        assert Question.objects.get(pk=selected[0].pk).explanation == selected[0].explanation


def test_the_gift_export_of_the_bank_imports_back_unchanged(instructor_client, content):
    written = Question.objects.filter(kind__in=["single", "multiple", "truefalse"])
    exported = instructor_client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": "export_gift", "_selected_action": list(written.values_list("pk", flat=True))},
    )
    assert exported.status_code == 200
    preview = upload(instructor_client, "bank.gift", exported.content)
    plan = preview.context["plan"]
    assert plan.problems == []
    # GIFT has no skill, lesson, status or misconceptions: those fields differ, the questions themselves do not.
    for _slug, fields in plan.updated:
        assert set(fields) <= {
            "status",
            "skill",
            "lesson",
            "duties",
            "services",
            "difficulty",
            "misconception",
            "choices",
        }


BAD_FILES = [
    ("latin1.gift", "::q::Caf\xe9 {=a ~b}".encode("latin-1"), "not UTF-8"),
    ("picture.json", b"\x89PNG\r\n\x1a\n\x00\x00", ""),
    ("random.json", b"this is not json at all", ""),
    ("dup.gift", b"::same::One {=a ~b}\n\n::same::Two {=a ~b}", "same"),
    ("no-right.gift", b"::none::Which one? {~a ~b}", "correct"),
    ("matching.gift", b"::m::Match {=a -> 1 =b -> 2}", "not supported"),
]


@pytest.mark.parametrize(("name", "data", "expected"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_shows_its_problems_and_changes_nothing(instructor_client, content, name, data, expected):
    before = snapshot()
    preview = upload(instructor_client, name, data)
    assert preview.status_code == 400
    problems = " ".join(preview.context["plan"].problems)
    assert problems
    assert expected.lower() in problems.lower()
    assert "Confirm the import" not in preview.content.decode()
    assert snapshot() == before


def test_a_reference_to_an_unknown_lesson_is_reported_by_question(instructor_client):
    document = {
        "format": "srm-questions",
        "version": 1,
        "questions": [
            {
                "slug": "lost",
                "kind": "owner",
                "prompt": "P",
                "explanation": "E",
                "owner": "aws",
                "misconception": None,
                "difficulty": 2,
                "skill": "aws",
                "lesson": "no-such-lesson",
                "duties": [],
                "services": [],
                "status": "draft",
                "choices": [],
                "cards": [],
            }
        ],
    }
    preview = upload(instructor_client, "q.json", json.dumps(document).encode())
    assert any("no-such-lesson" in problem for problem in preview.context["plan"].problems)
    assert not Question.objects.exists()


def test_a_50_mb_upload_is_refused_with_the_limit(instructor_client):
    response = upload(instructor_client, "huge.gift", b"a" * 50_000_000)
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.content.decode()
    assert not Question.objects.exists()


def test_a_file_of_unknown_format_asks_for_the_format(instructor_client):
    response = upload(instructor_client, "questions.docx", b"whatever")
    assert response.status_code == 400
    assert "Choose the file&#x27;s format" in response.content.decode()


def test_a_tampered_confirmation_changes_nothing(instructor_client):
    response = instructor_client.post(
        IMPORT_URL,
        {"step": "confirm", "name": "x.gift", "file_format": "gift", "payload": "%%% not base64"},
        follow=True,
    )
    assert "upload the file again" in response.content.decode()
    assert not Question.objects.exists()


def test_the_confirmation_rechecks_the_file_and_applies_all_or_nothing(instructor_client):
    preview = upload(instructor_client, "course.gift", GIFT.encode())
    payload = base64.b64encode(GIFT.encode() + b"\n::broken::No answer {~a ~b}\n").decode()
    form = {name: preview.context["confirm"][name].value() for name in preview.context["confirm"].fields}
    response = instructor_client.post(IMPORT_URL, {**form, "step": "confirm", "payload": payload})
    assert response.status_code in (400, 409)
    assert not Question.objects.exists()


def test_an_imported_question_survives_the_next_content_load(instructor_client, content):
    question = Question.objects.order_by("slug").first()
    exported = instructor_client.post(
        reverse("admin:quizzes_question_changelist"), {"action": "export_json", "_selected_action": [question.pk]}
    )
    document = json.loads(exported.content)
    document["questions"][0]["explanation"] = "An instructor's better explanation."
    confirm(instructor_client, upload(instructor_client, "q.json", json.dumps(document).encode()))
    call_command("load_content", verbosity=0)
    assert Question.objects.get(pk=question.pk).explanation == "An instructor's better explanation."


def test_the_upload_limit_fits_the_confirmation_under_djangos_request_limit(settings):
    assert len(base64.b64encode(b"x" * MAX_IMPORT_BYTES)) + 10_000 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
