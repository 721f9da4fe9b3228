"""What templates/includes/map.html needs: the places grouped by city and the map's settings."""

from django import template
from django.conf import settings

from quartier.maps import places_by_city, tile_attribution, tile_host

register = template.Library()


@register.filter
def by_city(places):
    """``{% for city, places in places|by_city %}``: see quartier.maps.places_by_city."""
    return places_by_city(places)


@register.filter
def map_data(places) -> list[dict]:
    """The places as the map script reads them (through Django's json_script filter)."""
    return [place.as_json() for place in places]


@register.simple_tag(takes_context=True)
def map_config(context) -> dict:
    """The tile server and its credits, from settings; marks the page as one that shows a map.

    The mark tells ContentSecurityPolicyMiddleware to allow the tile server's images on this
    page only (as Django's {% csrf_token %} tells the CSRF middleware that a form needs the
    cookie). The browser still requests no tile until the visitor asks for the map.
    """
    request = context.get("request")
    if request is not None:
        request.shows_map = True
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_host": tile_host(settings.MAP_TILE_URL),
        "attribution": tile_attribution(settings.MAP_ATTRIBUTION),
        "max_zoom": settings.MAP_MAX_ZOOM,
    }
