from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from quizzes.bank.content_files import exam_rule_problem
from quizzes.bank.drawing import draw_counts
from quizzes.instructor import views as instructor_views
from quizzes.instructor.admin_forms import ChoiceFormSet, QuestionAdminForm, SortCardFormSet
from quizzes.instructor.banks.admin_import import import_view
from quizzes.instructor.banks.csv_format import write_csv
from quizzes.instructor.banks.gift import write_gift
from quizzes.instructor.banks.json_format import write_questions_json
from quizzes.instructor.preview import preview
from quizzes.models import Answer, Attempt, AttemptItem, Choice, Question, Quiz, ReviewItem, SelectionRule, SortCard
from study.templatetags.study_tags import markdown


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 0
    fields = ("position", "text", "is_correct", "feedback", "misconception")
    verbose_name_plural = "choices (single choice, multiple response, true/false)"


class SortCardInline(admin.TabularInline):
    model = SortCard
    formset = SortCardFormSet
    extra = 0
    fields = ("position", "text", "owner")
    verbose_name_plural = "cards (sort questions)"


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ("slug", "kind", "skill", "difficulty", "status", "lesson", "preview_links")
    list_filter = ("kind", "lesson", "services", "skill", "difficulty", "status")
    search_fields = ("slug", "prompt", "explanation")
    filter_horizontal = ("duties", "services")
    readonly_fields = ("prompt_preview", "loaded_hash")
    list_select_related = ("lesson",)
    inlines = [ChoiceInline, SortCardInline]
    actions = ["publish", "unpublish", "duplicate", "export_json", "export_csv", "export_gift"]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "statistics/",
                view(partial(instructor_views.item_statistics, admin_site=self.admin_site)),
                name="quizzes_question_statistics",
            ),
            path("<int:pk>/preview/", view(self.preview_view), name="quizzes_question_preview"),
            path("import/", view(self.import_view), name="quizzes_question_import"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        question = get_object_or_404(
            Question.objects.select_related("misconception", "lesson").prefetch_related("choices", "cards"), pk=pk
        )
        if not self.has_view_or_change_permission(request, question):
            raise PermissionDenied
        return preview(request, question, change_url=reverse("admin:quizzes_question_change", args=[pk]))

    def has_import_questions_permission(self, request):
        return request.user.has_perm("quizzes.import_questions")

    def import_view(self, request):
        allowed = self.has_import_questions_permission(request) and self.has_add_permission(request)
        if not allowed or not self.has_change_permission(request):
            raise PermissionDenied
        return import_view(request, context={**self.admin_site.each_context(request), "opts": self.opts})

    def exported(self, queryset, writer, content_type, extension):
        questions = {
            question.slug: question.content_values()
            for question in queryset.select_related("misconception", "lesson").prefetch_related(
                "duties", "services", "choices__misconception", "cards"
            )
        }
        response = HttpResponse(writer(questions), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="questions.{extension}"'
        return response

    @admin.action(description="Export the selected questions as JSON", permissions=["import_questions"])
    def export_json(self, request, queryset):
        return self.exported(queryset, write_questions_json, "application/json; charset=utf-8", "json")

    @admin.action(description="Export the selected questions as CSV", permissions=["import_questions"])
    def export_csv(self, request, queryset):
        # The byte-order mark makes Excel open the file as UTF-8; the importer accepts it.
        return self.exported(
            queryset, lambda questions: "\ufeff" + write_csv(questions), "text/csv; charset=utf-8", "csv"
        )

    @admin.action(description="Export the selected questions as Moodle GIFT", permissions=["import_questions"])
    def export_gift(self, request, queryset):
        return self.exported(queryset, write_gift, "text/plain; charset=utf-8", "gift.txt")

    @admin.display(description="Preview as a learner")
    def preview_links(self, question):
        url = reverse("admin:quizzes_question_preview", args=[question.pk])
        return format_html('<a href="{}?mode=practice">practice</a> · <a href="{}?mode=exam">exam</a>', url, url)

    @admin.display(description="Prompt as learners see it")
    def prompt_preview(self, question):
        if not question.pk:
            return "Save the question to see its prompt rendered."
        return format_html('<div class="markdown-preview">{}</div>', markdown(question.prompt))

    @admin.action(description="Publish the selected questions", permissions=["change"])
    def publish(self, request, queryset):
        ready, refused = [], []
        for question in queryset.prefetch_related("choices", "cards"):
            question.status = Question.Status.PUBLISHED
            problems = question.problems()
            if problems:
                refused.append((question.slug, " ".join(message for part in problems.values() for message in part)))
            else:
                ready.append(question.pk)
        published = Question.objects.filter(pk__in=ready).update(status=Question.Status.PUBLISHED)
        self.message_user(request, f"{published} question(s) published.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                format_html(
                    "Not published, fix these first: {}",
                    format_html_join("; ", "<strong>{}</strong>: {}", refused),
                ),
                messages.WARNING,
            )

    @admin.action(description="Unpublish the selected questions (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(status=Question.Status.DRAFT)
        self.message_user(request, f"{count} question(s) back to draft: quizzes no longer draw them.")

    @admin.action(description="Duplicate the selected questions (as drafts)", permissions=["add"])
    def duplicate(self, request, queryset):
        with transaction.atomic():
            copies = [question.duplicate() for question in queryset]
        self.message_user(request, f"{len(copies)} draft copy(ies) made: {', '.join(c.slug for c in copies)}.")


class SelectionRuleFormSet(BaseInlineFormSet):
    """The rules of an exam may draw only the exam's kinds (the loader checks quizzes.yaml the same way)."""

    def clean(self):
        super().clean()
        if self.instance.mode != Quiz.Mode.EXAM:
            return
        problems = [
            f"Rule {number}: {problem}."
            for number, form in enumerate(self.forms, start=1)
            if not self._should_delete_form(form)
            and (problem := exam_rule_problem(getattr(form, "cleaned_data", {}).get("kind")))
        ]
        if problems:
            raise ValidationError(problems)


class SelectionRuleInline(admin.TabularInline):
    model = SelectionRule
    formset = SelectionRuleFormSet
    extra = 0
    fields = ("position", "count", "kind", "services", "category", "lesson", "skill")


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("title", "mode", "source", "question_count", "time_limit_minutes", "pass_mark", "is_published")
    list_filter = ("mode", "source", "is_published")
    search_fields = ("title", "slug")
    readonly_fields = ("questions_drawn", "loaded_hash")
    inlines = [SelectionRuleInline]

    @admin.display(description="Questions this would draw")
    def questions_drawn(self, quiz):
        if not quiz.pk:
            return "Save the quiz to see how many questions its rules draw."
        if quiz.source == Quiz.Source.REVIEW:
            return f"Up to {quiz.question_count}, from each learner's review queue (what is due for them)."
        counts = draw_counts(quiz)
        rows = format_html_join(
            "",
            "<li>{}: {} asked, from {} matching</li>",
            ((label, drawn, pool) for label, drawn, pool in counts.rules),
        )
        return format_html(
            "<strong>{} question{}</strong> per attempt<ul>{}</ul>", counts.total, pluralize(counts.total), rows
        )


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

    def get_changelist_instance(self, request):
        # The date hierarchy treats a bad year as an invalid filter, but not a year at the calendar's
        # end (?started_at__year=9999), which overflows after its check: the same answer for both.
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


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
