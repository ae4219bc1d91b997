"""Write the written questions and quiz definitions with the catalog's loader rules
(`study.services.ContentSync`): idempotent, admin edits kept unless --force."""

from quizzes.bank.content_files import read_quiz_content
from quizzes.models import Choice, Question, Quiz, SelectionRule, SortCard
from study.models import Lesson, Misconception, Service

CHILDREN = ("choices", "cards", "rules")


def quiz_loader(catalog_bundle, content_dir=None):
    """Read the quiz files now (so that a broken file stops the load before anything is written)
    and return the step that writes them inside the load's transaction."""
    questions, quizzes = read_quiz_content(catalog_bundle, *([content_dir] if content_dir else []))

    return question_and_quiz_writer(questions, quizzes)


def question_and_quiz_writer(questions, quizzes):
    """The load step that writes `questions` and `quizzes` (slug -> content values) with a `ContentSync`."""

    def write(sync):
        # `sync` already knows every duty, lesson, misconception and service by slug: the catalog
        # was written by the same sync just before.
        writer = ChildWriter(sync)
        existing = {
            q.slug: q
            for q in Question.objects.select_related("misconception", "lesson").prefetch_related(
                "duties", "services", "choices__misconception", "cards"
            )
        }
        writer.sync(kind="question", existing=existing, desired=questions, make=lambda slug: Question(slug=slug))
        existing = {quiz.slug: quiz for quiz in Quiz.objects.prefetch_related("rules__services", "rules__lesson")}
        writer.sync(kind="quiz", existing=existing, desired=quizzes, make=lambda slug: Quiz(slug=slug))

    return write


class ChildWriter:
    """ContentSync for models with child rows (choices, cards, selection rules)."""

    def __init__(self, sync):
        self.sync_rows = sync
        self.by_slug = sync.by_slug

    def sync(self, **kwargs):
        self.sync_rows.sync(**kwargs, assign=self.assign)

    def assign(self, obj, values):
        plain = {key: value for key, value in values.items() if key not in CHILDREN}
        # The fingerprint covers the child rows too, so that an edit of a choice counts as an edit.
        self.sync_rows.assign(obj, plain, fingerprint=obj.fingerprint(values))
        if isinstance(obj, Question):
            self.write_choices(obj, values["choices"])
            self.write_cards(obj, values["cards"])
        else:
            self.write_rules(obj, values["rules"])

    def write_choices(self, question, wanted):
        # Updated in place by position, so that choice ids in past attempts keep their meaning.
        current = list(question.choices.all())
        for position, data in enumerate(wanted):
            choice = current[position] if position < len(current) else Choice(question=question)
            choice.position = position
            choice.text = data["text"]
            choice.is_correct = data["correct"]
            choice.feedback = data["feedback"]
            choice.misconception = self.by_slug[Misconception][data["misconception"]] if data["misconception"] else None
            choice.save()
        Choice.objects.filter(pk__in=[choice.pk for choice in current[len(wanted) :]]).delete()

    def write_cards(self, question, wanted):
        question.cards.all().delete()
        SortCard.objects.bulk_create(
            SortCard(question=question, position=position, text=data["text"], owner=data["owner"])
            for position, data in enumerate(wanted)
        )

    def write_rules(self, quiz, wanted):
        quiz.rules.all().delete()
        for position, data in enumerate(wanted):
            rule = SelectionRule.objects.create(
                quiz=quiz,
                position=position,
                count=data["count"],
                kind=data["kind"],
                category=data["category"],
                lesson=self.by_slug[Lesson][data["lesson"]] if data["lesson"] else None,
                skill=data["skill"],
            )
            rule.services.set([self.by_slug[Service][slug] for slug in data["services"]])
