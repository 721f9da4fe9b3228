from urllib.parse import quote

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from actors.models import Actor
from quartier.models import Page
from tests.factories import UserFactory

from .factories import ActorFactory, SectorFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/actors/actor/"


def inline_management(total=0, initial=0, *, offers_total=0, offers_initial=0):
    """The management forms of the inlines (members, offers and needs), as the admin's add and
    change forms send them."""
    return {
        "members-TOTAL_FORMS": str(total),
        "members-INITIAL_FORMS": str(initial),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "offers_and_needs-TOTAL_FORMS": str(offers_total),
        "offers_and_needs-INITIAL_FORMS": str(offers_initial),
        "offers_and_needs-MIN_NUM_FORMS": "0",
        "offers_and_needs-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("path", ["/admin/", CHANGELIST, "/admin/actors/actor/add/"])
def test_anonymous_visitors_are_sent_to_the_login(client, path):
    response = client.get(path, follow=True)
    assertRedirects(response, f"/konto/login/?next={quote(path, safe='')}")


def test_visitors_without_staff_status_cannot_edit(client):
    user = UserFactory(username="besucherin")
    client.force_login(user)
    assert client.get(CHANGELIST, follow=True).status_code == 403


@pytest.fixture
def group():
    sector = SectorFactory(name="Zivilgesellschaftliche Netzwerke", slug="zivilgesellschaft")
    group = ActorFactory(name="Initiativen des kreativen beruflichen Nachwuchses", sector=sector)
    ActorFactory(name="COI Bernburg", parent=group, sector=sector, city="Bernburg")
    ActorFactory(name="schrill Braunschweig", parent=group, sector=sector, is_published=False)
    return group


def test_changelist(admin_client, group):
    ActorFactory(name="degewo AG", city="Berlin")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 4
    assertContains(response, "degewo AG")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"q": "degewo"}, {"degewo AG"}),
        ({"q": "Berlin"}, {"degewo AG"}),  # city
        ({"q": "DV"}, {"Deutscher Verband"}),  # short name
        ({"is_published__exact": "0"}, {"schrill Braunschweig"}),
        ({"role__exact": "organiser"}, {"Deutscher Verband"}),
    ],
)
def test_changelist_search_and_filters(admin_client, group, query, names):
    ActorFactory(name="degewo AG", city="Berlin")
    ActorFactory(name="Deutscher Verband", short_name="DV", role=Actor.Role.ORGANISER)
    response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    assert {actor.name for actor in response.context["cl"].result_list} == names


def test_changelist_filters_by_sector_and_group(admin_client, group):
    ActorFactory(name="degewo AG")
    response = admin_client.get(
        CHANGELIST, {"sector__id__exact": group.sector_id, "parent__id__exact": group.pk}
    )
    assert response.status_code == 200
    assert {actor.name for actor in response.context["cl"].result_list} == {
        "COI Bernburg",
        "schrill Braunschweig",
    }


def test_add_page(admin_client):
    SectorFactory(name="Stiftungen")
    response = admin_client.get("/admin/actors/actor/add/")
    assert response.status_code == 200
    assertContains(response, 'name="slug"')


def test_add_an_actor(admin_client):
    sector = SectorFactory(name="Stiftungen")
    response = admin_client.post(
        "/admin/actors/actor/add/",
        {
            "name": "Stiftung Trias",
            "short_name": "",
            "slug": "stiftung-trias",
            "is_published": "on",
            "role": Actor.Role.PARTICIPANT,
            "sector": sector.pk,
            "topics": "Boden, Gemeinwohl",
            "description": "Boden für **alle**.",
            **inline_management(),
        },
    )
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    actor = Actor.objects.get(slug="stiftung-trias")
    assert actor.is_published
    assert sorted(actor.topics.names()) == ["Boden", "Gemeinwohl"]


def test_add_refuses_a_group_inside_a_group(admin_client, group):
    member = group.members.get(name="COI Bernburg")
    response = admin_client.post(
        "/admin/actors/actor/add/",
        {
            "name": "Untergruppe",
            "slug": "untergruppe",
            "role": Actor.Role.PARTICIPANT,
            "parent": member.pk,
            **inline_management(),
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Actor.objects.filter(slug="untergruppe").exists()


def test_change_page_shows_the_members_inline(admin_client, group):
    response = admin_client.get(f"/admin/actors/actor/{group.pk}/change/")
    assert response.status_code == 200
    members = response.context["inline_admin_formsets"][0].formset.queryset
    assert {member.name for member in members} == {"COI Bernburg", "schrill Braunschweig"}
    assertContains(response, 'value="COI Bernburg"')


def test_autocomplete_for_the_group_field(admin_client, group):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "Initiativen",
            "app_label": "actors",
            "model_name": "actor",
            "field_name": "parent",
        },
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == [group.name]


def test_sector_changelist_counts_actors(admin_client, group):
    SectorFactory(name="Handel", slug="handel")
    response = admin_client.get("/admin/actors/sector/")
    assert response.status_code == 200
    counts = {sector.name: sector.actor_count for sector in response.context["cl"].result_list}
    assert counts == {"Zivilgesellschaftliche Netzwerke": 3, "Handel": 0}


def test_sector_add_and_change_pages(admin_client):
    sector = SectorFactory(name="Stiftungen")
    assert admin_client.get("/admin/actors/sector/add/").status_code == 200
    assert admin_client.get(f"/admin/actors/sector/{sector.pk}/change/").status_code == 200


def test_page_changelist_and_change_page(admin_client):
    response = admin_client.get("/admin/quartier/page/")
    assert response.status_code == 200
    assert {page.slug for page in response.context["cl"].result_list} == {
        "kontakt",
        "impressum",
        "datenschutz",
    }
    contact = Page.objects.get(slug="kontakt")
    response = admin_client.get(f"/admin/quartier/page/{contact.pk}/change/")
    assert response.status_code == 200
    # The address of an existing page is fixed by the site's URLs: it is not a form field.
    assert "slug" not in response.context["adminform"].form.fields


@pytest.mark.parametrize(
    ("action", "before", "after"), [("publish", False, True), ("unpublish", True, False)]
)
def test_publish_and_unpublish_actions(admin_client, action, before, after):
    chosen = [ActorFactory(is_published=before), ActorFactory(is_published=before)]
    other = ActorFactory(is_published=before)
    response = admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [actor.pk for actor in chosen]},
    )
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    for actor in chosen:
        actor.refresh_from_db()
        assert actor.is_published is after
    other.refresh_from_db()
    assert other.is_published is before


def test_publish_action_reports_how_many(admin_client):
    actors = [ActorFactory(is_published=False) for _ in range(3)]
    response = admin_client.post(
        "/en" + CHANGELIST,
        {"action": "publish", "_selected_action": [actor.pk for actor in actors]},
        follow=True,
    )
    assertContains(response, "3 actors published.")


def test_admin_uses_german_labels_of_django(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assertContains(response, "Abmelden")
    assert "Abmelden" not in admin_client.get("/en/admin/").content.decode()


def test_admin_speaks_german(admin_client):
    """Our own labels are German: needs the German catalogue (locale/de) compiled."""
    ActorFactory()
    response = admin_client.get(CHANGELIST)
    assertContains(response, "Akteur")


def test_admin_index_lists_our_models(admin_client):
    response = admin_client.get("/admin/")
    for url in (
        reverse("admin:actors_actor_changelist"),
        reverse("admin:actors_sector_changelist"),
        reverse("admin:quartier_page_changelist"),
    ):
        assertContains(response, url)
