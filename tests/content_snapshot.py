"""The real content, loaded once per test session and copied into each test that asks for it.

`load_content` reads and checks every data file and writes ~800 rows one by one: about 0.6 s, paid
by some 400 tests. Instead, the session loads it once into the empty test database, reads back every
row it wrote (many-to-many tables included), and rolls back. A test that wants the content gets
those rows bulk-inserted into its own transaction, which is what the loader would have left there.
`tests/test_content_snapshot.py` holds the copy to that promise.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

CONTENT_APPS = ("study", "quizzes")


def content_models():
    for label in CONTENT_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


def read_rows(model):
    fields = [field.attname for field in model._meta.concrete_fields]
    return [dict(row) for row in model._base_manager.order_by("pk").values(*fields)]


class _RolledBack(Exception):
    pass


class ContentSnapshot:
    """Every row of the content apps as `load_content` writes them into an empty database."""

    def __init__(self, rows):
        self.rows = rows  # model -> [field values]

    @classmethod
    def capture(cls):
        if any(model._base_manager.exists() for model in content_models()):
            raise RuntimeError("the content snapshot must be taken from an empty test database")
        rows = {}
        try:
            with transaction.atomic():
                call_command("load_content", verbosity=0)
                rows = {model: read_rows(model) for model in content_models()}
                raise _RolledBack
        except _RolledBack:
            pass
        return cls({model: values for model, values in rows.items() if values})

    def restore(self):
        """Write the content into the current database, or load it for real when the test already
        wrote rows of its own to the content tables (the loader then merges, as it would in use)."""
        if any(model._base_manager.exists() for model in content_models()):
            call_command("load_content", verbosity=0)
            return
        with transaction.atomic():
            for model, values in self.rows.items():
                model._base_manager.bulk_create([model(**row) for row in values])
            # Rows came with their ids: move PostgreSQL's sequences past them (SQLite needs nothing).
            statements = connection.ops.sequence_reset_sql(no_style(), list(self.rows))
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
