"""The public pages under their Content-Security-Policy, as a visitor's browser enforces it.

The other browser tests bypass the policy (axe is an injected script); this one does not. No
page may need inline script or style: the browser refuses none of what the pages load, and
KERN's and the portal's styles are applied all the same.
"""

import datetime
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from actors.contacts import invitation_create, invitation_token
from tests.actors.factories import ActorFactory
from tests.browser.actions import submit
from tests.browser.test_map import show_map, tile_server  # noqa: F401 - a fixture
from tests.events.factories import EventFactory
from tests.factories import PASSWORD, UserFactory
from tests.projects.factories import ProjectFactory

# Runs before any script of the page: every refusal of the policy, whatever caused it.
RECORD_VIOLATIONS = """
window.policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.policyViolations.push(
        `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
        + ` (${event.sourceFile || document.location.pathname}:${event.lineNumber})`
    );
});
"""


@pytest.fixture
def content(db):
    actor = ActorFactory(
        name="Stadtteilladen Nord",
        city="Leipzig",
        latitude=Decimal("51.35"),
        longitude=Decimal("12.38"),
    )
    ActorFactory(name="Bürgerverein Süd", city="Leipzig")
    event = EventFactory(
        title="Quartiersfest",
        start=timezone.now() + datetime.timedelta(days=10),
        end=timezone.now() + datetime.timedelta(days=10, hours=3),
    )
    project = ProjectFactory(title="Gemeinschaftsgarten", lead_actor=actor)
    return {"actor": actor, "event": event, "project": project}


def violations(page) -> list[str]:
    return page.evaluate("() => window.policyViolations")


def assert_styled(page) -> None:
    """KERN's type and the portal's own stylesheet are in force."""
    assert "Fira Sans" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
    header_border = page.evaluate(
        "() => getComputedStyle(document.querySelector('.portal-header')).borderBottomWidth"
    )
    assert header_border == "4px"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_pages")
def test_public_pages_need_nothing_the_policy_refuses(live_server, browser, content, tile_server):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, locale="de-DE")  # the policy enforced
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    pages = [
        "/",
        "/akteure/",
        content["actor"].get_absolute_url(),
        "/veranstaltungen/",
        content["event"].get_absolute_url(),
        "/projekte/",
        content["project"].get_absolute_url(),
        "/konto/login/",
        "/kontakt/",
        "/en/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], path
        assert_styled(page)
        assert violations(page) == [], path
    assert console == []

    # A page for accounts only: the invitation of a contact person (actors/contact_views.py).
    user = UserFactory(email="nora@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation = invitation_create(actor=content["actor"], email=user.email, invited_by=None)
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form.portal-form button[type='submit']").first.click()
    page.wait_for_url("**/konto/")
    path = reverse("organisation:invitation", args=[invitation_token(invitation=invitation)])
    response = page.goto(path)
    assert response.status == 200, path
    assert page.get_by_role("button", name="Einladung annehmen").is_visible()
    assert_styled(page)
    assert violations(page) == [], path
    assert console == []
    context.clear_cookies()

    # The map, once the visitor asks for it: Leaflet's stylesheet, script and the tiles.
    served = tile_server(page)
    page.goto("/akteure/")
    show_map(page)
    assert served
    assert page.locator(".leaflet-marker-icon").count() == 1
    position = page.evaluate(
        "() => getComputedStyle(document.querySelector('.leaflet-container')).overflow"
    )
    assert position == "hidden"  # leaflet.css applied
    assert violations(page) == []
    assert console == []

    # The record would show an inline style, had a page one: markup with a style attribute.
    page.evaluate(
        "() => { document.querySelector('main').innerHTML += '<p style=\"color: red\">x</p>'; }"
    )
    page.wait_for_function("() => window.policyViolations.length > 0")
    assert violations(page)[0].startswith("style-src-attr refused inline")
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_pages")
def test_the_contacts_pages_need_nothing_the_policy_refuses(live_server, browser):
    """/konto/organisation/ and an organisation's form (with the preview) and leave page."""
    from django.conf import settings
    from django.test import Client

    from actors.models import ActorContact
    from tests.factories import UserFactory

    actor = ActorFactory(name="Stadtteilladen Nord", description="Wir sind **da**.")
    contact = UserFactory()
    ActorContact.objects.create(actor=actor, user=contact, source=ActorContact.Source.STAFF)
    client = Client()
    client.force_login(contact)
    context = browser.new_context(base_url=live_server.url, locale="de-DE")  # the policy enforced
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    for path in (
        "/konto/organisation/",
        f"/konto/organisation/{actor.slug}/bearbeiten/",
        f"/konto/organisation/{actor.slug}/verlassen/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert_styled(page)
        assert violations(page) == [], path
    page.goto(f"/konto/organisation/{actor.slug}/bearbeiten/")
    submit(page, page.locator("main form.portal-form button[name='preview']"))
    assert page.locator(".portal-preview strong").inner_text() == "da"
    assert violations(page) == []
    context.close()
