"""A backup restores into an empty database with nothing lost: content, learners and their records."""

import io

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command

from quizzes.instructor.banks.bank import export_text
from quizzes.models import Answer, Attempt, AttemptItem, Outcome, Question, Quiz, ReviewItem
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db(transaction=True)

RECORDS = [Attempt, AttemptItem, Answer, Outcome, ReviewItem, Question, Quiz]


def state():
    """Everything a restore must bring back, in comparable form."""
    return {
        "users": sorted(get_user_model().objects.values_list("username", "password", "is_staff")),
        "groups": sorted(get_user_model().objects.values_list("username", "groups__name")),
        "counts": {model.__name__: model.objects.count() for model in RECORDS},
        "scores": sorted(Attempt.objects.values_list("pk", "user__username", "score", "passed", "finished_at")),
        "answers": sorted(Answer.objects.values_list("pk", "item_id", "score", "is_correct", "misconception_id")),
        "review": sorted(ReviewItem.objects.values_list("user__username", "key", "box", "due_at")),
        "items": sorted(AttemptItem.objects.values_list("pk", "question_id", "duty_id", "options", "key")),
    }


@pytest.fixture
def site_with_history(client, make_learner, make_instructor):
    call_command("load_content", verbosity=0)
    make_instructor("ines")
    for number, username in enumerate(["ana", "ben"]):
        user = make_learner(username)
        client.force_login(user)
        attempt = start(client, Quiz.objects.get(slug="quick-check"))
        for index, item in enumerate(attempt.items.all()):
            answer(client, item, wrong_answer(item) if (index + number) % 3 == 0 else right_answer(item))
        client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
        start(client, Quiz.objects.get(slug="drill-ec2"))  # left unfinished
    Question.objects.filter(slug=Question.objects.order_by("slug").first().slug).update(explanation="Edited.")


def test_a_backup_restores_into_an_empty_database_with_nothing_lost(site_with_history, tmp_path):
    before, bank_before = state(), export_text()
    assert before["counts"]["Answer"] > 10 and before["counts"]["ReviewItem"] > 0
    backup = tmp_path / "backup.yaml"
    call_command("backup_site", output=str(backup), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)  # an empty, migrated database
    assert Attempt.objects.count() == 0 and get_user_model().objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)

    assert state() == before
    assert export_text() == bank_before


def test_the_backup_leaves_out_sessions_and_rebuildable_tables(site_with_history, tmp_path):
    backup = tmp_path / "backup.yaml"
    call_command("backup_site", output=str(backup), stdout=io.StringIO())
    models = {row["model"] for row in yaml.safe_load(backup.read_text())}
    assert {"quizzes.answer", "quizzes.attempt", "study.duty", "auth.user", "auth.group"} <= models
    assert not models & {"sessions.session", "contenttypes.contenttype", "auth.permission", "admin.logentry"}


def test_a_dry_run_writes_nothing(tmp_path):
    call_command("backup_site", output=str(tmp_path / "b.yaml"), dry_run=True, stdout=io.StringIO())
    assert not (tmp_path / "b.yaml").exists()
