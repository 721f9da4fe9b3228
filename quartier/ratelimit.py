"""Rate limits per client address, counted in the cache (see settings.CACHES).

``limit_exceeded(request, scope="application", limit=10, period=3600)`` counts one attempt and
says whether the address has made more than ``limit`` attempts in the current period.
Fixed windows are enough here: the point is to stop floods, not to meter exactly.

Forms of the public (applications, event registrations, account deletion) use the two
``form_*`` helpers, which count the same way on every form:

- ``form_post_limited`` counts every POST of the form, whether it is valid or shown again
  with errors (a correction counts like a new try), before anything is checked: a client that
  floods a form is refused without costing a validation, and a password form cannot be used to
  guess without limit. The limit (``settings.FORM_RATE_LIMIT_PER_HOUR``) leaves ample room for
  a person who corrects a form several times.
- ``form_email_limited`` counts, for a valid form, the e-mail it is about to send to the
  address given, so that nobody floods a stranger's inbox from many connections.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

# One notion of the client's address for every limit (allauth's too: quartier/accounts/adapter.py).
from quartier.client_address import client_address

__all__ = [
    "client_address",
    "form_email_limited",
    "form_post_limited",
    "limit_exceeded",
    "limit_reached",
]


def _key(scope: str, value: str, period: int) -> str:
    window = int(time.time() // period)
    # A keyed hash: the cache holds no readable addresses, and without SECRET_KEY the short
    # list of all IPv4 addresses cannot be tried against it.
    digest = salted_hmac("quartier.ratelimit", f"{scope}:{value}").hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{digest}"


def limit_exceeded(request, *, scope: str, limit: int, period: int = 3600, value: str = "") -> bool:
    """Count an attempt for the client address (or ``value``, e.g. an e-mail address)."""
    key = _key(scope, value or client_address(request), period)
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count > limit


def limit_reached(request, *, scope: str, limit: int, period: int = 3600, value: str = "") -> bool:
    """Whether the limit is reached already, without counting an attempt."""
    return cache.get(_key(scope, value or client_address(request), period), 0) >= limit


def form_post_limited(request, *, form: str, limit: int | None = None, value: str = "") -> bool:
    """Count this POST of ``form`` for the client address (or ``value``, e.g. an account);
    True when more than ``limit`` (default ``settings.FORM_RATE_LIMIT_PER_HOUR``) were sent in
    the hour. Called first thing for every POST, whatever the form's errors."""
    if limit is None:
        limit = settings.FORM_RATE_LIMIT_PER_HOUR
    return limit_exceeded(request, scope=form, limit=limit, value=value)


def form_email_limited(request, *, form: str, email: str, limit: int) -> bool:
    """Count an e-mail that ``form`` is about to send to ``email`` (whatever its case); True
    when more than ``limit`` were sent to the address in the hour."""
    return limit_exceeded(request, scope=f"{form}-email", limit=limit, value=email.casefold())
