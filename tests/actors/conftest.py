import pytest

from actors.models import Actor
from tests.factories import UserFactory

from .factories import ActorFactory, SectorFactory


@pytest.fixture
def staff_client(client):
    """A browser session of an editor: staff who may view actors, not a superuser."""
    editor = UserFactory(username="redaktion", is_staff=True, permissions=["view_actor"])
    client.force_login(editor)
    return client


@pytest.fixture
def sectors():
    return {
        "stiftungen": SectorFactory(name="Stiftungen", name_en="Foundations", slug="stiftungen"),
        "wohnen": SectorFactory(name="Wohnungswirtschaft", name_en="Housing", slug="wohnen"),
        "kultur": SectorFactory(name="Kultur", name_en="Culture", slug="kultur"),
    }


@pytest.fixture
def directory(sectors):
    """A small directory: seven published actors and one draft, with sectors, topics, cities."""
    stiftungen, wohnen, kultur = sectors["stiftungen"], sectors["wohnen"], sectors["kultur"]
    actors = {
        "trias": ActorFactory(
            name="Stiftung Trias",
            sector=stiftungen,
            city="Hattingen",
            description="Boden für gemeinschaftliches Wohnen.",
            topics=["Boden", "Gemeinwohl"],
        ),
        "montag": ActorFactory(
            name="Montag Stiftung Urbane Räume",
            sector=stiftungen,
            city="Bonn",
            topics=["Gemeinwohl"],
        ),
        "berliner_leben": ActorFactory(
            name="Stiftung Berliner Leben", sector=stiftungen, city="Berlin", topics=["Kultur"]
        ),
        "degewo": ActorFactory(name="degewo AG", sector=wohnen, city="Berlin", topics=["Wohnen"]),
        "howoge": ActorFactory(
            name="HOWOGE",
            sector=wohnen,
            city="Berlin",
            description="Kommunale Wohnungsbaugesellschaft im Osten.",
            topics=["Wohnen", "Gemeinwohl"],
        ),
        "dv": ActorFactory(
            name="Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung",
            short_name="DV",
            sector=wohnen,
            city="Berlin",
            role=Actor.Role.ORGANISER,
        ),
        "baukultur": ActorFactory(
            name="Bundesstiftung Baukultur", sector=kultur, city="Potsdam", topics=["Baukultur"]
        ),
        "draft": ActorFactory(
            name="Geheime Stiftung",
            sector=stiftungen,
            city="Geheimstadt",
            description="Noch nicht veröffentlicht.",
            topics=["Gemeinwohl", "Verborgen"],
            is_published=False,
        ),
    }
    return actors
