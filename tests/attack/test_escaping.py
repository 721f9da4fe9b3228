"""Every text shown publicly, filled with script and markup, comes out as text on every page.

Each text field of what the public sees (actors, sectors, events with programme, speakers,
documents, photos and results, projects with partners, publications, pages, topics) and of
what staff see (applications, registrations, people) holds payloads that break out of HTML
text, of attributes in double and single quotes, and of links (``javascript:``), and Markdown
with raw HTML. The pages that show them are fetched once, the admin's as well, and read as a
browser reads them (tests/attack/parsed.py): no element, attribute or link the payloads
would plant may be there, and feeds and the map's JSON carry them as text.
"""

import datetime
import itertools
import json
import xml.etree.ElementTree as ElementTree  # noqa: S405 - the portal's own feeds
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import icalendar
import pytest
import reversion
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from taggit.models import Tag

from actors.models import Actor
from actors.services import application_confirm_token
from events.models import Registration
from events.services import registration_cancel_url, registration_confirm_url
from quartier.models import Page
from tests.actors.factories import ActorFactory, ApplicationFactory, SectorFactory
from tests.events.factories import (
    EventDocumentFactory,
    EventFactory,
    EventPhotoFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    SpeakerFactory,
    jpeg_bytes,
)
from tests.factories import UserFactory
from tests.projects.factories import (
    ProjectDocumentFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    ProjectPhotoFactory,
    PublicationFactory,
)

from .parsed import parse

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
SINGLE_QUOTE_BREAK = "' onmouseover='alert(1)"
# Every field gets the longest of these that fits, the most dangerous first.
PAYLOADS = [
    f"{SCRIPT}{ATTRIBUTE_BREAK}{SINGLE_QUOTE_BREAK}",
    SCRIPT,
    ATTRIBUTE_BREAK,
    SINGLE_QUOTE_BREAK,
    "\"'<i>",
]
# Markdown: raw HTML and links that run script, besides the payloads above.
MARKDOWN = (
    f"{PAYLOADS[0]}\n\n"
    '[klick](javascript:alert(1)) <a href="javascript:alert(1)">x</a>\n\n'
    '<svg onload=alert(1)></svg><iframe src="javascript:alert(1)"></iframe>\n\n'
    '<p style="x" onclick="alert(1)">p</p> ![bild](x" onerror="alert(1))'
)
URL = f"https://example.org/?q={ATTRIBUTE_BREAK}&r={SINGLE_QUOTE_BREAK}"
TOPICS = [SCRIPT, ATTRIBUTE_BREAK]
# Text fields that are not free text.
NOT_TEXT = {"slug", "file_type", "language", "privacy_notice_version", "token"}

DANGEROUS_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
JSON_SCRIPT_TYPES = {"application/ld+json", "application/json"}


_addresses = itertools.count()


def payload_for(field) -> str:
    if isinstance(field, models.URLField):
        return URL if len(URL) <= field.max_length else "https://example.org/"
    if isinstance(field, models.EmailField):
        return f"jemand{next(_addresses)}@example.org"
    if isinstance(field, models.TextField) and not field.max_length:
        return MARKDOWN
    limit = field.max_length or 10_000
    if isinstance(field, models.TextField) and len(MARKDOWN) <= limit:
        return MARKDOWN
    return next(payload for payload in PAYLOADS if len(payload) <= limit)


def fill(instance):
    """Every free text field of ``instance`` set to a payload, and saved."""
    for field in instance._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, models.SlugField)
            and not field.choices
            and field.name not in NOT_TEXT
        ):
            setattr(instance, field.name, payload_for(field))
    instance.save()
    return instance


