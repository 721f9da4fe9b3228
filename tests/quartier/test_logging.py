"""Each request has an id: in the response's X-Request-ID and in every log line it causes.

With DEBUG off the log is one JSON object a line on standard output, for the log collector;
while developing it is plain text. The proxy's own id (X-Request-ID) is kept when it is a
short string of safe characters, so that its access log and the portal's share it.
"""

import io
import json
import logging
import re

import pytest

from tests.quartier.test_settings import PRODUCTION, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(monkeypatch) -> io.StringIO:
    """What the portal's one log handler (settings.LOGGING) writes, as text."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    written = io.StringIO()
    monkeypatch.setattr(handler, "stream", written)
    return written


def test_the_proxys_request_id_is_answered_and_logged(client, log):
    response = client.get("/gibt-es-nicht/", HTTP_X_REQUEST_ID="nginx-7f3a9c01")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "nginx-7f3a9c01"
    # Django's "Not Found" line, written after the middleware has returned the response.
    assert re.search(
        r"WARNING django\.request \[nginx-7f3a9c01\] Not Found: /gibt-es-nicht/", log.getvalue()
    )


@pytest.mark.parametrize(
    "given",
    ["", "zwei wörter", "x" * 129, "id\r\nWARNING forged line", "<script>"],
    ids=["empty", "space and umlaut", "too long", "line break", "markup"],
)
def test_an_unusable_id_is_replaced_by_a_new_one(client, log, given):
    response = client.get("/gibt-es-nicht/", HTTP_X_REQUEST_ID=given)
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert f"[{request_id}] Not Found" in log.getvalue()
    assert "forged" not in log.getvalue()


def test_each_request_gets_its_own_id_and_lines_outside_a_request_none(client, log):
    ids = {client.get("/robots.txt")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    logging.getLogger("quartier").warning("Nach der Anfrage")
    assert "[-] Nach der Anfrage" in log.getvalue()


PRODUCTION_LOG = """
import logging
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
logging.getLogger("quartier.probe").warning("Beginn %s", "Straßenfest", extra={"event_id": 7})
# The 404 page links static files; a fresh clone has no collectstatic manifest to look them up.
plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}):
    Client().get("/gibt-es-nicht/", HTTP_X_REQUEST_ID="proxy-42")
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("quartier.probe").exception("Fehler")
"""


def test_production_logs_one_json_object_a_line_to_stdout(tmp_path):
    result = start(
        {
            "DEBUG": "0",
            **PRODUCTION,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        },
        PRODUCTION_LOG,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {
        "time": lines[0]["time"],
        "level": "WARNING",
        "logger": "quartier.probe",
        "message": "Beginn Straßenfest",
        "request_id": "-",
        "event_id": 7,
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", lines[0]["time"])
    not_found = next(line for line in lines if line["logger"] == "django.request")
    assert not_found["message"] == "Not Found: /gibt-es-nicht/"
    assert not_found["request_id"] == "proxy-42"
    assert not_found["status_code"] == 404
    assert lines[-1]["message"] == "Fehler"
    assert lines[-1]["request_id"] == "-"
    assert "ZeroDivisionError" in lines[-1]["exception"]
