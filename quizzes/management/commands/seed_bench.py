"""Seed the benchmark's dataset: a large written bank, many learners and their answer histories.

    python manage.py seed_bench [--questions 5000] [--learners 1000] [--answers 100000]
                                [--learner-answers 10000]

One learner, `bench-learner`, has --learner-answers answers (the history /progress/ is measured
with); the other learners share the rest. Run it once on a database with the content loaded
(`load_content`); the accounts it makes cannot log in with a password."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quizzes.models import Quiz
from quizzes.seeding import seed_bank, seed_histories, seed_learners

HEAVY_LEARNER = "bench-learner"


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, default=5000, help="Published written questions to add.")
        parser.add_argument("--learners", type=int, default=1000, help=f"Learners, {HEAVY_LEARNER} included.")
        parser.add_argument("--answers", type=int, default=100_000, help="Answers of all the learners together.")
        parser.add_argument("--learner-answers", type=int, default=10_000, help=f"Answers of {HEAVY_LEARNER}.")

    def handle(self, *args, questions, learners, answers, learner_answers, **options):
        if learners < 1 or min(questions, answers, learner_answers) < 0 or learner_answers > answers:
            raise CommandError("Sizes must be positive, with --learner-answers at most --answers.")
        if learners == 1 and learner_answers != answers:
            raise CommandError(f"With one learner, every answer is {HEAVY_LEARNER}'s: give equal --answers.")
        if not Quiz.objects.exists():
            raise CommandError("No quiz is defined: run `manage.py load_content` first.")
        if get_user_model().objects.filter(username=HEAVY_LEARNER).exists():
            raise CommandError(f"{HEAVY_LEARNER} exists: this database is seeded already; seed a fresh one.")
        started = time.perf_counter()
        with transaction.atomic():
            seed_bank(questions, prefix="bench")
            heavy = get_user_model().objects.create_user(HEAVY_LEARNER)
            others = seed_learners(learners - 1, prefix="bench")
            share, extra = divmod(answers - learner_answers, max(len(others), 1))
            plan = {heavy: learner_answers}
            plan.update({user: share + (index < extra) for index, user in enumerate(others)})
            seed_histories(plan, reviews=True)
        self.stdout.write(
            f"Seeded {questions} questions, {learners} learners and {answers} answers "
            f"({learner_answers} of them {HEAVY_LEARNER}'s) in {time.perf_counter() - started:.1f} s."
        )
