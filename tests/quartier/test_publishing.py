"""Who sees drafts: the same rule on every detail page and every document download.

Staff with the model's view permission (as in the admin) preview drafts, with the notice, in a
response no cache keeps; everyone else, staff without the permission included, gets 404.
"""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Event
from tests.actors.factories import ActorFactory
from tests.events.factories import EventDocumentFactory, EventFactory
from tests.factories import UserFactory
from tests.projects.factories import ProjectDocumentFactory, ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

# What each detail page is for: how to make a draft and a published one, and the permission.
PAGES = {
    "actor": (
        lambda **published: ActorFactory(is_published=published.get("published", False)),
        "view_actor",
        "Draft: this profile is not published",
    ),
    "event": (
        lambda **published: EventFactory(
            status=Event.Status.PUBLISHED if published.get("published") else Event.Status.DRAFT
        ),
        "view_event",
        "Draft: this event is not published",
    ),
    "project": (
        lambda **published: ProjectFactory(is_published=published.get("published", False)),
        "view_project",
        "Draft: this project is not published",
    ),
    "publication": (
        lambda **published: PublicationFactory(is_published=published.get("published", False)),
        "view_publication",
        "Draft: this publication is not published",
    ),
}


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.fixture
def staff(client):
    """``staff(*codenames)``: log the client in as staff with just these permissions."""

    def log_in(*codenames):
        user = UserFactory(username="redaktion", is_staff=True, permissions=codenames)
        client.force_login(user)
        return client

    return log_in


@pytest.mark.parametrize("kind", PAGES)
def test_the_public_does_not_find_a_draft(client, kind):
    make, _permission, _notice = PAGES[kind]
    assert client.get(make().get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", PAGES)
def test_staff_without_the_view_permission_do_not_find_a_draft(staff, kind):
    make, permission, _notice = PAGES[kind]
    other_permissions = [codename for _, codename, _ in PAGES.values() if codename != permission]
    client = staff(*other_permissions)
    assert client.get(make().get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", PAGES)
def test_editors_preview_a_draft_with_the_notice_and_no_cache(staff, kind):
    make, permission, notice = PAGES[kind]
    response = staff(permission).get(f"/en{make().get_absolute_url()}")
    assert response.status_code == 200
    assertContains(response, notice)
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.parametrize("kind", PAGES)
def test_a_published_page_is_not_kept_from_caches(staff, kind):
    make, permission, _notice = PAGES[kind]
    response = staff(permission).get(f"/en{make(published=True).get_absolute_url()}")
    assert response.status_code == 200
    assertNotContains(response, "Draft:")
    assert "no-store" not in cache_control(response)


def test_an_actor_page_showing_a_draft_group_is_kept_from_caches(staff):
    group = ActorFactory(name="Geheime Gruppe", is_published=False)
    member = ActorFactory(name="Öffentliches Mitglied", parent=group)
    response = staff("view_actor").get(member.get_absolute_url())
    assertContains(response, "Geheime Gruppe")
    assert "no-store" in cache_control(response)


# --- Downloads ------------------------------------------------------------------------------


def _event_document():
    document = EventDocumentFactory(event=EventFactory(documentation_published=False))
    url = reverse(
        "events:document",
        kwargs={"slug": document.event.slug, "pk": document.pk, "filename": document.download_name},
    )
    return url


def _project_document():
    document = ProjectDocumentFactory(project=ProjectFactory(is_published=False))
    url = reverse(
        "projects:document",
        kwargs={
            "slug": document.project.slug,
            "pk": document.pk,
            "filename": document.download_name,
        },
    )
    return url


def _publication():
    publication = PublicationFactory(is_published=False)
    url = reverse(
        "results:publication_file",
        kwargs={"slug": publication.slug, "filename": publication.download_name},
    )
    return url


# How to make an unpublished document, and the permission that lets an editor fetch it.
DOWNLOADS = {
    "event document": (_event_document, "view_eventdocument"),
    "project document": (_project_document, "view_projectdocument"),
    "publication": (_publication, "view_publication"),
}


def _fetch(client, url):
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # reading to the end closes the file
    return response


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_an_unpublished_document_is_not_found_for_staff_without_the_permission(staff, kind):
    make, permission = DOWNLOADS[kind]
    others = [codename for _, codename in DOWNLOADS.values() if codename != permission]
    assert _fetch(staff(*others), make()).status_code == 404


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_editors_with_the_view_permission_download_an_unpublished_document(staff, kind):
    make, permission = DOWNLOADS[kind]
    response = _fetch(staff(permission), make())
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_published_document_is_not_kept_from_caches_for_editors(staff):
    document = EventDocumentFactory(event=EventFactory(documentation_published=True))
    url = reverse(
        "events:document",
        kwargs={"slug": document.event.slug, "pk": document.pk, "filename": document.download_name},
    )
    response = _fetch(staff("view_eventdocument"), url)
    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