def build_content() -> SimpleNamespace:
    sector = fill(SectorFactory(slug="stiftungen"))
    actor = fill(
        ActorFactory(
            slug="buergerstiftung",
            sector=sector,
            logo=ContentFile(jpeg_bytes(), name="logo.jpg"),
            latitude=52.52,
            longitude=13.40,
            topics=TOPICS,
        )
    )
    member = fill(ActorFactory(slug="mitglied", parent=actor, topics=TOPICS))
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=14)
    upcoming = fill(
        EventFactory(
            slug="werkstatt",
            start=soon,
            end=soon + datetime.timedelta(hours=3),
            registration_enabled=True,
            asks_accessibility_needs=True,
            asks_dietary_notes=True,
            topics=TOPICS,
        )
    )
    upcoming.organisers.add(actor)
    documented = fill(
        EventFactory(
            slug="rueckblick",
            documentation_published=True,
            topics=TOPICS,
        )
    )
    documented.participants.add(member)
    item = fill(ProgrammeItemFactory(event=documented))
    fill(SpeakerFactory(programme_item=item))
    fill(SpeakerFactory(programme_item=item, actor=actor))
    fill(EventDocumentFactory(event=documented))
    fill(EventPhotoFactory(event=documented))
    project = fill(
        ProjectFactory(
            slug="garten", lead_actor=actor, latitude=51.34, longitude=12.37, topics=TOPICS
        )
    )
    project.approaches.add(*TOPICS)
    fill(ProjectPartnerFactory(project=project, actor=member))
    fill(ProjectDocumentFactory(project=project))
    fill(ProjectPhotoFactory(project=project))
    publication = fill(PublicationFactory(slug="bericht"))
    for page in Page.objects.all():
        fill(page)
    person = UserFactory(first_name=PAYLOADS[1], last_name=ATTRIBUTE_BREAK)
    registration = fill(RegistrationFactory(event=upcoming, user=person, email=person.email))
    unconfirmed = fill(RegistrationFactory(event=upcoming, status=Registration.Status.UNCONFIRMED))
    fill(ApplicationFactory(sector=sector, user=person))
    application = fill(ApplicationFactory(sector=sector, unconfirmed=True))
    # Two versions in the admin's history, so that their differences are shown.
    with reversion.create_revision():
        actor.save()
    actor.short_name = SINGLE_QUOTE_BREAK
    with reversion.create_revision():
        actor.save()
    # The pages behind the links of the e-mails, which show what the person typed.
    links = [
        urlsplit(registration_cancel_url(registration)).path,
        urlsplit(registration_confirm_url(unconfirmed)).path,
        reverse(
            "applications:confirm",
            kwargs={"token": application_confirm_token(application=application)},
        ),
    ]
    return SimpleNamespace(
        links=links,
        actor=actor, upcoming=upcoming, documented=documented, project=project, person=person,
        publication=publication,
    )  # fmt: skip


def public_paths(content) -> list[str]:
    city = quote(Actor.objects.get(pk=content.actor.pk).city)
    topic = Tag.objects.get(name=SCRIPT).slug
    paths = [
        "/",
        "/initiative/",
        "/akteure/",
        f"/akteure/?city={city}&topic={topic}&sector=stiftungen",
        f"/akteure/?q={quote(SCRIPT)}",
        "/akteure/orte/",
        content.actor.get_absolute_url(),
        "/akteure/mitglied/",
        "/veranstaltungen/",
        f"/veranstaltungen/?topic={topic}",
        content.upcoming.get_absolute_url(),
        f"/veranstaltungen/{content.upcoming.slug}/anmelden/",
        f"/veranstaltungen/{content.upcoming.slug}/anmelden/gesendet/",
        content.documented.get_absolute_url(),
        "/projekte/",
        f"/projekte/?city={quote(content.project.city)}&topic={topic}",
        "/projekte/orte/",
        content.project.get_absolute_url(),
        "/ergebnisse/",
        "/ergebnisse/?teil=dokumentation",
        "/ergebnisse/?teil=projekte",
        "/ergebnisse/?teil=publikationen",
        content.publication.get_absolute_url(),
        "/bildnachweise/",
        "/bildnachweise/?teil=veranstaltungen",
        "/bildnachweise/?teil=projekte",
        "/bildnachweise/?teil=logos",
        "/suche/?q=alert",
        "/suche/?q=onerror",
        f"/suche/?q={quote(PAYLOADS[0])}",
        "/kontakt/",
        "/impressum/",
        "/datenschutz/",
        "/mitmachen/",
        *content.links,
    ]
    return paths + [f"/en{path}" for path in paths]


