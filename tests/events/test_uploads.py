"""Documents uploaded through the event's admin page: checked by content, size and name.

A refused file leaves nothing behind: no row and no file in any storage. The admin runs in
German (under /admin/), so the editor reads why in German.
"""

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertRedirects

from events.models import EventDocument
from quartier.models import PortalSettings

from .factories import EventFactory, pdf_bytes
from .test_admin import CHANGELIST, add_inline_row, change_url, form_data

pytestmark = pytest.mark.django_db

ODT = "application/vnd.oasis.opendocument.text"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # OpenDocument: the first entry is "mimetype", stored uncompressed.
        archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def padded_pdf(size: int) -> bytes:
    """A real PDF made ``size`` bytes long with a comment after its end."""
    pdf = pdf_bytes()
    return pdf + b"\n%" + b"x" * (size - len(pdf) - 3) + b"\n"


def stored_files() -> set[str]:
    """Every file in the folders uploads can land in."""
    folders = {
        Path(settings.MEDIA_ROOT),
        Path(storages["documents"].location),
        Path(EventDocument._meta.get_field("file").storage.location),
    }
    return {
        os.path.join(root, name)
        for folder in folders
        if folder.exists()
        for root, _dirs, names in os.walk(folder)
        for name in names
    }


@pytest.fixture
def upload(admin_client):
    """``upload(name, content)``: post the event's form with one new document; the response."""
    event = EventFactory(title="Bilanzveranstaltung", results="Die Initiative geht weiter.")

    def post(name: str, content: bytes, **fields):
        data = form_data(admin_client.get(change_url(event)))
        data["results"] = "Geänderte Ergebnisse, die erhalten bleiben."
        add_inline_row(
            data,
            "documents",
            title=fields.pop("title", "Bericht"),
            file=SimpleUploadedFile(name, content, content_type="application/pdf"),
            description="Was besprochen wurde.",
            language="de",
            position="0",
        )
        return admin_client.post(change_url(event), data)

    post.event = event
    return post


def file_errors(response) -> list[str]:
    """The messages shown at the file field of the documents inline."""
    assert response.status_code == 200, "the form was accepted"
    (documents,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "documents"
    ]
    return [message for form in documents.forms for message in form.errors.get("file", [])]


EXECUTABLES = {
    "windows": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200,
    "linux": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,
    "html": b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
    "zip without office document": None,
}


@pytest.mark.parametrize("kind", EXECUTABLES)
def test_a_file_that_only_pretends_to_be_a_pdf_is_refused(upload, kind):
    content = EXECUTABLES[kind]
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("payload.exe", b"MZ")
        content = buffer.getvalue()
    before = stored_files()
    response = upload("Bericht.pdf", content)
    (message,) = file_errors(response)
    assert "PDF, DOCX, PPTX, XLSX, ODT, ODP" in message
    assert not EventDocument.objects.exists()
    assert stored_files() == before
    # The rest of what the editor typed is kept for the next try.
    assert "Geänderte Ergebnisse, die erhalten bleiben." in response.content.decode()
    assert 'value="Bericht"' in response.content.decode()
    upload.event.refresh_from_db()
    assert upload.event.results == "Die Initiative geht weiter."


def test_a_file_larger_than_the_limit_is_refused(upload):
    limits = PortalSettings.current()
    limits.max_document_size_mb = 1
    limits.save()
    before = stored_files()
    response = upload("Bericht.pdf", padded_pdf(1536 * 1024))
    (message,) = file_errors(response)
    assert "1,5\xa0MB" in message  # the size as German readers write it
    assert "1 MB" in message
    assert not EventDocument.objects.exists()
    assert stored_files() == before


def test_the_limit_is_the_staff_setting(upload):
    """25 MB unless staff change it: 1.5 MB passes by default."""
    response = upload("Bericht.pdf", padded_pdf(1536 * 1024))
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    assert EventDocument.objects.get().file_size == 1536 * 1024


def test_a_document_with_the_wrong_extension_is_refused(upload):
    before = stored_files()
    (message,) = file_errors(upload("Protokoll.pdf", docx_bytes()))
    assert "DOCX" in message
    assert "Protokoll.pdf" in message
    assert stored_files() == before


def test_rejections_are_explained_in_german(upload):
    """The admin runs in German: needs the German catalogue entries of quartier/media.py."""
    (not_a_document,) = file_errors(upload("Bericht.pdf", EXECUTABLES["windows"]))
    (misnamed,) = file_errors(upload("Protokoll.pdf", docx_bytes()))
    limits = PortalSettings.current()
    limits.max_document_size_mb = 1
    limits.save()
    response = upload("Bericht.pdf", padded_pdf(1536 * 1024))
    (too_large,) = file_errors(response)
    # Django's own admin text is German, and so are ours.
    assert "Bitte den unten aufgeführten Fehler korrigieren." in response.content.decode()
    for message, english in (
        (not_a_document, "This file is not a document"),
        (misnamed, "Please rename it"),
        (too_large, "are allowed"),
    ):
        assert english not in message
        assert "Datei" in message, message


@pytest.mark.parametrize(
    ("name", "content", "kind", "label"),
    [
        ("Bericht.pdf", pdf_bytes(), "pdf", "PDF"),
        ("Protokoll.docx", docx_bytes(), "docx", "DOCX"),
        ("Ergebnisse.odt", odt_bytes(), "odt", "ODT"),
    ],
)
def test_a_document_is_accepted_with_type_and_size(
    upload, admin_client, name, content, kind, label
):
    response = upload(name, content)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    document = EventDocument.objects.get()
    assert document.event == upload.event
    assert (document.file_type, document.file_size) == (kind, len(content))
    assert document.type_label == label
    with document.file.open("rb") as file:
        assert file.read() == content
    upload.event.refresh_from_db()
    assert upload.event.results == "Geänderte Ergebnisse, die erhalten bleiben."
    # The inline shows what it is: "PDF, 1,8 KB".
    page = admin_client.get(change_url(upload.event)).content.decode()
    assert f"{label}, " in page


def test_file_names_are_sanitised(upload):
    response = upload("../../etc/Bericht Über Alles.PDF", pdf_bytes())
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    document = EventDocument.objects.get()
    assert re.fullmatch(
        r"events/eventdocument/[0-9a-f]{32}/bericht-ueber-alles\.pdf", document.file.name
    )
    assert document.download_name == "bericht-ueber-alles.pdf"
    assert os.path.exists(document.file.path)
    # Nowhere outside the storage's folder.
    location = Path(document.file.storage.location).resolve()
    assert Path(document.file.path).resolve().is_relative_to(location)


def test_documents_are_not_served_from_media(upload):
    """Documents live outside MEDIA_ROOT; visitors get them through the download view only."""
    upload("Bericht.pdf", pdf_bytes())
    document = EventDocument.objects.get()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not Path(document.file.path).resolve().is_relative_to(media)
