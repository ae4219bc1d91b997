"""Load the study content (layers, services, sources, lessons, glossary, duties with their
responsibility rows, misconceptions) from the data files in study/content/, and the written
questions and quiz definitions from quizzes/content/.

It lives in the project, not in `study`, because it spans both apps: `study` is the base that
`quizzes` builds on and never imports it.

Idempotent: a second run changes nothing. Rows an instructor edited in the admin since the last
load are reported and kept unless --force. Every problem in the files is reported with its file
and entry, and nothing is written unless all of them are valid (one transaction).
"""

from django.core.management.base import BaseCommand, CommandError

from quizzes.bank.loading import quiz_loader
from study.content_files import DEFAULT_CONTENT_DIR, ContentError, read_content
from study.services import load_content


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, write nothing.")
        parser.add_argument("--force", action="store_true", help="Overwrite rows edited in the admin.")
        parser.add_argument("--content-dir", default=str(DEFAULT_CONTENT_DIR), help="Folder of the catalog files.")
        parser.add_argument("--quiz-content-dir", default=None, help="Folder of questions.yaml and quizzes.yaml.")

    def handle(self, *args, dry_run, force, content_dir, quiz_content_dir, **options):
        try:
            bundle = read_content(content_dir)
            then = [quiz_loader(bundle, quiz_content_dir)]
        except ContentError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(
                f"The content files have {len(error.problems)} problem(s); nothing was loaded.\n{problems}"
            ) from None
        report = load_content(bundle=bundle, force=force, dry_run=dry_run, then=then)
        if dry_run:
            self.stdout.write("Dry run: nothing was written. The load would give:")
        # A dry run always lists every change; a real load lists them with -v 2.
        for line in report.lines(detailed=dry_run or options["verbosity"] > 1):
            self.stdout.write(line)
