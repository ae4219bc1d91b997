"""Write everything the site would lose with its database to one YAML file: the catalog, lessons,
questions and quizzes with their ids, learners' accounts, attempts, answers, outcomes and review
queues, and groups.

    python manage.py backup_site --output backup.yaml
    # restore into an empty database:
    python manage.py migrate && python manage.py loaddata backup.yaml

Content keeps its ids because attempts freeze answer keys that name them (choice, duty and
misconception ids); users and groups are written by natural key (username, group name), so a
restore merges with the Instructors group that `migrate` creates. Sessions, the admin's log,
login-throttling records and the tables Django rebuilds itself are left out. YAML, because Django's
JSON serializer cuts times to the millisecond and a restore must give back exactly what was saved. `export_bank` is the
portable, human-readable copy of the content; this is the complete one. See docs/backup.md."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from quizzes.instructor.banks.bank import consistent_snapshot

# Rebuilt by `migrate` (content types, permissions) or not worth restoring (sessions, logs, lockouts).
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


def _app(label):
    """Whether the app of `label` is installed (dumpdata refuses to exclude an unknown one)."""
    try:
        apps.get_app_config(label.split(".")[0])
    except LookupError:
        return False
    return True


class Command(BaseCommand):
    help = "Back up the whole site (content and learners' records) to one YAML file for loaddata."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The file to write (YAML).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be written, write nothing.")

    def handle(self, *args, output, dry_run, **options):
        excluded = [label for label in LEFT_OUT if _app(label)]
        if dry_run:
            self.stdout.write(f"Would write every table but {', '.join(excluded)} to {output}.")
            return
        with consistent_snapshot():
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=excluded,
                output=output,
                format="yaml",
                verbosity=0,
            )
        self.stdout.write(f"Wrote {output}. Restore it with: migrate, then loaddata {output}")
