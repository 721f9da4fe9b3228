"""Accessible documents on events: what an upload records, what the lists say, what the
editors' checklist warns about, and the command that reads documents stored before."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from events.models import Event, EventDocument
from events.services import (
    documentation_checklist,
    documentation_incomplete,
    with_documentation_counts,
)
from quartier.media import DocumentInspection
from tests.documents import (
    ODT_META,
    blank_pdf,
    docx_bytes,
    encrypted_pdf,
    odt_bytes,
    scanned_pdf,
    tagged_pdf,
)

from .factories import EventDocumentFactory, EventFactory, EventPhotoFactory
from .test_admin import CHANGELIST, add_inline_row, change_url, form_data

pytestmark = pytest.mark.django_db

BROKEN_PDF = b"%PDF-1.7\n% the rest of this file was lost\n"


@pytest.fixture
def upload(admin_client):
    """``upload(name, content)``: the event's admin form sent with one new document."""
    event = EventFactory(title="Bilanzveranstaltung", results="Die Initiative geht weiter.")

    def post(name: str, content: bytes):
        data = form_data(admin_client.get(change_url(event)))
        add_inline_row(
            data,
            "documents",
            title="Bericht",
            file=SimpleUploadedFile(name, content, content_type="application/octet-stream"),
            description="",
            language="de",
            position="0",
        )
        response = admin_client.post(change_url(event), data)
        assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
        return EventDocument.objects.get(event=event)

    post.event = event
    return post


# --- what an upload records -------------------------------------------------------------------


def test_an_uploaded_tagged_pdf_is_recorded_as_accessible(upload):
    document = upload("Bericht.pdf", tagged_pdf())
    assert document.inspection == DocumentInspection.INSPECTED
    assert (document.page_count, document.is_tagged, document.has_text) == (2, True, True)
    assert (document.file_title, document.file_language) == ("Bilanz 2020", "de-DE")
    assert EventDocument.objects.accessible().get() == document


def test_an_uploaded_scan_is_recorded_without_text(upload):
    document = upload("Scan.pdf", scanned_pdf(3))
    assert (document.page_count, document.is_tagged, document.has_text) == (3, False, False)
    assert not EventDocument.objects.accessible().exists()


def test_an_uploaded_docx_keeps_its_metadata(upload):
    document = upload("Protokoll.docx", docx_bytes())
    assert document.file_type == "docx"
    assert (document.file_title, document.file_language, document.page_count) == (
        "Protokoll der Werkstatt",
        "de-DE",
        3,
    )
    assert document.is_tagged is None
    assert EventDocument.objects.accessible().get() == document


@pytest.mark.parametrize("content", [BROKEN_PDF, encrypted_pdf()], ids=["damaged", "encrypted"])
def test_a_file_that_cannot_be_read_is_stored_and_marked_unknown(upload, content):
    document = upload("Bericht.pdf", content)
    assert document.inspection == DocumentInspection.UNKNOWN
    assert document.page_count is None
    with document.file.open("rb") as file:
        assert file.read() == content
    assert not EventDocument.objects.accessible().exists()


def test_the_admin_shows_what_was_read_and_escapes_the_title(upload, admin_client):
    upload("Bericht.pdf", tagged_pdf(title="<script>alert(1)</script> Bilanz"))
    page = admin_client.get("/en" + change_url(upload.event))
    assertContains(
        page,
        "2 pages; accessible: tagged; title in the file: &lt;script&gt;alert(1)&lt;/script&gt;",
    )
    assertContains(page, "language in the file: de-DE")
    assertNotContains(page, "<script>alert(1)</script>")


# --- what the lists say -----------------------------------------------------------------------


def document_of(event, content: bytes, *, name="bericht.pdf", **fields) -> EventDocument:
    """A document as an upload leaves it: its file inspected."""
    document = EventDocument(
        event=event, title=fields.pop("title", "Bericht"), file=ContentFile(content, name=name)
    )
    for field, value in fields.items():
        setattr(document, field, value)
    document.full_clean()
    document.save()
    return document


def meta_texts(response, find) -> list[str]:
    return [
        node.text
        for node in find(response, "span")
        if "document-list__meta" in node.attrs.get("class", "")
    ]


