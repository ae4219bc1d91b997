"""Smoke test of every ModelAdmin of the study app: list, add, change and search pages load."""

import pytest
from django.contrib import admin
from django.urls import reverse

from study.models import Responsibility

pytestmark = pytest.mark.django_db

STUDY_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "study"]


@pytest.mark.parametrize("model", STUDY_ADMINS, ids=lambda model: model.__name__)
def test_admin_pages_load_for_a_superuser(admin_client, content, model):
    info = (model._meta.app_label, model._meta.model_name)
    assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "patch"}).status_code == 200
    assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200


def test_an_edit_in_the_admin_survives_the_next_load(admin_client, content):
    from django.core.management import call_command

    row = Responsibility.objects.select_related("duty", "service", "source").filter(service__isnull=False).first()
    url = reverse("admin:study_responsibility_change", args=[row.pk])
    response = admin_client.post(
        url,
        {
            "duty": row.duty_id,
            "service": row.service_id,
            "owner": row.owner,
            "explanation": "Rewritten by an instructor.",
            "source": row.source_id,
        },
    )
    assert response.status_code == 302
    call_command("load_content", verbosity=0)
    row.refresh_from_db()
    assert row.explanation == "Rewritten by an instructor."


def test_study_admin_covers_every_study_model():
    from django.apps import apps

    assert set(STUDY_ADMINS) == set(apps.get_app_config("study").get_models())
