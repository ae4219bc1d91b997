"""Import written questions from a file (JSON, CSV or Moodle GIFT): plan, then apply on confirmation.

The plan says what would be created or updated and lists every problem with its row or line; it
is computed again inside the transaction that applies it, so a bank edited between the preview
and the confirmation is never overwritten blindly."""

from dataclasses import dataclass, field

from django.db import transaction

from quizzes.bank.loading import ChildWriter
from quizzes.instructor.banks.csv_format import read_csv
from quizzes.instructor.banks.gift import read_gift
from quizzes.instructor.banks.json_format import read_questions_json
from quizzes.models import Question
from study.models import Duty, Lesson, Misconception, Service
from study.services import ContentSync, LoadReport

# Small enough that the confirmation form can carry the file back (base64) under Django's 2.5 MB
# request limit; a thousand questions take about 1 MB of GIFT.
MAX_IMPORT_BYTES = 1_000_000
READERS = {"json": read_questions_json, "csv": read_csv, "gift": read_gift}
FORMAT_BY_EXTENSION = {".json": "json", ".csv": "csv", ".gift": "gift", ".txt": "gift"}
REFERENCES = [("lesson", Lesson), ("misconception", Misconception)]
REFERENCE_LISTS = [("duties", Duty, "duty"), ("services", Service, "service")]


@dataclass
class ImportPlan:
    questions: dict = field(default_factory=dict)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)  # (slug, names of the fields that change)
    unchanged: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def can_apply(self):
        return not self.problems and bool(self.created or self.updated)


def read_file(data, file_format):
    return READERS[file_format](data)


def plan_import(parsed):
    plan = ImportPlan(questions=parsed.questions, problems=list(parsed.problems))
    known = {
        model: set(model.objects.values_list("slug", flat=True)) for model in (Lesson, Misconception, Duty, Service)
    }
    for slug, values in parsed.questions.items():
        where = parsed.locations.get(slug, f"question '{slug}'")
        for key, model in REFERENCES:
            if values.get(key) and values[key] not in known[model]:
                plan.problems.append(f"{where}: {key} '{values[key]}' does not exist on this site")
        for key, model, noun in REFERENCE_LISTS:
            for missing in sorted(set(values.get(key) or []) - known[model]):
                plan.problems.append(f"{where}: {noun} '{missing}' does not exist on this site")
        for number, choice in enumerate(values.get("choices") or [], start=1):
            if choice.get("misconception") and choice["misconception"] not in known[Misconception]:
                plan.problems.append(
                    f"{where}: choice {number}: misconception '{choice['misconception']}' does not exist on this site"
                )
    existing = {
        question.slug: question
        for question in Question.objects.filter(slug__in=list(parsed.questions))
        .select_related("misconception", "lesson")
        .prefetch_related("duties", "services", "choices__misconception", "cards")
    }
    for slug, values in parsed.questions.items():
        if slug not in existing:
            plan.created.append(slug)
            continue
        current = existing[slug].content_values()
        changed = [key for key in values if current.get(key) != values[key]]
        if changed:
            plan.updated.append((slug, changed))
        else:
            plan.unchanged.append(slug)
    return plan


@transaction.atomic
def import_questions(*, parsed, apply):
    """Plan the import of `parsed` (a `ParsedQuestions`) and, if `apply` and the plan has no problem,
    write it, all in one transaction. Returns the plan."""
    plan = plan_import(parsed)
    if not apply or not plan.can_apply:
        return plan
    sync = ContentSync(LoadReport(), force=True)
    for model in (Lesson, Misconception, Duty, Service):
        sync.remember(model, model.objects.all())
    writer = ChildWriter(sync)
    changed = [*plan.created, *(slug for slug, _fields in plan.updated)]
    existing = {question.slug: question for question in Question.objects.filter(slug__in=changed)}
    for slug in changed:
        writer.assign(existing.get(slug) or Question(slug=slug), plan.questions[slug])
    # An import is an instructor's edit, not a load: `load_content` must keep it, not revert it.
    Question.objects.filter(slug__in=changed).update(loaded_hash="")
    return plan
