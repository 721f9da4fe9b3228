"""The page cache: anonymous visitors get public pages from the cache, and never a stale one.

Each case shows a page to an anonymous visitor twice (the second time from the cache), changes
what it shows as staff do, and looks again: the change shows at once. Signed-in people, pages
with a form or a message, and whatever sets a cookie are never served from the cache.
"""

import csv
import io
import json
import socket

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache.backends.base import BaseCache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from reversion.models import Version
from taggit.models import Tag

from events.models import Event
from quartier import content_version
from quartier.models import Page
from quartier.page_cache import may_be_stored
from tests.actors.factories import ActorFactory, SectorFactory
from tests.events.factories import (
    EventDocumentFactory,
    EventFactory,
    EventPhotoFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
)
from tests.events.test_admin import add_inline_row, form_data, jpeg_upload
from tests.factories import UserFactory
from tests.projects.factories import (
    ProjectDocumentFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    ProjectPhotoFactory,
    PublicationFactory,
)
from tests.quartier.test_settings import PRODUCTION, start

pytestmark = pytest.mark.django_db

LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def cached(client, url: str) -> str:
    """Visit ``url`` twice, the second time answered from the cache; the page's text."""
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    return second.content.decode()


def rendered(client, url: str) -> str:
    """The page's text, rendered anew for this request (and stored for the next)."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    return response.content.decode()


def saved(obj, **fields):
    """Change fields of ``obj`` and save it, in a transaction as the admin does."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()


# --- What a page shows: every model, changed as staff change it -------------------------------


def _actor():
    actor = ActorFactory(name="Quartiersbüro Nord")
    return actor.get_absolute_url(), lambda: saved(actor, name="Stadtteilbüro Nord"), "Stadtteil"


def _actor_in_the_directory():
    actor = ActorFactory(name="Quartiersbüro Nord")
    return "/akteure/", lambda: saved(actor, city="Bielefeld"), "Bielefeld"


def _sector():
    sector = SectorFactory(name="Stiftungen", slug="stiftungen")
    actor = ActorFactory(sector=sector)
    return actor.get_absolute_url(), lambda: saved(sector, name="Stiftungswesen"), "Stiftungswesen"


def _topic_added():
    actor = ActorFactory()
    return actor.get_absolute_url(), lambda: actor.topics.add("Klimaschutz"), "Klimaschutz"


def _topic_renamed():
    actor = ActorFactory(topics=["Klima"])
    tag = Tag.objects.get(name="Klima")
    return actor.get_absolute_url(), lambda: saved(tag, name="Klimaschutz"), "Klimaschutz"


def _event():
    event = EventFactory(title="Werkstattgespräch Boden")
    return event.get_absolute_url(), lambda: saved(event, summary="Neue Zusammenfassung"), "Neue"


def _event_organiser():
    event = EventFactory()
    actor = ActorFactory(name="Montag Stiftung")

    def change():
        with transaction.atomic():
            event.organisers.add(actor)

    return event.get_absolute_url(), change, "Montag Stiftung"


def _programme_item():
    item = ProgrammeItemFactory(title="Begrüßung")
    return item.event.get_absolute_url(), lambda: saved(item, title="Grußwort"), "Grußwort"


def _speaker():
    speaker = SpeakerFactory(name="Erika Muster")
    url = speaker.programme_item.event.get_absolute_url()
    return url, lambda: saved(speaker, name="Erika Mustermann"), "Erika Mustermann"


def _event_document():
    document = EventDocumentFactory(event=EventFactory(documentation_published=True))
    url = document.event.get_absolute_url()
    return url, lambda: saved(document, title="Protokoll der Werkstatt"), "Protokoll der"


def _event_photo():
    photo = EventPhotoFactory(event=EventFactory(documentation_published=True))
    url = photo.event.get_absolute_url()
    return url, lambda: saved(photo, caption="Gespräche am Nachmittag"), "Gespräche am"


def _project():
    project = ProjectFactory()
    url = project.get_absolute_url()
    return url, lambda: saved(project, summary="Eine Brache wird zum Garten."), "Brache"


