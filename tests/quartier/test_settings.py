"""Production refuses to start half-configured; development needs no configuration at all.

The settings are read once per process, so each case starts a fresh Python with an environment
built from nothing: no variable of the test run (DEBUG=1, SECRET_KEY, ...) leaks into it, and a
developer's .env file beside manage.py is not read either.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DATABASE_URL": "postgres://quartier@db.example.org:5432/quartier",
    "ALLOWED_HOSTS": "quartier.example.org",
}

# Runs first in each subprocess: the settings must see only the environment the test gives.
IGNORE_DOT_ENV = """
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)
"""

SHOW_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DATABASE_OPTIONS": settings.DATABASES["default"].get("OPTIONS", {}),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "MAP_ATTRIBUTION": settings.MAP_ATTRIBUTION,
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "LOG_FORMAT": settings.LOG_FORMAT,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "HSTS": [
        settings.SECURE_HSTS_SECONDS,
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
        settings.SECURE_HSTS_PRELOAD,
    ],
}))
"""


CHECK = """
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check"])
"""


def start(environment: dict[str, str], code: str = SHOW_SETTINGS) -> subprocess.CompletedProcess:
    """Run Python in the project folder with exactly this environment (plus PATH)."""
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", IGNORE_DOT_ENV + code],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "quartier.settings",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION))
@pytest.mark.parametrize("debug", [{"DEBUG": "0"}, {}], ids=["DEBUG=0", "DEBUG unset"])
def test_production_refuses_to_start_without(missing, debug):
    environment = {name: value for name, value in PRODUCTION.items() if name != missing}
    result = start({**debug, **environment})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize("empty", sorted(PRODUCTION))
def test_production_refuses_an_empty_value(empty):
    result = start({"DEBUG": "0", **PRODUCTION, empty: ""})
    assert result.returncode != 0
    assert empty in result.stderr


def test_production_starts_with_all_three():
    result = start({"DEBUG": "0", **PRODUCTION})
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown == {
        "DEBUG": False,
        "SECRET_KEY": PRODUCTION["SECRET_KEY"],
        "ALLOWED_HOSTS": ["quartier.example.org"],
        "ENGINE": "django.db.backends.postgresql",
        # SQLite's options (see test_sqlite.py) are not passed to PostgreSQL.
        "DATABASE_OPTIONS": {},
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "STATICFILES": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        # Unset: the map shows OpenStreetMap's credit in the page's language (test_map.py).
        "MAP_ATTRIBUTION": "",
        # In the database every app server shares, with or without Redis.
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "LOG_FORMAT": "json",
        # Without the TLS proxy nothing says a request came over HTTPS: no redirect, no HSTS.
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "HSTS": [0, True, True],
    }


@pytest.mark.parametrize(
    ("environment", "redirect", "hsts"),
    [
        ({}, True, [31_536_000, True, True]),
        (
            {
                "SECURE_HSTS_SECONDS": "300",
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": "0",
                "SECURE_HSTS_PRELOAD": "0",
                "SECURE_SSL_REDIRECT": "0",
            },
            False,
            [300, False, False],
        ),
    ],
    ids=["defaults", "configured"],
)
def test_behind_the_tls_proxy_https_is_demanded_for_as_long_as_configured(
    environment, redirect, hsts
):
    result = start({"DEBUG": "0", **PRODUCTION, "BEHIND_TLS_PROXY": "1", **environment})
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["SECURE_SSL_REDIRECT"] is redirect
    assert shown["HSTS"] == hsts
    assert shown["SESSION_COOKIE_SECURE"] is True


def test_production_passes_the_system_checks(tmp_path):
    result = start(
        {"DEBUG": "0", **PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}"},
        CHECK,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


DEPLOY_CHECK = """
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
"""


@pytest.mark.parametrize(
    "shared_cache", [{}, {"REDIS_URL": "redis://127.0.0.1:6379/9"}], ids=["alone", "with Redis"]
)
def test_production_behind_the_tls_proxy_passes_the_deployment_checks(tmp_path, shared_cache):
    result = start(
        {
            "DEBUG": "0",
            **PRODUCTION,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
            "BEHIND_TLS_PROXY": "1",
            **shared_cache,
        },
        DEPLOY_CHECK,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_without_the_tls_proxy_the_deployment_checks_warn(tmp_path):
    """The checks are not silenced: served without HTTPS, they say so."""
    result = start(
        {"DEBUG": "0", **PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}"},
        DEPLOY_CHECK,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no redirect to HTTPS


@pytest.mark.django_db
def test_behind_the_tls_proxy_plain_http_is_redirected_but_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/akteure/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
    secure = client.get("/akteure/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_development_needs_no_configuration():
    result = start({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["DEBUG"] is True
    assert shown["ENGINE"] == "django.db.backends.sqlite3"
    assert shown["DATABASE_OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    assert shown["SESSION_COOKIE_SECURE"] is False


def test_time_zone_and_language():
    assert settings.TIME_ZONE == "Europe/Berlin"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "de"
    assert [code for code, _name in settings.LANGUAGES] == ["de", "en"]


def test_tests_hash_passwords_fast():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
