"""Offers and needs ("Angebote und Gesuche"): the list with its facets, the actor page's own
entries and matches ("passt zu"), moderation, the application hand-over, the feed, escaping."""

import feedparser
import pytest
from django.urls import reverse

from actors.models import OfferOrNeed
from actors.offers import MATCHES_SHOWN, actor_page_offers, kind_of_text, matches_for
from actors.services import application_approve
from quartier.links import absolute_url
from tests.factories import UserFactory

from .factories import ActorFactory, ApplicationFactory, OfferOrNeedFactory, SectorFactory, topic

pytestmark = pytest.mark.django_db

LIST = "/angebote-und-gesuche/"
FEED = "/angebote-und-gesuche/feed/"
OFFER, NEED = OfferOrNeed.Direction.OFFER, OfferOrNeed.Direction.NEED
Kind = OfferOrNeed.Kind


@pytest.fixture
def board(sectors):
    """A few actors with offers and needs, a draft entry and an entry of a draft actor."""
    kultur, wohnen = topic("Kultur"), topic("Wohnen")
    stellwerk = ActorFactory(
        name="STELLWERK Göttingen", sector=sectors["kultur"], city="Göttingen", topics=["Kultur"]
    )
    leben = ActorFactory(
        name="Stiftung Berliner Leben",
        sector=sectors["stiftungen"],
        city="Berlin",
        topics=["Kultur"],
    )
    degewo = ActorFactory(name="degewo AG", sector=sectors["wohnen"], city="Berlin")
    hidden_actor = ActorFactory(
        name="Geheime Stiftung",
        sector=sectors["stiftungen"],
        city="Geheimstadt",
        is_published=False,
    )
    entries = {
        "probenraum": OfferOrNeedFactory(
            actor=stellwerk,
            direction=NEED,
            kind=Kind.SPACE,
            topic=kultur,
            title="Probenraum gesucht",
            text="Zwei Abende die Woche.",
        ),
        "saal": OfferOrNeedFactory(
            actor=leben, direction=OFFER, kind=Kind.SPACE, topic=kultur, title="Saal für 60"
        ),
        "flaechen": OfferOrNeedFactory(
            actor=degewo, direction=OFFER, kind=Kind.SPACE, topic=wohnen, title="Ladenflächen"
        ),
        "helfer": OfferOrNeedFactory(
            actor=degewo, direction=NEED, kind=Kind.VOLUNTEERS, title="Helfer für ein Hoffest"
        ),
        "draft": OfferOrNeedFactory(
            actor=stellwerk,
            direction=OFFER,
            kind=Kind.VOLUNTEERS,
            title="Unveröffentlichter Entwurf",
            is_published=False,
        ),
        "hidden_entry": OfferOrNeedFactory(
            actor=hidden_actor, direction=OFFER, kind=Kind.SPACE, title="Geheimer Raum"
        ),
    }
    return {
        "stellwerk": stellwerk,
        "leben": leben,
        "degewo": degewo,
        "hidden_actor": hidden_actor,
        **entries,
    }


ALL = ["Helfer für ein Hoffest", "Ladenflächen", "Saal für 60", "Probenraum gesucht"]


def titles(response) -> list[str]:
    return [entry.title for entry in response.context["entries"]]


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_published_entries_of_published_actors_newest_first(client, board):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [
        "Helfer für ein Hoffest",
        "Ladenflächen",
        "Saal für 60",
        "Probenraum gesucht",
    ]
    content = response.content.decode()
    assert "Unveröffentlichter Entwurf" not in content
    assert "Geheimer Raum" not in content
    assert "Geheime Stiftung" not in content
    assert "4 Einträge" in content


