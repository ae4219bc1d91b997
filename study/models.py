"""The duty catalog: who is responsible for what, service by service.

Every model here is loaded from the data files in `study/content/` by `load_content`, and may be
edited by instructors in the admin. `ContentManaged.loaded_hash` remembers what the last load
wrote, so that the loader can tell an instructor's edit from a stale row (see docs/content.md).
"""

import hashlib
import json

from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property


class Owner(models.TextChoices):
    AWS = "aws", "AWS"
    CUSTOMER = "customer", "Customer"
    SHARED = "shared", "Shared"


class ControlCategory(models.TextChoices):
    INHERITED = "inherited", "Inherited control"
    SHARED = "shared", "Shared control"
    CUSTOMER_SPECIFIC = "customer-specific", "Customer-specific control"


class ContentManaged(models.Model):
    """A row that the content loader owns until somebody edits it in the admin."""

    loaded_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Fingerprint of the values the content loader last wrote; empty for rows made in the admin.",
    )

    class Meta:
        abstract = True

    def content_values(self):
        """The values the data files define for this row, as plain JSON-able data."""
        raise NotImplementedError

    @staticmethod
    def fingerprint(values):
        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()

    def current_fingerprint(self):
        return self.fingerprint(self.content_values())


class Layer(ContentManaged):
    class Side(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        AWS = "aws", "AWS"
        BOTH = "both", "Both"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    side = models.CharField(max_length=10, choices=Side.choices)
    description = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    def content_values(self):
        return {"name": self.name, "side": self.side, "description": self.description, "position": self.position}


class ServiceQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("position", "slug")


class Service(ContentManaged):
    class Category(models.TextChoices):
        INFRASTRUCTURE = "infrastructure", "Infrastructure"
        MANAGED = "managed", "Managed (container / platform)"
        ABSTRACTED = "abstracted", "Abstracted"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("study:service", args=[self.slug])

    def content_values(self):
        return {
            "name": self.name,
            "category": self.category,
            "summary": self.summary,
            "position": self.position,
        }


class Source(ContentManaged):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def content_values(self):
        return {"title": self.title, "url": self.url}


class LessonQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("position", "slug")


class Lesson(ContentManaged):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown. Raw HTML is removed when the page is shown.")
    position = models.PositiveIntegerField(default=0)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("study:lesson", args=[self.slug])

    def content_values(self):
        return {"title": self.title, "summary": self.summary, "body": self.body, "position": self.position}


class DutyQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("layer__position", "position", "slug")

    def with_rows(self):
        """Duties with their layer and every responsibility row (service and source) in two queries more."""
        return self.select_related("layer").prefetch_related(
            Prefetch(
                "responsibilities",
                # The any-service row first, on every database (PostgreSQL sorts NULL last).
                queryset=Responsibility.objects.select_related("service", "source").order_by(
                    F("service__position").asc(nulls_first=True), "service__slug"
                ),
            )
        )


class Duty(ContentManaged):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    layer = models.ForeignKey(Layer, on_delete=models.PROTECT, related_name="duties")
    lessons = models.ManyToManyField(Lesson, blank=True, related_name="duties")
    position = models.PositiveIntegerField(default=0)

    objects = DutyQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "duties"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("study:duty", args=[self.slug])

    def content_values(self):
        return {
            "name": self.name,
            "description": self.description,
            "layer": self.layer.slug,
            "lessons": sorted(lesson.slug for lesson in self.lessons.all()),
            "position": self.position,
        }

    # The helpers below read `responsibilities` through the prefetch cache of `with_rows()`.

    @cached_property
    def rows_by_service(self):
        """The rows by service id (None for the any-service row), indexed once per duty: the matrix
        and the drawing of questions ask every duty for every service."""
        return {row.service_id: row for row in self.responsibilities.all()}

    @property
    def general_row(self):
        return self.rows_by_service.get(None)

    def row_for(self, service):
        """The row that decides the owner for `service`: its own row, else the any-service row."""
        return self.rows_by_service.get(service.pk) or self.general_row

    @property
    def control_category(self):
        """AWS's IT control category, derived from the owners so that it can never disagree with them."""
        owners = {row.owner for row in self.responsibilities.all()}
        if owners == {Owner.AWS}:
            return ControlCategory.INHERITED
        if owners == {Owner.CUSTOMER}:
            return ControlCategory.CUSTOMER_SPECIFIC
        return ControlCategory.SHARED


class Responsibility(ContentManaged):
    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="responsibilities")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibilities",
        help_text="Leave empty when the owner is the same whatever the service.",
    )
    owner = models.CharField(max_length=10, choices=Owner.choices)
    explanation = models.TextField(help_text="Why this owner; for shared, which part is whose.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="responsibilities")

    class Meta:
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(fields=["duty", "service"], name="one_row_per_duty_and_service"),
            models.UniqueConstraint(
                fields=["duty"], condition=Q(service__isnull=True), name="one_any_service_row_per_duty"
            ),
            models.CheckConstraint(condition=Q(owner__in=Owner.values), name="responsibility_owner_is_known"),
        ]

    def __str__(self):
        return f"{self.duty} / {self.service or 'any service'}: {self.get_owner_display()}"

    @property
    def scope(self):
        return self.service.name if self.service else "Any service"

    def content_values(self):
        return {"owner": self.owner, "explanation": self.explanation, "source": self.source.slug}


class Misconception(ContentManaged):
    slug = models.SlugField(unique=True)
    belief = models.TextField(help_text="The wrong belief, as a learner would say it.")
    correction = models.TextField()
    duties = models.ManyToManyField(Duty, blank=True, related_name="misconceptions")
    believed_owner = models.CharField(
        max_length=10,
        choices=Owner.choices,
        blank=True,
        help_text="The wrong owner a learner picks when holding this belief (names it in quiz feedback).",
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="+", help_text="Only on these services; empty for every service."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self):
        return self.belief

    def content_values(self):
        return {
            "belief": self.belief,
            "correction": self.correction,
            "duties": sorted(duty.slug for duty in self.duties.all()),
            "believed_owner": self.believed_owner,
            "services": sorted(service.slug for service in self.services.all()),
            "position": self.position,
        }

    def matches(self, *, duty_id, service_id, owner):
        """Whether answering `owner` for this duty on this service is this misconception."""
        if not self.believed_owner or owner != self.believed_owner:
            return False
        if duty_id not in {duty.pk for duty in self.duties.all()}:
            return False
        services = {service.pk for service in self.services.all()}
        return not services or service_id in services


class GlossaryTerm(ContentManaged):
    slug = models.SlugField(unique=True)
    term = models.CharField(max_length=200)
    definition = models.TextField()

    class Meta:
        ordering = [Lower("term")]

    def __str__(self):
        return self.term

    def content_values(self):
        return {"term": self.term, "definition": self.definition}
