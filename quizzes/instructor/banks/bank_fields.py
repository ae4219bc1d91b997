"""The field helpers of the bank reader (bank_reader.py): a bank's JSON shapes read into plain values.

`BankFieldReader` reads the records of a list section (checking their slugs), the objects of a
nested list, and texts, whole numbers, flags, choices and references to other records, reporting
each problem with its JSON path; `fits()` checks texts against the length of their column."""

from study.content_files import SLUG_PATTERN, ContentReader

# PostgreSQL's limits for positive small and positive integer columns: a bank that loads on SQLite
# must load on PostgreSQL too.
SMALL, LARGE = 32767, 2147483647


def is_whole(value):
    # JSON true is a Python int; a flag is never a number here.
    return isinstance(value, int) and not isinstance(value, bool)


class BankFieldReader(ContentReader):
    def __init__(self):
        # The bank is one document, not a folder: `problem()` gets JSON paths instead of file paths.
        super().__init__(content_dir="")
        self.first_seen = {}

    def problem(self, path, entry, message):
        # `path` is the JSON path with the record's slug; the helpers here pass no separate `entry`.
        self.problems.append(f"{path}: {message}")

    def text(self, path, label, entry, key, *, required=True):
        # Kept exactly as exported (the content files' reader strips values), so that a round trip is exact.
        if not super().text(path, label, entry, key, required=required):
            return ""
        value = entry[key]
        if "\x00" in value:
            self.problem(path, label, f"'{key}' holds a NUL character, which the database cannot store")
            return ""
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.problem(path, label, f"'{key}' holds an unpaired surrogate (\\ud800-\\udfff), which is not text")
            return ""
        return value

    # -- helpers for the shapes of JSON -------------------------------------------------------

    def records(self, section, data, model, allowed):
        """(location, slug or None, object) for each object of a list section; problems of the list,
        of the slugs and of unknown keys are reported here."""
        if not isinstance(data, list):
            self.problem(section, None, "is missing" if data is None else "must be a list of objects")
            return
        limit = model._meta.get_field("slug").max_length
        for index, entry in enumerate(data):
            where = f"{section}[{index}]"
            if not isinstance(entry, dict):
                self.problem(where, None, "must be an object")
                continue
            slug = entry.get("slug")
            if not isinstance(slug, str) or not SLUG_PATTERN.match(slug) or len(slug) > limit:
                message = f"'slug' must be lowercase words joined by hyphens, at most {limit} characters"
                self.problem(where, None, f"{message}, got {slug!r}")
                slug = None
            else:
                where = f"{where} '{slug}'"
                if (section, slug) in self.first_seen:
                    self.problem(where, None, f"slug is used twice (first at {self.first_seen[section, slug]})")
                    slug = None
                else:
                    self.first_seen[section, slug] = where
            self.unknown_keys(where, None, entry, {"slug", *allowed})
            yield where, slug, entry

    def children(self, where, entry, key):
        """(location, object) for each object of a nested list, such as a question's choices."""
        items = entry.get(key, [])
        if not isinstance(items, list):
            self.problem(where, None, f"'{key}' must be a list")
            return
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield f"{where}.{key}[{index}]", item
            else:
                self.problem(f"{where}.{key}[{index}]", None, "must be an object")

    def whole(self, where, entry, key, low, high, *, nullable=False):
        value = entry.get(key)
        if value is None and nullable:
            return None
        if not is_whole(value) or not low <= value <= high:
            self.problem(where, None, f"'{key}' must be a whole number from {low} to {high}, got {value!r}")
            return low
        return value

    def flag(self, where, entry, key):
        value = entry.get(key)
        if not isinstance(value, bool):
            self.problem(where, None, f"'{key}' must be true or false, got {value!r}")
        return value is True

    def blank_or_choice(self, where, entry, key, allowed):
        return self.choice(where, None, entry, key, allowed) if entry.get(key) not in (None, "") else ""

    def reference(self, where, entry, key, known, kind, *, required=False):
        value = entry.get(key)
        if value in (None, ""):
            if required:
                self.problem(where, None, f"'{key}' is missing or empty")
            return None
        if not isinstance(value, str) or value not in known:
            self.problem(where, None, f"'{key}' names unknown {kind} {value!r}")
            return None
        return value

    def refs(self, where, entry, key, known, kind):
        return self.reference_list(where, None, entry, key, known, kind)

    def fits(self, where, model, values):
        """Report texts longer than their column (PostgreSQL refuses them; SQLite would not notice)."""
        for model_field in model._meta.concrete_fields:
            value = values.get(model_field.name)
            if isinstance(value, str) and model_field.max_length and len(value) > model_field.max_length:
                message = f"'{model_field.name}' is {len(value)} characters long; at most {model_field.max_length} fit"
                self.problem(where, None, message)
        return values
