"""Documents made in the tests, as programs make them: tagged and untagged PDFs with text, scans,
PDFs without metadata, encrypted ones, and office files with their metadata parts."""

import io
import zipfile
from functools import cache

from PIL import Image
from pypdf import PdfWriter

from quartier.tagged_pdf import TextPage, text_pdf_bytes

PAGES = [
    TextPage("Bilanz der Initiative", ["Die Beteiligten beschlossen, weiterzumachen.", ""]),
    TextPage("Ausblick", ["Viele arbeiten als Partner eines Netzwerks weiter."]),
]


def scanned_pdf(pages: int = 2, *, title: str = "Eingescannter Bericht") -> bytes:
    """What a scanner makes: pictures of pages, no text, no tags (Pillow, as the demo does)."""
    first, *others = [Image.new("1", (400, 560), 1) for _ in range(pages)]
    buffer = io.BytesIO()
    first.save(buffer, format="PDF", save_all=True, append_images=others, title=title)
    return buffer.getvalue()


def blank_pdf(pages: int = 1) -> bytes:
    """Empty pages without any metadata: no title, no language (pypdf)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bytes(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:title>{title}</dc:title><dc:language>{language}</dc:language></cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties">{counts}</Properties>'
)


def docx_bytes(*, title="Protokoll der Werkstatt", language="de-DE", pages=3) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document/>",
            "docProps/core.xml": CORE.format(title=title, language=language),
            "docProps/app.xml": APP.format(counts=f"<Pages>{pages}</Pages>"),
        }
    )


def odt_bytes(*, meta: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("meta.xml", meta)
    return buffer.getvalue()


ODT_META = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
    "<dc:title>Ergebnisse der Praxiswerkstatt</dc:title><dc:language>de-DE</dc:language>"
    '<meta:document-statistic meta:page-count="7" meta:word-count="1200"/>'
    "</office:meta></office:document-meta>"
)


@cache
def tagged_pdf(title: str = "Bilanz 2020", language: str = "de-DE") -> bytes:
    return text_pdf_bytes(PAGES, title=title, language=language)


@cache
def encrypted_pdf() -> bytes:
    """A PDF that opens only with a password (RC4, which pypdf writes without cryptography)."""
    writer = PdfWriter(clone_from=io.BytesIO(tagged_pdf("Vertraulich")))
    writer.encrypt(user_password="geheim", owner_password="geheimer", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
