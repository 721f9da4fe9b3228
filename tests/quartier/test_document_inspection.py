"""What is read from a document for its readers (quartier/document_inspection.py), from files
made here: a tagged and an untagged PDF with text, a scan, PDFs without title or language, a
DOCX, a PPTX and an ODT with their metadata, and files that cannot be read."""

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, NameObject

from quartier.document_inspection import (
    INSPECTED,
    TEXT_PAGES,
    UNKNOWN,
    Inspection,
    inspect_document,
)
from quartier.tagged_pdf import text_pdf_bytes
from tests.documents import (
    APP,
    CORE,
    ODT_META,
    PAGES,
    blank_pdf,
    docx_bytes,
    encrypted_pdf,
    odt_bytes,
    scanned_pdf,
    zip_bytes,
)


def inspect(content: bytes, kind: str = "pdf") -> Inspection:
    return inspect_document(io.BytesIO(content), kind=kind)


# --- PDF ------------------------------------------------------------------------------------


def test_a_tagged_pdf():
    content = text_pdf_bytes(PAGES, title="Bilanz 2020", language="de-DE", footer="Bericht")
    assert inspect(content) == Inspection(
        state=INSPECTED,
        page_count=2,
        title="Bilanz 2020",
        language="de-DE",
        is_tagged=True,
        has_text=True,
    )


def test_an_untagged_pdf_with_text():
    content = text_pdf_bytes(PAGES, title="Bilanz 2020", language="en", tagged=False)
    inspection = inspect(content)
    assert (inspection.is_tagged, inspection.has_text) == (False, True)
    assert (inspection.page_count, inspection.title, inspection.language) == (
        2,
        "Bilanz 2020",
        "en",
    )


def test_a_structure_tree_without_marked_true_is_not_tagged():
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf_bytes(PAGES, title="Bilanz")))
    writer.root_object[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(False)}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "/StructTreeRoot" in writer.root_object
    assert inspect(buffer.getvalue()).is_tagged is False


def test_a_scan_has_no_text_layer():
    inspection = inspect(scanned_pdf(3))
    assert inspection == Inspection(
        state=INSPECTED,
        page_count=3,
        title="Eingescannter Bericht",
        language="",
        is_tagged=False,
        has_text=False,
    )


def test_a_pdf_without_title_or_language():
    inspection = inspect(blank_pdf(2))
    assert inspection.state == INSPECTED
    assert (inspection.page_count, inspection.title, inspection.language) == (2, "", "")
    assert inspection.has_text is False


def test_the_title_comes_from_xmp_when_the_info_dictionary_has_none():
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf_bytes(PAGES, title="Aus dem XMP")))
    writer.metadata = None  # the info dictionary goes; the XMP metadata stream stays
    buffer = io.BytesIO()
    writer.write(buffer)
    inspection = inspect(buffer.getvalue())
    assert inspection.title == "Aus dem XMP"


def test_text_is_looked_for_on_the_first_pages_only():
    """A long scan costs the same as a short one: text after the first pages is not looked for."""
    writer = PdfWriter(clone_from=io.BytesIO(scanned_pdf(TEXT_PAGES)))
    writer.append(io.BytesIO(text_pdf_bytes(PAGES[:1], title="Anhang")))
    buffer = io.BytesIO()
    writer.write(buffer)
    inspection = inspect(buffer.getvalue())
    assert (inspection.page_count, inspection.has_text) == (TEXT_PAGES + 1, False)

    writer = PdfWriter(clone_from=io.BytesIO(scanned_pdf(TEXT_PAGES - 1)))
    writer.append(io.BytesIO(text_pdf_bytes(PAGES[:1], title="Anhang")))
    buffer = io.BytesIO()
    writer.write(buffer)
    assert inspect(buffer.getvalue()).has_text is True


def test_an_encrypted_pdf_is_unknown():
    assert inspect(encrypted_pdf()) == Inspection.unknown()


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\nnothing else",
        text_pdf_bytes(PAGES, title="Abgeschnitten")[:300],
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>",
    ],
    ids=["garbage", "truncated", "loop"],
)
def test_a_damaged_pdf_is_unknown(content):
    assert inspect(content) == Inspection.unknown()


def test_the_file_is_left_at_its_start():
    file = io.BytesIO(scanned_pdf(1))
    inspect_document(file, kind="pdf")
    assert file.tell() == 0


# --- office formats -------------------------------------------------------------------------


def test_a_docx_gives_title_language_and_pages():
    assert inspect(docx_bytes(), "docx") == Inspection(
        state=INSPECTED, page_count=3, title="Protokoll der Werkstatt", language="de-DE"
    )


def test_a_pptx_gives_its_slides():
    content = zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "ppt/presentation.xml": "<p:presentation/>",
            "docProps/core.xml": CORE.format(title="Folien", language="en-GB"),
            "docProps/app.xml": APP.format(counts="<Slides>12</Slides>"),
        }
    )
    inspection = inspect(content, "pptx")
    assert (inspection.page_count, inspection.title, inspection.language) == (12, "Folien", "en-GB")


def test_an_office_file_without_metadata_is_inspected_with_nothing_declared():
    content = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    assert inspect(content, "docx") == Inspection(state=INSPECTED)


def test_an_odt_gives_title_language_and_pages():
    assert inspect(odt_bytes(meta=ODT_META), "odt") == Inspection(
        state=INSPECTED, page_count=7, title="Ergebnisse der Praxiswerkstatt", language="de-DE"
    )


def test_entities_are_never_expanded():
    """A metadata part with a document type declaration is not read: no entity, no bomb."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "hahahahaha">'
        + "".join(
            f'<!ENTITY {n} "{("&" + p + ";") * 10}">'
            for p, n in zip("abcdefg", "bcdefgh", strict=True)
        )
        + "]>"
    )
    meta = ODT_META.replace('<?xml version="1.0" encoding="UTF-8"?>', laughs).replace(
        "Ergebnisse der Praxiswerkstatt", "&h;"
    )
    inspection = inspect(odt_bytes(meta=meta), "odt")
    assert inspection == Inspection(state=INSPECTED)


def test_an_external_entity_is_not_fetched(tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("Geheimnis")
    core = (
        f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
        + CORE.format(title="&x;", language="de").split("?>", 1)[1]
    )
    content = zip_bytes(
        {"[Content_Types].xml": "<Types/>", "word/a.xml": "<w/>", "docProps/core.xml": core}
    )
    assert inspect(content, "docx").title == ""


def test_a_title_is_cut_to_the_field_with_its_spaces_made_plain():
    inspection = inspect(docx_bytes(title="Bericht\t\n  " + "x" * 400), "docx")
    assert inspection.title.startswith("Bericht x")
    assert len(inspection.title) == 300


def test_a_damaged_office_file_is_unknown():
    assert inspect(b"PK\x03\x04 not really a zip", "docx") == Inspection.unknown()


def test_as_fields_names_the_model_fields():
    fields = inspect(docx_bytes(), "docx").as_fields()
    assert fields == {
        "inspection": INSPECTED,
        "page_count": 3,
        "file_title": "Protokoll der Werkstatt",
        "file_language": "de-DE",
        "is_tagged": None,
        "has_text": None,
    }
    assert Inspection.unknown().as_fields()["inspection"] == UNKNOWN
