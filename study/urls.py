from django.urls import path

from study import views

app_name = "study"

urlpatterns = [
    path("", views.lesson_list, name="index"),
    path("diagram/", views.diagram, name="diagram"),
    path("matrix/", views.matrix, name="matrix"),
    path("services/", views.service_list, name="services"),
    path("services/<slug:slug>/", views.service_detail, name="service"),
    path("duties/", views.duty_list, name="duties"),
    path("duties/<slug:slug>/", views.duty_detail, name="duty"),
    path("catalog.json", views.catalog_json, name="catalog_json"),
    # Last: lesson slugs may not take the names above (the loader refuses them).
    path("<slug:slug>/", views.lesson_detail, name="lesson"),
]
