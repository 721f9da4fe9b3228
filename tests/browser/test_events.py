"""The events journey: find a past event in the list, read its documentation, look at the
gallery with its credits, download the report; and the image-credits page. German text is
asserted only where it comes from the data (the catalogue may lag behind the templates)."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from events.models import Event
from tests.actors.factories import ActorFactory
from tests.events.factories import (
    BERLIN,
    EventDocumentFactory,
    EventFactory,
    EventPhotoFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
    event_format,
)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "darkgreen").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def review_event(db):
    """The review event of 3 December 2020 with its documentation, and a few other events."""
    dv = ActorFactory(name="Deutscher Verband", short_name="DV")
    event = EventFactory(
        title="Bilanzveranstaltung",
        kind=event_format("bilanzveranstaltung"),
        start=datetime.datetime(2020, 12, 3, 10, 0, tzinfo=BERLIN),
        end=datetime.datetime(2020, 12, 3, 16, 0, tzinfo=BERLIN),
        summary="Rückblick auf ein Jahr Initiative; sie wird fortgesetzt.",
        results="Die Initiative wird **fortgesetzt**.",
        documentation_published=True,
        topics=["Kooperation"],
    )
    event.organisers.add(dv)
    item = ProgrammeItemFactory(event=event, title="Begrüßung", starts_at=datetime.time(10, 0))
    SpeakerFactory(programme_item=item, name="Christian Huttenloher", actor=dv)
    EventDocumentFactory(event=event, title="Bericht zur Bilanzveranstaltung")
    EventPhotoFactory(event=event, caption="Podium am Vormittag", licence="cc-by-4.0")
    EventPhotoFactory(event=event, caption="Arbeitsgruppe am Nachmittag")
    EventFactory(
        title="Auftaktveranstaltung",
        kind=event_format("fachveranstaltung"),
        start=datetime.datetime(2020, 2, 20, 10, 0, tzinfo=BERLIN),
    )
    EventFactory(
        title="Abgesagtes Netzwerktreffen",
        kind=event_format("netzwerktreffen"),
        status=Event.Status.CANCELLED,
        start=datetime.datetime(2020, 11, 5, 14, 0, tzinfo=BERLIN),
    )
    return event


@pytest.mark.django_db(transaction=True)
def test_open_an_event_see_the_gallery_and_download_the_report(
    live_server, page, request_log, assert_accessible, review_event
):
    page.goto("/veranstaltungen/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator(".event-card").count() == 3
    assert_accessible(page)

    # Filtering by kind narrows the list, without JavaScript: a GET form and its button.
    page.locator("select#id_kind").select_option("bilanzveranstaltung")
    page.locator("form[role='search'] button[type='submit']").click()
    page.wait_for_url(lambda url: "kind=bilanzveranstaltung" in url)
    assert page.locator(".event-card").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Bilanzveranstaltung", exact=True).click()
    page.wait_for_url(f"**{review_event.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Bilanzveranstaltung"
    assert "3. Dezember 2020" in page.locator(".event__facts").inner_text()

    # The gallery: two photos, each with its caption and credit, loaded in gallery size.
    figures = page.locator(".gallery figure")
    assert figures.count() == 2
    captions = [caption.inner_text() for caption in figures.locator("figcaption").all()]
    assert "Podium am Vormittag" in captions[0]
    assert "© DV, Heike Mages · CC BY 4.0" in captions[0]
    assert "© DV, Heike Mages" in captions[1]
    for image in figures.locator("img").all():
        image.scroll_into_view_if_needed()
        image.evaluate("(img) => img.decode()")
        assert image.evaluate("(img) => img.naturalWidth") == 480
        assert image.get_attribute("src").endswith("-480.webp")
    assert_accessible(page)

    # The report downloads as the PDF it is.
    link = page.locator(".document-list a", has_text="Bericht zur Bilanzveranstaltung")
    assert "PDF" in link.inner_text()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "bericht.pdf"
    with open(download.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"

    # The enlarged photo is the display size, not the upload.
    first = figures.first.locator("a")
    display_url = first.get_attribute("href")
    assert display_url.endswith("-1280.webp")
    response = page.request.get(display_url)
    assert response.status == 200
    assert response.headers["content-type"] == "image/webp"

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
def test_image_credits_page(live_server, page, request_log, assert_accessible, review_event):
    ActorFactory(
        name="Stiftung mit Logo",
        logo=ContentFile(png_bytes(), name="logo.png"),
        logo_alt_text="Schriftzug der Stiftung",
        logo_credit="© Stiftung",
        logo_licence="all-rights-reserved",
    )
    page.goto("/bildnachweise/")
    entries = page.locator(".credit-list__item")
    assert entries.count() == 3
    assert "© DV, Heike Mages" in entries.first.inner_text()
    assert page.locator(f"a[href='{review_event.get_absolute_url()}']").count() == 1
    logo = page.get_by_role("img", name="Schriftzug der Stiftung")
    assert logo.evaluate("(img) => img.decode().then(() => img.naturalWidth)") == 120
    assert_accessible(page)
    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
def test_cancelled_event_and_the_actor_page(live_server, page, assert_accessible, review_event):
    cancelled = Event.objects.get(title="Abgesagtes Netzwerktreffen")
    page.goto(f"/en{cancelled.get_absolute_url()}")
    notice = page.locator(".kern-alert--danger")
    assert "This event has been cancelled" in notice.inner_text()
    assert_accessible(page)

    # The organiser's page lists the event and leads back to it.
    dv = review_event.organisers.get()
    page.goto(dv.get_absolute_url())
    page.locator("#events-title + .event-links").get_by_role(
        "link", name="Bilanzveranstaltung"
    ).click()
    page.wait_for_url(f"**{review_event.get_absolute_url()}")
    assert_accessible(page)
