"""An exam's outcomes are now written when it ends, from the answers standing then. Outcomes that the
earlier code wrote at answer time for exams still running would be counted twice when they end:
drop them here, once, so that nothing at run time has to filter or replace them."""

from django.db import migrations


def drop_outcomes_of_running_exams(apps, schema_editor):
    Outcome = apps.get_model("quizzes", "Outcome")
    Outcome.objects.filter(attempt__mode="exam", attempt__finished_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0003_exam_flags_and_retries")]

    operations = [migrations.RunPython(drop_outcomes_of_running_exams, migrations.RunPython.noop)]
