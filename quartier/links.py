"""Absolute addresses of the portal's own pages.

Open Graph tags, sitemaps, feeds, calendars, structured data, hreflang alternates and e-mails
need absolute URLs. They are always built from ``settings.PORTAL_BASE_URL`` (the configured public
address), never from the request's Host header, which a client chooses.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``/veranstaltungen/…`` as the full address on the portal's public host.

    A path that would leave the host (``//other.example/``) is reduced to one leading slash.
    """
    return f"{settings.PORTAL_BASE_URL}/{path.lstrip('/')}"


def portal_protocol() -> str:
    """``https`` or ``http``, as configured in PORTAL_BASE_URL."""
    return urlsplit(settings.PORTAL_BASE_URL).scheme or "https"


def portal_domain() -> str:
    """The host (and port, if any) of PORTAL_BASE_URL, e.g. ``netzwerk-quartier.de``."""
    return urlsplit(settings.PORTAL_BASE_URL).netloc