def test_the_list_says_what_a_reader_needs_to_know_in_german_and_english(client, find):
    event = EventFactory(results="Ergebnisse.", documentation_published=True)
    document_of(event, tagged_pdf(), title="Getaggt")
    document_of(event, scanned_pdf(12), title="Scan", name="scan.pdf")
    document_of(event, blank_pdf(1), title="Leer", name="leer.pdf", language="en")
    document_of(event, BROKEN_PDF, title="Kaputt", name="kaputt.pdf")
    document_of(event, odt_bytes(meta=ODT_META), title="Text", name="text.odt")
    EventDocumentFactory(event=event, title="Von früher", position=99)

    german = meta_texts(client.get(event.get_absolute_url()), find)
    assert german[0].startswith("(PDF, 2 Seiten, ")
    assert german[0].endswith(", Deutsch, barrierearm: getaggt)")
    assert german[1].startswith("(PDF, 12 Seiten, ")
    assert german[1].endswith(", Deutsch, nicht getaggt, ohne Textebene)")
    assert german[2].startswith("(PDF, 1 Seite, ")
    assert german[2].endswith(", Englisch, nicht getaggt, ohne Textebene)")
    # Unknown: neither pages nor tags are claimed.
    assert german[3] == f"(PDF, {len(BROKEN_PDF)}\xa0Bytes, Deutsch, Barrierefreiheit unbekannt)"
    assert german[4].startswith("(ODT, 7 Seiten, ")
    assert german[4].endswith(", Deutsch, barrierearm: Office-Format)")
    assert german[5].endswith(", Deutsch, Barrierefreiheit unbekannt)")

    english = meta_texts(client.get(f"/en{event.get_absolute_url()}"), find)
    assert english[0].startswith("(PDF, 2 pages, ")
    assert english[0].endswith(", German, accessible: tagged)")
    assert english[1].endswith(", German, not tagged, no text layer)")
    assert english[3].endswith(", German, accessibility unknown)")
    assert english[4].endswith(", German, accessible: office format)")


def test_page_counts_and_sizes_follow_the_language(client, find):
    event = EventFactory(results="Ergebnisse.", documentation_published=True)
    EventDocumentFactory(
        event=event,
        file_size=1_258_291,
        page_count=1234,
        inspection=DocumentInspection.INSPECTED,
        is_tagged=True,
        has_text=True,
    )
    (german,) = meta_texts(client.get(event.get_absolute_url()), find)
    assert german == "(PDF, 1.234 Seiten, 1,2\xa0MB, Deutsch, barrierearm: getaggt)"
    (english,) = meta_texts(client.get(f"/en{event.get_absolute_url()}"), find)
    assert english == "(PDF, 1,234 pages, 1.2\xa0MB, German, accessible: tagged)"


def test_slides_are_counted_as_slides(client, find):
    event = EventFactory(results="Ergebnisse.", documentation_published=True)
    EventDocumentFactory(
        event=event, file_type="pptx", page_count=1, inspection=DocumentInspection.INSPECTED
    )
    EventDocumentFactory(
        event=event, file_type="odp", page_count=24, inspection=DocumentInspection.INSPECTED
    )
    texts = meta_texts(client.get(event.get_absolute_url()), find)
    assert [text.split(", ")[1] for text in texts] == ["1 Folie", "24 Folien"]


# --- the checklist ----------------------------------------------------------------------------


def checklist_event(**fields) -> Event:
    """Results, a photo with credit and the documents ``fields`` make: nothing else lacking."""
    event = EventFactory(results="Ergebnisse.", **fields)
    EventPhotoFactory(event=event, variants=False)
    return event


def test_the_checklist_warns_about_what_screen_readers_miss():
    event = checklist_event()
    document_of(event, scanned_pdf(2))  # untagged, no text, no language
    document_of(event, blank_pdf(1), name="leer.pdf")  # untagged, no title, no language
    document_of(event, BROKEN_PDF, name="kaputt.pdf")
    document_of(event, tagged_pdf(), name="gut.pdf")
    document_of(event, docx_bytes(title="", language=""), name="text.docx")

    with translation.override("en"):
        items = {item.key: item for item in documentation_checklist(event)}
        assert {key: str(item.label) for key, item in items.items()} == {
            "untagged": "2 untagged PDFs",
            "pdf_title": "1 PDF without title",
            "pdf_language": "2 PDFs without language",
            "pdf_text": "2 scans without text",
            "unreadable": "1 unreadable document",
        }
        assert str(items["untagged"]).startswith("2 PDFs are not tagged: screen readers")
        assert str(items["unreadable"]) == (
            "1 document could not be read (damaged or encrypted): whether it is accessible is "
            "unknown."
        )
    with translation.override("de"):
        texts = [str(item) for item in documentation_checklist(event)]
    assert texts[0].startswith("2 PDFs sind nicht getaggt: Screenreader finden darin keine")
    assert "1 PDF hat in seinen Dokumenteigenschaften keinen Titel" in texts[1]
    assert texts[2].startswith("Bei 2 PDFs ist keine Sprache angegeben")
    assert texts[3].startswith("2 PDFs haben auf den ersten Seiten keinen Text (Scans?)")
    assert texts[4].startswith("1 Dokument ließ sich nicht lesen")


