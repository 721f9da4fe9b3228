"""Public pages for anonymous visitors, from the cache, never stale.

A visitor who is not signed in sees the same page as every other such visitor: the page is
rendered once and then served from the cache (settings.CACHES) for settings.PAGE_CACHE_SECONDS,
under a key of its address (path and query string), its language and the version of the
public content (quartier/content_version.py). Any change of what a page may show gives the
content a new version, so that the next request renders the page anew: nothing is served that
a change has made untrue.

Served from the cache and stored in it are only GET (and, from the cache, HEAD) requests
without a session cookie (the person may be signed in), a messages cookie or credentials,
outside the admin and the account pages; and only responses that are the same for every such
visitor: 200, not streamed, no cookie set, no CSRF token used (a page with a form), no message
shown, not private (a draft's preview), and varying on nothing but the language.

Browsers get an ETag and must ask again each time (``Cache-Control: no-cache``); the
ConditionalGetMiddleware answers "304 Not Modified" while the page is unchanged. A cache that
does not answer costs the rendering, never an error. ``X-Page-Cache`` says "hit" for a page
from the cache and "miss" for one rendered and stored.
"""

import functools
import hashlib
import logging

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from quartier import content_version

logger = logging.getLogger(__name__)

# The response varies by the language, which the key holds, and on nothing else.
KEYED_VARY = {"accept-language"}


@functools.cache
def private_prefixes() -> tuple[str, ...]:
    """The admin's and the account pages' addresses, in every language: never cached."""
    prefixes = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefixes += [reverse("admin:index"), reverse("account_overview")]
    return tuple(prefixes)


def may_be_served(request) -> bool:
    """Whether the request is one for the page every anonymous visitor gets (see above)."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(private_prefixes())
    )


def _shows_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    # Without loading them: messages already loaded (by the page) or added in this request.
    return storage is not None and bool(
        storage._queued_messages or getattr(storage, "_loaded_data", None)
    )


def may_be_stored(request, response) -> bool:
    """Whether the response is the one every anonymous visitor gets for the request."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or request.META.get("CSRF_COOKIE_USED")
        or _shows_messages(request)
        or request.user.is_authenticated
    ):
        return False
    cache_control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & {"private", "no-store"}:
        return False
    varies = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", ""))}
    return varies <= KEYED_VARY | {""}


def page_key(request, version: str) -> str:
    query = request.META.get("QUERY_STRING", "")
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    language = getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or ""
    digest = hashlib.sha256(f"{language}|{address}".encode()).hexdigest()
    return f"portal:page:{version}:{digest}"


def _entry(response) -> dict:
    if not response.has_header("ETag"):
        response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    if not response.has_header("Cache-Control"):
        # Kept by the browser, but used only after asking whether it changed.
        patch_cache_control(response, no_cache=True)
    # A signed-in person gets another page at the same address.
    patch_vary_headers(response, ("Cookie",))
    return {"content": response.content, "headers": dict(response.headers)}


class PageCacheMiddleware:
    """After the session, locale, authentication and message middleware (settings.MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with content_version.request_scope():
            return self.respond(request)

    def respond(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not may_be_served(request):
            return self.get_response(request)
        try:
            # The version first: what the page then reads is at least as new.
            key = page_key(request, content_version.content_version())
            entry = cache.get(key)
        except content_version.ContentVersionUnknown:
            # Redis is down (quartier/cache.py logs it): the page is rendered.
            return self.get_response(request)
        except Exception:
            logger.warning("The page cache does not answer; the page is rendered", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            response = HttpResponse(entry["content"], headers=entry["headers"])
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if may_be_stored(request, response):
            try:
                cache.set(key, _entry(response), timeout=seconds)
            except Exception:
                logger.warning(
                    "The page cache does not answer; the page is not kept", exc_info=True
                )
            else:
                response["X-Page-Cache"] = "miss"
        return response