def test_a_card_links_its_actor_and_names_kind_topic_sector_and_city(client, board, find):
    response = client.get(LIST, {"kind": "space", "sector": "kultur"})
    content = response.content.decode()
    assert titles(response) == ["Probenraum gesucht"]
    (link,) = find(response, "a", href=board["stellwerk"].get_absolute_url())
    assert link.text == "STELLWERK Göttingen"
    for text in ("Gesuch", "Räume", "Kultur", "Göttingen", "Zwei Abende die Woche."):
        assert text in content


def test_facets_show_their_counts(client, board, options):
    response = client.get(LIST)
    assert options(response, "direction") == ["Angebote und Gesuche", "Angebot (2)", "Gesuch (2)"]
    assert options(response, "kind")[:3] == ["Alle Arten", "Räume (3)", "Wissen (0)"]
    assert "Ehrenamtliche (1)" in options(response, "kind")
    assert options(response, "topic") == ["Alle Themen", "Kultur (2)", "Wohnen (1)"]
    assert options(response, "city") == ["Alle Orte", "Berlin (3)", "Göttingen (1)"]
    assert "Stiftungen (1)" in options(response, "sector")
    assert "Wohnungswirtschaft (2)" in options(response, "sector")


def test_facet_counts_keep_the_other_filters(client, board, options):
    response = client.get(LIST, {"direction": "offer"})
    assert titles(response) == ["Ladenflächen", "Saal für 60"]
    assert options(response, "direction") == ["Angebote und Gesuche", "Angebot (2)", "Gesuch (2)"]
    assert options(response, "city") == ["Alle Orte", "Berlin (2)", "Göttingen (0)"]
    assert options(response, "topic") == ["Alle Themen", "Kultur (1)", "Wohnen (1)"]
    assert "2 Einträge" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"direction": "need"}, ["Helfer für ein Hoffest", "Probenraum gesucht"]),
        ({"kind": "volunteers"}, ["Helfer für ein Hoffest"]),
        ({"topic": "kultur"}, ["Saal für 60", "Probenraum gesucht"]),
        ({"sector": "stiftungen"}, ["Saal für 60"]),
        ({"city": "Berlin", "direction": "offer"}, ["Ladenflächen", "Saal für 60"]),
        # Not offered (only a draft actor is there): shown without that filter.
        ({"city": "Geheimstadt"}, ALL),
    ],
)
def test_filters(client, board, query, expected):
    assert titles(client.get(LIST, query)) == expected


def test_an_invalid_value_is_reported_and_the_others_stay(client, board, find):
    response = client.get(LIST, {"kind": "raketen", "direction": "offer"})
    assert response.status_code == 200
    assert titles(response) == ["Ladenflächen", "Saal für 60"]
    assert find(response, "select", name="kind", **{"aria-invalid": "true"})


def test_the_filter_form_works_without_javascript(client, board, find):
    response = client.get(LIST)
    (form,) = find(response, "form", role="search")
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == LIST
    assert not find(response, "script")


def test_pagination(client, settings):
    from actors import offer_views

    actor = ActorFactory()
    for number in range(offer_views.OFFERS_PER_PAGE + 3):
        OfferOrNeedFactory(actor=actor, title=f"Eintrag Nummer {number}")
    first = client.get(LIST)
    assert len(first.context["entries"]) == offer_views.OFFERS_PER_PAGE
    second = client.get(LIST, {"page": 2})
    assert len(second.context["entries"]) == 3
    assert titles(second)[-1] == "Eintrag Nummer 0"
    assert client.get(LIST, {"page": 99}).status_code == 200


