"""Read and validate the content files of `study/content/` into plain data.

Nothing here touches the database: `read_content()` returns a `ContentBundle` of dicts whose values
have the shape of each model's `content_values()`, or raises `ContentError` listing every problem
with its file and entry, so that a broken file never reaches the loader.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.text import slugify

from study.models import Layer, Owner, Service

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LESSON_FILE_PATTERN = re.compile(r"^(\d+)-([a-z0-9-]+)\.md$")
# Lesson slugs share /study/<slug>/ with the site's own pages.
RESERVED_LESSON_SLUGS = {"matrix", "diagram", "services", "duties", "catalog-json", "glossary-terms"}


class ContentError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ContentBundle:
    """Each attribute maps a natural key to the values the files give it."""

    layers: dict = field(default_factory=dict)
    services: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    lessons: dict = field(default_factory=dict)
    glossary: dict = field(default_factory=dict)
    duties: dict = field(default_factory=dict)
    # keyed by (duty slug, service slug or None)
    responsibilities: dict = field(default_factory=dict)
    misconceptions: dict = field(default_factory=dict)


class ContentReader:
    def __init__(self, content_dir):
        self.dir = Path(content_dir)
        self.problems = []
        self.bundle = ContentBundle()

    def problem(self, path, entry, message):
        where = self.dir.name + "/" + str(Path(path).relative_to(self.dir)) if path else self.dir.name
        self.problems.append(f"{where}: {entry}: {message}" if entry else f"{where}: {message}")

    # -- generic helpers ---------------------------------------------------------------------

    def load_yaml_list(self, path):
        if not path.exists():
            self.problem(path, None, "file is missing")
            return []
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            self.problem(path, None, f"not valid UTF-8 ({error.reason} at byte {error.start})")
            return []
        except yaml.YAMLError as error:
            self.problem(path, None, f"not valid YAML: {error}".replace("\n", " "))
            return []
        if not isinstance(data, list):
            self.problem(path, None, "must be a list of entries")
            return []
        entries = []
        for index, entry in enumerate(data, start=1):
            if isinstance(entry, dict):
                entries.append((index, entry))
            else:
                self.problem(path, f"entry {index}", "must be a mapping of keys to values")
        return entries

    def text(self, path, label, entry, key, *, required=True):
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(path, label, f"'{key}' is missing or empty")
            return ""
        if not isinstance(value, str):
            self.problem(path, label, f"'{key}' must be text, not {type(value).__name__}")
            return ""
        return value.strip()

    def choice(self, path, label, entry, key, allowed):
        value = self.text(path, label, entry, key)
        if value and value not in allowed:
            self.problem(path, label, f"'{key}' is '{value}', expected one of: {', '.join(sorted(allowed))}")
        return value

    def slug(self, path, index, entry, seen, kind):
        value = entry.get("slug")
        label = f"entry {index}"
        if not isinstance(value, str) or not SLUG_PATTERN.match(value):
            self.problem(path, label, f"'slug' must be lowercase words joined by hyphens, got {value!r}")
            return None
        if value in seen:
            self.problem(path, f"{kind} '{value}'", "slug is used twice")
            return None
        return value

    def unknown_keys(self, path, label, entry, allowed):
        extra = sorted(set(entry) - set(allowed))
        if extra:
            self.problem(path, label, f"unknown key(s): {', '.join(extra)}")

    def reference_list(self, path, label, entry, key, known, kind):
        values = entry.get(key) or []
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            self.problem(path, label, f"'{key}' must be a list of {kind} slugs")
            return []
        for value in values:
            if value not in known:
                self.problem(path, label, f"'{key}' names unknown {kind} '{value}'")
        return sorted(set(values) & set(known))

    # -- one reader per kind -----------------------------------------------------------------

    def read_layers(self):
        path = self.dir / "layers.yaml"
        for position, (index, entry) in enumerate(self.load_yaml_list(path), start=1):
            slug = self.slug(path, index, entry, self.bundle.layers, "layer")
            label = f"layer '{slug}'" if slug else f"entry {index}"
            self.unknown_keys(path, label, entry, {"slug", "name", "side", "description"})
            values = {
                "name": self.text(path, label, entry, "name"),
                "side": self.choice(path, label, entry, "side", set(Layer.Side.values)),
                "description": self.text(path, label, entry, "description"),
                "position": position,
            }
            if slug:
                self.bundle.layers[slug] = values

    def read_services(self):
        path = self.dir / "services.yaml"
        for position, (index, entry) in enumerate(self.load_yaml_list(path), start=1):
            slug = self.slug(path, index, entry, self.bundle.services, "service")
            label = f"service '{slug}'" if slug else f"entry {index}"
            self.unknown_keys(path, label, entry, {"slug", "name", "category", "summary"})
            values = {
                "name": self.text(path, label, entry, "name"),
                "category": self.choice(path, label, entry, "category", set(Service.Category.values)),
                "summary": self.text(path, label, entry, "summary"),
                "position": position,
            }
            if slug:
                self.bundle.services[slug] = values

    def read_sources(self):
        path = self.dir / "sources.yaml"
        for index, entry in self.load_yaml_list(path):
            slug = self.slug(path, index, entry, self.bundle.sources, "source")
            label = f"source '{slug}'" if slug else f"entry {index}"
            self.unknown_keys(path, label, entry, {"slug", "title", "url"})
            url = self.text(path, label, entry, "url")
            if url and not url.startswith("https://"):
                self.problem(path, label, f"'url' must be an https:// address, got {url!r}")
            values = {"title": self.text(path, label, entry, "title"), "url": url}
            if slug:
                self.bundle.sources[slug] = values

    def read_glossary(self):
        path = self.dir / "glossary.yaml"
        for index, entry in self.load_yaml_list(path):
            term = self.text(path, f"entry {index}", entry, "term")
            label = f"term '{term}'" if term else f"entry {index}"
            self.unknown_keys(path, label, entry, {"term", "definition"})
            slug = slugify(term)
            if term and slug in self.bundle.glossary:
                self.problem(path, label, "term is defined twice")
                continue
            values = {"term": term, "definition": self.text(path, label, entry, "definition")}
            if slug:
                self.bundle.glossary[slug] = values

    def read_lessons(self):
        folder = self.dir / "lessons"
        files = sorted(folder.glob("*.md")) if folder.is_dir() else []
        if not files:
            self.problem(folder, None, "no lesson files (NN-slug.md) found")
        for path in files:
            match = LESSON_FILE_PATTERN.match(path.name)
            if not match:
                self.problem(path, None, "lesson file names look like 01-slug.md")
                continue
            position, file_slug = int(match.group(1)), match.group(2)
            try:
                raw = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as error:
                self.problem(path, None, f"not valid UTF-8 ({error.reason} at byte {error.start})")
                continue
            parts = raw.split("---", 2) if raw.startswith("---") else []
            if len(parts) != 3:
                self.problem(path, None, "must start with front matter between two '---' lines")
                continue
            try:
                meta = yaml.safe_load(parts[1])
            except yaml.YAMLError as error:
                self.problem(path, None, f"front matter is not valid YAML: {error}".replace("\n", " "))
                continue
            if not isinstance(meta, dict):
                self.problem(path, None, "front matter must be a mapping of keys to values")
                continue
            label = f"lesson '{file_slug}'"
            self.unknown_keys(path, label, meta, {"slug", "title", "summary"})
            if meta.get("slug") != file_slug:
                self.problem(path, label, f"front matter slug {meta.get('slug')!r} differs from the file name")
            if file_slug in RESERVED_LESSON_SLUGS or not SLUG_PATTERN.match(file_slug):
                self.problem(path, label, "this slug cannot be used for a lesson")
                continue
            if file_slug in self.bundle.lessons:
                self.problem(path, label, "slug is used twice")
                continue
            body = parts[2].strip()
            if not body:
                self.problem(path, label, "the lesson has no body")
            self.bundle.lessons[file_slug] = {
                "title": self.text(path, label, meta, "title"),
                "summary": self.text(path, label, meta, "summary"),
                "body": body,
                "position": position,
            }

    def read_duties(self):
        folder = self.dir / "duties"
        files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not files:
            self.problem(folder, None, "no duty files (*.yaml) found")
        position = 0
        for path in files:
            for index, entry in self.load_yaml_list(path):
                position += 1
                slug = self.slug(path, index, entry, self.bundle.duties, "duty")
                label = f"duty '{slug}'" if slug else f"entry {index}"
                self.unknown_keys(
                    path, label, entry, {"slug", "name", "description", "layer", "lessons", "responsibilities"}
                )
                values = {
                    "name": self.text(path, label, entry, "name"),
                    "description": self.text(path, label, entry, "description"),
                    "layer": self.choice(path, label, entry, "layer", set(self.bundle.layers)),
                    "lessons": self.reference_list(path, label, entry, "lessons", self.bundle.lessons, "lesson"),
                    "position": position,
                }
                rows = self.read_rows(path, label, slug, entry.get("responsibilities"))
                if slug:
                    self.bundle.duties[slug] = values
                    self.bundle.responsibilities.update(rows)

    def read_rows(self, path, duty_label, duty_slug, rows):
        if not isinstance(rows, list) or not rows:
            self.problem(path, duty_label, "needs at least one entry under 'responsibilities'")
            return {}
        found = {}
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                self.problem(path, f"{duty_label}, row {number}", "must be a mapping of keys to values")
                continue
            service = row.get("service")
            label = f"{duty_label}, row for {service or 'any service'}"
            self.unknown_keys(path, label, row, {"service", "owner", "explanation", "source"})
            if service is not None and service not in self.bundle.services:
                self.problem(path, label, f"'service' names unknown service {service!r}")
                continue
            if (duty_slug, service) in found:
                self.problem(path, label, "two rows for the same service")
                continue
            found[(duty_slug, service)] = {
                "owner": self.choice(path, label, row, "owner", set(Owner.values)),
                "explanation": self.text(path, label, row, "explanation"),
                "source": self.choice(path, label, row, "source", set(self.bundle.sources)),
            }
        return found

    def read_misconceptions(self):
        path = self.dir / "misconceptions.yaml"
        for position, (index, entry) in enumerate(self.load_yaml_list(path), start=1):
            slug = self.slug(path, index, entry, self.bundle.misconceptions, "misconception")
            label = f"misconception '{slug}'" if slug else f"entry {index}"
            self.unknown_keys(
                path, label, entry, {"slug", "belief", "correction", "duties", "believed_owner", "services"}
            )
            values = {
                "belief": self.text(path, label, entry, "belief"),
                "correction": self.text(path, label, entry, "correction"),
                "duties": self.reference_list(path, label, entry, "duties", self.bundle.duties, "duty"),
                "believed_owner": "",
                "services": self.reference_list(path, label, entry, "services", self.bundle.services, "service"),
                "position": position,
            }
            if entry.get("believed_owner") is not None:
                values["believed_owner"] = self.choice(path, label, entry, "believed_owner", set(Owner.values))
            if slug:
                self.bundle.misconceptions[slug] = values

    def check_every_service_has_rows(self):
        covered = {service for (_duty, service) in self.bundle.responsibilities}
        for slug in self.bundle.services:
            if slug not in covered:
                self.problem(self.dir / "services.yaml", f"service '{slug}'", "no duty has a row for this service")


def read_content(content_dir=DEFAULT_CONTENT_DIR):
    reader = ContentReader(content_dir)
    # Order matters: each kind may refer to the ones read before it.
    reader.read_layers()
    reader.read_services()
    reader.read_sources()
    reader.read_glossary()
    reader.read_lessons()
    reader.read_duties()
    reader.read_misconceptions()
    if not reader.problems:
        reader.check_every_service_has_rows()
    if reader.problems:
        raise ContentError(reader.problems)
    return reader.bundle
