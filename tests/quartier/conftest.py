import pytest

from actors.models import Actor
from tests.actors.factories import ActorFactory, SectorFactory


@pytest.fixture
def populate():
    """``populate(count)`` adds that many published actors, as varied as the real directory.

    Every tenth runs, supports or funds the initiative, every fourth belongs to one group, all
    have topics, a sector and a city. Calling it again adds more to the same group and sectors;
    it returns the group.
    """
    sectors = [
        SectorFactory(name=name, slug=slug)
        for name, slug in [
            ("Stiftungen", "stiftungen"),
            ("Wohnungswirtschaft", "wohnen"),
            ("Kultur", "kultur"),
            ("Kommunen", "kommunen"),
        ]
    ]
    group = ActorFactory(name="Netzwerk Zukunftsorte", sector=sectors[0], topics=["Wohnen"])
    cities = ["Berlin", "Göttingen", "Mannheim"]
    runner_roles = [Actor.Role.ORGANISER, Actor.Role.SUPPORT, Actor.Role.FUNDER]
    added = 0

    def add(count: int) -> Actor:
        nonlocal added
        for index in range(added, added + count):
            ActorFactory(
                sector=sectors[index % len(sectors)],
                role=runner_roles[index // 10 % 3] if index % 10 == 0 else Actor.Role.PARTICIPANT,
                city=cities[index % len(cities)],
                parent=group if index % 4 == 1 else None,
                description=f"Beschreibung mit **Markdown** Nummer {index}.",
                topics=["Wohnen", f"Thema {index % 5}"],
            )
        added += count
        return group

    return add
