"""The catalog sections of a bank document: layers, services, sources, glossary, lessons, duties
(with their responsibility rows) and misconceptions, read into the reader's `ContentBundle`.

`BankCatalogReader` reads each section after those it may refer to; bank_reader.py adds the
questions and quizzes."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from quizzes.instructor.banks.bank_fields import LARGE, BankFieldReader, is_whole
from study.catalog import CATALOG_FORMAT_VERSION
from study.content_files import RESERVED_LESSON_SLUGS
from study.models import Duty, GlossaryTerm, Layer, Lesson, Misconception, Owner, Service, Source

CATALOG_KEYS = ("version", "owners", "services", "duties", "misconceptions")


class BankCatalogReader(BankFieldReader):
    def read_catalog_header(self, catalog):
        self.unknown_keys("catalog", None, catalog, CATALOG_KEYS)
        version = catalog.get("version")
        if not is_whole(version) or version != CATALOG_FORMAT_VERSION:
            self.problem("catalog.version", None, f"must be {CATALOG_FORMAT_VERSION}, got {version!r}")
        if catalog.get("owners") != list(Owner.values):
            self.problem("catalog.owners", None, f"must be {list(Owner.values)}, got {catalog.get('owners')!r}")

    def read_layers(self, data):
        for where, slug, entry in self.records("layers", data, Layer, {"name", "side", "description", "position"}):
            values = {
                "name": self.text(where, None, entry, "name"),
                "side": self.choice(where, None, entry, "side", set(Layer.Side.values)),
                "description": self.text(where, None, entry, "description"),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            if slug:
                self.bundle.layers[slug] = self.fits(where, Layer, values)

    def read_services(self, data):
        allowed = {"name", "category", "summary", "position"}
        for where, slug, entry in self.records("catalog.services", data, Service, allowed):
            values = {
                "name": self.text(where, None, entry, "name"),
                "category": self.choice(where, None, entry, "category", set(Service.Category.values)),
                "summary": self.text(where, None, entry, "summary", required=False),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            if slug:
                self.bundle.services[slug] = self.fits(where, Service, values)

    def read_sources(self, data):
        for where, slug, entry in self.records("sources", data, Source, {"title", "url"}):
            url = self.text(where, None, entry, "url")
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                if url:
                    self.problem(where, None, f"'url' must be an http(s) address, got {url!r}")
            if slug:
                self.bundle.sources[slug] = self.fits(
                    where, Source, {"title": self.text(where, None, entry, "title"), "url": url}
                )

    def read_glossary(self, data):
        for where, slug, entry in self.records("glossary", data, GlossaryTerm, {"term", "definition"}):
            values = {
                "term": self.text(where, None, entry, "term"),
                "definition": self.text(where, None, entry, "definition"),
            }
            if slug:
                self.bundle.glossary[slug] = self.fits(where, GlossaryTerm, values)

    def read_lessons(self, data):
        for where, slug, entry in self.records("lessons", data, Lesson, {"title", "summary", "body", "position"}):
            if slug in RESERVED_LESSON_SLUGS:
                self.problem(where, None, "this slug is a page of the site and cannot be used for a lesson")
                slug = None
            values = {
                "title": self.text(where, None, entry, "title"),
                "summary": self.text(where, None, entry, "summary"),
                "body": self.text(where, None, entry, "body"),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            if slug:
                self.bundle.lessons[slug] = self.fits(where, Lesson, values)

    def read_duties(self, data):
        allowed = {"name", "description", "layer", "responsibilities", "lessons", "position"}
        for where, slug, entry in self.records("catalog.duties", data, Duty, allowed):
            values = {
                "name": self.text(where, None, entry, "name"),
                "description": self.text(where, None, entry, "description"),
                "layer": self.reference(where, entry, "layer", self.bundle.layers, "layer", required=True),
                "lessons": self.refs(where, entry, "lessons", self.bundle.lessons, "lesson"),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            rows = self.read_rows(where, slug, entry)
            if slug:
                self.bundle.duties[slug] = self.fits(where, Duty, values)
                self.bundle.responsibilities.update(rows)

    def read_rows(self, duty_where, duty_slug, entry):
        found = {}
        for where, row in self.children(duty_where, entry, "responsibilities"):
            self.unknown_keys(where, None, row, {"service", "owner", "explanation", "source", "source_slug"})
            service = row.get("service")
            if service is not None and (not isinstance(service, str) or service not in self.bundle.services):
                self.problem(where, None, f"'service' names unknown service {service!r}")
                continue
            if (duty_slug, service) in found:
                self.problem(where, None, f"a second row for {service or 'any service'}")
                continue
            source = self.reference(where, row, "source_slug", self.bundle.sources, "source", required=True)
            url = self.bundle.sources[source]["url"] if source else None
            if source and row.get("source") != url:
                self.problem(
                    where, None, f"'source' is {row.get('source')!r} but source '{source}' has the url {url!r}"
                )
            found[duty_slug, service] = {
                "owner": self.choice(where, None, row, "owner", set(Owner.values)),
                "explanation": self.text(where, None, row, "explanation"),
                "source": source,
            }
        return found

    def read_misconceptions(self, data):
        allowed = {"belief", "correction", "duties", "believed_owner", "services", "position"}
        for where, slug, entry in self.records("catalog.misconceptions", data, Misconception, allowed):
            values = {
                "belief": self.text(where, None, entry, "belief"),
                "correction": self.text(where, None, entry, "correction"),
                "duties": self.refs(where, entry, "duties", self.bundle.duties, "duty"),
                "believed_owner": self.blank_or_choice(where, entry, "believed_owner", set(Owner.values)),
                "services": self.refs(where, entry, "services", self.bundle.services, "service"),
                "position": self.whole(where, entry, "position", 0, LARGE),
            }
            if slug:
                self.bundle.misconceptions[slug] = values
