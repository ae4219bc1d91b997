from functools import partial

from django.contrib import admin
from django.urls import path

from quizzes import instructor_views

from quizzes.models import Answer, Attempt, AttemptItem, Choice, Question, Quiz, ReviewItem, SelectionRule, SortCard


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ("position", "text", "is_correct", "feedback", "misconception")


class SortCardInline(admin.TabularInline):
    model = SortCard
    extra = 0
    fields = ("position", "text", "owner")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("slug", "kind", "skill", "difficulty", "status", "lesson")
    list_filter = ("kind", "status", "skill", "difficulty", "lesson", "services")
    search_fields = ("slug", "prompt", "explanation")
    filter_horizontal = ("duties", "services")
    readonly_fields = ("loaded_hash",)
    list_select_related = ("lesson",)
    inlines = [ChoiceInline, SortCardInline]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "statistics/",
                view(partial(instructor_views.item_statistics, admin_site=self.admin_site)),
                name="quizzes_question_statistics",
            ),
            *super().get_urls(),
        ]


class SelectionRuleInline(admin.TabularInline):
    model = SelectionRule
    extra = 0
    fields = ("position", "count", "kind", "services", "category", "lesson", "skill")


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("title", "mode", "source", "question_count", "time_limit_minutes", "pass_mark", "is_published")
    list_filter = ("mode", "source", "is_published")
    search_fields = ("title", "slug")
    readonly_fields = ("loaded_hash",)
    inlines = [SelectionRuleInline]


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    extra = 0
    fields = ("position", "kind", "prompt", "skill")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class ReadOnlyAdmin(admin.ModelAdmin):
    """Learners' records: readable by staff, never edited here (scores come from stored answers)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("quiz", "user", "mode", "started_at", "finished_at", "score", "passed")
    list_filter = ("mode", "passed", "quiz")
    search_fields = ("user__username", "quiz__title")
    list_select_related = ("quiz", "user")
    date_hierarchy = "started_at"
    inlines = [AttemptItemInline]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "cohort/",
                view(partial(instructor_views.cohort, admin_site=self.admin_site)),
                name="quizzes_attempt_cohort",
            ),
            path(
                "cohort.csv",
                view(partial(instructor_views.cohort_csv, admin_site=self.admin_site)),
                name="quizzes_attempt_cohort_csv",
            ),
            *super().get_urls(),
        ]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("item", "attempt", "is_correct", "score", "confidence", "answered_at")
    list_filter = ("is_correct", "confidence")
    list_select_related = ("item", "attempt")
    raw_id_fields = ("item", "attempt", "misconception")


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ("user", "key", "box", "due_at", "lapses")
    list_filter = ("box",)
    search_fields = ("user__username", "key")
    raw_id_fields = ("user", "question", "duty", "service")
