"""Writes to the catalog that touch several models."""

from dataclasses import dataclass, field

from django.db import transaction

from study.models import (
    Duty,
    GlossaryTerm,
    Layer,
    Lesson,
    Misconception,
    Responsibility,
    Service,
    Source,
)


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    kept_edits: list = field(default_factory=list)
    not_in_files: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def lines(self, *, detailed=True):
        """The summary, then every row that needs attention; created and updated rows only if `detailed`."""
        yield f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged."
        if detailed:
            for label in self.created:
                yield f"  created {label}"
            for label in self.updated:
                yield f"  updated {label}"
        for label in self.kept_edits:
            yield f"  kept {label}: edited in the admin since the last load (use --force to overwrite)"
        for label in self.not_in_files:
            yield f"  left {label}: in the database but not in the content files"


class ContentSync:
    """Brings one kind of row in line with the files, one row at a time."""

    def __init__(self, report, force):
        self.report = report
        self.force = force
        # slug -> object, per related model, so that slugs in the files resolve without queries
        self.by_slug = {}

    def remember(self, model, objects):
        self.by_slug.setdefault(model, {}).update({obj.slug: obj for obj in objects})

    def sync(self, *, kind, existing, desired, make, assign=None):
        """`existing` and `desired` map natural keys to objects and to file values; `make(key)`
        returns a new unsaved object for a key that is not in the database yet; `assign(obj,
        values)` writes one row (by default `ContentSync.assign`)."""
        assign = assign or self.assign
        for key, values in desired.items():
            label = f"{kind} {self.describe(key)}"
            obj = existing.get(key)
            if obj is None:
                obj = make(key)
                assign(obj, values)
                self.report.created.append(label)
                existing[key] = obj
                continue
            current = obj.content_values()
            wanted = obj.fingerprint(values)
            if current == values:
                if obj.loaded_hash != wanted:
                    # The admin edit and the files now agree: the loader owns the row again.
                    obj.loaded_hash = wanted
                    obj.save(update_fields=["loaded_hash"])
                self.report.unchanged += 1
            elif obj.loaded_hash == obj.fingerprint(current) or self.force:
                assign(obj, values)
                self.report.updated.append(label)
            else:
                self.report.kept_edits.append(label)
        for key in existing.keys() - desired.keys():
            self.report.not_in_files.append(f"{kind} {self.describe(key)}")

    @staticmethod
    def describe(key):
        if isinstance(key, tuple):
            duty, service = key
            return f"'{duty}' for {service or 'any service'}"
        return f"'{key}'"

    def assign(self, obj, values, *, fingerprint=None):
        """Write `values` (slugs for relations, None for an empty foreign key) to `obj` and save it.
        `fingerprint` is for callers that write part of the values themselves (child rows)."""
        many = {}
        for name, value in values.items():
            model_field = obj._meta.get_field(name)
            if model_field.many_to_many:
                many[name] = [self.by_slug[model_field.related_model][slug] for slug in value]
            elif model_field.is_relation:
                setattr(obj, name, self.by_slug[model_field.related_model][value] if value is not None else None)
            else:
                setattr(obj, name, value)
        obj.loaded_hash = fingerprint or obj.fingerprint(values)
        obj.save()
        for name, related in many.items():
            getattr(obj, name).set(related)
        if hasattr(obj, "slug"):
            self.remember(type(obj), [obj])


def _by_slug(queryset):
    return {obj.slug: obj for obj in queryset}


@transaction.atomic
def load_content(*, bundle, force=False, dry_run=False, then=()):
    """Write the files' content to the database and report what changed.

    Rows edited in the admin since the last load are kept and reported unless `force`; rows that
    are in the database but not in the files are reported and left alone. With `dry_run` the
    report is the same but the transaction is rolled back. Each callable of `then` gets the
    `ContentSync` after the catalog is written, in the same transaction (the quiz bank uses it).
    """
    report = LoadReport()
    sync = ContentSync(report, force)

    simple_kinds = [
        ("layer", Layer, Layer.objects.all(), bundle.layers),
        ("service", Service, Service.objects.all(), bundle.services),
        ("source", Source, Source.objects.all(), bundle.sources),
        ("lesson", Lesson, Lesson.objects.all(), bundle.lessons),
        ("glossary term", GlossaryTerm, GlossaryTerm.objects.all(), bundle.glossary),
        ("duty", Duty, Duty.objects.select_related("layer").prefetch_related("lessons"), bundle.duties),
        (
            "misconception",
            Misconception,
            Misconception.objects.prefetch_related("duties", "services"),
            bundle.misconceptions,
        ),
    ]
    for kind, model, queryset, desired in simple_kinds:
        existing = _by_slug(queryset)
        sync.remember(model, existing.values())
        sync.sync(kind=kind, existing=existing, desired=desired, make=lambda slug, model=model: model(slug=slug))
        if model is Duty:
            _sync_responsibilities(sync, bundle)
    for step in then:
        step(sync)

    if dry_run:
        transaction.set_rollback(True)
    return report


def _sync_responsibilities(sync, bundle):
    duties, services = sync.by_slug[Duty], sync.by_slug[Service]
    existing = {
        (row.duty.slug, row.service.slug if row.service else None): row
        for row in Responsibility.objects.select_related("duty", "service", "source")
    }
    sync.sync(
        kind="responsibility",
        existing=existing,
        desired=bundle.responsibilities,
        make=lambda key: Responsibility(duty=duties[key[0]], service=services[key[1]] if key[1] else None),
    )
