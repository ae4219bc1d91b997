"""The `content` fixture copies one real load into each test (tests/content_snapshot.py): what it
leaves must be what `load_content` itself leaves, or every test that uses it tests something else."""

from collections import Counter

import pytest
from django.core.management import call_command

from study.models import ContentManaged
from tests.content_snapshot import content_models


def database_state():
    """Per content model: its row count and, for rows the loader owns, their fingerprints."""
    state = {}
    for model in content_models():
        if issubclass(model, ContentManaged):
            state[model._meta.label] = Counter(model._base_manager.values_list("loaded_hash", flat=True))
        else:
            state[model._meta.label] = model._base_manager.count()
    return state


@pytest.mark.django_db
def test_the_copied_content_is_what_a_real_load_writes(content_snapshot):
    call_command("load_content", verbosity=0)
    loaded = database_state()
    for model in reversed(list(content_models())):  # dependants first
        model._base_manager.all().delete()
    content_snapshot.restore()
    assert database_state() == loaded
    assert sum(len(rows) for rows in content_snapshot.rows.values()) > 500


def test_the_loader_finds_nothing_to_change_in_the_copied_content(content, capsys):
    call_command("load_content", verbosity=1)
    out = capsys.readouterr().out
    assert out.startswith("0 created, 0 updated, "), out
    assert "kept" not in out and "left" not in out


def test_new_rows_after_the_copied_content_get_fresh_ids(content):
    from quizzes.models import Question

    highest = Question.objects.order_by("-pk").values_list("pk", flat=True).first()
    question = Question.objects.create(slug="new-after-copy", kind="single", prompt="P", skill="aws")
    assert question.pk > highest
