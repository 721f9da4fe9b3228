from functools import lru_cache

from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils.encoding import escape_uri_path
from django.utils.translation import get_language, get_language_info

from .links import absolute_url


def local_path(request) -> str:
    """The request's path as a link that stays on this host: one leading slash, escaped.

    Repeated into a link, the path of a request for ``//evil.example/`` would lead to another
    host; backslashes and control characters, which browsers read as slashes or drop, are
    escaped too.
    """
    return "/" + escape_uri_path(request.path).lstrip("/")


def _translated_paths(path: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, translate_url(path, code)) for code, _name in settings.LANGUAGES)


@lru_cache(maxsize=2048)
def _kept_translated_paths(path: str, language: str, urlconf: str) -> tuple[tuple[str, str], ...]:
    # The language and the URL conf are what translate_url's resolve() reads besides the path.
    return _translated_paths(path)


def paths_in_each_language(path: str) -> tuple[tuple[str, str], ...]:
    """``((code, the path in that language), ...)``.

    translate_url resolves and reverses the path for every language, on every page: kept for
    the paths of the last pages asked for (short ones: a client chooses them).
    """
    if len(path) > 200:
        return _translated_paths(path)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _kept_translated_paths(path, get_language(), urlconf)


def portal(request):
    """What base.html needs on every page: language switch and alternates, navigation state,
    contact address.

    Absolute addresses (the alternates, og:url) are built on PORTAL_BASE_URL, never from the
    request's Host header. On an address no URL pattern matched (a 404) the language switch
    leads to the home pages and there are no alternates: that page has no translation.
    The error pages use this too (quartier/errors.py), so it reads nothing that may be what
    failed: not the Host header, the body, the session or the database.
    """
    current = get_language() or settings.LANGUAGE_CODE
    match = getattr(request, "resolver_match", None)
    path = local_path(request) if match else "/"
    query = request.META.get("QUERY_STRING", "") if match else ""
    switch = []
    for code, url in paths_in_each_language(path):
        if query:
            url = f"{url}?{query}"
        info = get_language_info(code)
        switch.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": url,
                # <link rel="alternate" hreflang> wants the full address.
                "absolute_url": absolute_url(url),
                "is_current": code == current,
            }
        )
    # Which main-navigation entry the page belongs to ("" on pages no URL pattern matched).
    section = (match.namespace or match.url_name or "") if match else ""
    if section.startswith("account_"):
        # allauth's pages and the portal's own account pages
        section = "account"
    return {
        "language_switch": switch,
        # The German page is the one for visitors in any other language (hreflang="x-default").
        "x_default_url": next(
            language["absolute_url"]
            for language in switch
            if language["code"] == settings.LANGUAGE_CODE
        ),
        # og:url and the alternates: the page itself, without the query.
        "page_url": absolute_url(path) if match else "",
        "nav_section": section,
        "contact_email": settings.CONTACT_EMAIL,
    }
