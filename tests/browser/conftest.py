"""Fixtures of the browser tests: the system Chromium, axe-core, and a log of every request.

Playwright's sync API runs an event loop in the main thread, so Django would refuse database
access in the tests (SynchronousOnlyOperation); the tests themselves are synchronous, which makes
the variable below safe. Django reads it at each database call, so setting it when this
conftest is imported, before any test runs, is early enough.
"""

import importlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from tests.browser.chromium import find_chromium, missing_message, skip_requested

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).resolve().parent
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# --no-first-run and the --disable-* switches keep Chromium from calling Google's servers.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Every test in tests/browser is a browser test; SKIP_BROWSER_TESTS=1 skips them all.

    Without that variable a missing Chromium fails the tests (see browser_type_launch_args):
    a machine without a browser must not pass the suite silently.
    """
    skip = pytest.mark.skip(reason="SKIP_BROWSER_TESTS=1: browser tests skipped on request")
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if skip_requested():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = find_chromium()
    if executable is None:
        pytest.fail(missing_message(), pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened relative to the live server: ``page.goto("/akteure/")``.

    Defining it here also replaces pytest-playwright's fallback fixture, a method on a plugin
    class that pytest 9 deprecates (an error under our filterwarnings).
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp: the portal's Content-Security-Policy allows no injected script, axe included.
    return {**browser_context_args, "bypass_csp": True, "locale": "de-DE"}


@pytest.fixture
def default_pages(db):
    """The contact, legal-notice and privacy pages as the data migration creates them.

    Transactional tests empty every table when they end, migration data included, so the
    pages are created again here (the migration's function is idempotent).
    """
    migration = importlib.import_module("quartier.migrations.0002_default_pages")
    migration.create_pages(apps, None)


@pytest.fixture
def demo_data(db):
    """The real participants, as `make run` shows them (the command is idempotent)."""
    call_command("load_demo", stdout=io.StringIO())


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        targets = [
            " ".join(str(part) for part in node["target"]) for node in violation["nodes"][:3]
        ]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f" [{violation['helpUrl']}]"
        )
        lines.append(f"    on {', '.join(targets)}{f' and {more} more' if more > 0 else ''}")
    return "\n".join(lines)


def check_accessible(page) -> None:
    """Run axe-core's WCAG 2.1 A/AA rules on the page as it is now; fail on any violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    # Only the violations come back: the passes, with every node checked, would be sent from the
    # browser too, which took longer than the check itself.
    violations = page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
        }).then((results) => results.violations)""",
        AXE_TAGS,
    )
    assert not violations, _format_violations(page.url, violations)


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)`` runs axe on the page and fails listing what it found."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (make setup).", pytrace=False)
    return check_accessible


@dataclass
class RequestLog:
    """What the page asked for, and what came back, in order."""

    requests: list = field(default_factory=list)
    responses: list = field(default_factory=list)

    def urls(self) -> list[str]:
        return [request.url for request in self.requests]

    def foreign(self, origin: str) -> list[str]:
        """The URLs of requests to any other origin than ``origin`` (data: URLs are none)."""
        expected = urlsplit(origin)
        return [
            url
            for url in self.urls()
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url)[:2] != expected[:2]
        ]

    def failed(self) -> list[str]:
        """Responses with an error status: a broken stylesheet, font or image."""
        return [
            f"{response.status} {response.url}"
            for response in self.responses
            if response.status >= 400
        ]

    def status_of(self, path: str) -> int | None:
        """The status of the last response whose path ends with ``path``."""
        for response in reversed(self.responses):
            if urlsplit(response.url).path.endswith(path):
                return response.status
        return None


@pytest.fixture
def request_log(page) -> RequestLog:
    """Records every request the page makes from now on and every response it receives."""
    log = RequestLog()
    # Playwright wraps the handler, which a bound method of a builtin list does not allow.
    page.on("request", lambda request: log.requests.append(request))
    page.on("response", lambda response: log.responses.append(response))
    return log
