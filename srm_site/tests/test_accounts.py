import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
STRONG = "Resp0nsibility-model!"


def test_signup_creates_the_account_and_logs_in(client):
    response = client.post(reverse("signup"), {"username": "ana", "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="ana")
    assert user.check_password(STRONG)
    assert user.email == ""
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_keeps_an_optional_email(client):
    client.post(
        reverse("signup"),
        {"username": "ben", "email": "ben@example.org", "password1": STRONG, "password2": STRONG},
    )
    assert get_user_model().objects.get(username="ben").email == "ben@example.org"


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("short1", "short1", "too short"),
        ("password123", "password123", "too common"),
        ("12345678901", "12345678901", "entirely numeric"),
        (STRONG, STRONG + "x", "didn\u2019t match"),
    ],
)
def test_signup_refuses_weak_or_mismatched_passwords_with_a_message(client, password1, password2, message):
    response = client.post(reverse("signup"), {"username": "cy", "password1": password1, "password2": password2})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="cy").exists()


def test_signup_redirects_only_to_this_site(client):
    response = client.post(
        reverse("signup") + "?next=https://evil.example/",
        {"username": "di", "password1": STRONG, "password2": STRONG, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_login_and_logout_by_post(client, learner):
    response = client.post(reverse("login"), {"username": learner.username, "password": learner.raw_password})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get(reverse("logout")).status_code == 405  # logging out needs a POST
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_login_with_a_wrong_password_says_so(client, learner):
    response = client.post(reverse("login"), {"username": learner.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_change(client, learner):
    client.force_login(learner)
    response = client.post(
        reverse("password_change"),
        {"old_password": learner.raw_password, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(STRONG)


def test_password_reset_sends_a_link_that_sets_a_new_password(client, learner):
    learner.email = "learner@example.org"
    learner.save()
    response = client.post(reverse("password_reset"), {"email": "learner@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(STRONG)


@pytest.mark.parametrize(
    "name",
    ["login", "signup", "password_reset", "password_reset_done", "password_reset_complete"],
)
def test_account_pages_render_in_the_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and 'id="main"' in html


def test_two_signups_racing_for_one_name_get_a_message_not_an_error(client, monkeypatch, django_user_model):
    from srm_site.accounts import SignupForm

    # The rival's account is committed after this form checked that the name was free: the checks
    # pass, and only the database's unique constraint sees the clash.
    django_user_model.objects.create_user(username="sam", password="x-rival-pass-9")
    monkeypatch.setattr(SignupForm, "clean_username", lambda form: form.cleaned_data["username"])
    monkeypatch.setattr(SignupForm, "validate_unique", lambda form: None)
    response = client.post(
        "/accounts/signup/",
        {"username": "sam", "password1": "correct-horse-battery-9", "password2": "correct-horse-battery-9"},
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert django_user_model.objects.get(username="sam").check_password("x-rival-pass-9")
    assert "_auth_user_id" not in client.session
