"""Import a bank written by `export_bank` (format: docs/bank-format.md).

    python manage.py import_bank FILE [--dry-run]

Creates what is new, updates what differs and leaves the rest, in one transaction. Rows that are
in the database but not in the file are left as they are. Every row the import writes counts as an
instructor's edit, so a later `load_content` keeps it. A file with any problem changes nothing:
every problem is reported with its place in the document. --dry-run reports what would change and
rolls it back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.instructor.banks.bank import import_bank
from study.content_files import ContentError


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="A bank document written by export_bank.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, write nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read it: {error.strerror or error}") from None
        try:
            report = import_bank(data, dry_run=dry_run)
        except ContentError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(
                f"{file} has {len(error.problems)} problem(s); nothing was imported.\n{problems}"
            ) from None
        if dry_run:
            self.stdout.write("Dry run: nothing was written. The import would give:")
        detailed = dry_run or options["verbosity"] > 1
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, {report.unchanged} unchanged."
        )
        if detailed:
            for label in report.created:
                self.stdout.write(f"  created {label}")
            for label in report.updated:
                self.stdout.write(f"  updated {label}")
        if report.not_in_files:
            self.stdout.write(
                f"{len(report.not_in_files)} row(s) in the database are not in the file; left as they are."
            )
            if detailed:
                for label in report.not_in_files:
                    self.stdout.write(f"  left {label}")
