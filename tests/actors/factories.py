import factory

from actors.models import Actor, Sector
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
