"""Every rate limit counts the client's address: behind the proxy the client's own, not the
proxy's; a forged X-Forwarded-For without a proxy changes nothing; an IPv6 client by its /64."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from quartier.client_address import UNKNOWN, client_address
from quartier.ratelimit import limit_exceeded

PASSWORD = "ein-langes-Passwort-2024"
PROXY = "10.0.0.5"


def _request(remote="192.0.2.1", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy: the header is the client's own words and is ignored.
        (0, "192.0.2.1", "198.51.100.7", "192.0.2.1"),
        # One proxy: the entry it appended; what the client put before it does not count.
        (1, PROXY, "198.51.100.7", "198.51.100.7"),
        (1, PROXY, "203.0.113.9, 198.51.100.7", "198.51.100.7"),
        (1, PROXY, "203.0.113.9,198.51.100.7", "198.51.100.7"),
        # Two proxies: the address the outer one received the request from.
        (2, PROXY, "203.0.113.9, 198.51.100.7, 10.0.0.4", "198.51.100.7"),
        # Fewer entries than proxies, no header, or garbage: the direct peer.
        (2, PROXY, "198.51.100.7", PROXY),
        (1, PROXY, None, PROXY),
        (1, PROXY, "", PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "<script>", PROXY),
        # With a port, as some proxies write it.
        (1, PROXY, "198.51.100.7:51234", "198.51.100.7"),
        (1, PROXY, "[2001:db8:1:2::7]:443", "2001:db8:1:2::/64"),
        # IPv6 by its /64; IPv4 written as IPv6 as IPv4.
        (0, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", None, "2001:db8:1:2::/64"),
        (0, "::ffff:192.0.2.1", None, "192.0.2.1"),
        (0, "", None, UNKNOWN),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request(remote, forwarded)) == expected


def test_addresses_of_one_ipv6_network_share_a_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    same_network = [f"2001:db8:7:8::{n:x}" for n in range(1, 4)]
    other_network = "2001:db8:7:9::1"
    results = [limit_exceeded(_request(a), scope="t", limit=2) for a in same_network]
    assert results == [False, False, True]
    assert not limit_exceeded(_request(other_network), scope="t", limit=2)


def _member(email):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _login(client, email, password, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def _locked_out(response) -> bool:
    """Whether allauth refused the login for too many failed attempts (its form says so)."""
    if response.status_code == 429:
        return True
    form = response.context and response.context.get("form")
    if not form:
        return False
    codes = [error.code for errors in form.errors.as_data().values() for error in errors]
    return "too_many_login_attempts" in codes


@pytest.mark.django_db
def test_behind_the_proxy_one_guessing_client_does_not_lock_out_another(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _member("erika@example.org")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    # Wrong passwords for many addresses (allauth also limits per account: that is not tested
    # here), all through the same proxy.
    answers = [_login(client, f"guess{n}@example.org", "falsch", **attacker) for n in range(12)]
    assert _locked_out(answers[-1]), "the guessing client itself is limited"
    assert not any(_locked_out(answer) for answer in answers[:10])

    visitor = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    response = _login(client, "erika@example.org", PASSWORD, **visitor)
    assert response.status_code == 302, "another client behind the same proxy still logs in"
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_without_a_proxy_a_forged_header_escapes_no_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    _member("erika@example.org")
    answers = [
        _login(
            client,
            f"guess{n}@example.org",
            "falsch",
            REMOTE_ADDR="192.0.2.50",
            # A new "address" every time: would escape the limit if it were believed.
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        for n in range(12)
    ]
    assert _locked_out(answers[-1])
    response = _login(
        client,
        "erika@example.org",
        PASSWORD,
        REMOTE_ADDR="192.0.2.50",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert _locked_out(response), "the same client is still limited, whatever it claims"