def _project_partner():
    partner = ProjectPartnerFactory(role="Eigentümerin der Fläche")
    url = partner.project.get_absolute_url()
    return url, lambda: saved(partner, role="Pächterin der Fläche"), "Pächterin"


def _project_document():
    document = ProjectDocumentFactory()
    url = document.project.get_absolute_url()
    return url, lambda: saved(document, title="Zwischenbericht 2024"), "Zwischenbericht"


def _project_photo():
    photo = ProjectPhotoFactory()
    url = photo.project.get_absolute_url()
    return url, lambda: saved(photo, caption="Der Garten im Sommer"), "Garten im Sommer"


def _publication():
    publication = PublicationFactory(title="Abschlussbericht")
    return "/ergebnisse/", lambda: saved(publication, title="Bilanz der Initiative"), "Bilanz"


def _page():
    page = Page.objects.get(slug=Page.Slug.CONTACT)
    return "/kontakt/", lambda: saved(page, body="Sprechstunde dienstags."), "Sprechstunde"


def _english_page():
    page = Page.objects.get(slug=Page.Slug.CONTACT)
    return "/en/kontakt/", lambda: saved(page, body_en="Office hours on Tuesdays."), "Office hours"


CHANGES = {
    "actor": _actor,
    "actor in the directory": _actor_in_the_directory,
    "sector": _sector,
    "topic added": _topic_added,
    "topic renamed": _topic_renamed,
    "event": _event,
    "event's organiser": _event_organiser,
    "programme item": _programme_item,
    "speaker": _speaker,
    "event document": _event_document,
    "event photo": _event_photo,
    "project": _project,
    "project partner": _project_partner,
    "project document": _project_document,
    "project photo": _project_photo,
    "publication": _publication,
    "editable page": _page,
    "English editable page": _english_page,
}


@pytest.mark.parametrize("kind", CHANGES)
def test_a_change_shows_at_once(client, kind):
    url, change, new_text = CHANGES[kind]()
    assert new_text not in cached(client, url)

    change()

    assert new_text in rendered(client, url)


@pytest.fixture(scope="module")
def shared_actor(module_db):
    with module_db():
        yield ActorFactory(name="Quartiersbüro Süd")


def test_a_change_of_data_shared_by_the_module_shows_at_once(client, shared_actor):
    url = shared_actor.get_absolute_url()
    assert "Stadtteilbüro Süd" not in cached(client, url)

    saved(shared_actor, name="Stadtteilbüro Süd")

    assert "Stadtteilbüro Süd" in rendered(client, url)


def test_a_deleted_actor_leaves_the_directory_at_once(client):
    actor = ActorFactory(name="Quartiersbüro Nord")
    assert "Quartiersbüro Nord" in cached(client, "/akteure/")

    actor.delete()

    assert "Quartiersbüro Nord" not in rendered(client, "/akteure/")
    assert client.get(actor.get_absolute_url()).status_code == 404


def test_a_page_from_the_cache_costs_at_most_one_query(client):
    url = ActorFactory().get_absolute_url()
    cached(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url)["X-Page-Cache"] == "hit"
    # The content version, kept in the database while each process has its own cache.
    assert len(queries) == 1


def test_languages_and_query_strings_are_pages_of_their_own(client):
    ActorFactory()
    german, english = cached(client, "/akteure/"), cached(client, "/en/akteure/")
    assert german != english
    assert client.get("/akteure/?city=Berlin")["X-Page-Cache"] == "miss"


def test_head_is_answered_from_the_cache(client):
    url = ActorFactory().get_absolute_url()
    cached(client, url)
    response = client.head(url)
    assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")


# --- Changes made in the admin ------------------------------------------------------------------


def event_change_url(event: Event) -> str:
    return f"/admin/events/event/{event.pk}/change/"


def test_a_programme_item_added_in_the_admin_shows_at_once(client, admin_client):
    event = EventFactory()
    assert "Begrüßung durch den Verein" not in cached(client, event.get_absolute_url())

    data = form_data(admin_client.get(event_change_url(event)))
    add_inline_row(
        data, "programme_items", title="Begrüßung durch den Verein", starts_at="14:00", position="1"
    )
    assert admin_client.post(event_change_url(event), data).status_code == 302

    assert "Begrüßung durch den Verein" in rendered(client, event.get_absolute_url())


