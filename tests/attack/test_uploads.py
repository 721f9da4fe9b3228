"""Hostile uploads through the real admin forms: each is refused in German, nothing is stored.

Every place a file can be uploaded: an actor's logo, the photos and documents of events and
projects, a publication's file, and the spreadsheet of the actors' import. The files are built
here: a PNG that declares 100,000 × 100,000 pixels, one of 45 megapixels (below Pillow's own
limit, above the portal's), EPS (which Pillow hands to Ghostscript), SVG and HTML with script
named as images, images and PDFs with a zip archive or markup appended, empty files, a zip
archive whose one member unpacks to a gigabyte of zeros (one megabyte on disk), and names that
try to climb out of the storage folder.

A refused form is shown again with its message at the file field and what else was typed;
no row is added and no file is left in MEDIA_ROOT, DOCUMENTS_ROOT, PHOTO_ORIGINALS_ROOT or the
import's temporary folder.
"""

import functools
import io
import os
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from actors.models import Actor
from events.models import EventDocument, EventPhoto
from projects.models import ProjectDocument, ProjectPhoto, Publication
from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory, pdf_bytes
from tests.events.test_admin import add_inline_row, form_data
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TYPED = "Was hier getippt wurde, bleibt stehen."

# --- Hostile files ------------------------------------------------------------------------------


def png_bytes(size=(120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "darkgreen").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "steelblue").save(buffer, format="JPEG")
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A well-formed PNG header claiming ``width`` × ``height`` pixels, a few bytes of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def damaged_png() -> bytes:
    """A PNG whose pixel data does not match its checksum."""
    data = bytearray(png_bytes())
    data[data.index(b"IDAT") + 8] ^= 0xFF
    return bytes(data)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GIGABYTE = 1 << 30


@functools.cache
def _zero_megabytes(count: int) -> tuple[bytes, int]:
    """One megabyte of zeros deflated and flushed, and the checksum of ``count`` of them."""
    megabyte = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(megabyte, crc)
    return block, crc


def zip_bomb(first: dict[str, bytes], *, bomb_name: str, size: int = GIGABYTE) -> bytes:
    """A zip archive with the members ``first`` and then ``bomb_name``: ``size`` zero bytes.

    The bomb's deflate stream is one compressed megabyte of zeros repeated (each block is
    flushed, so the copies are identical), with its true size and checksum in the headers:
    what a real bomb is, built in a fraction of a second.
    """
    count = size // (1 << 20)
    block, crc = _zero_megabytes(count)
    stream = block * count + b"\x03\x00"  # an empty final block

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in first.items():
            archive.writestr(name, data)
    # Append the bomb by hand: zipfile cannot write data it did not compress itself.
    head = buffer.getvalue()
    end_of_directory = head.rindex(b"PK\x05\x06")
    directory_size, directory_offset = struct.unpack(
        "<II", head[end_of_directory + 12 : end_of_directory + 20]
    )
    local_part = head[:directory_offset]
    central_part = head[directory_offset : directory_offset + directory_size]
    name = bomb_name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(stream), size, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(stream), size, len(name), 0, 0, 0, 0, 0,
        len(local_part),
    )  # fmt: skip
    body = local_part + local + name + stream
    directory = central_part + central + name
    entries = len(first) + 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(directory), len(body), 0)
    return body + directory + end


ODT = "application/vnd.oasis.opendocument.text"
OOXML_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/"/>'
EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n%%EndComments\n"
    b"newpath 0 0 moveto 100 100 lineto stroke\nshowpage\n%%EOF\n"
)
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@dataclass
class Hostile:
    name: str
    content: bytes
    #: A piece of the German message the editor reads at the field.
    message: str


