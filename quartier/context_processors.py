from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def portal(request):
    """What base.html needs on every page: the language switch and the contact address."""
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
    return {
        "language_switch": switch,
        "contact_email": settings.CONTACT_EMAIL,
    }
