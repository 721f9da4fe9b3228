import datetime
import io
import zoneinfo
from functools import cache

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from events.models import (
    Event,
    EventDocument,
    EventFormat,
    EventPhoto,
    ProgrammeItem,
    Registration,
    Speaker,
)
from events.public_record import FORMATS
from quartier.media import photo_variants_create
from quartier.slugs import german_slugify

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@cache
def pdf_bytes(text: str = "Dokumentation") -> bytes:
    """A small but real PDF (one page with an image of the text), made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PDF", title=text)
    return buffer.getvalue()


# Wider than the gallery variant (480), so that one is really made; its display variant is the
# picture itself. Larger pictures made every photo cost a tenth of a second.
PHOTO_SIZE = (960, 600)


@cache
def jpeg_bytes(size=PHOTO_SIZE, colour="steelblue") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


# The formats the data migration creates: (slug, name, English name, position).
INITIATIVE_FORMATS = {slug: (name, name_en, position) for slug, name, name_en, position in FORMATS}


def event_format(slug: str) -> EventFormat:
    """One of the initiative's formats, as the data migration made it (again, should a
    transactional test have emptied the table)."""
    name, name_en, position = INITIATIVE_FORMATS[slug]
    return EventFormat.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
    )[0]


class EventFormatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventFormat

    name = factory.Sequence(lambda n: f"Format {n}")
    name_en = factory.Sequence(lambda n: f"Format {n} (English)")
    slug = factory.LazyAttribute(lambda event_format: german_slugify(event_format.name))
    position = 100


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Werkstattgespräch {n}")
    slug = factory.LazyAttribute(lambda event: german_slugify(event.title))
    kind = factory.LazyFunction(lambda: event_format("werkstattgespraech"))
    status = Event.Status.PUBLISHED
    start = factory.Sequence(
        lambda n: datetime.datetime(2020, 3, 1, 14, 0, tzinfo=BERLIN) + datetime.timedelta(days=n)
    )
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=3))
    venue_name = "Haus der Begegnung"
    street = "Littenstraße 10"
    postcode = "10179"
    city = "Berlin"
    summary = "Ein Werkstattgespräch über Kooperation im Quartier."

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    event = factory.SubFactory(EventFactory)
    starts_at = datetime.time(14, 0)
    title = factory.Sequence(lambda n: f"Programmpunkt {n}")
    position = factory.Sequence(lambda n: n)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    programme_item = factory.SubFactory(ProgrammeItemFactory)
    name = factory.Sequence(lambda n: f"Referentin {n}")
    function = "Geschäftsführung"


class EventDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventDocument

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Bericht {n}")
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="bericht.pdf"))
    file_type = "pdf"
    file_size = factory.LazyAttribute(lambda document: document.file.size)


class EventPhotoFactory(factory.django.DjangoModelFactory):
    """A photo with its variants made, as the admin leaves it."""

    class Meta:
        model = EventPhoto
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="foto.jpg"))
    alt_text = "Menschen im Gespräch an einem Tisch"
    caption = "Diskussion in der Arbeitsgruppe"
    credit = "© DV, Heike Mages"

    @factory.post_generation
    def variants(self, create, extracted, **kwargs):
        if create and extracted is not False:
            photo_variants_create(photo=self)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration whose address is confirmed and that holds a place."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Teilnehmerin {n}")
    email = factory.Sequence(lambda n: f"teilnehmerin{n}@example.org")
    status = Registration.Status.CONFIRMED
    # Unconfirmed means the address was not confirmed yet.
    confirmed_at = factory.LazyAttribute(
        lambda registration: (
            None if registration.status == Registration.Status.UNCONFIRMED else timezone.now()
        )
    )
    privacy_consent_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = "2026-01-01T00:00:00Z"
