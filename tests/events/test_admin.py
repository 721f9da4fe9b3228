"""The events' admin: what editors see and do, as they do it (forms read from the page)."""

import datetime
import io
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from events.models import Event, EventDocument, EventPhoto, Speaker
from tests.actors.factories import ActorFactory
from tests.factories import UserFactory

from .factories import (
    EventDocumentFactory,
    EventFactory,
    EventPhotoFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
    event_format,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/event/"
GPS_INFO = 0x8825


def change_url(event: Event) -> str:
    return f"/admin/events/event/{event.pk}/change/"


# --- Reading a form from the page, as a browser would send it ---------------------------------


class _FormReader(HTMLParser):
    """The fields of one <form> with the values a browser would submit, files left out."""

    SKIPPED_TYPES = {"file", "submit", "button", "image", "reset"}

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: dict | None = None

    def add(self, name: str, value: str) -> None:
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside:
            return
        name = attributes.get("name", "")
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in self.SKIPPED_TYPES:
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.add(name, attributes.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea = name
            self.add(name, "")
        elif tag == "select":
            self.select = {"name": name, "multiple": "multiple" in attributes, "chosen": []}
            self.select["first"] = None
        elif tag == "option" and self.select is not None:
            value = attributes.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attributes:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            values = self.data.get(self.textarea)
            if values is not None:
                values[-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            values = self.data.get(self.textarea)
            if values is not None and values[-1].startswith("\n"):
                values[-1] = values[-1][1:]  # HTML drops the newline after <textarea>
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            for value in chosen:
                self.add(self.select["name"], value)
            self.select = None


def form_data(response, form_id: str = "event_form") -> dict:
    """The form of an admin page as its browser would send it back unchanged."""
    assert response.status_code == 200
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form #{form_id} on the page"
    return {name: values[0] if len(values) == 1 else values for name, values in reader.data.items()}


def add_inline_row(data: dict, prefix: str, **fields) -> int:
    """Fill one more row of an inline, as "Add another" does; returns its index."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    return index


def jpeg_upload(name="foto.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [CHANGELIST, "/admin/events/event/add/", "/admin/events/programmeitem/"]
)
def test_anonymous_visitors_are_sent_to_the_login(client, path):
    assertRedirects(client.get(path, follow=True), f"/konto/login/?next={quote(path, safe='')}")


def test_anonymous_visitors_cannot_publish_documentation(client):
    event = EventFactory()
    response = client.post(
        CHANGELIST, {"action": "publish_documentation", "_selected_action": [event.pk]}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    event.refresh_from_db()
    assert not event.documentation_published


@pytest.fixture
def editor_client(client):
    """An editor of the DV: staff with the permissions on events, not a superuser."""
    editor = UserFactory(
        username="redakteurin",
        is_staff=True,
        permissions=Permission.objects.filter(content_type__app_label="events")
        | Permission.objects.filter(codename="view_actor"),
    )
    client.force_login(editor)
    return client


# --- The list of events -----------------------------------------------------------------------


def test_changelist_shows_the_checklist_in_short(editor_client):
    complete = EventFactory(title="Vollständig", results="Ergebnisse.")
    EventDocumentFactory(event=complete)
    EventPhotoFactory(event=complete)
    lacking = EventFactory(title="Lückenhaft")
    EventPhotoFactory(event=lacking, credit="")
    EventPhotoFactory(event=lacking, credit="", shows_people=True)

    response = editor_client.get("/en" + CHANGELIST)
    assert response.status_code == 200
    rows = {event.title: event for event in response.context["cl"].result_list}
    model_admin = response.context["cl"].model_admin
    with translation.override("en"):
        assert model_admin.checklist_summary(rows["Vollständig"]) == "nothing: complete"
        assert model_admin.checklist_summary(rows["Lückenhaft"]) == (
            "results, documents, 2 credits, 1 consent"
        )
    assertContains(response, "results, documents, 2 credits, 1 consent")


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"q": "Bilanz"}, {"Bilanzveranstaltung"}),
        ({"status__exact": "draft"}, {"Entwurf"}),
        ({"documentation_published__exact": "1"}, {"Bilanzveranstaltung"}),
        ({"kind__id__exact": "bilanzveranstaltung"}, {"Bilanzveranstaltung"}),
        ({"start__year": "2021"}, {"Entwurf"}),
    ],
)
def test_changelist_search_and_filters(admin_client, query, titles):
    # Fixed dates: the factory's sequence of dates runs on across the tests of a process.
    in_2020 = {
        "start": datetime.datetime(2020, 3, 1, 10, tzinfo=datetime.UTC),
        "end": datetime.datetime(2020, 3, 1, 12, tzinfo=datetime.UTC),
    }
    EventFactory(
        title="Bilanzveranstaltung",
        kind=event_format("bilanzveranstaltung"),
        documentation_published=True,
        **in_2020,
    )
    EventFactory(title="Werkstattgespräch", **in_2020)
    EventFactory(
        title="Entwurf",
        status=Event.Status.DRAFT,
        start=datetime.datetime(2021, 5, 1, 10, tzinfo=datetime.UTC),
        end=datetime.datetime(2021, 5, 1, 12, tzinfo=datetime.UTC),
    )
    # The format's filter names it by its number, known only once the format exists.
    if "kind__id__exact" in query:
        query = {"kind__id__exact": event_format(query["kind__id__exact"]).pk}
    response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    assert {event.title for event in response.context["cl"].result_list} == titles


def test_changelist_queries_are_the_same_for_5_and_50_events(admin_client):
    def make(count):
        for _ in range(count):
            event = EventFactory()
            EventDocumentFactory(event=event)
            EventPhotoFactory(event=event, credit="", variants=False)
            ProgrammeItemFactory(event=event)

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(CHANGELIST)
        assert response.status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    make(5)
    few = queries()
    make(45)
    many = queries()
    assert len(many) == len(few), "\n".join(many)
    # Five of them check the editor's second factor and refresh the session's idle expiry; one
    # lists the years of the year filter, one the formats of the format filter.
    assert len(many) <= 15, "\n".join(many)


# --- The change page --------------------------------------------------------------------------


def test_change_page_shows_the_checklist(editor_client):
    event = EventFactory(results="")
    EventPhotoFactory(event=event, credit="")
    response = editor_client.get("/en" + change_url(event))
    assert response.status_code == 200
    assertContains(response, '<ul class="documentation-checklist">')
    assertContains(response, "<li>The results of the event are not written.</li>", html=True)
    assertContains(response, "<li>There is no document (report, slides).</li>", html=True)
    assertContains(response, "<li>1 photo has no credit.</li>", html=True)
    assertNotContains(response, "There is no photo.")


def test_change_page_of_complete_documentation(editor_client):
    event = EventFactory(results="Die Initiative wird fortgesetzt.")
    EventDocumentFactory(event=event)
    EventPhotoFactory(event=event)
    response = editor_client.get("/en" + change_url(event))
    assertContains(response, "Complete: results, documents and photos with credits are in place.")


def test_documentation_part_follows_the_programme(admin_client):
    """Event, programme, then the documentation switch heading the documents and photos."""
    event = EventFactory()
    content = admin_client.get(change_url(event)).content.decode()
    order = [
        content.index('id="programme_items-group"'),
        content.index('name="documentation_published"'),
        content.index('id="documents-group"'),
        content.index('id="photos-group"'),
    ]
    assert order == sorted(order)
    assert content.index('name="title"') < order[0]


def test_add_page(admin_client):
    response = admin_client.get("/en/admin/events/event/add/")
    assert response.status_code == 200
    assertContains(response, "js/admin-german-slugs.js")
    assertContains(response, "Save the event first")


def test_add_an_event_with_programme(admin_client):
    dv = ActorFactory(name="Deutscher Verband")
    data = form_data(admin_client.get("/admin/events/event/add/"))
    data.update(
        {
            "title": "Werkstattgespräch Kreativwirtschaft",
            "slug": "werkstattgespraech-kreativwirtschaft",
            "kind": event_format("werkstattgespraech").pk,
            "status": Event.Status.PUBLISHED,
            "start_0": "18.06.2020",
            "start_1": "14:00",
            "end_0": "18.06.2020",
            "end_1": "17:00",
            "city": "Göttingen",
            "summary": "Kreative und Wohnungswirtschaft im Gespräch.",
            "organisers": [str(dv.pk)],
            "topics": "Kultur, Leerstand",
        }
    )
    add_inline_row(data, "programme_items", title="Begrüßung", starts_at="14:00", position="1")
    response = admin_client.post("/admin/events/event/add/", data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    event = Event.objects.get(slug="werkstattgespraech-kreativwirtschaft")
    assert timezone.localtime(event.start).hour == 14
    assert list(event.organisers.all()) == [dv]
    assert [item.title for item in event.programme_items.all()] == ["Begrüßung"]
    assert not event.documentation_published
    assert event.documentation_published_at is None


def test_saving_unchanged_keeps_everything(admin_client):
    """Reading the form back and sending it unchanged is a no-op (checks the form helper too)."""
    event = EventFactory(results="Ergebnis", topics=["Wohnen"])
    event.organisers.add(ActorFactory())
    EventDocumentFactory(event=event, title="Bericht")
    EventPhotoFactory(event=event)
    ProgrammeItemFactory(event=event, title="Podium")
    data = form_data(admin_client.get(change_url(event)))
    response = admin_client.post(change_url(event), data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    event.refresh_from_db()
    assert event.results == "Ergebnis"
    assert event.organisers.count() == 1
    assert event.topics.names()[0] == "Wohnen"
    assert [document.title for document in event.documents.all()] == ["Bericht"]
    assert event.photos.count() == 1
    assert event.programme_items.get().title == "Podium"


def test_ticking_documentation_published_records_the_date(admin_client):
    event = EventFactory(results="Ergebnis")
    data = form_data(admin_client.get(change_url(event)))
    data["documentation_published"] = "on"
    assertRedirects(
        admin_client.post(change_url(event), data), CHANGELIST, fetch_redirect_response=False
    )
    event.refresh_from_db()
    assert event.documentation_published
    first = event.documentation_published_at
    assert first is not None

    data = form_data(admin_client.get(change_url(event)))
    del data["documentation_published"]
    admin_client.post(change_url(event), data)
    event.refresh_from_db()
    assert not event.documentation_published
    assert event.documentation_published_at == first


# --- Actions ----------------------------------------------------------------------------------


def test_publish_documentation_action(editor_client):
    chosen = [EventFactory(results="Ergebnis"), EventFactory()]
    other = EventFactory()
    response = editor_client.post(
        "/en" + CHANGELIST,
        {"action": "publish_documentation", "_selected_action": [event.pk for event in chosen]},
        follow=True,
    )
    assertContains(response, "Documentation of 2 events published.")
    # The editor learns what is still missing.
    assertContains(response, f"“{chosen[1].title}” still lacks: results, documents, photos.")
    for event in chosen:
        event.refresh_from_db()
        assert event.documentation_published
        assert event.documentation_published_at is not None
    other.refresh_from_db()
    assert not other.documentation_published


def test_publish_action_warns_about_drafts(admin_client):
    draft = EventFactory(status=Event.Status.DRAFT)
    response = admin_client.post(
        "/en" + CHANGELIST,
        {"action": "publish_documentation", "_selected_action": [draft.pk]},
        follow=True,
    )
    assertContains(response, "is a draft")


def test_republishing_keeps_the_first_date(admin_client):
    first = timezone.now() - datetime.timedelta(days=10)
    event = EventFactory(documentation_published=False, documentation_published_at=first)
    admin_client.post(
        CHANGELIST, {"action": "publish_documentation", "_selected_action": [event.pk]}
    )
    event.refresh_from_db()
    assert event.documentation_published
    assert event.documentation_published_at == first


def test_unpublish_documentation_action(editor_client):
    published = EventFactory(
        documentation_published=True, documentation_published_at=timezone.now()
    )
    already = EventFactory()
    response = editor_client.post(
        "/en" + CHANGELIST,
        {
            "action": "unpublish_documentation",
            "_selected_action": [published.pk, already.pk],
        },
        follow=True,
    )
    assertContains(response, "Documentation of 1 event unpublished.")
    published.refresh_from_db()
    assert not published.documentation_published


def test_documentation_actions_are_offered(admin_client):
    EventFactory()
    response = admin_client.get(CHANGELIST)
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert {"publish_documentation", "unpublish_documentation"} <= set(choices)


def test_publish_action_publishes_drafts_that_say_where(editor_client):
    drafts = [EventFactory(status=Event.Status.DRAFT), EventFactory(status=Event.Status.DRAFT)]
    nowhere = EventFactory(status=Event.Status.DRAFT, city="", is_online=False)
    other = EventFactory(status=Event.Status.DRAFT)
    response = editor_client.post(
        "/en" + CHANGELIST,
        {"action": "publish", "_selected_action": [event.pk for event in [*drafts, nowhere]]},
        follow=True,
    )
    assertContains(response, "2 events published.")
    for event in drafts:
        event.refresh_from_db()
        assert event.status == Event.Status.PUBLISHED
    # Without a place the event form refuses to publish; the action leaves it a draft too.
    for event in (nowhere, other):
        event.refresh_from_db()
        assert event.status == Event.Status.DRAFT


def test_unpublish_action_leaves_a_cancelled_event_cancelled(editor_client):
    published = EventFactory(status=Event.Status.PUBLISHED)
    cancelled = EventFactory(status=Event.Status.CANCELLED)
    response = editor_client.post(
        "/en" + CHANGELIST,
        {"action": "unpublish", "_selected_action": [published.pk, cancelled.pk]},
        follow=True,
    )
    assertContains(response, "1 event unpublished.")
    published.refresh_from_db()
    cancelled.refresh_from_db()
    assert (published.status, cancelled.status) == (Event.Status.DRAFT, Event.Status.CANCELLED)


def test_publish_actions_need_the_change_permission(client):
    viewer = UserFactory(username="nur-lesen", is_staff=True, permissions=["view_event"])
    client.force_login(viewer)
    event = EventFactory(status=Event.Status.DRAFT)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assertNotContains(response, 'value="publish"')
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


# --- Photos -----------------------------------------------------------------------------------


def test_a_photo_uploaded_in_the_inline_gets_its_variants(admin_client, settings):
    event = EventFactory()
    data = form_data(admin_client.get(change_url(event)))
    add_inline_row(
        data,
        "photos",
        image=jpeg_upload("Gruppenbild Auftakt.JPG", size=(2400, 1600)),
        alt_text="Gäste im Saal",
        credit="© DV, Heike Mages",
        licence="all-rights-reserved",
        position="0",
    )
    response = admin_client.post(change_url(event), data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)

    photo = EventPhoto.objects.get(event=event)
    assert (photo.width, photo.height) == (2400, 1600)
    assert photo.image.name.endswith("/gruppenbild-auftakt.jpg")
    for field, width in (("thumbnail", 480), ("display", 1280)):
        variant = getattr(photo, field)
        assert variant.name.endswith(f"-{width}.webp")
        with variant.open("rb") as file, Image.open(file) as image:
            assert image.format == "WEBP"
            assert image.size == (width, width * 2 // 3)
    assert EventPhoto.objects.showable().filter(pk=photo.pk).exists()

    # The change page previews the thumbnail, never the original.
    response = admin_client.get(change_url(event))
    assertContains(response, photo.thumbnail.url)
    assertNotContains(response, f"{settings.MEDIA_URL}{photo.image.name}")


def test_camera_data_of_an_uploaded_photo_is_not_published(admin_client, settings):
    exif = Image.Exif()
    exif[GPS_INFO] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), "steelblue").save(buffer, format="JPEG", exif=exif)
    event = EventFactory()
    data = form_data(admin_client.get(change_url(event)))
    add_inline_row(
        data,
        "photos",
        image=SimpleUploadedFile("handy.jpg", buffer.getvalue(), content_type="image/jpeg"),
        alt_text="Gäste im Saal",
        licence="all-rights-reserved",
        position="0",
    )
    response = admin_client.post(change_url(event), data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)

    photo = EventPhoto.objects.get(event=event)
    public = [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    # Under MEDIA_URL there are the two variants, drawn without the camera's data.
    assert sorted(path.name for path in public) == ["handy-1280.webp", "handy-480.webp"]
    for path in public:
        with Image.open(path) as image:
            assert image.size in {(1280, 960), (480, 360)}
            assert GPS_INFO not in image.getexif()
        assert b"Exif" not in path.read_bytes()
    # The original, GPS included, is kept where no address leads; the admin links the variant.
    with photo.image.open("rb") as file, Image.open(file) as original:
        assert original.getexif().get_ifd(GPS_INFO)
    response = admin_client.get(change_url(event))
    assertContains(response, f'<a href="{photo.display.url}">{photo.image.name}</a>', html=True)


def test_replacing_a_photo_makes_new_variants_and_removes_the_old_files(
    admin_client, django_capture_on_commit_callbacks
):
    event = EventFactory()
    photo = EventPhotoFactory(event=event)
    old_files = [photo.image.name, photo.thumbnail.name, photo.display.name]
    storage = photo.image.storage
    data = form_data(admin_client.get(change_url(event)))
    data["photos-0-image"] = jpeg_upload("neu.jpg", size=(800, 600), colour="tomato")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(event), data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    photo.refresh_from_db()
    assert photo.image.name.endswith("/neu.jpg")
    assert photo.thumbnail.name not in old_files
    with photo.thumbnail.open("rb") as file, Image.open(file) as image:
        assert image.size == (480, 360)
    assert not any(storage.exists(name) for name in old_files)


def test_a_photo_without_variants_gets_them_when_the_event_is_saved(admin_client):
    event = EventFactory()
    photo = EventPhotoFactory(event=event, variants=False)
    assert photo.needs_variants
    admin_client.post(change_url(event), form_data(admin_client.get(change_url(event))))
    photo.refresh_from_db()
    assert not photo.needs_variants


def test_deleting_rows_removes_their_files(admin_client, django_capture_on_commit_callbacks):
    event = EventFactory()
    photo = EventPhotoFactory(event=event)
    document = EventDocumentFactory(event=event)
    photo_files = [photo.image.name, photo.thumbnail.name, photo.display.name]
    data = form_data(admin_client.get(change_url(event)))
    data["photos-0-DELETE"] = "on"
    data["documents-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(event), data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    assert not EventPhoto.objects.exists()
    assert not EventDocument.objects.exists()
    assert not any(photo.image.storage.exists(name) for name in photo_files)
    assert not document.file.storage.exists(document.file.name)


def test_deleting_an_event_removes_its_files(admin_client, django_capture_on_commit_callbacks):
    event = EventFactory()
    photo = EventPhotoFactory(event=event)
    document = EventDocumentFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Event.objects.exists()
    assert not photo.image.storage.exists(photo.image.name)
    assert not photo.thumbnail.storage.exists(photo.thumbnail.name)
    assert not document.file.storage.exists(document.file.name)


def test_photo_without_alt_text_is_refused(admin_client):
    event = EventFactory()
    data = form_data(admin_client.get(change_url(event)))
    add_inline_row(data, "photos", image=jpeg_upload(), alt_text="", licence="cc0-1.0")
    response = admin_client.post(change_url(event), data)
    assert response.status_code == 200
    assert not EventPhoto.objects.exists()


def test_a_file_that_is_no_image_is_refused_as_photo(admin_client):
    event = EventFactory()
    data = form_data(admin_client.get(change_url(event)))
    add_inline_row(
        data,
        "photos",
        image=SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script></html>"),
        alt_text="Kein Bild",
        licence="cc0-1.0",
    )
    response = admin_client.post(change_url(event), data)
    assert response.status_code == 200
    assert not EventPhoto.objects.exists()


def test_stored_documents_link_to_their_download(admin_client):
    """Documents have no address under /media/: the admin links to the download view."""
    event = EventFactory(slug="bilanz")
    document = EventDocumentFactory(event=event)
    response = admin_client.get(change_url(event))
    link = f"/veranstaltungen/bilanz/dokumente/{document.pk}/{document.download_name}"
    assertContains(response, f'href="{link}"')
    assertNotContains(response, f'href="/media/{document.file.name}"')


# --- Programme and speakers -------------------------------------------------------------------


def test_programme_items_link_to_their_speakers(admin_client):
    event = EventFactory()
    item = ProgrammeItemFactory(event=event, title="Podium")
    SpeakerFactory(programme_item=item, name="Erika Muster")
    response = admin_client.get(change_url(event))
    assertContains(response, f"/admin/events/programmeitem/{item.pk}/change/")
    assertContains(response, "Erika Muster")


def test_change_page_queries_do_not_grow_with_the_programme(admin_client):
    def queries(event) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(change_url(event)).status_code == 200
        return len(captured)

    small, large = EventFactory(), EventFactory()
    for event, count in ((small, 2), (large, 12)):
        for _ in range(count):
            SpeakerFactory(programme_item=ProgrammeItemFactory(event=event))
            EventPhotoFactory(event=event, variants=False)
            EventDocumentFactory(event=event)
    assert queries(large) == queries(small)


def test_speakers_are_edited_on_the_programme_item(admin_client):
    item = ProgrammeItemFactory(title="Podium")
    speaker_actor = ActorFactory(name="Netzwerk Immovielien")
    url = f"/admin/events/programmeitem/{item.pk}/change/"
    data = form_data(admin_client.get(url), form_id="programmeitem_form")
    data["speakers-0-name"] = "Erika Muster"
    data["speakers-0-function"] = "Vorstand"
    data["speakers-0-actor"] = str(speaker_actor.pk)
    response = admin_client.post(url, data)
    # Back to the event the editor came from.
    assertRedirects(response, change_url(item.event), fetch_redirect_response=False)
    speaker = Speaker.objects.get(programme_item=item)
    assert (speaker.name, speaker.actor) == ("Erika Muster", speaker_actor)


def test_programme_items_are_not_on_the_admin_start_page(admin_client):
    response = admin_client.get("/admin/")
    assertContains(response, "/admin/events/event/")
    assertNotContains(response, "/admin/events/programmeitem/")
    assertNotContains(response, "/admin/events/eventdocument/")
    assertNotContains(response, "/admin/events/eventphoto/")


def test_actor_autocomplete_for_organisers(admin_client):
    ActorFactory(name="Stiftung Trias")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "Trias", "app_label": "events", "model_name": "event", "field_name": "organisers"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Stiftung Trias"]


def test_admin_labels_come_from_the_models(admin_client):
    event = EventFactory()
    response = admin_client.get("/en" + change_url(event))
    assertContains(response, "documentation published")
    assertContains(response, "Documentation")
    assertContains(response, "Programme")  # the inline's heading, from the verbose name