def test_a_photo_added_in_the_admin_shows_at_once(client, admin_client):
    event = EventFactory(documentation_published=True)
    assert "Gäste im Saal" not in cached(client, event.get_absolute_url())

    data = form_data(admin_client.get(event_change_url(event)))
    add_inline_row(
        data,
        "photos",
        image=jpeg_upload(),
        alt_text="Gäste im Saal",
        credit="© Verein",
        licence="all-rights-reserved",
        position="0",
    )
    assert admin_client.post(event_change_url(event), data).status_code == 302

    assert "Gäste im Saal" in rendered(client, event.get_absolute_url())


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_the_publish_actions_show_at_once(client, admin_client, action):
    actor = ActorFactory(name="Quartiersbüro Nord", is_published=action == "unpublish")
    before = cached(client, "/akteure/")

    response = admin_client.post(
        "/admin/actors/actor/", {"action": action, "_selected_action": [actor.pk]}
    )
    assert response.status_code == 302

    after = rendered(client, "/akteure/")
    assert ("Quartiersbüro Nord" in before, "Quartiersbüro Nord" in after) == (
        action == "unpublish",
        action == "publish",
    )


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_the_publish_actions_of_events_show_at_once(client, admin_client, action):
    event = EventFactory(
        status=Event.Status.DRAFT if action == "publish" else Event.Status.PUBLISHED
    )
    url = event.get_absolute_url()
    if action == "unpublish":
        cached(client, url)
    else:
        assert client.get(url).status_code == 404

    response = admin_client.post(
        "/admin/events/event/", {"action": action, "_selected_action": [event.pk]}
    )
    assert response.status_code == 302

    assert client.get(url).status_code == (200 if action == "publish" else 404)


def test_a_revert_in_the_admin_shows_at_once(client, admin_client):
    actor = ActorFactory(name="Quartiersbüro Nord")
    url = f"/admin/actors/actor/{actor.pk}/change/"
    assert admin_client.post(url, form_data(admin_client.get(url), "actor_form")).status_code == 302
    data = form_data(admin_client.get(url), "actor_form")
    data["name"] = "Stadtteilbüro Nord"
    assert admin_client.post(url, data).status_code == 302
    assert "Stadtteilbüro Nord" in cached(client, "/akteure/")

    first = Version.objects.get_for_object(actor).order_by("pk").first()
    revert_url = f"/admin/actors/actor/{actor.pk}/history/{first.pk}/"
    response = admin_client.post(revert_url, form_data(admin_client.get(revert_url), "actor_form"))
    assert response.status_code == 302

    page = rendered(client, "/akteure/")
    assert "Quartiersbüro Nord" in page
    assert "Stadtteilbüro Nord" not in page


