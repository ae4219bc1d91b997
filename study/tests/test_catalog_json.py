import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_catalog_json_has_exactly_the_published_shape(client, content):
    response = client.get(reverse("study:catalog_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"version", "owners", "services", "duties", "misconceptions"}
    assert data["version"] == 1
    assert data["owners"] == ["aws", "customer", "shared"]
    service_slugs = {service["slug"] for service in data["services"]}
    for service in data["services"]:
        assert set(service) == {"slug", "name", "category"}
        assert service["category"] in {"infrastructure", "managed", "abstracted"}
    duty_slugs = set()
    for duty in data["duties"]:
        assert set(duty) == {"slug", "name", "description", "layer", "responsibilities"}
        duty_slugs.add(duty["slug"])
        assert duty["responsibilities"]
        for row in duty["responsibilities"]:
            assert set(row) == {"service", "owner", "explanation", "source"}
            assert row["service"] is None or row["service"] in service_slugs
            assert row["owner"] in data["owners"]
            assert row["source"].startswith("https://")
    for item in data["misconceptions"]:
        assert set(item) == {"slug", "belief", "correction", "duties"}
        assert set(item["duties"]) <= duty_slugs


def test_catalog_json_lists_the_any_service_row_as_null(client, content):
    data = client.get(reverse("study:catalog_json")).json()
    physical = next(duty for duty in data["duties"] if duty["slug"] == "physical-security-of-data-centres")
    assert physical["responsibilities"][0]["service"] is None
    assert physical["responsibilities"][0]["owner"] == "aws"
