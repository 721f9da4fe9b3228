import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from events.models import Event

from .factories import EventDocumentFactory, EventFactory

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes() -> bytes:
    """The smallest zip that the upload check takes for a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def url_of(document, filename=None) -> str:
    return reverse(
        "events:document",
        kwargs={
            "slug": document.event.slug,
            "pk": document.pk,
            "filename": filename or document.download_name,
        },
    )


def fetch(client, url, method="get"):
    """The response, its file read to the end and closed (``response.body``), as a browser does."""
    response = getattr(client, method)(url)
    if getattr(response, "streaming", False):
        # Reading to the end closes the file (the test client's wrapper calls close()).
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


@pytest.fixture
def report():
    return EventDocumentFactory(
        event=EventFactory(title="Bilanzveranstaltung", documentation_published=True),
        title="Bericht",
    )


def test_pdf_is_shown_in_the_browser_with_safe_headers(client, report):
    response = fetch(client, url_of(report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bericht.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert int(response["Content-Length"]) == report.file_size
    assert response.body.startswith(b"%PDF-")


def test_office_document_is_downloaded(client):
    document = EventDocumentFactory(
        event=EventFactory(documentation_published=True),
        file=ContentFile(docx_bytes(), name="Protokoll der Sitzung.docx"),
        file_type="docx",
    )
    assert document.download_name == "protokoll-der-sitzung.docx"
    response = fetch(client, url_of(document))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="protokoll-der-sitzung.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response.body == docx_bytes()


def test_document_link_on_the_event_page_downloads_it(client, report):
    page = client.get(report.event.get_absolute_url())
    assert url_of(report) in page.content.decode()
    assert fetch(client, url_of(report)).status_code == 200


@pytest.mark.parametrize("filename", ["anderer-name.pdf", "bericht.PDF", "bericht.pdf.html"])
def test_another_filename_is_not_found(client, report, filename):
    assert fetch(client, url_of(report, filename)).status_code == 404


def test_document_under_another_event_is_not_found(client, report):
    other = EventFactory(documentation_published=True)
    url = reverse(
        "events:document",
        kwargs={"slug": other.slug, "pk": report.pk, "filename": report.download_name},
    )
    assert fetch(client, url).status_code == 404


def test_unknown_document_is_not_found(client, report):
    url = reverse(
        "events:document",
        kwargs={"slug": report.event.slug, "pk": report.pk + 100, "filename": "bericht.pdf"},
    )
    assert fetch(client, url).status_code == 404


def test_document_of_unpublished_documentation_is_not_found(client):
    document = EventDocumentFactory(event=EventFactory(documentation_published=False))
    assert fetch(client, url_of(document)).status_code == 404


def test_document_of_a_draft_event_is_not_found(client):
    document = EventDocumentFactory(
        event=EventFactory(status=Event.Status.DRAFT, documentation_published=True)
    )
    assert fetch(client, url_of(document)).status_code == 404


def test_document_of_a_cancelled_event_with_published_documentation_is_served(client):
    document = EventDocumentFactory(
        event=EventFactory(status=Event.Status.CANCELLED, documentation_published=True)
    )
    assert fetch(client, url_of(document)).status_code == 200


def test_editors_may_download_before_publication(staff_client):
    document = EventDocumentFactory(
        event=EventFactory(status=Event.Status.DRAFT, documentation_published=False)
    )
    response = fetch(staff_client, url_of(document))
    assert response.status_code == 200
    assert response.body.startswith(b"%PDF-")


def test_document_whose_file_is_missing_is_not_found(client, report):
    report.file.storage.delete(report.file.name)
    assert fetch(client, url_of(report)).status_code == 404


def test_only_reading_is_allowed(client, report):
    assert fetch(client, url_of(report), "post").status_code == 405
    assert fetch(client, url_of(report), "delete").status_code == 405
    head = fetch(client, url_of(report), "head")
    assert head.status_code == 200
    assert head.body == b""


def test_download_changes_nothing(client, report):
    before = Event.objects.values().get(pk=report.event.pk)
    fetch(client, url_of(report))
    report.refresh_from_db()
    assert report.file.storage.exists(report.file.name)
    assert Event.objects.values().get(pk=report.event.pk) == before
