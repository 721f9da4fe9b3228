"""Two app servers behind one load balancer serve as one: they keep no state of their own.

Two gunicorn instances with production settings (DEBUG off, the collected static files) on two
ports share one PostgreSQL database and one Redis, as several app servers behind a load
balancer do. A visitor's browser is one cookie jar for both, as it is for the balancer's one
address: signed in on one, signed in on the other; a page the other has cached shows a change
at once; a rate limit counted on one holds on the other.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, manage, run

EMAIL = "nachbarin@example.org"
PASSWORD = "ein-langes-passwort-fuer-den-test"  # noqa: S105 - a test account's
IMPRINT = "/impressum/"

SET_UP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from quartier.models import Page

user = get_user_model().objects.create_user("nachbarin", {EMAIL!r}, {PASSWORD!r})
EmailAddress.objects.create(user=user, email={EMAIL!r}, verified=True, primary=True)
Page.objects.update_or_create(
    slug="impressum", defaults={{"title": "Impressum", "body": "Verantwortlich: Erster Stand."}}
)
"""

CHANGE_IMPRINT = """
from quartier.models import Page

page = Page.objects.get(slug="impressum")
page.body = "Verantwortlich: Zweiter Stand."
page.save()
"""


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """The static files collected once per test run, as `collectstatic` does for production.

    Hashed names and the manifest as in production; whitenoise's compressed copies are left
    out (they take a minute to make and change nothing here): the servers serve the manifest's
    files all the same.
    """
    root = tmp_path_factory.mktemp("static")
    collect = (
        "import quartier.settings as portal\n"
        "portal.STORAGES['staticfiles'] = "
        "{'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}\n"
        "from django.core.management import execute_from_command_line\n"
        "execute_from_command_line(['manage.py', 'collectstatic', '--noinput', '-v', '0'])\n"
    )
    run([sys.executable, "-c", collect], production_environment(STATIC_ROOT=str(root)))
    return root


def production_environment(**values: str) -> dict[str, str]:
    """Production settings from nothing: no variable of the test run leaks in."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
        "DEBUG": "0",
        "SECRET_KEY": "two-instances-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP between the test and the servers, as behind the TLS proxy.
        "SECURE_COOKIES": "0",
        "REDIS_URL": "",
        "PAGE_CACHE_SECONDS": "600",
        "FORM_RATE_LIMIT_PER_HOUR": "2",
        "FORM_MIN_FILL_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "FAST_PASSWORD_HASHER": "1",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        **values,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One app server: gunicorn with the committed gunicorn.conf.py."""

    def __init__(self, environment: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own server
                [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py"],
                cwd=ROOT,
                env={
                    **environment,
                    "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    "WEB_CONCURRENCY": "1",
                    "GUNICORN_THREADS": "2",
                },
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn ended:\n{self.log.read_text()}"
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise AssertionError(f"{self.url} did not become healthy:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def servers(scratch_database, redis_database, static_root, tmp_path_factory):
    files = tmp_path_factory.mktemp("files")
    environment = production_environment(
        DATABASE_URL=scratch_database,
        REDIS_URL=redis_database,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(files / "media"),
        DOCUMENTS_ROOT=str(files / "documents"),
        PHOTO_ORIGINALS_ROOT=str(files / "originals"),
    )
    manage("migrate", "--noinput", "-v", "0", environment=environment)
    manage("shell", "-v", "0", "-c", SET_UP, environment=environment)
    started = [Server(environment, files / f"gunicorn-{name}.log") for name in ("a", "b")]
    try:
        for server in started:
            server.wait_until_healthy()
        yield started[0], started[1], environment
    finally:
        for server in started:
            server.stop()


class Browser:
    """One visitor: one cookie jar and one host name for both servers, as for the load
    balancer's one address; redirects not followed, so that each answer is seen as it is."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(self, url: str, form: dict[str, str] | None = None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        # The one name the load balancer answers to, whichever server gets the request.
        request = urllib.request.Request(url, data=data, headers={"Host": "localhost"})  # noqa: S310
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx, 4xx, 5xx: an answer all the same
            response = error
        with response:
            return response.status, response.headers, response.read().decode()

    def csrf_token(self, url: str) -> str:
        status, _headers, body = self.request(url)
        assert status == 200, body
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def test_signed_in_on_one_is_signed_in_on_the_other(servers):
    server_a, server_b, _environment = servers
    browser = Browser()
    status, _headers, _body = browser.request(f"{server_b.url}/konto/")
    assert status == 302, "not signed in yet"

    token = browser.csrf_token(f"{server_a.url}/konto/login/")
    status, headers, body = browser.request(
        f"{server_a.url}/konto/login/",
        {"csrfmiddlewaretoken": token, "login": EMAIL, "password": PASSWORD},
    )
    assert status == 302, body
    assert "sessionid" in {cookie.name for cookie in browser.cookies}

    status, _headers, body = browser.request(f"{server_b.url}/konto/")
    assert status == 200
    assert EMAIL in body


def test_a_change_shows_through_the_other_at_once_page_cache_included(servers):
    server_a, server_b, environment = servers
    visitor = Browser()
    first = visitor.request(f"{server_b.url}{IMPRINT}")
    assert first[0] == 200
    assert "Erster Stand" in first[2]
    status, headers, body = visitor.request(f"{server_b.url}{IMPRINT}")
    assert headers["X-Page-Cache"] == "hit", "B serves the page from the cache now"
    # A finds it in the cache they share.
    assert visitor.request(f"{server_a.url}{IMPRINT}")[1]["X-Page-Cache"] == "hit"

    # Saved by a third process, as an editor's save on any app server is.
    manage("shell", "-v", "0", "-c", CHANGE_IMPRINT, environment=environment)

    for server in (server_b, server_a):
        status, headers, body = visitor.request(f"{server.url}{IMPRINT}")
        assert status == 200
        assert "Zweiter Stand" in body, server.url
        assert "Erster Stand" not in body


def test_a_rate_limit_counted_on_one_holds_on_the_other(servers):
    server_a, server_b, _environment = servers
    visitor = Browser()
    token = visitor.csrf_token(f"{server_a.url}/mitmachen/")
    # FORM_RATE_LIMIT_PER_HOUR=2: every POST of the form counts, valid or not.
    answers = [
        visitor.request(f"{server.url}/mitmachen/", {"csrfmiddlewaretoken": token})[0]
        for server in (server_a, server_b, server_a, server_b)
    ]
    # Counted apart, each server would have let two through.
    assert answers == [200, 200, 429, 429]


def test_each_log_line_is_json_with_the_request_id(servers):
    server_a, _server_b, _environment = servers
    status, headers, _body = Browser().request(f"{server_a.url}/gibt-es-nicht/")
    assert status == 404
    request_id = headers["X-Request-ID"]
    # Django logs the 404 while it answers, gunicorn its access line once the answer is sent:
    # wait for both.
    deadline = time.monotonic() + 10
    while True:
        # Whole lines only: the last one may be in the middle of being written.
        whole = server_a.log.read_text().split("\n")[:-1]
        lines = [json.loads(line) for line in whole if line]
        for_request = [line for line in lines if line.get("request_id") == request_id]
        if len(for_request) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    # Django's warning for the 404 and gunicorn's access line, both naming the request.
    assert {line["logger"] for line in for_request} == {"django.request", "gunicorn.access"}
    access = next(line for line in for_request if line["logger"] == "gunicorn.access")
    assert access["status_code"] == 404
    assert access["path"] == "/gibt-es-nicht/"
