"""The whole bank as one JSON document (docs/bank-format.md): export it, and import it back.

The import goes through the content loader (`study.services.load_content`), so a bank writes its
rows exactly as the content files do, but it counts as an instructor's edit: every row it creates
or changes is marked as edited (`loaded_hash = ""`), so that a later `load_content` keeps it."""

import json
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, transaction

from quizzes.bank.loading import question_and_quiz_writer
from quizzes.instructor.banks.bank_reader import BANK_FORMAT, BANK_VERSION, read_bank
from quizzes.models import Question, Quiz
from study.catalog import catalog_document
from study.content_files import ContentError
from study.models import ContentManaged, Duty, GlossaryTerm, Layer, Lesson, Misconception, Service, Source
from study.services import load_content

# -- export -------------------------------------------------------------------------------------


@contextmanager
def consistent_snapshot():
    """A transaction in which every query sees the database as of one moment."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # READ COMMITTED would let an admin save between two queries tear a question from its choices.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def export_document():
    """The bank as plain data, every list in a fixed order, read in one consistent snapshot."""
    with consistent_snapshot():
        return {
            "format": BANK_FORMAT,
            "version": BANK_VERSION,
            "catalog": catalog_section(),
            "layers": records(Layer.objects.order_by("position", "slug")),
            "sources": records(Source.objects.order_by("slug")),
            "glossary": records(GlossaryTerm.objects.order_by("slug")),
            "lessons": records(Lesson.objects.order_by("position", "slug")),
            "questions": records(
                Question.objects.select_related("misconception", "lesson")
                .prefetch_related("duties", "services", "choices__misconception", "cards")
                .order_by("slug")
            ),
            "quizzes": records(
                Quiz.objects.prefetch_related("rules__services", "rules__lesson").order_by("position", "slug")
            ),
        }


def export_text():
    return json.dumps(export_document(), indent=2, ensure_ascii=False) + "\n"


def records(queryset):
    return [{"slug": obj.slug, **obj.content_values()} for obj in queryset]


def catalog_section():
    """/study/catalog.json's document, each record extended with what it takes to rebuild its rows.

    Built on `catalog_document()` itself, so that the section can never drift from the published shape."""
    catalog = catalog_document()
    services = {service.slug: service for service in Service.objects.all()}
    for item in catalog["services"]:
        service = services[item["slug"]]
        item.update(summary=service.summary, position=service.position)
    duties = {
        duty.slug: duty
        for duty in Duty.objects.prefetch_related("lessons", "responsibilities__service", "responsibilities__source")
    }
    for item in catalog["duties"]:
        duty = duties[item["slug"]]
        item.update(lessons=duty.content_values()["lessons"], position=duty.position)
        sources = {row.service.slug if row.service else None: row.source.slug for row in duty.responsibilities.all()}
        for row in item["responsibilities"]:
            row["source_slug"] = sources[row["service"]]
    misconceptions = {item.slug: item for item in Misconception.objects.prefetch_related("services")}
    for item in catalog["misconceptions"]:
        misconception = misconceptions[item["slug"]]
        item.update(
            believed_owner=misconception.believed_owner,
            services=sorted(service.slug for service in misconception.services.all()),
            position=misconception.position,
        )
    return catalog


# -- import -------------------------------------------------------------------------------------


def parse(data):
    """The document in `data` (bytes), or ContentError with the one reason it cannot be read."""
    try:
        # utf-8-sig: editors on Windows put a byte order mark in front of UTF-8 files.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError([f"not valid UTF-8 ({error.reason} at byte {error.start})"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ContentError([f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]) from None
    except (ValueError, RecursionError) as error:
        # Numbers of thousands of digits, or nesting deeper than Python's stack.
        raise ContentError([f"not valid JSON for this site: {error}"]) from None


def import_bank(data, *, dry_run=False):
    """Create what is new, update what differs and leave the rest, in one transaction; return the
    `LoadReport`. Raises ContentError, before anything is written, if the document has any problem."""
    bundle, questions, quizzes = read_bank(parse(data))
    with transaction.atomic():
        before = loaded_hashes()
        report = load_content(bundle=bundle, force=True, then=[question_and_quiz_writer(questions, quizzes)])
        mark_as_edited(before)
        if dry_run:
            transaction.set_rollback(True)
    return report


def content_models():
    return [model for model in apps.get_models() if issubclass(model, ContentManaged)]


def loaded_hashes():
    return {model: dict(model.objects.values_list("pk", "loaded_hash")) for model in content_models()}


def mark_as_edited(before):
    """Clear `loaded_hash` on every row whose hash the import wrote.

    That is every row it created or updated, and also every edited row it found equal to the bank:
    the loader stamps such a row as its own again, which would let the next `load_content` revert
    an instructor's edit that the bank repeats. Rows whose hash the import left alone keep it."""
    for model, hashes in before.items():
        written = [pk for pk, value in model.objects.values_list("pk", "loaded_hash") if hashes.get(pk) != value]
        model.objects.filter(pk__in=written).update(loaded_hash="")