FEEDS = ["/veranstaltungen/feed/", "/veranstaltungen/dokumentation/feed/"]
XML = ["/sitemap.xml", *(f"/sitemap-{section}.xml" for section in ("actors", "events"))]
JSON = ["/akteure/orte.json", "/projekte/orte.json"]
CALENDARS = ["/veranstaltungen/kalender.ics", "/veranstaltungen/werkstatt/kalender.ics"]
ACCOUNT = ["/konto/", "/konto/loeschen/"]


def admin_paths() -> list[str]:
    paths = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths.append(reverse(f"{prefix}_changelist"))
        for instance in model._default_manager.all()[:3]:
            for view in ("change", "history", "delete"):
                try:
                    paths.append(reverse(f"{prefix}_{view}", args=[instance.pk]))
                except NoReverseMatch:
                    pass
    for version in reversion.models.Version.objects.get_for_model(Actor):
        try:
            paths.append(
                reverse(
                    "admin:actors_actor_version_changes",
                    args=[version.object_id, version.pk],
                )
            )
        except NoReverseMatch:
            pass
    return paths


@pytest.fixture(scope="module")
def crawled(module_db):
    """The pages that show the payloads, each fetched once: ``{path: response}`` of the public
    pages, the person's account pages and the admin's."""
    with module_db():
        content = build_content()
        visitor = Client()
        pages = {path: visitor.get(path) for path in public_paths(content)}
        for path in FEEDS + XML + JSON + CALENDARS:
            pages[path] = visitor.get(path)
        person = Client()
        person.force_login(content.person)
        for path in ACCOUNT:
            pages[path] = person.get(path)
        superuser = UserFactory(is_staff=True, is_superuser=True)
        staff = Client()
        staff.force_login(superuser)
        admin_pages = {path: staff.get(path) for path in admin_paths()}
        yield SimpleNamespace(content=content, pages=pages, admin=admin_pages)


def planted(html: str) -> list[str]:
    """What of the payloads the browser would take for markup: elements, attributes, links."""
    found = []
    if SCRIPT in html:
        found.append("a <script> element as typed")
    if ATTRIBUTE_BREAK in html:
        found.append("an attribute ended by the payload's quotation mark")
    for element in parse(html):
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"<{element.tag} {name}=…>")
            if name in DANGEROUS_URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                ("javascript:", "data:text/html")
            ):
                found.append(f"<{element.tag} {name}={value!r}>")
            if name == "style" and "expression(" in (value or ""):
                found.append(f"<{element.tag} style=…>")
        if element.tag == "img" and element.attrs.get("src") == "x":
            found.append("<img src=x>")
        # (The admin draws its icons as inline SVG; an <svg onload> is caught above.)
        if element.tag in ("iframe", "object", "embed", "frame"):
            found.append(f"<{element.tag}>")
        if element.tag == "script" and not element.attrs.get("src"):
            if element.attrs.get("type") not in JSON_SCRIPT_TYPES:
                found.append("an inline script")
            elif "<" in element.text:
                found.append("markup inside an inline JSON script")
    return found


@pytest.mark.parametrize(
    "html",
    [
        f"<p>{SCRIPT}</p>",
        f'<a title="{ATTRIBUTE_BREAK}">',
        f"<a title='{SINGLE_QUOTE_BREAK}'>",
        '<a href=" JavaScript:alert(1)">x</a>',
        "<svg onload=alert(1)></svg>",
        '<iframe src="https://example.org"></iframe>',
        "<script>alert(2)</script>",
        '<script type="application/ld+json">{"a": "</b><i>"}</script>',
    ],
)
def test_what_a_payload_would_plant_is_found(html):
    """The reading below would notice each of these in a page."""
    assert planted(html)


def test_escaped_payloads_are_text():
    from django.utils.html import escape

    html = f'<p title="{escape(PAYLOADS[0])}">{escape(MARKDOWN)}</p>'
    assert not planted(html)
    assert shows_payload(f"<body>{html}</body>")


