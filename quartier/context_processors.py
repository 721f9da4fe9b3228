from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from .links import absolute_url


def portal(request):
    """What base.html needs on every page: language switch and alternates, navigation state,
    contact address.

    Absolute addresses (the alternates, og:url) are built on PORTAL_BASE_URL, never from the
    request's Host header.
    """
    current = get_language() or settings.LANGUAGE_CODE
    query = request.META.get("QUERY_STRING", "")
    switch = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.path, code)
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
    match = getattr(request, "resolver_match", None)
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
        # og:url: the page itself, without the query.
        "page_url": absolute_url(request.path),
        "nav_section": section,
        "contact_email": settings.CONTACT_EMAIL,
    }
