"""One id per request, in the response's ``X-Request-ID`` header and in every log line it causes.

The proxy in front of the portal may send its own id (nginx: ``proxy_set_header X-Request-ID
$request_id``): then its access log, the portal's log and what a visitor reports share one id.
Only a short id of safe characters is taken over, so that nobody writes into the log through
the header; any other value, or none, gets a new random id.

The id lives in a context variable for the time of the request, so that the logging filter
finds it without the request being passed around (each thread and each asyncio task has its
own); a log line outside any request says ``-``.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
NO_REQUEST = "-"

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=NO_REQUEST
)


def _request_id_from(request) -> str:
    given = request.headers.get(HEADER, "")
    return given if _VALID.fullmatch(given) else uuid.uuid4().hex


def _forget_request_id(**kwargs) -> None:
    current_request_id.set(NO_REQUEST)


class RequestIdMiddleware:
    """Sets the request's id first of all, so that every later middleware's log line has it.

    The id stays set until the response is closed (Django's ``request_finished``), not only
    while the middleware runs: Django logs a response of 4xx or 5xx ("Not Found: ...") after
    the last middleware has returned it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_forget_request_id, dispatch_uid="quartier.request_id")

    def __call__(self, request):
        request.request_id = _request_id_from(request)
        current_request_id.set(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record that passes the handler it is attached to."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True
