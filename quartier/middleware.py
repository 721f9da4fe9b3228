"""A strict Content-Security-Policy: every page loads only what this host serves.

Visitors are protected by German data-protection law, so no page may talk to another host;
the header makes the browser enforce that, including for anything an editor pastes in.

The one exception is the map's tile server (settings.MAP_TILE_URL): pages that show a map
allow its images, and only images. Even there the browser requests a tile only once the
visitor has asked for the map (static/js/map.js); until then the policy merely permits it.
"""

from functools import lru_cache

from django.conf import settings

from quartier import maps


def build_policy(*, tile_source: str = "") -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # Django's admin sets a few inline style attributes.
            "style-src 'self' 'unsafe-inline'",
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


@lru_cache(maxsize=8)
def map_policy(tile_url: str) -> str:
    """The policy of a page with a map of tiles from ``tile_url``."""
    return build_policy(tile_source=maps.tile_source(tile_url))


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # A policy given in settings replaces ours entirely, map or not.
        self.fixed_policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)

    def policy_for(self, request) -> str:
        if self.fixed_policy is not None:
            return self.fixed_policy
        if getattr(request, "shows_map", False):
            # Set by the {% map_config %} tag of templates/includes/map.html.
            return map_policy(settings.MAP_TILE_URL)
        return CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy_for(request))
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


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
