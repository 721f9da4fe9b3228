import factory
from django.utils import timezone
from taggit.models import Tag

from actors.models import Actor, Application, OfferOrNeed, Sector
from quartier.slugs import german_slugify


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Sektor {n}")
    slug = factory.LazyAttribute(lambda sector: german_slugify(sector.name))
    position = factory.Sequence(lambda n: n)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda actor: german_slugify(actor.name))
    sector = factory.SubFactory(SectorFactory)
    role = Actor.Role.PARTICIPANT
    is_published = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)


def topic(name: str) -> Tag:
    """The portal's topic of that name (made if it is not there yet), as actors have them."""
    return Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)


class OfferOrNeedFactory(factory.django.DjangoModelFactory):
    """A published offer of a published actor; ``direction=OfferOrNeed.Direction.NEED`` for a
    need."""

    class Meta:
        model = OfferOrNeed

    actor = factory.SubFactory(ActorFactory)
    direction = OfferOrNeed.Direction.OFFER
    kind = OfferOrNeed.Kind.SPACE
    title = factory.Sequence(lambda n: f"Eintrag {n}")
    text = "Ein paar Sätze dazu."
    is_published = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application as it stands after the sender confirmed the address: awaiting review."""

    class Meta:
        model = Application

    organisation_name = factory.Sequence(lambda n: f"Nachbarschaftsverein {n}")
    sector = factory.SubFactory(SectorFactory)
    city = "Leipzig"
    website = "https://verein.example.org"
    contact_name = "Erika Mustermann"
    email = factory.Sequence(lambda n: f"erika{n}@example.org")
    phone = ""
    offers = "Räume für Treffen im Quartier."
    seeks = "Partner aus der Wohnungswirtschaft."
    topics = "Nachbarschaft, Kultur"
    privacy_consent_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = "2025-01-01T00:00:00Z"
    status = Application.Status.PENDING
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        unconfirmed = factory.Trait(status=Application.Status.UNCONFIRMED, confirmed_at=None)


def varied_directory():
    """``add = varied_directory()``; ``add(count)`` adds that many published actors, as varied
    as the real directory.

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
