"""Production settings: `check --deploy` passes with debug off, and the HTTPS, HSTS, proxy, cache,
session and login-throttling settings follow their environment variables. Settings are read once at
import, so each case runs in a fresh Python process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
ONE_YEAR = 365 * 24 * 3600

PRINT_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_HSTS_PRELOAD": settings.SECURE_HSTS_PRELOAD,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_REFERRER_POLICY": settings.SECURE_REFERRER_POLICY,
    "X_FRAME_OPTIONS": settings.X_FRAME_OPTIONS,
    "SECURE_CONTENT_TYPE_NOSNIFF": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "AXES_FAILURE_LIMIT": settings.AXES_FAILURE_LIMIT,
    "AXES_COOLOFF_SECONDS": settings.AXES_COOLOFF_TIME.total_seconds(),
    "PROXY_COUNT": settings.PROXY_COUNT,
}))
"""


def production_env(**overrides):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "srm.example.org",
        **overrides,
    }


def run(args, env_overrides):
    # Only what the case sets: nothing from the environment the suite itself runs in.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "srm_site.settings", **env_overrides})
    return subprocess.run(args, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)


def deploy_check(env_overrides):
    return run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env_overrides)


def settings_with(env_overrides):
    result = run([sys.executable, "-c", PRINT_SETTINGS], env_overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_deploy_check_passes_with_production_settings():
    result = deploy_check(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"DJANGO_SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"DJANGO_HSTS_SECONDS": "0"}, "security.W004"),
        ({"DJANGO_SECRET_KEY": "too-short-and-guessable"}, "security.W009"),
    ],
)
def test_the_deploy_check_fails_on_a_weakened_production_setting(overrides, warning):
    result = deploy_check(production_env(**overrides))
    assert result.returncode != 0
    assert warning in result.stderr


@pytest.mark.parametrize(
    "overrides",
    [{"DJANGO_HSTS_INCLUDE_SUBDOMAINS": "0"}, {"DJANGO_HSTS_PRELOAD": "1"}, {"DJANGO_TRUST_X_FORWARDED_PROTO": "1"}],
)
def test_the_deploy_check_passes_with_each_hsts_and_proxy_choice(overrides):
    result = deploy_check(production_env(**overrides))
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_turns_on_https_only_cookies_redirect_and_a_year_of_hsts():
    assert settings_with(production_env()) == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": ONE_YEAR,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "AXES_FAILURE_LIMIT": 5,
        "AXES_COOLOFF_SECONDS": 15 * 60,
        "PROXY_COUNT": 0,
    }


def test_debug_on_keeps_plain_http_working_for_a_developer():
    settings = settings_with({})
    assert settings["DEBUG"] is True
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False


def test_the_ssl_redirect_can_be_turned_off_for_a_proxy_or_a_local_measurement():
    assert settings_with(production_env(DJANGO_SECURE_SSL_REDIRECT="0"))["SECURE_SSL_REDIRECT"] is False


def test_hsts_length_subdomains_and_preload_come_from_the_environment():
    settings = settings_with(
        production_env(DJANGO_HSTS_SECONDS="3600", DJANGO_HSTS_INCLUDE_SUBDOMAINS="0", DJANGO_HSTS_PRELOAD="1")
    )
    assert settings["SECURE_HSTS_SECONDS"] == 3600
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert settings["SECURE_HSTS_PRELOAD"] is True


def test_x_forwarded_proto_is_trusted_only_when_asked():
    assert settings_with(production_env())["SECURE_PROXY_SSL_HEADER"] is None
    trusted = settings_with(production_env(DJANGO_TRUST_X_FORWARDED_PROTO="1"))
    assert trusted["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_redis_url_backs_the_cache_and_cached_db_sessions():
    settings = settings_with(production_env(REDIS_URL="redis://127.0.0.1:6379/0"))
    assert settings["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_login_throttling_and_proxy_count_come_from_the_environment():
    settings = settings_with(
        production_env(DJANGO_LOGIN_FAILURE_LIMIT="3", DJANGO_LOGIN_LOCKOUT_MINUTES="60", DJANGO_PROXY_COUNT="1")
    )
    assert settings["AXES_FAILURE_LIMIT"] == 3
    assert settings["AXES_COOLOFF_SECONDS"] == 3600
    assert settings["PROXY_COUNT"] == 1
