from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.html import format_html

from study.models import Duty, GlossaryTerm, Layer, Lesson, Misconception, Responsibility, Service, Source
from study.templatetags.study_tags import markdown


class ContentAdmin(admin.ModelAdmin):
    """Rows the content loader manages. An edit here is kept by later loads (see docs/content.md)."""

    readonly_fields = ("loaded_hash",)


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    fields = ("service", "owner", "explanation", "source")
    autocomplete_fields = ("service", "source")


@admin.register(Duty)
class DutyAdmin(ContentAdmin):
    list_display = ("name", "layer", "slug")
    list_filter = ("layer", "lessons")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("lessons",)
    inlines = [ResponsibilityInline]
    list_select_related = ("layer",)


@admin.register(Responsibility)
class ResponsibilityAdmin(ContentAdmin):
    list_display = ("duty", "service", "owner", "source")
    list_filter = ("owner", "service")
    search_fields = ("duty__name", "explanation")
    list_select_related = ("duty", "service", "source")
    autocomplete_fields = ("duty", "service", "source")


@admin.register(Service)
class ServiceAdmin(ContentAdmin):
    list_display = ("name", "category", "slug", "position")
    list_filter = ("category",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Layer)
class LayerAdmin(ContentAdmin):
    list_display = ("name", "side", "position")
    search_fields = ("name",)


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "url")
    search_fields = ("title", "url")


@admin.register(Lesson)
class LessonAdmin(ContentAdmin):
    list_display = ("title", "slug", "position")
    search_fields = ("title", "body")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("body_preview", "loaded_hash")

    @admin.display(description="Preview (as saved)")
    def body_preview(self, lesson):
        if not lesson.pk:
            return "Save the lesson to see its body rendered."
        # The same sanitizing Markdown filter as the lesson page: raw HTML and scripts never run.
        return format_html(
            '<p class="help">What learners see; "Save and continue editing" refreshes it.</p>'
            '<div class="markdown-preview">{}</div>',
            markdown(lesson.body),
        )


@admin.register(Misconception)
class MisconceptionAdmin(ContentAdmin):
    list_display = ("belief", "slug", "times_fallen_into")
    search_fields = ("belief", "correction")
    filter_horizontal = ("duties", "services")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answer_count=Count("answers"))

    @admin.display(description="Wrong answers that showed it", ordering="answer_count")
    def times_fallen_into(self, misconception):
        return misconception.answer_count


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ("term", "slug")
    search_fields = ("term", "definition")
    prepopulated_fields = {"slug": ("term",)}
