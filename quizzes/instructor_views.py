"""Instructor reports in the admin: item statistics and the cohort page (filled in next)."""

from django.http import Http404


def item_statistics(request, admin_site):
    raise Http404


def cohort(request, admin_site):
    raise Http404


def cohort_csv(request, admin_site):
    raise Http404