def shows_payload(html: str) -> bool:
    """Whether the page shows some payload at all (escaped, as it should): otherwise the test
    would pass on a page that shows nothing of what was planted."""
    text = " ".join(element.text for element in parse(html) if element.tag in ("main", "body"))
    attributes = " ".join(str(value) for element in parse(html) for value in element.attrs.values())
    return any(payload in text or payload in attributes for payload in PAYLOADS[1:4])


@pytest.fixture(scope="module")
def html_pages(crawled):
    return {
        path: response
        for path, response in {**crawled.pages, **crawled.admin}.items()
        if response["Content-Type"].startswith("text/html")
    }


def test_every_page_answers(crawled):
    failed = {
        path: response.status_code
        for path, response in crawled.pages.items()
        if response.status_code != 200
    }
    # The admin sends staff away from what the sender has not confirmed yet (their privacy).
    failed.update(
        {
            path: response.status_code
            for path, response in crawled.admin.items()
            if response.status_code != 200
            and not (
                response.status_code == 302
                and ("/application/" in path or "/registration/" in path)
            )
        }
    )
    assert not failed


def test_no_page_plants_markup_of_the_payloads(html_pages):
    found = {path: planted(response.content.decode()) for path, response in html_pages.items()}
    assert not {path: what for path, what in found.items() if what}


def test_the_pages_show_the_payloads_as_text(crawled):
    """The pages tested do show the planted text, escaped: the test above reads them."""
    silent = [
        path
        for path, response in crawled.pages.items()
        if response["Content-Type"].startswith("text/html")
        # Pages that show none of the content: the form, the initiative's own text.
        and not path.endswith(("/mitmachen/", "/gesendet/", "/initiative/", "/loeschen/"))
        and not shows_payload(response.content.decode())
    ]
    assert not silent


def test_the_admin_shows_the_payloads_as_text(crawled):
    pages = [
        path
        for path, response in crawled.admin.items()
        if "/change/" in path and shows_payload(response.content.decode())
    ]
    # Change forms of actors, events, projects, applications, registrations and more.
    assert len(pages) >= 10, pages


def test_open_graph_and_the_title_carry_the_text_escaped_once(crawled):
    response = crawled.pages[crawled.content.upcoming.get_absolute_url()]
    elements = parse(response.content)
    title = next(element for element in elements if element.tag == "title").text
    assert PAYLOADS[0] in title
    og_title = next(element for element in elements if element.attrs.get("property") == "og:title")
    assert og_title.attrs["content"].startswith(PAYLOADS[0][:40])


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_carry_the_payloads_as_text(crawled, path):
    """The summaries of a feed are HTML that a feed reader shows: the payloads must be
    escaped within it, not only for the XML around it."""
    response = crawled.pages[path]
    root = ElementTree.fromstring(response.content)  # noqa: S314
    htmls = [
        element.text or ""
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] in ("summary", "description", "content")
    ]
    titles = [
        element.text or "" for element in root.iter() if element.tag.rsplit("}", 1)[-1] == "title"
    ]
    assert htmls and any(PAYLOADS[1] in title for title in titles)
    for html in htmls:
        assert not planted(html), html


@pytest.mark.parametrize("path", XML)
def test_the_sitemap_is_well_formed(crawled, path):
    ElementTree.fromstring(crawled.pages[path].content)  # noqa: S314


@pytest.mark.parametrize("path", JSON)
def test_the_maps_places_carry_the_names_as_text(crawled, path):
    """The map writes them with textContent (static/js/map.js): they must be the text itself,
    not escaped for HTML, and their links the portal's own addresses."""
    places = json.loads(crawled.pages[path].content)
    places = places.get("places", places) if isinstance(places, dict) else places
    assert places
    for place in places:
        assert place["url"].startswith("/"), place
    assert any(PAYLOADS[1] in json.dumps(place, ensure_ascii=False) for place in places)


@pytest.mark.parametrize("path", CALENDARS)
def test_calendars_carry_the_title_as_text(crawled, path):
    calendar = icalendar.Calendar.from_ical(crawled.pages[path].content)
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert any(PAYLOADS[1] in summary for summary in summaries)