def hostile_images() -> list[Hostile]:
    return [
        Hostile("riesig.png", png_declaring(100_000, 100_000), "zu viele Pixel"),
        # Below Pillow's own limit (89 megapixels), where it would only warn.
        Hostile("gross.png", png_declaring(9_000, 5_000), "höchstens 40 Megapixel"),
        Hostile("bild.png", EPS, "kein Bild, das wir zeigen können"),
        Hostile("bild.png", png_bytes() + b"<script>alert(1)</script>", "Markup"),
        Hostile("bild.eps", EPS, "kein Bild, das wir zeigen können"),
        Hostile("bild.png", SVG_WITH_SCRIPT, "Markup"),
        Hostile("bild.svg", SVG_WITH_SCRIPT, "Markup"),
        Hostile("bild.png", HTML, "Markup"),
        Hostile("bild.gif", b"GIF89a" + b"<html><script>alert(1)</script></html>", "Markup"),
        Hostile("bild.jpg", jpeg_bytes() + zip_bytes({"a.html": HTML}), "zip"),
        Hostile("bild.jpg", jpeg_bytes() + pdf_bytes(), "PDF"),
        Hostile("bild.png", b"", "leer"),
        Hostile("bild.jpg", png_bytes(), "ist ein PNG-Bild"),
        Hostile("bild.tif", b"II*\x00" + b"\x00" * 100, "kein Bild, das wir zeigen können"),
        Hostile("bild.png", damaged_png(), "beschädigt"),
    ]


def hostile_documents() -> list[Hostile]:
    return [
        Hostile(
            "bericht.odt",
            zip_bomb({"mimetype": ODT.encode()}, bomb_name="content.xml"),
            "entpackt",
        ),
        Hostile("bericht.pdf", pdf_bytes() + zip_bytes({"a.html": HTML}), "zip-Archiv"),
        # The bomb where the check of the type used to read it: the "mimetype" entry.
        Hostile("bericht.odt", zip_bomb({}, bomb_name="mimetype"), "entpackt"),
        Hostile(
            "bericht.docx",
            zip_bomb({"[Content_Types].xml": OOXML_TYPES.encode()}, bomb_name="word/document.xml"),
            "entpackt",
        ),
        Hostile(
            "bericht.docx",
            zip_bytes(
                {"[Content_Types].xml": OOXML_TYPES.encode()}
                | {f"word/teil{number}.xml": b"" for number in range(5001)}
            ),
            "Teilen",
        ),
        Hostile("bericht.pdf", b"", "leer"),
        Hostile("bericht.pdf", HTML, "kein Dokument"),
        Hostile("bericht.pdf", EPS, "kein Dokument"),
        Hostile("bericht.docx", b"PK\x03\x04" + b"\x00" * 40, "kein Dokument"),
    ]


# --- The forms ----------------------------------------------------------------------------------


def stored_files() -> set[str]:
    """Every file in the folders uploads can land in, the import's temporary one included."""
    folders = {
        Path(settings.MEDIA_ROOT),
        Path(storages["documents"].location),
        Path(storages["photo_originals"].location),
        Path(tempfile.gettempdir()),
    }
    return {
        os.path.join(root, name)
        for folder in folders
        if folder.exists()
        for root, _dirs, names in os.walk(folder)
        for name in names
    }


