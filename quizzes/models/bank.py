"""The question bank: written questions with their choices and sort cards, and quizzes with the
rules that draw their questions.

Owner-assignment and sort questions are not stored as questions: they are drawn from the duty
catalog (`study.Responsibility`) when an attempt starts (`quizzes/bank/drawing.py`).
"""

from django.db import models
from django.db.models import Q

from study.models import ContentManaged, Duty, Lesson, Misconception, Owner, Service


class Kind(models.TextChoices):
    OWNER = "owner", "Who is responsible?"
    SORT = "sort", "Sort into buckets"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple response"
    TRUE_FALSE = "truefalse", "True or false"


class Skill(models.TextChoices):
    """The skills of CLF-C02 task statement 2.1."""

    COMPONENTS = "components", "Recognize the components of the shared responsibility model"
    CUSTOMER = "customer", "Describe the customer's responsibilities on AWS"
    AWS = "aws", "Describe AWS's responsibilities"
    SHARED = "shared", "Describe the responsibilities that AWS and the customer share"
    SHIFT = "shift", "Describe how responsibilities shift with the service used"


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)


class Question(ContentManaged):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(unique=True, max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    prompt = models.TextField(help_text="Markdown.")
    explanation = models.TextField(blank=True, help_text="Markdown, shown once the question is answered.")
    owner = models.CharField(
        max_length=10, choices=Owner.choices, blank=True, help_text="The right owner, for owner-assignment questions."
    )
    misconception = models.ForeignKey(
        Misconception,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For owner and true/false questions: the misconception a wrong answer shows.",
    )
    difficulty = models.PositiveSmallIntegerField(choices=[(1, "Easy"), (2, "Medium"), (3, "Hard")], default=2)
    skill = models.CharField(max_length=12, choices=Skill.choices)
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    duties = models.ManyToManyField(Duty, blank=True, related_name="questions")
    services = models.ManyToManyField(Service, blank=True, related_name="questions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        permissions = [
            ("view_statistics", "Can see item statistics and cohort reports"),
            ("import_questions", "Can import and export question banks"),
        ]

    def __str__(self):
        return self.slug

    # -- the rules a question must follow (admin, imports and content files all apply them) -----

    @staticmethod
    def problems_with(*, kind, status, explanation, owner, correct_flags, card_owners):
        """What is wrong with a question made of these parts, as {part: [messages]}.

        `correct_flags` has one boolean per choice, `card_owners` one owner ("" if unset) per sort
        card. The parts are "choices", "cards", "owner" and "explanation", so that each message
        can be shown next to what it is about."""
        problems = {}

        def add(part, message):
            problems.setdefault(part, []).append(message)

        correct = sum(bool(flag) for flag in correct_flags)
        if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE):
            if kind == Kind.TRUE_FALSE and len(correct_flags) != 2:
                add(
                    "choices",
                    f"A true/false question has exactly two choices (True and False); it has {len(correct_flags)}.",
                )
            elif len(correct_flags) < 2:
                add(
                    "choices",
                    f"A {Kind(kind).label.lower()} question needs at least two choices; it has {len(correct_flags)}.",
                )
            if kind in (Kind.SINGLE, Kind.TRUE_FALSE) and correct != 1:
                add(
                    "choices",
                    f"A {Kind(kind).label.lower()} question has exactly one correct choice; it has {correct}.",
                )
            if kind == Kind.MULTIPLE and correct < 1:
                add("choices", "A multiple-response question needs at least one correct choice.")
        elif correct_flags:
            add(
                "choices",
                "Only single-choice, multiple-response and true/false questions have choices; "
                "remove them or change the kind.",
            )
        if kind == Kind.SORT:
            if len(card_owners) < 2:
                add("cards", f"A sort question needs at least two cards; it has {len(card_owners)}.")
            if any(not owner for owner in card_owners):
                add("cards", "Every card of a sort question needs an owner.")
        elif card_owners:
            add("cards", "Only sort questions have cards; remove them or change the kind.")
        if kind == Kind.OWNER and not owner:
            add("owner", "An owner-assignment question needs the right owner.")
        if status == Question.Status.PUBLISHED and not (explanation or "").strip():
            add("explanation", "A published question needs an explanation: learners read it after answering.")
        return problems

    @classmethod
    def problems_in(cls, values):
        """`problems_with` for values in the shape of `content_values()`."""
        return cls.problems_with(
            kind=values.get("kind"),
            status=values.get("status"),
            explanation=values.get("explanation"),
            owner=values.get("owner"),
            correct_flags=[choice.get("correct") for choice in values.get("choices") or []],
            card_owners=[card.get("owner") or "" for card in values.get("cards") or []],
        )

    def problems(self):
        """`problems_with` for this saved question and its saved choices and cards."""
        return self.problems_with(
            kind=self.kind,
            status=self.status,
            explanation=self.explanation,
            owner=self.owner,
            correct_flags=[choice.is_correct for choice in self.choices.all()],
            card_owners=[card.owner for card in self.cards.all()],
        )

    def duplicate(self):
        """A draft copy with its choices, cards and tags, under a free slug; never managed by the loader."""
        slug = base = f"{self.slug[:90]}-copy"
        number = 1
        while Question.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        copy = Question.objects.get(pk=self.pk)
        copy.pk = copy.id = None
        copy._state.adding = True
        copy.slug, copy.status, copy.loaded_hash = slug, Question.Status.DRAFT, ""
        copy.save()
        copy.duties.set(self.duties.all())
        copy.services.set(self.services.all())
        for child in [*Choice.objects.filter(question=self), *SortCard.objects.filter(question=self)]:
            child.pk = None
            child.question = copy
            child.save()
        return copy

    def content_values(self):
        values = {
            "kind": self.kind,
            "prompt": self.prompt,
            "explanation": self.explanation,
            "owner": self.owner,
            "misconception": self.misconception.slug if self.misconception else None,
            "difficulty": self.difficulty,
            "skill": self.skill,
            "lesson": self.lesson.slug if self.lesson else None,
            "duties": sorted(duty.slug for duty in self.duties.all()),
            "services": sorted(service.slug for service in self.services.all()),
            "status": self.status,
            "choices": [choice.content_values() for choice in self.choices.all()],
            "cards": [card.content_values() for card in self.cards.all()],
        }
        return values


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    is_correct = models.BooleanField(default=False)
    feedback = models.TextField(blank=True, help_text="Shown after answering, when this choice was picked.")
    misconception = models.ForeignKey(Misconception, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    def content_values(self):
        return {
            "text": self.text,
            "correct": self.is_correct,
            "feedback": self.feedback,
            "misconception": self.misconception.slug if self.misconception else None,
        }


class SortCard(models.Model):
    """A card of a written sort question, to be placed under its owner."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="cards")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    owner = models.CharField(max_length=10, choices=Owner.choices)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    def content_values(self):
        return {"text": self.text, "owner": self.owner}


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True).order_by("position", "title")


class Quiz(ContentManaged):
    class Mode(models.TextChoices):
        PRACTICE = "practice", "Practice (feedback after each answer)"
        EXAM = "exam", "Exam (timed, feedback at the end)"

    class Source(models.TextChoices):
        BANK = "bank", "The question bank and the catalog"
        REVIEW = "review", "The learner's review queue"

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.PRACTICE)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.BANK)
    question_count = models.PositiveSmallIntegerField(
        default=10, help_text="Used when the quiz has no selection rules, and for the review quiz."
    )
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(default=70, help_text="Percent.")
    shuffle_questions = models.BooleanField(default=True)
    shuffle_choices = models.BooleanField(default=True)
    is_published = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "quizzes"
        constraints = [models.CheckConstraint(condition=Q(pass_mark__lte=100), name="pass_mark_is_a_percentage")]

    def __str__(self):
        return self.title

    def content_values(self):
        return {
            "title": self.title,
            "description": self.description,
            "mode": self.mode,
            "source": self.source,
            "question_count": self.question_count,
            "time_limit_minutes": self.time_limit_minutes,
            "pass_mark": self.pass_mark,
            "shuffle_questions": self.shuffle_questions,
            "shuffle_choices": self.shuffle_choices,
            "is_published": self.is_published,
            "position": self.position,
            "rules": [rule.content_values() for rule in self.rules.all()],
        }

    @property
    def is_timed(self):
        return self.mode == self.Mode.EXAM and bool(self.time_limit_minutes)

    @property
    def planned_count(self):
        """How many questions an attempt is meant to ask: the sum of the rules' counts, or
        `question_count` without rules (and for the review quiz). An attempt asks fewer when the
        bank cannot fill every rule, which the pages say by comparing with this.

        Reads the rules through `prefetch_related("rules")` when the caller prefetched them."""
        if self.source == self.Source.REVIEW:
            return self.question_count
        counts = [rule.count for rule in self.rules.all()]
        return sum(counts) if counts else self.question_count


class SelectionRule(models.Model):
    """Draw `count` questions that match every filter set here (an empty filter matches all)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(default=0)
    count = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    category = models.CharField(max_length=20, choices=Service.Category.choices, blank=True)
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    skill = models.CharField(max_length=12, choices=Skill.choices, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.count} of {self.get_kind_display() or 'any kind'}"

    def content_values(self):
        return {
            "count": self.count,
            "kind": self.kind,
            "services": sorted(service.slug for service in self.services.all()),
            "category": self.category,
            "lesson": self.lesson.slug if self.lesson else None,
            "skill": self.skill,
        }