def test_the_list_in_english(client, board, options):
    response = client.get("/en" + LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in content
    assert "<h1" in content and "Offers and needs</h1>" in content
    assert options(response, "direction") == ["Offers and needs", "Offer (2)", "Need (2)"]
    assert "Space (3)" in options(response, "kind")
    # The actors' own words stay German, and say so.
    assert 'lang="de">Probenraum gesucht' in content


def test_the_list_names_its_feed(client, board, find):
    response = client.get(LIST)
    (link,) = find(response, "link", type="application/atom+xml", href=FEED)
    assert link.attrs["title"] == "Neue Angebote und Gesuche"
    assert find(response, "a", href=FEED)


def test_the_main_navigation_leads_to_the_list(client, board, find):
    response = client.get(LIST)
    (current,) = find(response, "a", **{"aria-current": "page", "class": "portal-nav__link"})
    assert current.attrs["href"] == LIST


# --- The actor page: its own entries and the actors that fit --------------------------------


def test_the_actor_page_lists_its_own_published_entries(client, board):
    content = client.get(board["stellwerk"].get_absolute_url()).content.decode()
    assert "Angebote und Gesuche" in content
    assert "Die Organisation sucht" in content
    assert "Probenraum gesucht" in content
    assert f'id="eintrag-{board["probenraum"].pk}"' in content
    assert "Unveröffentlichter Entwurf" not in content
    # It offers nothing published: no heading for offers.
    assert "Die Organisation bietet" not in content


def test_an_actor_without_entries_shows_neither_section(client, sectors):
    actor = ActorFactory(sector=sectors["kultur"])
    content = client.get(actor.get_absolute_url()).content.decode()
    assert 'id="offers-title"' not in content
    assert 'id="matches-title"' not in content


def test_matches_both_ways_with_their_reasons(client, board):
    # The Göttingen theatre seeks a room: both who offer rooms fit, the one with its topic first.
    stellwerk = client.get(board["stellwerk"].get_absolute_url())
    matches = stellwerk.context["matches"]
    assert [match.actor for match in matches] == [board["leben"], board["degewo"]]
    assert matches[0].reasons == ["bietet Räume, Thema Kultur"]
    assert matches[1].reasons == ["bietet Räume, Thema Wohnen"]
    content = stellwerk.content.decode()
    assert "Passt zu" in content
    # Each reason leads to the entry on the other actor's page.
    saal = board["saal"]
    href = f"/akteure/stiftung-berliner-leben/#eintrag-{saal.pk}"
    assert f'<a class="kern-link" href="{href}">bietet Räume, Thema Kultur</a>' in content
    # The other way round: the foundation offering the hall sees the theatre that seeks one.
    leben = client.get(board["leben"].get_absolute_url())
    (match,) = leben.context["matches"]
    assert match.actor == board["stellwerk"]
    assert match.reasons == ["sucht Räume, Thema Kultur"]


def test_matching_by_topic_alone(sectors):
    bildung = topic("Bildung")
    seeker = ActorFactory(sector=sectors["kultur"])
    need = OfferOrNeedFactory(actor=seeker, direction=NEED, kind=Kind.FUNDING, topic=bildung)
    helper = ActorFactory(name="Bildungswerk", sector=sectors["kultur"])
    OfferOrNeedFactory(actor=helper, direction=OFFER, kind=Kind.KNOWLEDGE, topic=bildung)
    (match,) = matches_for(seeker, [need])
    assert match.actor == helper
    assert match.reasons == ["bietet Wissen, Thema Bildung"]


def test_other_meets_nothing_by_kind_alone_and_nobody_fits_themself(sectors):
    seeker = ActorFactory(sector=sectors["kultur"])
    need = OfferOrNeedFactory(actor=seeker, direction=NEED, kind=Kind.OTHER, title="Irgendwas")
    OfferOrNeedFactory(actor=ActorFactory(), direction=OFFER, kind=Kind.OTHER)
    OfferOrNeedFactory(actor=seeker, direction=OFFER, kind=Kind.OTHER)
    assert matches_for(seeker, [need]) == []


def test_an_offer_meets_no_offer(sectors):
    actor = ActorFactory()
    offer = OfferOrNeedFactory(actor=actor, direction=OFFER, kind=Kind.SPACE)
    OfferOrNeedFactory(actor=ActorFactory(), direction=OFFER, kind=Kind.SPACE)
    assert matches_for(actor, [offer]) == []


def test_ranking_by_shared_topics_then_city_then_entries(sectors):
    seeker = ActorFactory(name="Sucht", city="Leipzig", topics=["Kultur", "Wohnen"])
    need = OfferOrNeedFactory(actor=seeker, direction=NEED, kind=Kind.SPACE)
    # Fewer shared topics lose against more, whatever the city or the number of entries.
    two_topics = ActorFactory(name="Zwei Themen", city="Bonn", topics=["Kultur", "Wohnen"])
    same_city = ActorFactory(name="Gleiche Stadt", city="Leipzig", topics=["Kultur"])
    one_topic = ActorFactory(name="Ein Thema", city="Bonn", topics=["Kultur"])
    many_entries = ActorFactory(name="Viele Einträge", city="Bonn")
    nothing_shared = ActorFactory(name="Aaa nichts gemeinsam", city="Bonn")
    for actor in (two_topics, same_city, one_topic, nothing_shared):
        OfferOrNeedFactory(actor=actor, direction=OFFER, kind=Kind.SPACE)
    for _number in range(3):
        OfferOrNeedFactory(actor=many_entries, direction=OFFER, kind=Kind.SPACE)
    matches = matches_for(seeker, [need])
    assert [match.actor.name for match in matches] == [
        "Zwei Themen",
        "Gleiche Stadt",
        "Ein Thema",
        "Viele Einträge",
        "Aaa nichts gemeinsam",
    ]
    assert matches[0].reasons == ["bietet Räume", "gemeinsame Themen: Kultur, Wohnen"]
    assert matches[1].reasons == [
        "bietet Räume",
        "gemeinsame Themen: Kultur",
        "ebenfalls in Leipzig",
    ]
    assert len(matches[3].reasons) == 3


def test_only_the_best_few_are_shown(sectors):
    seeker = ActorFactory()
    need = OfferOrNeedFactory(actor=seeker, direction=NEED, kind=Kind.EQUIPMENT)
    for _number in range(MATCHES_SHOWN + 4):
        OfferOrNeedFactory(actor=ActorFactory(), direction=OFFER, kind=Kind.EQUIPMENT)
    assert len(matches_for(seeker, [need])) == MATCHES_SHOWN


def test_the_matches_in_english(client, board):
    content = client.get("/en" + board["stellwerk"].get_absolute_url()).content.decode()
    assert "Fits with" in content
    assert "offers space, topic Kultur" in content


# --- Moderation ------------------------------------------------------------------------------


def test_unpublished_entries_and_those_of_draft_actors_fit_nobody(client, board):
    # Both would meet the degewo's need for helpers and the theatre's for a room.
    board["draft"].kind = Kind.VOLUNTEERS
    board["draft"].save()
    context = actor_page_offers(board["degewo"])
    assert [match.actor for match in context["matches"]] == [board["stellwerk"]]
    assert context["matches"][0].reasons == ["sucht Räume, Thema Kultur"]
    stellwerk = actor_page_offers(board["stellwerk"])
    assert board["hidden_actor"] not in [match.actor for match in stellwerk["matches"]]
    content = client.get(board["stellwerk"].get_absolute_url()).content.decode()
    assert "Geheime Stiftung" not in content


def test_a_draft_actors_page_shows_no_entries_even_to_editors(client, board):
    editor = UserFactory(username="redaktion", is_staff=True, permissions=["view_actor"])
    client.force_login(editor)
    response = client.get(board["hidden_actor"].get_absolute_url())
    assert response.status_code == 200
    assert "Geheimer Raum" not in response.content.decode()


def test_unpublished_entries_are_not_in_the_feed(client, board):
    feed = feedparser.parse(client.get(FEED).content)
    names = [entry.title for entry in feed.entries]
    assert "Angebot: Unveröffentlichter Entwurf" not in names
    assert "Angebot: Geheimer Raum" not in names
    assert len(names) == 4


def test_an_entry_has_the_topics_of_the_portal():
    entry = OfferOrNeedFactory(topic=topic("Gemeinwohl"))
    assert entry.topic.slug == "gemeinwohl"
    assert list(topic("Gemeinwohl").offers_and_needs.all()) == [entry]


# --- The hand-over from an approved application ----------------------------------------------


def test_approving_an_application_makes_an_unpublished_offer_and_need():
    application = ApplicationFactory(
        organisation_name="Quartiersverein Lindenau",
        offers="Räume für Treffen im Quartier.",
        seeks="Partner aus der Wohnungswirtschaft.",
        topics="Nachbarschaft",
    )
    actor = application_approve(application=application, reviewer=UserFactory())
    offer, need = OfferOrNeed.objects.filter(actor=actor).order_by("direction").reverse()
    assert (offer.direction, offer.kind, offer.title) == (
        OFFER,
        Kind.SPACE,
        "Räume für Treffen im Quartier.",
    )
    assert (need.direction, need.kind) == (NEED, Kind.CONTACTS)
    assert need.text == "Partner aus der Wohnungswirtschaft."
    for entry in (offer, need):
        assert entry.is_published is False
        assert entry.application == application
        assert entry.topic.name == "Nachbarschaft"


def test_handed_over_entries_stay_off_the_public_pages_until_staff_publish_them(client):
    application = ApplicationFactory(offers="Räume für Treffen.", seeks="Ehrenamtliche gesucht.")
    actor = application_approve(application=application, reviewer=UserFactory())
    actor.is_published = True
    actor.save()
    assert "Räume für Treffen." not in client.get(LIST).content.decode()
    assert not OfferOrNeed.objects.published().exists()
    OfferOrNeed.objects.filter(actor=actor).publish()
    assert OfferOrNeed.objects.published().count() == 2


def test_long_answers_are_cut_to_the_entrys_limits_and_unclear_ones_are_other():
    application = ApplicationFactory(
        offers="Wissen und Räume für alle. " * 200,
        seeks="Eine Idee\n\nund noch mehr dazu.",
        topics="Kultur, Wohnen",
    )
    actor = application_approve(application=application, reviewer=UserFactory())
    offer = OfferOrNeed.objects.get(actor=actor, direction=OFFER)
    need = OfferOrNeed.objects.get(actor=actor, direction=NEED)
    assert len(offer.title) <= 120
    assert len(offer.text) <= 600
    assert offer.kind == Kind.OTHER  # two kinds named: staff decide
    assert need.title == "Eine Idee"
    assert need.kind == Kind.OTHER
    # Two topics named: which one fits is for staff to say.
    assert offer.topic is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Wir suchen einen Raum für Proben.", Kind.SPACE),
        ("Beratung und Erfahrung mit Beteiligung", Kind.KNOWLEDGE),
        ("Kontakte in die Verwaltung", Kind.CONTACTS),
        ("Fördermittel für ein Hoffest", Kind.FUNDING),
        ("Ehrenamtliche für den Garten", Kind.VOLUNTEERS),
        ("Tontechnik und Möbel", Kind.EQUIPMENT),
        ("Gute Laune", Kind.OTHER),
    ],
)
def test_the_kind_is_read_from_the_words(text, kind):
    assert kind_of_text(text) == kind


