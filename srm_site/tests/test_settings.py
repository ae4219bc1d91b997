"""The settings module: environment variables, defaults and the refusal to start unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PROJECT = Path(__file__).resolve().parents[2]


def run_settings(env_overrides, code="from django.conf import settings; print(settings.DEBUG)"):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "srm_site.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_a_secret_key_refuses_to_start_with_a_clear_message():
    result = run_settings({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_off_with_a_secret_key_starts_with_hashed_compressed_static_files():
    result = run_settings(
        {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "srm.example.org"},
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS, "
        "settings.STORAGES['staticfiles']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['srm.example.org'] whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_database_url_selects_postgresql():
    result = run_settings(
        {"DATABASE_URL": "postgres://someone@db.internal:5432/srm"},
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql db.internal srm"


def test_redis_url_selects_the_redis_cache():
    result = run_settings(
        {"REDIS_URL": "redis://127.0.0.1:6379/1"},
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses another database")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_sqlite_file_database_really_uses_wal(tmp_path):
    result = run_settings(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}"},
        "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode'); "
        "print(c.fetchone()[0])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"


def test_password_validators_are_on():
    names = {validator["NAME"].rsplit(".", 1)[1] for validator in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= names


def test_the_site_hashes_passwords_with_djangos_slow_default_not_the_tests_fast_one():
    # The suite swaps in MD5 for speed (conftest.py); the site itself must keep Django's PBKDF2.
    result = run_settings({}, "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
