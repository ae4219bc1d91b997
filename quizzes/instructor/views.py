"""Instructor reports in the admin: item statistics and the cohort page, with its CSV.

The admin site already turns away anyone without staff status; these views also need the
`quizzes.view_statistics` permission, because the figures describe every learner."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from quizzes.instructor import cohort as cohort_report
from quizzes.instructor import statistics
from quizzes.models import Kind
from study.models import Lesson

PERMISSION = "quizzes.view_statistics"


def require_statistics_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def item_statistics(request, admin_site):
    require_statistics_permission(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    lessons = list(Lesson.objects.in_order().values_list("pk", "title"))
    # Matched against the real lessons, so that no stray value reaches the query.
    lesson_id = next((pk for pk, _title in lessons if str(pk) == request.GET.get("lesson")), None)
    flagged_only = request.GET.get("flagged") == "1"
    order = request.GET.get("order") if request.GET.get("order") in statistics.ORDERS else "flags"
    rows = statistics.question_statistics(kind=kind, lesson_id=lesson_id, flagged_only=flagged_only, order=order)
    context = {
        **admin_site.each_context(request),
        "title": "Item statistics",
        "rows": rows[: statistics.ROWS_SHOWN],
        "row_total": len(rows),
        "rows_shown": statistics.ROWS_SHOWN,
        "misconceptions": statistics.misconception_statistics(),
        "min_answers": statistics.MIN_ANSWERS_FOR_FLAGS,
        "too_easy_above": statistics.TOO_EASY_ABOVE,
        "too_hard_below": statistics.TOO_HARD_BELOW,
        "poor_discrimination_below": statistics.POOR_DISCRIMINATION_BELOW,
        "kinds": Kind.choices,
        "lessons": lessons,
        "selected": {"kind": kind, "lesson": lesson_id, "flagged": flagged_only, "order": order},
    }
    return render(request, "admin/quizzes/statistics.html", context)


def cohort(request, admin_site):
    require_statistics_permission(request)
    context = {
        **admin_site.each_context(request),
        "title": "Cohort report",
        "distributions": cohort_report.score_distribution(),
        "bucket_labels": cohort_report.BUCKET_LABELS,
        "mastery": [("Lesson", cohort_report.lesson_mastery()), ("Service", cohort_report.service_mastery())],
        "idle": cohort_report.idle_learners(timezone.now()),
    }
    return render(request, "admin/quizzes/cohort.html", context)


def cohort_csv(request, admin_site):
    require_statistics_permission(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="srm-cohort.csv"'
    writer = csv.writer(response)
    writer.writerow(cohort_report.CSV_HEADER)
    writer.writerows(cohort_report.csv_rows())
    return response
