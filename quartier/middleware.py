"""A strict Content-Security-Policy: every page loads only what this host serves.

Visitors are protected by German data-protection law, so no page may talk to another host;
the header makes the browser enforce that, including for anything an editor pastes in. No
page runs inline code or carries inline styles (``style-src 'self'``): markup that someone
slips past the escaping can neither script nor restyle the page. Scripts may still set styles
through the DOM (Leaflet places its tiles so), which a policy does not govern.

Two exceptions, each on its own pages only:

- the map's tile server (settings.MAP_TILE_URL): pages that show a map allow its images, and
  only images. Even there the browser requests a tile only once the visitor has asked for the
  map (static/js/map.js); until then the policy merely permits it.
- Django's admin, and the packages in it, set inline style attributes: its pages (the "admin"
  namespace, whatever ``ADMIN_URL`` it lives at) allow inline styles, still no inline script.

The policy is written here rather than with django-csp: the portal needs none of its nonces
(no page has inline code), and its middleware leaves 404 and 500 pages without the header
while DEBUG is on and never reaches the static files that whitenoise serves before it.
Static files get theirs from ``static_file_headers`` (settings.WHITENOISE_ADD_HEADERS_FUNCTION).
"""

from functools import lru_cache

from django.conf import settings

from quartier import maps


def build_policy(*, tile_source: str = "", inline_styles: bool = False) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'" if inline_styles else "style-src 'self'",
            # KERN draws its icons as SVG data URLs; the map's tiles are images too.
            f"img-src 'self' data: {tile_source}".rstrip(),
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = build_policy()
ADMIN_CONTENT_SECURITY_POLICY = build_policy(inline_styles=True)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"


@lru_cache(maxsize=8)
def map_policy(tile_url: str) -> str:
    """The policy of a page with a map of tiles from ``tile_url``."""
    return build_policy(tile_source=maps.tile_source(tile_url))


def is_admin(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "admin" in match.namespaces


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # A policy given in settings replaces ours entirely, map or not.
        self.fixed_policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)

    def policy_for(self, request) -> str:
        if self.fixed_policy is not None:
            return self.fixed_policy
        if is_admin(request):
            return ADMIN_CONTENT_SECURITY_POLICY
        if getattr(request, "shows_map", False):
            # Set by the {% map_config %} tag of templates/includes/map.html.
            return map_policy(settings.MAP_TILE_URL)
        return CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy_for(request))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def static_file_headers(headers, path: str, url: str) -> None:
    """What whitenoise adds to every static file, as it serves them before the middleware
    above and Django's frame denial: an SVG opened on its own is a document that could
    script or be framed like a page."""
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["X-Frame-Options"] = "DENY"


class CrossOriginResourcePolicyMiddleware:
    """``Cross-Origin-Resource-Policy: same-origin`` on every response, static files included
    (hence its place before whitenoise): no other site may embed the portal's pages, images,
    documents or scripts, so that they cannot be read across origins (Spectre-style leaks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
