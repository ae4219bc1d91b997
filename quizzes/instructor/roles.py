"""The Instructors group: curate the question bank, the quizzes, the duty catalog and the lessons,
and read learners' attempts and statistics. Never users, groups or superuser powers.

The group is brought in line after every `migrate` (a post_migrate handler), so that a new model or
permission reaches instructors without a manual step."""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

INSTRUCTORS = "Instructors"

# (app label, model, actions): what instructors manage in full.
MANAGED = [
    ("quizzes", "question", ("add", "change", "delete", "view")),
    ("quizzes", "choice", ("add", "change", "delete", "view")),
    ("quizzes", "sortcard", ("add", "change", "delete", "view")),
    ("quizzes", "quiz", ("add", "change", "delete", "view")),
    ("quizzes", "selectionrule", ("add", "change", "delete", "view")),
    ("study", "duty", ("add", "change", "delete", "view")),
    ("study", "responsibility", ("add", "change", "delete", "view")),
    ("study", "service", ("add", "change", "delete", "view")),
    ("study", "layer", ("add", "change", "delete", "view")),
    ("study", "source", ("add", "change", "delete", "view")),
    ("study", "lesson", ("add", "change", "delete", "view")),
    ("study", "misconception", ("add", "change", "delete", "view")),
    ("study", "glossaryterm", ("add", "change", "delete", "view")),
    # Learners' records: read only. Scores come from stored answers and are never edited.
    ("quizzes", "attempt", ("view",)),
    ("quizzes", "attemptitem", ("view",)),
    ("quizzes", "answer", ("view",)),
    ("quizzes", "outcome", ("view",)),
    ("quizzes", "reviewitem", ("view",)),
]
EXTRA = [("quizzes", "view_statistics"), ("quizzes", "import_questions")]


def instructor_permission_codes():
    """Every permission of the group as "app_label.codename"."""
    codes = [f"{app}.{action}_{model}" for app, model, actions in MANAGED for action in actions]
    return sorted([*codes, *(f"{app}.{codename}" for app, codename in EXTRA)])


def ensure_instructors_group(using="default"):
    """Create the group if needed and give it exactly the instructor permissions."""
    wanted = Q()
    for code in instructor_permission_codes():
        app, codename = code.split(".")
        wanted |= Q(content_type__app_label=app, codename=codename)
    permissions = list(Permission.objects.using(using).filter(wanted))
    group, _created = Group.objects.using(using).get_or_create(name=INSTRUCTORS)
    group.permissions.set(permissions)
    return group


def sync_instructors_group(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate handler. Runs once, for this app, after auth has made the permissions of
    every app (the auth handler runs per app, so the ones this group needs are made here too)."""
    from django.apps import apps as global_apps

    for label in ("study", "quizzes"):
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    ensure_instructors_group(using=using)
