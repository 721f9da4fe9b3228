import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from .factories import ActorFactory, SectorFactory

pytestmark = pytest.mark.django_db


def test_published_actor_has_a_page(client):
    actor = ActorFactory(
        name="Stiftung Trias",
        short_name="Trias",
        sector=SectorFactory(name="Stiftungen", slug="stiftungen"),
        city="Hattingen",
        topics=["Boden"],
    )
    response = client.get(reverse("actors:detail", kwargs={"slug": "stiftung-trias"}))
    assert response.status_code == 200
    assert response.context["actor"] == actor
    assertContains(response, '<h1 class="kern-heading-x-large">Stiftung Trias</h1>', html=True)
    assertContains(response, 'href="/akteure/?sector=stiftungen"')
    assertContains(response, 'href="/akteure/?city=Hattingen"')
    assertContains(response, 'href="/akteure/?topic=boden"')


def test_actor_page_in_english(client):
    ActorFactory(
        name="Stiftung Trias", sector=SectorFactory(name="Stiftungen", name_en="Foundations")
    )
    response = client.get("/en/akteure/stiftung-trias/")
    assert response.status_code == 200
    assertContains(response, "Foundations")
    assertContains(response, 'href="/en/akteure/?sector=')


def test_unpublished_actor_is_not_found(client):
    actor = ActorFactory(is_published=False)
    assert client.get(actor.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("slug", ["gibt-es-nicht", "degewo-ag-2"])
def test_unknown_actor_is_not_found(client, slug):
    ActorFactory(name="degewo AG")
    assert client.get(reverse("actors:detail", kwargs={"slug": slug})).status_code == 404


@pytest.mark.parametrize(
    "path", ["/akteure/stra%C3%9Fe/", "/akteure/%3Cscript%3E/", "/akteure/a/b/"]
)
def test_strange_addresses_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_editors_see_a_draft_with_a_notice(staff_client):
    actor = ActorFactory(name="Neues Quartiersnetz", is_published=False)
    response = staff_client.get(f"/en{actor.get_absolute_url()}")
    assert response.status_code == 200
    assertContains(response, "Draft: this profile is not published")


def test_published_page_has_no_draft_notice(staff_client):
    actor = ActorFactory(name="Neues Quartiersnetz")
    response = staff_client.get(f"/en{actor.get_absolute_url()}")
    assertNotContains(response, "Draft:")


def test_group_page_lists_its_published_members(client):
    group = ActorFactory(name="Initiativen des kreativen beruflichen Nachwuchses")
    bernburg = ActorFactory(name="COI Bernburg", parent=group)
    stuttgart = ActorFactory(name="Stadtlücken Stuttgart", parent=group)
    ActorFactory(name="Noch geheime Initiative", parent=group, is_published=False)
    ActorFactory(name="Andere Initiative")

    response = client.get(group.get_absolute_url())

    assert response.context["members"] == [bernburg, stuttgart]
    assertContains(response, bernburg.get_absolute_url())
    assertContains(response, stuttgart.get_absolute_url())
    assertNotContains(response, "Noch geheime Initiative")
    assertNotContains(response, "Andere Initiative")


def test_actor_without_members_has_no_member_list(client):
    actor = ActorFactory(name="Stiftung Trias")
    response = client.get(f"/en{actor.get_absolute_url()}")
    assert response.context["members"] == []
    assertNotContains(response, "Members of this group")


def test_member_page_links_its_group(client):
    group = ActorFactory(name="Initiativen des kreativen beruflichen Nachwuchses")
    member = ActorFactory(name="COI Bernburg", parent=group)
    response = client.get(member.get_absolute_url())
    assertContains(
        response,
        f'<a class="kern-link" href="{group.get_absolute_url()}">{group.name}</a>',
        html=True,
    )


def test_member_page_does_not_link_an_unpublished_group(client):
    group = ActorFactory(name="Geheime Gruppe", is_published=False)
    member = ActorFactory(name="COI Bernburg", parent=group)
    response = client.get(member.get_absolute_url())
    assert response.status_code == 200
    assertNotContains(response, group.get_absolute_url())
    assertNotContains(response, "Geheime Gruppe")


def test_description_is_rendered_as_markdown(client):
    actor = ActorFactory(
        description="Wir bauen **gemeinsam** Quartiere.\n\n- Wohnen\n- Kultur",
    )
    response = client.get(actor.get_absolute_url())
    assertContains(response, "<strong>gemeinsam</strong>", html=True)
    assertContains(response, "<ul><li>Wohnen</li><li>Kultur</li></ul>", html=True)


def test_description_is_sanitised(client):
    actor = ActorFactory(
        description=(
            "Hallo <script>alert('x')</script> Welt\n\n"
            '<img src="https://tracker.example/pixel.png" alt="">\n\n'
            '<a href="https://example.org" onclick="steal()">Partner</a> und '
            "[Projekt](https://projekt.example/) und [böse](javascript:alert(1))"
        ),
    )
    response = client.get(actor.get_absolute_url())
    content = response.content.decode()
    assert "<script" not in content
    assert "tracker.example" not in content
    assert "onclick" not in content
    assert "javascript:" not in content
    assertContains(
        response,
        '<a href="https://projekt.example/" rel="noopener noreferrer nofollow">Projekt</a>',
        html=True,
    )
    assertContains(
        response,
        '<a href="https://example.org" rel="noopener noreferrer nofollow">Partner</a>',
        html=True,
    )


def test_mission_is_escaped(client):
    actor = ActorFactory(mission="Wir <b>wollen</b> mehr\nfür alle")
    response = client.get(actor.get_absolute_url())
    assertContains(response, "Wir &lt;b&gt;wollen&lt;/b&gt; mehr<br>für alle")


def test_website_link_opens_safely(client):
    actor = ActorFactory(website="https://www.degewo.de/")
    response = client.get(actor.get_absolute_url())
    assertContains(
        response,
        '<a class="kern-link" href="https://www.degewo.de/" rel="noopener noreferrer">'
        "https://www.degewo.de/</a>",
        html=True,
    )


def test_logo_has_its_alternative_text(client):
    actor = ActorFactory(logo="actors/logos/trias.png", logo_alt_text="Schriftzug Trias")
    response = client.get(actor.get_absolute_url())
    assertContains(response, 'alt="Schriftzug Trias"')
    assertContains(response, 'src="/media/actors/logos/trias.png"')
