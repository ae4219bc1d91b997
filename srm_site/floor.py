"""The benchmark's floor: the least a Django page of this site can cost.

It goes through the same middleware as every page, runs one query and renders a small template,
so `bench/bench.py` can report each page's throughput as a share of what Django itself allows on
the same machine, database and server in the same run."""

from django.shortcuts import render

from study.models import Lesson


def floor(request):
    return render(request, "floor.html", {"lesson": Lesson.objects.in_order().only("title").first()})
