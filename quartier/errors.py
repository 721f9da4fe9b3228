"""The error pages (400, 403, 404, 429, 500) in the portal's look, which never fail themselves.

An error page is shown because something failed, so it must not ask again for what may have:
the Host header (a host not in ALLOWED_HOSTS), the request's body (a charset Django refuses),
the session and the user (the database). Django's own handlers render with every context
processor, and they are decorated with ``requires_csrf_token``, which reads the body of a POST
once more. When that raises, every middleware logs the error and renders the 500 page, which
raises as well, until the server answers with its bare 500.

These handlers render the templates with the portal's context processor only (it reads the
path, never the host or the body) and the user where the database can still tell who it is.
The error templates contain no form, so they need no CSRF token. Messages stay for the next
page.
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from .context_processors import portal

logger = logging.getLogger(__name__)


def _user(request):
    """The logged-in user for the header, or an anonymous one when the database is down."""
    # Missing when the request failed before AuthenticationMiddleware (a host not allowed).
    user = getattr(request, "user", None)
    if user is None:
        return AnonymousUser()
    try:
        return user if user.is_authenticated else AnonymousUser()
    except DatabaseError:
        return AnonymousUser()


def render_error_page(request, template_name: str, status: int, *, with_user: bool = True):
    context = {**portal(request), "user": _user(request) if with_user else AnonymousUser()}
    return HttpResponse(render_to_string(template_name, context), status=status)


def bad_request(request, exception):
    """Also the answer to a form too large to read (settings: "Request limits").

    Django refuses such a request before any view sees it and calls this handler; the page then
    says what went wrong, with 413 when the data was too large and 400 for too many fields.
    """
    if isinstance(exception, RequestDataTooBig):
        return render_error_page(request, "413.html", 413)
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return render_error_page(request, "413.html", 400)
    return render_error_page(request, "400.html", 400)


def permission_denied(request, exception):
    return render_error_page(request, "403.html", 403)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (a page kept open for days, cookies blocked).

    The 403 page asks to reload the page and send the form again.
    """
    return render_error_page(request, "403.html", 403)


def page_not_found(request, exception):
    return render_error_page(request, "404.html", 404)


def too_many_requests(request, exception=None):
    """allauth's rate limits (too many logins, sign-ups, password resets) answer with this."""
    return render_error_page(request, "429.html", 429)


def server_error(request):
    """The 500 page, without the user: whatever failed may fail again when asked.

    It is the portal's last answer. Should even this page fail, a plain page stands in, so that
    the error is logged once and the visitor still reads what happened.
    """
    try:
        return render_error_page(request, "500.html", 500, with_user=False)
    except Exception:
        logger.exception("The page for a server error could not be shown")
        return HttpResponse(
            format_html(
                '<!DOCTYPE html><html lang="{}"><meta charset="utf-8"><title>{}</title>'
                "<h1>{}</h1><p>{}</p></html>",
                get_language() or "de",
                gettext("Something went wrong"),
                gettext("Something went wrong"),
                gettext(
                    "The page could not be shown because of an error on our side. We have been "
                    "informed. Please try again later."
                ),
            ),
            status=500,
        )
