"""Login throttling (django-axes) on the site login and the admin login, a fresh session key at
login, and `next=` redirects that never leave the site."""

import re
from datetime import datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from srm_site.lockout import client_ip

pytestmark = pytest.mark.django_db
STRONG = "Resp0nsibility-model!"
LOGIN_URLS = [reverse("login"), reverse("admin:login")]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Dozens of logins per test: a slow hash is the point in production, only a wait here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fail(client, url, username, times, **extra):
    response = None
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong-password"}, **extra)
    return response


def log_in(client, url, user, **extra):
    return client.post(url, {"username": user.username, "password": user.raw_password}, **extra)


def test_lockout_defaults_are_five_failures_and_fifteen_minutes_per_username_and_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AXES_ENABLED is True


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_four_failures_show_the_form_again_and_the_fifth_locks_with_a_429_page(client, make_instructor, url):
    user = make_instructor()
    response = fail(client, url, user.username, 4)
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()

    response = fail(client, url, user.username, 1)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    html = response.content.decode()
    assert html.count("<h1") == 1 and 'id="main"' in html  # the site's own layout, also for the admin login
    assert "Too many failed logins" in html
    assert "paused for 15 minutes" in html
    assert "Try again after" in html
    assert f'href="{reverse("password_reset")}"' in html


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_locked_username_cannot_log_in_even_with_the_right_password(client, make_instructor, url):
    user = make_instructor()
    fail(client, url, user.username, 5)
    response = log_in(client, url, user)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_when_to_try_again(client, learner):
    before = timezone.now()
    response = fail(client, reverse("login"), learner.username, 5)
    after = timezone.now()
    shown = re.search(r'<time datetime="([^"]+)">(\d\d:\d\d) UTC</time>', response.content.decode())
    retry_at = datetime.fromisoformat(shown.group(1))
    assert before + timedelta(minutes=15) <= retry_at <= after + timedelta(minutes=15)
    assert shown.group(2) == f"{retry_at:%H:%M}"


def test_the_lock_holds_only_for_that_username_from_that_address(client, learner, make_learner):
    fail(client, reverse("login"), learner.username, 5, REMOTE_ADDR="203.0.113.7")
    assert log_in(client, reverse("login"), learner, REMOTE_ADDR="203.0.113.7").status_code == 429
    # The same learner from elsewhere, and another learner from the same address, still get in.
    assert log_in(client, reverse("login"), learner, REMOTE_ADDR="198.51.100.9").status_code == 302
    client.post(reverse("logout"))
    assert log_in(client, reverse("login"), make_learner(), REMOTE_ADDR="203.0.113.7").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, learner):
    fail(client, reverse("login"), learner.username, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, reverse("login"), learner).status_code == 302


def test_a_successful_login_clears_the_failures(client, learner):
    fail(client, reverse("login"), learner.username, 4)
    assert log_in(client, reverse("login"), learner).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.post(reverse("logout"))
    assert fail(client, reverse("login"), learner.username, 4).status_code == 200


def test_the_failure_limit_and_lockout_length_follow_the_settings(client, learner, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    response = fail(client, reverse("login"), learner.username, 2)
    assert response.status_code == 429
    assert response["Retry-After"] == str(30 * 60)
    assert "paused for 30 minutes" in response.content.decode()


# --- the client's address ---------------------------------------------------------------------------


def request_from(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post("/accounts/login/", **headers)


def test_without_a_proxy_the_connection_is_the_client_whatever_x_forwarded_for_says(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "192.0.2.66, 198.51.100.1", "198.51.100.1"),  # the client wrote the first entry itself
        (2, "192.0.2.66, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.1"),  # fewer entries than proxies: it did not come through them
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_behind_proxies_the_client_is_the_address_the_outermost_proxy_saw(settings, proxies, forwarded_for, expected):
    settings.PROXY_COUNT = proxies
    assert client_ip(request_from("10.0.0.1", forwarded_for)) == expected


def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(client, learner, settings):
    settings.PROXY_COUNT = 1
    fail(client, reverse("login"), learner.username, 5, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    blocked = log_in(client, reverse("login"), learner, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert blocked.status_code == 429
    # A client cannot slip out by prefixing its own X-Forwarded-For entry...
    spoofed = log_in(
        client, reverse("login"), learner, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert spoofed.status_code == 429
    # ...while another client behind the same proxy logs in.
    other = log_in(client, reverse("login"), learner, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 302


# --- sessions and redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_the_session_key_changes_at_login(client, make_instructor, url):
    user = make_instructor()
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    assert log_in(client, url, user).status_code == 302
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_also_starts_a_new_session(client):
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    client.post(reverse("signup"), {"username": "newcomer", "password1": STRONG, "password2": STRONG})
    assert "_auth_user_id" in client.session
    assert client.session.session_key != before


OFFSITE = ["https://evil.example/", "//evil.example", "/\\evil.example", "http://evil.example/quizzes/"]


@pytest.mark.parametrize("target", OFFSITE)
def test_login_never_redirects_off_the_site(client, learner, target):
    page = client.get(reverse("login"), {"next": target})
    assert "evil.example" not in page.content.decode()
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": learner.username, "password": learner.raw_password, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


@pytest.mark.parametrize("target", OFFSITE)
def test_signup_never_redirects_off_the_site(client, target):
    response = client.post(
        f"{reverse('signup')}?next={target}",
        {"username": "newcomer", "password1": STRONG, "password2": STRONG, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", OFFSITE)
def test_the_admin_login_never_redirects_off_the_site(client, instructor, target):
    response = client.post(
        f"{reverse('admin:login')}?next={target}",
        {"username": instructor.username, "password": instructor.raw_password, "next": target},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_login_and_signup_follow_a_next_on_this_site(client, learner):
    response = client.post(
        reverse("login"), {"username": learner.username, "password": learner.raw_password, "next": "/progress/"}
    )
    assert response["Location"] == "/progress/"
    client.post(reverse("logout"))
    response = client.post(
        reverse("signup"), {"username": "newcomer", "password1": STRONG, "password2": STRONG, "next": "/study/"}
    )
    assert response["Location"] == "/study/"


def test_tests_log_in_with_force_login_or_with_client_login_given_a_request(client, learner):
    """axes refuses to authenticate without the request it counts failures against."""
    assert client.login(request=HttpRequest(), username=learner.username, password=learner.raw_password)
    client.logout()
    client.force_login(learner)
    assert client.get(reverse("progress")).status_code == 200
