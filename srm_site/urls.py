from django.contrib import admin
from django.urls import include, path

from quizzes.progress import views as progress_views
from srm_site import floor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("srm_site.accounts_urls")),
    path("study/", include("study.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("progress/", progress_views.progress_page, name="progress"),
    path("progress/history.csv", progress_views.progress_csv, name="progress_csv"),
    path("progress/review-schedule/", progress_views.review_schedule, name="review_schedule"),
    path("admin/", admin.site.urls),
    path("bench/floor/", floor.floor, name="bench_floor"),
]
