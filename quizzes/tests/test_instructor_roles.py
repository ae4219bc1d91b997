"""Who may do what in the admin: learners nothing, instructors the bank, superusers everything."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from quizzes.instructor.roles import INSTRUCTORS, instructor_permission_codes

pytestmark = pytest.mark.django_db

INSTRUCTOR_PAGES = [
    "admin:quizzes_question_changelist",
    "admin:quizzes_question_add",
    "admin:quizzes_quiz_changelist",
    "admin:study_duty_changelist",
    "admin:study_lesson_changelist",
    "admin:study_service_changelist",
    "admin:study_misconception_changelist",
    "admin:quizzes_attempt_changelist",
    "admin:quizzes_answer_changelist",
    "admin:quizzes_question_statistics",
    "admin:quizzes_attempt_cohort",
    "admin:quizzes_question_import",
]
SUPERUSER_ONLY_PAGES = ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"]


def test_the_instructors_group_exists_after_migrate_with_exactly_its_permissions():
    group = Group.objects.get(name=INSTRUCTORS)
    granted = sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    )
    assert granted == instructor_permission_codes()
    assert not [code for code in granted if code.startswith(("auth.", "admin.", "sessions.", "contenttypes."))]
    assert "quizzes.change_attempt" not in granted and "quizzes.delete_answer" not in granted


def test_every_instructor_permission_exists():
    codes = instructor_permission_codes()
    found = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    assert set(codes) <= found


@pytest.mark.parametrize("name", INSTRUCTOR_PAGES)
def test_a_learner_who_opens_the_admin_is_sent_to_log_in(learner_client, name):
    response = learner_client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_learner_sees_nothing_of_the_admin_index(learner_client):
    response = learner_client.get(reverse("admin:index"), follow=True)
    assert b"Questions" not in response.content
    assert b"not authorized" in response.content or b"Log in" in response.content


@pytest.mark.parametrize("name", INSTRUCTOR_PAGES)
def test_an_instructor_opens_every_bank_catalog_and_report_page(instructor_client, name):
    assert instructor_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", SUPERUSER_ONLY_PAGES)
def test_an_instructor_cannot_manage_users_or_groups(instructor_client, name):
    assert instructor_client.get(reverse(name)).status_code == 403


def test_an_instructor_cannot_edit_a_learners_attempt_or_become_superuser(instructor):
    assert not instructor.is_superuser
    assert instructor.has_perm("quizzes.view_attempt")
    assert not instructor.has_perm("quizzes.change_attempt")
    assert not instructor.has_perm("auth.change_user")


@pytest.mark.parametrize("name", [*INSTRUCTOR_PAGES, *SUPERUSER_ONLY_PAGES])
def test_a_superuser_opens_everything(client, superuser, name):
    client.force_login(superuser)
    assert client.get(reverse(name)).status_code == 200


def test_staff_without_the_instructor_group_gets_no_reports(client, django_user_model):
    staff = django_user_model.objects.create_user(username="staff", password="x-very-long-password-1", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:quizzes_question_statistics")).status_code == 403
    assert client.get(reverse("admin:quizzes_question_import")).status_code == 403
    assert client.get(reverse("admin:quizzes_question_changelist")).status_code == 403


# --- create_instructor -----------------------------------------------------------------------------


def test_create_instructor_reads_the_password_from_the_environment(monkeypatch, django_user_model):
    monkeypatch.setenv("DJANGO_INSTRUCTOR_PASSWORD", "a-long-and-unusual-passphrase-7")
    out = io.StringIO()
    call_command("create_instructor", "ann", "--email", "ann@example.com", stdout=out)
    user = django_user_model.objects.get(username="ann")
    assert user.is_staff and not user.is_superuser
    assert user.email == "ann@example.com"
    assert user.check_password("a-long-and-unusual-passphrase-7")
    assert list(user.groups.values_list("name", flat=True)) == [INSTRUCTORS]
    assert "Created instructor 'ann'" in out.getvalue()


def test_create_instructor_dry_run_creates_nothing(monkeypatch, django_user_model):
    monkeypatch.setenv("DJANGO_INSTRUCTOR_PASSWORD", "a-long-and-unusual-passphrase-7")
    call_command("create_instructor", "ann", "--dry-run", stdout=io.StringIO())
    assert not django_user_model.objects.filter(username="ann").exists()


def test_create_instructor_without_a_terminal_or_variable_explains_what_to_do(monkeypatch):
    monkeypatch.delenv("DJANGO_INSTRUCTOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="DJANGO_INSTRUCTOR_PASSWORD"):
        call_command("create_instructor", "ann")


def test_create_instructor_prompts_twice_at_a_terminal(monkeypatch, django_user_model):
    monkeypatch.delenv("DJANGO_INSTRUCTOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter(["a-long-and-unusual-passphrase-7", "a-long-and-unusual-passphrase-7"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("create_instructor", "bob", stdout=io.StringIO())
    assert django_user_model.objects.get(username="bob").check_password("a-long-and-unusual-passphrase-7")


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["ann"], "123", "Password refused"),
        (["ann", "--email", "not-an-email"], "a-long-and-unusual-passphrase-7", "--email"),
        (["taken"], "a-long-and-unusual-passphrase-7", "already exists"),
        (["bad name!"], "a-long-and-unusual-passphrase-7", "username"),
    ],
)
def test_create_instructor_refuses_bad_input_clearly(
    monkeypatch, make_learner, django_user_model, args, password, message
):
    make_learner("taken")
    monkeypatch.setenv("DJANGO_INSTRUCTOR_PASSWORD", password)
    count = django_user_model.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("create_instructor", *args)
    assert django_user_model.objects.count() == count
