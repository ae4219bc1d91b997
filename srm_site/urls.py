from django.contrib import admin
from django.urls import include, path

from srm_site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("srm_site.accounts_urls")),
    path("study/", include("study.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("admin/", admin.site.urls),
]