def test_approving_in_the_admin_hands_over_the_answers(admin_client):
    application = ApplicationFactory(offers="Räume für Treffen.", seeks="Fördermittel.")
    response = admin_client.post(
        reverse("admin:actors_application_change", args=[application.pk]),
        {"decision": "approve", "review_note": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    kinds = set(application.offers_and_needs.values_list("direction", "kind"))
    assert kinds == {(OFFER, Kind.SPACE), (NEED, Kind.FUNDING)}


# --- The feed --------------------------------------------------------------------------------


def test_the_feed(client, board, settings):
    settings.PORTAL_BASE_URL = "https://quartier.example"
    response = client.get(FEED, HTTP_HOST="localhost:1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert "localhost:1" not in response.content.decode()
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.link == "https://quartier.example/angebote-und-gesuche/"
    assert feed.entries[0].title == "Gesuch: Helfer für ein Hoffest"
    entry = feed.entries[-1]
    assert entry.title == "Gesuch: Probenraum gesucht"
    probenraum = board["probenraum"]
    assert entry.link == (
        f"https://quartier.example/akteure/stellwerk-goettingen/#eintrag-{probenraum.pk}"
    )
    assert entry.id == f"tag:gemeinsam-fuer-das-quartier,2020:offer-or-need-{probenraum.pk}"
    assert "STELLWERK Göttingen" in entry.summary
    assert "Räume, Kultur, Göttingen" in entry.summary
    assert entry.published_parsed is not None


def test_the_feed_in_english(client, board):
    feed = feedparser.parse(client.get("/en" + FEED).content)
    assert feed.feed.link == absolute_url("/en/angebote-und-gesuche/")
    assert feed.entries[0].title == "Need: Helfer für ein Hoffest"


def test_the_feed_needs_one_query_whatever_its_length(client, django_assert_num_queries):
    actor = ActorFactory()
    OfferOrNeedFactory(actor=actor, topic=topic("Kultur"))
    client.get(FEED)  # the session, the content version: the same for both

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(FEED).status_code == 200
        return len(captured)

    few = count()
    for number in range(20):
        OfferOrNeedFactory(actor=ActorFactory(), topic=topic(f"Thema {number}"))
    assert count() == few


# --- Escaping of what actors and staff wrote --------------------------------------------------

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def hostile(sectors):
    seeker = ActorFactory(name="Suchende", sector=sectors["kultur"])
    OfferOrNeedFactory(actor=seeker, direction=NEED, kind=Kind.OTHER, topic=topic("Kultur"))
    offerer = ActorFactory(name="Bietende", sector=sectors["kultur"])
    OfferOrNeedFactory(
        actor=offerer,
        direction=OFFER,
        kind=Kind.OTHER,
        topic=topic("Kultur"),
        title=f"Titel {SCRIPT}",
        text=f"Text {SCRIPT} & mehr",
    )
    return {"seeker": seeker, "offerer": offerer}


@pytest.mark.parametrize("page", ["list", "offerer", "seeker"])
def test_titles_and_texts_are_escaped_on_the_pages(client, hostile, page):
    path = LIST if page == "list" else hostile[page].get_absolute_url()
    content = client.get(path).content.decode()
    assert SCRIPT not in content
    assert "&lt;script&gt;" in content


def test_the_match_reason_escapes_a_title(client, hostile):
    response = client.get(hostile["seeker"].get_absolute_url())
    (match,) = response.context["matches"]
    assert match.reasons == [f"bietet „Titel {SCRIPT}“, Thema Kultur"]
    assert "bietet „Titel &lt;script&gt;" in response.content.decode()


def test_titles_and_texts_are_escaped_in_the_feed(client, hostile):
    response = client.get(FEED)
    raw = response.content.decode()
    assert SCRIPT not in raw
    entries = feedparser.parse(response.content).entries
    (entry,) = [entry for entry in entries if entry.title.startswith("Angebot")]
    assert entry.title == f"Angebot: Titel {SCRIPT}"
    assert "Text &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; mehr" in entry.summary


# --- Sitemap ---------------------------------------------------------------------------------


def test_the_sitemap_lists_the_list_in_both_languages(client, settings):
    settings.PORTAL_BASE_URL = "https://quartier.example"
    content = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>https://quartier.example/angebote-und-gesuche/</loc>" in content
    assert "<loc>https://quartier.example/en/angebote-und-gesuche/</loc>" in content


# --- Admin -----------------------------------------------------------------------------------


def test_the_admin_lists_filters_and_searches(admin_client, board):
    url = reverse("admin:actors_offerorneed_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Unveröffentlichter Entwurf" in content
    assert "Geheimer Raum" in content
    found = admin_client.get(url, {"q": "Probenraum"}).content.decode()
    assert "Probenraum gesucht" in found
    assert "Saal für 60" not in found
    drafts = admin_client.get(url, {"is_published__exact": "0"}).content.decode()
    assert "Unveröffentlichter Entwurf" in drafts
    assert "Saal für 60" not in drafts


def test_the_admin_publishes_and_unpublishes_with_history(admin_client, board):
    from reversion.models import Version

    url = reverse("admin:actors_offerorneed_changelist")
    draft, hidden = board["draft"], board["hidden_entry"]
    admin_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    assert Version.objects.get_for_object(draft).count() == 1
    # An entry of an unpublished actor is taken back too: the flag is the entry's own.
    admin_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk, hidden.pk]})
    draft.refresh_from_db()
    hidden.refresh_from_db()
    assert not draft.is_published
    assert not hidden.is_published
    # Each change is in its entry's history, the one of the unpublished actor's too.
    assert Version.objects.get_for_object(draft).count() == 2
    assert Version.objects.get_for_object(hidden).count() == 1


def test_a_save_in_the_admin_is_kept_in_the_history(admin_client, board):
    from reversion.models import Version

    entry = board["saal"]
    response = admin_client.post(
        reverse("admin:actors_offerorneed_change", args=[entry.pk]),
        {
            "actor": entry.actor.pk,
            "direction": OFFER,
            "kind": Kind.SPACE,
            "topic": entry.topic.pk,
            "is_published": "on",
            "title": "Saal für 80",
            "text": "",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Saal für 80"
    assert Version.objects.get_for_object(entry).count() == 1


def test_the_text_is_limited_in_the_admin(admin_client, board):
    entry = board["saal"]
    response = admin_client.post(
        reverse("admin:actors_offerorneed_change", args=[entry.pk]),
        {
            "actor": entry.actor.pk,
            "direction": OFFER,
            "kind": Kind.SPACE,
            "title": "Saal",
            "text": "x" * 601,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["text"]


def test_the_actors_admin_page_shows_its_entries_inline(admin_client, board):
    response = admin_client.get(reverse("admin:actors_actor_change", args=[board["degewo"].pk]))
    content = response.content.decode()
    assert 'name="offers_and_needs-TOTAL_FORMS"' in content
    assert "Ladenflächen" in content
    assert "Helfer für ein Hoffest" in content


def test_an_actor_without_sector_or_city_is_listed_too(client):
    OfferOrNeedFactory(actor=ActorFactory(sector=None, city=""), title="Ohne Bereich")
    SectorFactory(name="Leer", slug="leer")
    response = client.get(LIST)
    assert titles(response) == ["Ohne Bereich"]


# --- the site search ----------------------------------------------------------------------------


def test_the_site_search_finds_published_entries_and_links_them_on_their_actor(client, board):
    draft = OfferOrNeedFactory(title="Lastenräder im Entwurf", is_published=False)
    shown = OfferOrNeedFactory(
        title="Werkstatt für Lastenräder <script>alert(1)</script>", kind=Kind.EQUIPMENT
    )
    of_hidden_actor = OfferOrNeedFactory(
        title="Werkstatt für Lastenräder, versteckt", actor=ActorFactory(is_published=False)
    )

    response = client.get("/suche/", {"q": "Lastenräder"})

    content = response.content.decode()
    hits = response.context["search"].groups[1]
    assert hits.key == "offers"
    assert [hit.obj for hit in hits.hits] == [shown]
    assert shown.get_absolute_url() in content
    assert "<script>alert(1)</script>" not in content
    assert "Angebot · Ausstattung" in content
    assert draft.title not in content
    assert of_hidden_actor.title not in content
