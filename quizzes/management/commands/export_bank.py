"""Export the whole bank as one JSON document: the catalog in the shape of /study/catalog.json
(extended with what it takes to rebuild the database), the layers, sources, glossary, lessons,
written questions and quizzes (format: docs/bank-format.md).

    python manage.py export_bank [--output FILE] [--dry-run]

Without --output the document goes to standard output. It is read in one transaction, so it never
mixes the bank before and after an edit made meanwhile. --dry-run builds it and says what it holds,
writing nothing. `import_bank` reads it back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.instructor.banks.bank import export_document, export_text


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="FILE", help="Write the document to FILE instead of standard output.")
        parser.add_argument("--dry-run", action="store_true", help="Build the document and report it; write nothing.")

    def handle(self, *args, output, dry_run, **options):
        if dry_run:
            document = export_document()
            self.stdout.write(f"Dry run: nothing was written. The bank would hold {self.summary(document)}.")
            return
        text = export_text()
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: cannot write it: {error.strerror or error}") from None
        self.stdout.write(f"Wrote the bank to {output}.")

    @staticmethod
    def summary(document):
        catalog = document["catalog"]
        counts = {
            "layers": len(document["layers"]),
            "services": len(catalog["services"]),
            "duties": len(catalog["duties"]),
            "responsibility rows": sum(len(duty["responsibilities"]) for duty in catalog["duties"]),
            "misconceptions": len(catalog["misconceptions"]),
            "sources": len(document["sources"]),
            "glossary terms": len(document["glossary"]),
            "lessons": len(document["lessons"]),
            "questions": len(document["questions"]),
            "quizzes": len(document["quizzes"]),
        }
        return ", ".join(f"{count} {name}" for name, count in counts.items())
