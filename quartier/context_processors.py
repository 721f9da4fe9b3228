from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def portal(request):
    """What base.html needs on every page: language switch, navigation state, contact address."""
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
        "nav_section": section,
        "contact_email": settings.CONTACT_EMAIL,
    }