def test_a_tagged_pdf_and_office_files_raise_no_warning():
    event = checklist_event()
    document_of(event, tagged_pdf())
    document_of(event, docx_bytes(), name="text.docx")
    EventDocumentFactory(event=event)  # stored before files were read: not counted
    assert documentation_checklist(event) == []
    assert event not in documentation_incomplete(Event.objects.all())


def test_the_query_agrees_with_the_checklist_on_documents():
    events = []
    for content, name in [
        (tagged_pdf(), "gut.pdf"),
        (scanned_pdf(1), "scan.pdf"),
        (blank_pdf(1), "leer.pdf"),
        (BROKEN_PDF, "kaputt.pdf"),
        (tagged_pdf(title="", language=""), "ohne.pdf"),
    ]:
        event = checklist_event()
        document_of(event, content, name=name)
        events.append(event)
    incomplete = set(documentation_incomplete(Event.objects.all()))
    assert incomplete == set(events[1:])
    for event in Event.objects.all():
        assert (event in incomplete) == bool(documentation_checklist(event)), event


def test_the_warnings_cost_no_query_per_event():
    for _ in range(3):
        document_of(checklist_event(), scanned_pdf(1))
    events = list(with_documentation_counts(Event.objects.order_by("pk")))
    with CaptureQueriesContext(connection) as captured:
        keys = [[item.key for item in documentation_checklist(event)] for event in events]
    assert len(captured) == 0
    assert keys == [["untagged", "pdf_language", "pdf_text"]] * 3


def test_the_dashboard_lists_the_warnings(client, admin_user):
    event = checklist_event(title="Mit Scan")
    document_of(event, scanned_pdf(1))
    client.force_login(admin_user)
    box = client.get("/admin/").context["dashboard"]["documentation"]
    assert {row.event.title: row.missing for row in box.rows} == {
        "Mit Scan": ["1 PDF ungetaggt", "1 PDF ohne Sprache", "1 Scan ohne Text"]
    }


# --- documents stored before --------------------------------------------------------------------


def test_the_command_reads_documents_stored_before():
    event = EventFactory()
    tagged = EventDocumentFactory(
        event=event, file=ContentFile(tagged_pdf(), name="gut.pdf"), position=1
    )
    scan = EventDocumentFactory(event=event, position=2)  # the factory's image PDF
    missing = EventDocumentFactory(event=event, position=3)
    missing.file.storage.delete(missing.file.name)
    assert set(EventDocument.objects.values_list("inspection", flat=True)) == {"pending"}

    output = io.StringIO()
    call_command("inspect_documents", stdout=output)

    assert "events.EventDocument: 2 inspected, 1 unknown" in output.getvalue()
    tagged.refresh_from_db()
    scan.refresh_from_db()
    missing.refresh_from_db()
    assert (tagged.inspection, tagged.is_tagged, tagged.page_count) == ("inspected", True, 2)
    assert (scan.inspection, scan.is_tagged, scan.has_text) == ("inspected", False, False)
    assert missing.inspection == "unknown"
    # Nothing else of the rows changed.
    assert (tagged.file_type, tagged.file_size) == ("pdf", len(tagged_pdf()))


def test_the_command_leaves_inspected_documents_unless_asked_for_all():
    document = EventDocumentFactory(file=ContentFile(tagged_pdf(), name="gut.pdf"))
    EventDocument.objects.filter(pk=document.pk).update(inspection="inspected", page_count=99)

    call_command("inspect_documents", stdout=io.StringIO())
    document.refresh_from_db()
    assert document.page_count == 99

    output = io.StringIO()
    call_command("inspect_documents", "--all", stdout=output)
    document.refresh_from_db()
    assert document.page_count == 2
    assert "events.EventDocument: 1 inspected, 0 unknown" in output.getvalue()


def test_the_event_admin_shows_the_warnings(admin_client):
    event = checklist_event()
    document_of(event, scanned_pdf(1))
    response = admin_client.get("/en" + change_url(event))
    assertContains(response, '<ul class="documentation-checklist">')
    assertContains(
        response,
        "1 PDF has no text on its first pages (a scan?): screen readers and the search find "
        "nothing in it.",
    )
    changelist = admin_client.get("/en" + CHANGELIST + "?checklist=incomplete")
    assert list(changelist.context["cl"].result_list) == [event]
    assertContains(changelist, "1 untagged PDF, 1 PDF without language, 1 scan without text")
