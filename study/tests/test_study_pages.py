import pytest
from django.urls import reverse

from study.models import Duty, Lesson, Service

pytestmark = pytest.mark.django_db


def study_urls():
    """Every study page of the loaded catalog."""
    urls = [
        reverse("home"),
        reverse("study:index"),
        reverse("study:diagram"),
        reverse("study:matrix"),
        reverse("study:services"),
        reverse("study:duties"),
    ]
    urls += [lesson.get_absolute_url() for lesson in Lesson.objects.all()]
    urls += [service.get_absolute_url() for service in Service.objects.all()]
    urls += [duty.get_absolute_url() for duty in Duty.objects.all()]
    urls += [f"{reverse('study:matrix')}?category={value}" for value in Service.Category.values]
    return urls


def test_every_study_page_renders_for_an_anonymous_visitor(client, content):
    for url in study_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert html.count("<h1") == 1, f"{url} must have exactly one h1"
        assert 'href="#main"' in html and 'id="main"' in html, f"{url} needs the skip link"
        assert '<nav aria-label="Main"' in html


def test_lesson_page_shows_the_body_as_html_and_links_its_duties(client, content):
    lesson = Lesson.objects.get(slug="how-the-line-moves")
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert "<h2" in html  # Markdown rendered
    for duty in lesson.duties.all():
        assert duty.get_absolute_url() in html


def test_duty_page_links_back_to_its_lessons(client, content):
    duty = Duty.objects.filter(lessons__isnull=False).first()
    html = client.get(duty.get_absolute_url()).content.decode()
    for lesson in duty.lessons.all():
        assert lesson.get_absolute_url() in html


def test_the_first_lesson_shows_the_diagram_with_every_layer_listed(client, content):
    html = client.get(reverse("study:lesson", args=["the-model"])).content.decode()
    assert "<svg" in html
    assert html.count('class="layer-panel') == 9


def test_glossary_and_misconceptions_lessons_show_their_lists(client, content):
    glossary = client.get(reverse("study:lesson", args=["glossary"])).content.decode()
    assert "Availability Zone" in glossary and '<dl class="glossary">' in glossary
    myths = client.get(reverse("study:lesson", args=["misconceptions"])).content.decode()
    assert myths.count('class="misconception"') >= 7


def test_ec2_page_puts_guest_os_patching_with_the_customer(client, content):
    response = client.get(reverse("study:service", args=["ec2"]))
    customer_rows = [duty.slug for duty, _row in response.context["customer_rows"]]
    aws_rows = [duty.slug for duty, _row in response.context["aws_rows"]]
    assert "patch-guest-os" in customer_rows
    assert "physical-security-of-data-centres" in aws_rows


def test_rds_page_puts_os_patching_with_aws(client, content):
    response = client.get(reverse("study:service", args=["rds"]))
    assert "patch-guest-os" in [duty.slug for duty, _row in response.context["aws_rows"]]


def test_matrix_cells_say_the_owner_in_words(client, content):
    html = client.get(reverse("study:matrix")).content.decode()
    assert 'class="owner owner-customer"' in html
    assert "Customer</span>" in html and "AWS</span>" in html and "Shared</span>" in html
    assert "<details" in html  # each cell opens its explanation


def test_matrix_filters_services_by_category(client, content):
    response = client.get(reverse("study:matrix"), {"category": "abstracted"})
    assert response.status_code == 200
    assert {service.category for service in response.context["services"]} == {"abstracted"}
    assert "Amazon EC2" not in [service.name for service in response.context["services"]]


def test_matrix_with_an_unknown_category_says_so_with_a_400(client, content):
    response = client.get(reverse("study:matrix"), {"category": "<script>"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main")[1].split("</main>")[0].replace(
        "&lt;script&gt;", ""
    )


@pytest.mark.parametrize("name", ["study:lesson", "study:service", "study:duty"])
def test_unknown_slugs_get_404(client, content, name):
    assert client.get(reverse(name, args=["no-such-thing"])).status_code == 404


def test_home_page_explains_of_and_in_and_links_to_study_and_practice(client, content):
    html = client.get(reverse("home")).content.decode()
    assert "Security <em>of</em> the cloud" in html and "Security <em>in</em> the cloud" in html
    assert reverse("study:index") in html and reverse("quizzes:list") in html
