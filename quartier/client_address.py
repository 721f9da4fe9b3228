"""The client's address, the one notion every rate limit counts by (the portal's and allauth's).

Behind a reverse proxy every request comes from the proxy's address (REMOTE_ADDR); the client's
own address is in X-Forwarded-For, where each proxy appends the address it received the request
from. Only the entries appended by our own proxies can be trusted: anything to their left came
from the client and may be forged. With ``settings.TRUSTED_PROXY_COUNT`` proxies in front of the
portal, the client is therefore the N-th entry from the right; without a proxy (0) the header is
ignored entirely, so that a forged header changes nothing.

An IPv6 client usually holds a whole /64 network and can pick a new address in it for every
request; its addresses are grouped by their /64, which then counts as one client. An IPv4
address written as IPv6 (``::ffff:192.0.2.1``) counts as the IPv4 address.
"""

import ipaddress

from django.conf import settings

# What the limits count when no address can be read (a broken proxy set-up): all such
# requests share one counter rather than escaping the limits.
UNKNOWN = "unknown"


def _parsed(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _grouped(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def client_address(request) -> str:
    """The address the rate limits count ``request`` by: an IPv4 address, an IPv6 /64 network
    (``2001:db8:1:2::/64``) or ``UNKNOWN``."""
    address = _parsed(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop]
        # Fewer entries than proxies: the request did not pass through all of them (or the
        # header was removed); the direct peer is then the best there is.
        if len(hops) >= proxies:
            address = _parsed(hops[-proxies]) or address
    return _grouped(address) if address is not None else UNKNOWN
