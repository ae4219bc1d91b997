from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from study.models import Lesson


def home(request):
    return render(request, "home.html", {"lessons": Lesson.objects.in_order()})


@never_cache
def healthz(request):
    """Liveness and readiness for load balancers: 200 once the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "unavailable", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