def test_a_delete_in_the_admin_shows_at_once(client, admin_client):
    actor = ActorFactory(name="Quartiersbüro Nord")
    assert "Quartiersbüro Nord" in cached(client, "/akteure/")

    response = admin_client.post(f"/admin/actors/actor/{actor.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert "Quartiersbüro Nord" not in rendered(client, "/akteure/")


def test_an_import_in_the_admin_shows_at_once(client, admin_client):
    sector = SectorFactory(name="Stiftungen", slug="stiftungen")
    actor = ActorFactory(name="Stiftung Trias", sector=sector, city="Hattingen")
    assert "Hattingen" in cached(client, actor.get_absolute_url())

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(
        [["Name", "Bereich", "Ort"], ["Stiftung Trias", "Stiftungen", "Bochum"]]
    )
    upload = SimpleUploadedFile("akteure.csv", buffer.getvalue().encode())
    preview = admin_client.post(
        "/admin/actors/actor/import/", {"import_file": upload, "format": "0"}
    )
    confirm_form = preview.context["confirm_form"]
    data = {name: field.initial for name, field in confirm_form.fields.items()}
    data.update(confirm_form.initial)
    assert admin_client.post("/admin/actors/actor/process_import/", data).status_code == 302

    assert "Bochum" in rendered(client, actor.get_absolute_url())


# --- Who is never served from the cache -------------------------------------------------------


def test_signed_in_people_get_their_own_page_never_one_from_the_cache(client):
    url = ActorFactory().get_absolute_url()
    assert "Anmelden" in cached(client, url)

    member = Client()
    member.force_login(UserFactory())
    for _ in range(2):
        response = member.get(url)
        assert "X-Page-Cache" not in response
        assert "Mein Konto" in response.content.decode()
    # Nor was the member's page kept for the next visitor.
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Mein Konto" not in response.content.decode()


def test_staff_get_their_own_page_never_one_from_the_cache(client, admin_client):
    url = "/akteure/"
    ActorFactory()
    cached(client, url)
    for _ in range(2):
        response = admin_client.get(url)
        assert "X-Page-Cache" not in response
        assert "Mein Konto" in response.content.decode()


def test_a_session_cookie_passes_by_the_cache(client):
    url = ActorFactory().get_absolute_url()
    cached(client, url)
    client.cookies["sessionid"] = "expired-or-unknown"
    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.parametrize("url", ["/mitmachen/", "/konto/login/"])
def test_a_page_with_a_form_is_never_cached(client, url):
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "X-Page-Cache" not in response


def test_account_pages_are_never_cached(client):
    for _ in range(2):
        response = client.get("/konto/password/reset/done/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def messages_cookie(text: str) -> str:
    """The cookie in which Django hands a message to the next page."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(message_levels.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


def test_a_message_is_shown_never_cached_nor_served_from_the_cache(client):
    url = ActorFactory().get_absolute_url()
    cached(client, url)

    with_message = Client()
    message = "Ihre Anmeldung ist bestätigt."
    with_message.cookies[CookieStorage.cookie_name] = messages_cookie(message)
    response = with_message.get(url)
    assert message in response.content.decode()
    assert "X-Page-Cache" not in response

    assert message not in client.get(url).content.decode()


def test_a_private_response_or_one_varying_by_cookie_is_never_stored():
    request = RequestFactory().get("/akteure/entwurf/")
    request.user = AnonymousUser()
    response = HttpResponse("Entwurf")
    assert may_be_stored(request, response)
    response["Cache-Control"] = "private, no-store"
    assert not may_be_stored(request, response)
    varied = HttpResponse("Nach Cookie")
    varied["Vary"] = "Cookie"
    assert not may_be_stored(request, varied)


# --- Browsers: asked again each time, "304 Not Modified" while nothing changed ----------------


def test_a_repeated_conditional_get_is_answered_304_until_the_page_changes(client):
    actor = ActorFactory(name="Quartiersbüro Nord")
    url = actor.get_absolute_url()
    first = client.get(url)
    assert "no-cache" in first["Cache-Control"]
    etag = first["ETag"]

    again = client.get(url, headers={"if-none-match": etag})
    assert (again.status_code, again.content) == (304, b"")

    saved(actor, name="Stadtteilbüro Nord")

    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "Stadtteilbüro Nord" in changed.content.decode()
    assert changed["ETag"] != etag


# --- Where the version lives --------------------------------------------------------------------


def test_a_change_in_another_process_shows_at_once(client):
    """Two gunicorn workers, each with its cache in its memory: a change saved by one shows in
    the pages the other has cached, since the version is in the database they share."""
    actor = ActorFactory(name="Quartiersbüro Nord")
    url = actor.get_absolute_url()
    assert "Stadtteilbüro" not in cached(client, url)

    other_process = {"default": {"BACKEND": LOCAL_MEMORY, "LOCATION": "another-worker"}}
    with override_settings(CACHES=other_process):
        saved(actor, name="Stadtteilbüro Nord")

    assert "Stadtteilbüro Nord" in rendered(client, url)


def test_one_transaction_makes_one_new_version():
    """An import of many rows costs one new version, not one per row."""
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for number in range(5):
            ActorFactory(name=f"Verein {number}")
    writes = [q["sql"] for q in queries if "quartier_contentversion" in q["sql"]]
    assert len(writes) == 1, writes


class BrokenCache(BaseCache):
    """A cache whose every call fails, as one whose server does not answer."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("the cache does not answer")

    add = get = set = touch = delete = has_key = incr = clear = _fail
    get_many = set_many = delete_many = _fail


def test_a_cache_that_fails_costs_the_rendering_not_an_error(client):
    actor = ActorFactory(name="Quartiersbüro Nord")
    broken = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}
    with override_settings(CACHES=broken):
        for _ in range(2):
            response = client.get(actor.get_absolute_url())
            assert response.status_code == 200
            assert "X-Page-Cache" not in response
        saved(actor, name="Stadtteilbüro Nord")
        assert "Stadtteilbüro Nord" in client.get(actor.get_absolute_url()).content.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "quartier.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_a_redis_that_is_down_costs_the_rendering_not_an_error(client, settings):
    actor = ActorFactory(name="Quartiersbüro Nord")
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{free_port()}/0")):
        for _ in range(2):
            response = client.get(actor.get_absolute_url())
            assert response.status_code == 200
            assert "X-Page-Cache" not in response
        # The rate limit of a public form counts in the cache too.
        assert client.post("/mitmachen/", {}).status_code == 200
        saved(actor, name="Stadtteilbüro Nord")
        assert "Stadtteilbüro Nord" in client.get(actor.get_absolute_url()).content.decode()


@pytest.fixture
def redis():
    """The machine's Redis, in a database of the tests' own, emptied before and after."""
    url = "redis://127.0.0.1:6379/13"
    try:
        import redis as redis_client

        server = redis_client.Redis.from_url(url, socket_connect_timeout=0.5)
        server.ping()
    except Exception as error:  # noqa: BLE001 - any failure means there is no Redis to test
        pytest.skip(f"no Redis at 127.0.0.1:6379 ({error})")
    server.flushdb()
    with override_settings(CACHES=redis_cache(url)):
        yield server
    server.flushdb()


def test_with_redis_the_version_is_shared_and_a_hit_asks_the_database_nothing(client, redis):
    assert not content_version.version_in_database()
    actor = ActorFactory(name="Quartiersbüro Nord")
    url = actor.get_absolute_url()
    assert "Stadtteilbüro" not in cached(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert redis.get(f":1:{content_version.VERSION_KEY}") is not None

    saved(actor, name="Stadtteilbüro Nord")

    assert "Stadtteilbüro Nord" in rendered(client, url)


def test_page_cache_seconds_zero_turns_it_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = ActorFactory().get_absolute_url()
    for _ in range(2):
        assert "X-Page-Cache" not in client.get(url)


# --- Settings -------------------------------------------------------------------------------------

SHOW_CACHE_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "BACKEND": settings.CACHES["default"]["BACKEND"],
    "LOCATION": settings.CACHES["default"].get("LOCATION", ""),
    "PAGE_CACHE_SECONDS": settings.PAGE_CACHE_SECONDS,
    "CONN_MAX_AGE": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
}))
"""


@pytest.mark.parametrize(
    ("environment", "backend", "location"),
    [
        ({}, LOCAL_MEMORY, ""),
        ({"CACHE_URL": ""}, LOCAL_MEMORY, ""),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/1", "CACHE_URL": "dbcache://portal_cache"},
            "quartier.cache.RedisCache",
            "redis://127.0.0.1:6379/1",
        ),
        (
            {"CACHE_URL": "dbcache://portal_cache"},
            "django.core.cache.backends.db.DatabaseCache",
            "portal_cache",
        ),
    ],
    ids=["default", "empty CACHE_URL", "REDIS_URL", "CACHE_URL"],
)
def test_the_cache_is_redis_when_configured(environment, backend, location):
    result = start({"DEBUG": "0", **PRODUCTION, **environment}, SHOW_CACHE_SETTINGS)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["BACKEND"], shown["LOCATION"]) == (backend, location)
    # Production defaults: pages cached for ten minutes, database connections kept and checked.
    assert (shown["PAGE_CACHE_SECONDS"], shown["CONN_MAX_AGE"], shown["CONN_HEALTH_CHECKS"]) == (
        600,
        60,
        True,
    )