@pytest.fixture(autouse=True)
def own_temporary_folder(tmp_path, monkeypatch):
    """The import's temporary files land where this test can count them."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's claim is always the harmless one: only the content may count.
    return SimpleUploadedFile(name, content, content_type="image/png")


def _change(model, obj) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


@pytest.fixture(scope="module")
def targets(module_db):
    """One event, project and actor for every test of the module, and the forms of their
    change pages as a browser sends them back (read once: a test changes them in a copy)."""
    with module_db():
        yield {
            "event": EventFactory(),
            "project": ProjectFactory(),
            "actor": ActorFactory(),
            "forms": {},
        }


@pytest.fixture
def post_form(admin_client, targets):
    """``post_form(url, form_id, inline=(prefix, fields), **changes)``: the admin form at
    ``url`` sent back with ``changes`` and, if given, one more row in an inline."""

    def post(url: str, form_id: str, *, inline=None, **changes):
        if url not in targets["forms"]:
            targets["forms"][url] = form_data(admin_client.get(url), form_id=form_id)
        data = {**targets["forms"][url], **changes}
        if inline:
            prefix, fields = inline
            add_inline_row(data, prefix, **fields)
        return admin_client.post(url, data)

    post.targets = targets
    return post


def post_inline(post_form, obj, *, text_field: str, prefix: str, **fields):
    url = _change(type(obj), obj)
    form_id = f"{obj._meta.model_name}_form"
    return post_form(url, form_id, inline=(prefix, fields), **{text_field: TYPED})


def event_photo(post_form, file):
    return post_inline(
        post_form, post_form.targets["event"], text_field="results", prefix="photos",
        image=file, alt_text="Gäste im Saal", licence="all-rights-reserved", position="0",
    )  # fmt: skip


def project_photo(post_form, file):
    return post_inline(
        post_form, post_form.targets["project"], text_field="summary", prefix="photos",
        image=file, alt_text="Beet im Hof", licence="all-rights-reserved", position="0",
    )  # fmt: skip


def actor_logo(post_form, file):
    url = _change(Actor, post_form.targets["actor"])
    return post_form(url, "actor_form", description=TYPED, logo=file, logo_alt_text="Schriftzug")


def event_document(post_form, file):
    return post_inline(
        post_form, post_form.targets["event"], text_field="results", prefix="documents",
        title="Bericht", file=file, language="de", position="0",
    )  # fmt: skip


def project_document(post_form, file):
    return post_inline(
        post_form, post_form.targets["project"], text_field="summary", prefix="documents",
        title="Bericht", file=file, language="de", position="0",
    )  # fmt: skip


def publication(post_form, file):
    return post_form(
        reverse("admin:projects_publication_add"), "publication_form",
        title="Handreichung", slug="handreichung", summary=TYPED,
        published_on="2026-03-01", language="de", file=file,
    )  # fmt: skip


IMAGE_FORMS = {"event photo": event_photo, "project photo": project_photo, "logo": actor_logo}
DOCUMENT_FORMS = {
    "event document": event_document,
    "project document": project_document,
    "publication": publication,
}


def rows() -> dict[str, int]:
    return {
        "event photos": EventPhoto.objects.count(),
        "project photos": ProjectPhoto.objects.count(),
        "logos": Actor.objects.exclude(logo="").count(),
        "event documents": EventDocument.objects.count(),
        "project documents": ProjectDocument.objects.count(),
        "publications": Publication.objects.count(),
    }


def errors(response) -> list[str]:
    """Every message of the admin form and its inlines."""
    assert response.status_code == 200, f"accepted: {response.status_code}"
    context = response.context
    found = [str(message) for messages in context["adminform"].form.errors.values()
             for message in messages]  # fmt: skip
    for inline in context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            found += [str(message) for messages in form.errors.values() for message in messages]
    return found


def assert_refused(response, message: str, before_rows, before_files) -> None:
    found = errors(response)
    assert any(message in text for text in found), found
    assert TYPED in response.content.decode(), "what was typed is gone"
    assert rows() == before_rows
    assert stored_files() == before_files


# --- Images -------------------------------------------------------------------------------------


def _cases(forms: dict, hostiles: list[Hostile], *, everything_on: str, few: int):
    """Every hostile file on one form, the first ``few`` on the others (the same field class
    and checks behind each: what is tried is that each form uses them)."""
    return [
        pytest.param(form, hostile, id=f"{form}-{hostile.name}-{hostile.message}")
        for form in forms
        for hostile in (hostiles if form == everything_on else hostiles[:few])
    ]


@pytest.mark.parametrize(
    ("form", "hostile"), _cases(IMAGE_FORMS, hostile_images(), everything_on="logo", few=4)
)
def test_a_hostile_image_is_refused_and_nothing_is_stored(post_form, form, hostile):
    post = IMAGE_FORMS[form]
    before_rows, before_files = rows(), stored_files()
    response = post(post_form, upload(hostile.name, hostile.content))
    assert_refused(response, hostile.message, before_rows, before_files)


@pytest.mark.parametrize("form", ["project photo", "logo"])
def test_an_image_larger_than_the_limit_is_refused(post_form, settings, form):
    settings.UPLOAD_IMAGE_MAX_SIZE_MB = 1
    noise = Image.frombytes("L", (1100, 1100), os.urandom(1100 * 1100))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    before_rows, before_files = rows(), stored_files()
    response = IMAGE_FORMS[form](post_form, upload("rauschen.png", buffer.getvalue()))
    assert_refused(response, "höchstens 1 MB", before_rows, before_files)


def test_the_pixel_limit_is_a_setting(post_form, settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1_000_000
    response = actor_logo(post_form, upload("logo.png", png_declaring(1001, 1000)))
    assert any("höchstens 1 Megapixel" in text for text in errors(response))
    response = actor_logo(post_form, upload("logo.png", png_bytes((1000, 1000))))
    assert response.status_code == 302


@pytest.mark.parametrize("form", ["event photo", "logo"])
@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd.png", "/etc/cron.d/x.png", "..\\..\\boot.png", "a\x00b.png",
     "rechnung\u202egnp.png", "ä" * 300 + ".png", ".png.png"],
)  # fmt: skip
def test_a_hostile_file_name_is_stored_as_a_safe_name_inside_the_storage(post_form, form, name):
    before = stored_files()
    response = IMAGE_FORMS[form](post_form, upload(name, png_bytes()))
    assert response.status_code == 302, errors(response)
    roots = [
        Path(settings.MEDIA_ROOT).resolve(),
        Path(storages["photo_originals"].location).resolve(),
    ]
    new = stored_files() - before
    assert new
    for path in new:
        resolved = Path(path).resolve()
        assert any(resolved.is_relative_to(root) for root in roots), path
        stored_name = resolved.name
        assert stored_name.isascii() and stored_name.isprintable(), stored_name
        assert len(stored_name) <= 80
        assert not stored_name.startswith(".")


def test_a_good_image_still_goes_in_everywhere(post_form):
    for form, post in IMAGE_FORMS.items():
        for name, content in (("bild.png", png_bytes()), ("bild.jpeg", jpeg_bytes())):
            response = post(post_form, upload(name, content))
            assert response.status_code == 302, (form, name, errors(response))
    assert rows()["event photos"] == rows()["project photos"] == 2
    assert rows()["logos"] == 1  # the second replaced the first


# --- Documents ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "hostile"),
    _cases(DOCUMENT_FORMS, hostile_documents(), everything_on="event document", few=3),
)
def test_a_hostile_document_is_refused_and_nothing_is_stored(post_form, form, hostile):
    before_rows, before_files = rows(), stored_files()
    response = DOCUMENT_FORMS[form](post_form, upload(hostile.name, hostile.content))
    assert_refused(response, hostile.message, before_rows, before_files)


def test_the_unpacked_size_is_a_setting(post_form, settings):
    # A text that compresses like a real one (about 3:1), but unpacks to more than allowed.
    document = zip_bytes(
        {"mimetype": ODT.encode(), "content.xml": os.urandom(700_000).hex().encode()}
    )
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_MB = 1
    before_rows, before_files = rows(), stored_files()
    response = event_document(post_form, upload("bericht.odt", document))
    assert_refused(response, "entpackt", before_rows, before_files)
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_MB = 2
    assert event_document(post_form, upload("bericht.odt", document)).status_code == 302


def test_a_pdf_that_quotes_markup_is_kept_and_served_so_that_no_browser_runs_it(post_form, client):
    """Decided: markup inside a PDF is a PDF's business (a report may quote HTML). What keeps
    it harmless is how it is served: as a PDF, never sniffed, in a sandbox."""
    content = pdf_bytes() + HTML
    response = event_document(post_form, upload("bericht.pdf", content))
    assert response.status_code == 302, errors(response)
    document = EventDocument.objects.get()
    event = document.event
    type(event).objects.filter(pk=event.pk).update(
        status=type(event).Status.PUBLISHED, documentation_published=True
    )
    download = client.get(document.get_download_url())
    assert download.status_code == 200, "the test's event is not public"
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["Content-Disposition"].startswith("inline")


def test_an_office_document_is_downloaded_never_shown(post_form, client):
    docx = zip_bytes({"[Content_Types].xml": OOXML_TYPES.encode(), "word/document.xml": HTML})
    response = event_document(post_form, upload("bericht.docx", docx))
    assert response.status_code == 302, errors(response)
    document = EventDocument.objects.get()
    event = document.event
    type(event).objects.filter(pk=event.pk).update(
        status=type(event).Status.PUBLISHED, documentation_published=True
    )
    download = client.get(document.get_download_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == docx
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("name", ["../../../etc/passwd.pdf", "C:\\Windows\\x.pdf", "a\x00.pdf"])
def test_a_document_name_cannot_leave_the_documents_folder(post_form, name):
    before = stored_files()
    response = event_document(post_form, upload(name, pdf_bytes()))
    assert response.status_code == 302, errors(response)
    (new,) = stored_files() - before
    assert Path(new).resolve().is_relative_to(Path(storages["documents"].location).resolve())
    assert Path(new).name.isascii() and Path(new).name.isprintable()


# --- The spreadsheet import ---------------------------------------------------------------------


def import_actors(client, name: str, content: bytes, file_format: str):
    return client.post(
        reverse("admin:actors_actor_import"),
        {"import_file": upload(name, content), "format": file_format},
    )


def import_errors(response) -> list[str]:
    assert response.status_code == 200
    return [str(message) for message in response.context["form"].errors.get("import_file", [])]


XLSX_FORMAT, CSV_FORMAT = "1", "0"


@pytest.mark.parametrize(
    ("name", "content", "file_format", "message"),
    [
        pytest.param(
            "akteure.xlsx",
            zip_bomb(
                {"[Content_Types].xml": OOXML_TYPES.encode(), "xl/workbook.xml": b"<workbook/>"},
                bomb_name="xl/worksheets/sheet1.xml",
            ),
            XLSX_FORMAT,
            "entpackt",
            id="xlsx-bomb",
        ),
        pytest.param("akteure.csv", b"", CSV_FORMAT, "leer", id="empty"),
        pytest.param(
            "akteure.xlsx", b"PK\x03\x04" + b"\x00" * 40, XLSX_FORMAT, "beschädigt", id="broken"
        ),
    ],
)
def test_a_hostile_spreadsheet_is_refused_before_it_is_read(
    admin_client, name, content, file_format, message
):
    actors, before = Actor.objects.count(), stored_files()
    response = import_actors(admin_client, name, content, file_format)
    assert any(message in text for text in import_errors(response)), import_errors(response)
    assert Actor.objects.count() == actors
    assert stored_files() == before


def test_a_spreadsheet_larger_than_the_limit_is_refused(admin_client, settings):
    settings.UPLOAD_IMPORT_MAX_SIZE_MB = 1
    content = b"Name;Bereich\n" + b"Stiftung;Soziales\n" * 70_000
    before = stored_files()
    response = import_actors(admin_client, "akteure.csv", content, CSV_FORMAT)
    assert any("höchstens 1 MB" in text for text in import_errors(response))
    assert stored_files() == before


def test_a_file_the_library_cannot_read_leaves_no_temporary_file(admin_client):
    """An Excel file that is a well-formed zip but no workbook: the library's own message,
    and its temporary copy of the upload is gone."""
    content = zip_bytes({"[Content_Types].xml": OOXML_TYPES.encode(), "xl/x.xml": b"<x/>"})
    before = stored_files()
    response = import_actors(admin_client, "akteure.xlsx", content, XLSX_FORMAT)
    assert import_errors(response)
    assert stored_files() == before
