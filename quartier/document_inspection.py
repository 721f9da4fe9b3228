"""What a reader needs to know about a document before opening it, read from the file at upload.

``inspect_document(file, kind=...)`` returns an ``Inspection``: the number of pages, the title
and the language the file declares, and for PDFs whether it is tagged and whether it has a text
layer. Document lists show it („PDF, 12 Seiten, 1,2 MB, Deutsch, barrierearm: getaggt“) and the
editors' checklist warns about what a screen reader will miss.

- **PDF** (pypdf): tagged means what a screen reader relies on: a structure tree
  (``/StructTreeRoot``) and ``/MarkInfo /Marked true`` in the catalogue. The text layer is looked
  for on the first ``TEXT_PAGES`` pages only, so that a long file costs no more than a short one;
  a scan without recognised text has none. Title from the info dictionary, else the XMP
  metadata; language from the catalogue's ``/Lang``.
- **DOCX, PPTX, XLSX** (Office Open XML): ``docProps/core.xml`` (``dc:title``,
  ``dc:language``) and the page or slide count of ``docProps/app.xml``, as last saved.
- **ODT, ODP** (OpenDocument): ``meta.xml`` (``dc:title``, ``dc:language``, the page count of
  ``meta:document-statistic``).

Only files that passed ``quartier.media.validate_document_file`` come here: the size limit and
the zip checks of ``quartier.uploads`` have been applied. The XML parts are read with expat,
at most ``XML_MAX_BYTES`` of each, and a part with a document type declaration is not read at
all: no entity is ever expanded and nothing is fetched. A file that cannot be read (damaged,
encrypted, or beyond pypdf's own limits) gives ``Inspection.unknown()``: the upload is kept and
its accessibility shown as unknown, rather than refused for what the portal cannot check.
"""

import logging
import warnings
import zipfile
from dataclasses import asdict, dataclass
from xml.parsers import expat

from pypdf import PdfReader
from pypdf.generic import BooleanObject, IndirectObject

logger = logging.getLogger(__name__)

# Pages searched for a text layer; a document whose first pages are scans is taken as a scan.
TEXT_PAGES = 10
# The largest metadata part (XMP stream, core.xml, app.xml, meta.xml) that is parsed.
XML_MAX_BYTES = 512 * 1024
# What is kept of the declared title and language (the model's field lengths).
TITLE_MAX_LENGTH = 300
LANGUAGE_MAX_LENGTH = 35

INSPECTED = "inspected"
UNKNOWN = "unknown"

_DC = "http://purl.org/dc/elements/1.1/"
_APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_OFFICE_TYPES = {"docx", "pptx", "xlsx"}
_ODF_TYPES = {"odt", "odp"}


@dataclass(frozen=True)
class Inspection:
    """What was read from a document; ``state`` is INSPECTED or UNKNOWN (could not be read)."""

    state: str
    page_count: int | None = None
    title: str = ""
    language: str = ""
    # Only for PDFs; None for other formats and when unknown.
    is_tagged: bool | None = None
    has_text: bool | None = None

    @classmethod
    def unknown(cls) -> "Inspection":
        return cls(state=UNKNOWN)

    def as_fields(self) -> dict:
        """The values of ``quartier.media.PublicDocument``'s fields that record the inspection."""
        values = asdict(self)
        return {
            "inspection": values.pop("state"),
            "file_title": values.pop("title"),
            "file_language": values.pop("language"),
            **values,
        }


def inspect_document(file, *, kind: str) -> Inspection:
    """Read what a reader needs to know from ``file`` (a file object of type ``kind``, a key of
    ``quartier.media.DOCUMENT_TYPES``). Never raises for a damaged file: it is ``unknown``."""
    file.seek(0)
    try:
        # pypdf warns (and the tests make warnings errors) about what it repairs; what it could
        # not repair raises, and only that makes a file unknown.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "pdf":
                return _inspect_pdf(file)
            if kind in _OFFICE_TYPES:
                return _inspect_ooxml(file)
            if kind in _ODF_TYPES:
                return _inspect_odf(file)
    except Exception:  # a parser meets every kind of damage; none may break an upload
        logger.info("document could not be inspected", exc_info=True)
        return Inspection.unknown()
    finally:
        file.seek(0)
    return Inspection.unknown()


def _clean(text, limit: int) -> str:
    if not isinstance(text, str):
        return ""
    # Control characters (a NUL from a careless producer) are not part of a title.
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:limit]


# --- PDF ----------------------------------------------------------------------------------------


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _inspect_pdf(file) -> Inspection:
    reader = PdfReader(file, strict=False)
    if reader.is_encrypted:
        # Even one that opens without a password hides its structure from this check.
        return Inspection.unknown()
    root = reader.root_object
    page_count = len(reader.pages)
    mark_info = _resolved(root.get("/MarkInfo")) or {}
    marked = _resolved(mark_info.get("/Marked"))
    # A BooleanObject is truthy even when false: its value counts.
    is_tagged = "/StructTreeRoot" in root and isinstance(marked, BooleanObject) and marked.value
    has_text = any(
        reader.pages[number].extract_text().strip() for number in range(min(page_count, TEXT_PAGES))
    )
    info = reader.metadata
    title = _clean(info.title if info else None, TITLE_MAX_LENGTH) or _xmp_title(root)
    return Inspection(
        state=INSPECTED,
        page_count=page_count,
        title=title,
        language=_clean(_resolved(root.get("/Lang")), LANGUAGE_MAX_LENGTH),
        is_tagged=bool(is_tagged),
        has_text=has_text,
    )


def _xmp_title(root) -> str:
    metadata = _resolved(root.get("/Metadata"))
    if metadata is None or not hasattr(metadata, "get_data"):
        return ""
    # pypdf bounds what a stream may decompress to; a larger part than metadata needs is left.
    data = metadata.get_data()
    if len(data) > XML_MAX_BYTES:
        return ""
    found = _read_xml(data, elements={(_DC, "title"): "title"})
    return _clean(found.get("title"), TITLE_MAX_LENGTH)


# --- office formats -------------------------------------------------------------------------


def _part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > XML_MAX_BYTES:
        return None
    with archive.open(info) as entry:
        return entry.read(XML_MAX_BYTES + 1)[:XML_MAX_BYTES]


def _page_count(value) -> int | None:
    try:
        count = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return count if 0 < count < 100_000 else None


def _inspect_ooxml(file) -> Inspection:
    with zipfile.ZipFile(file) as archive:
        core = _part(archive, "docProps/core.xml")
        app = _part(archive, "docProps/app.xml")
    found = {}
    if core:
        found |= _read_xml(core, elements={(_DC, "title"): "title", (_DC, "language"): "language"})
    if app:
        found |= _read_xml(app, elements={(_APP, "Pages"): "pages", (_APP, "Slides"): "pages"})
    return Inspection(
        state=INSPECTED,
        page_count=_page_count(found.get("pages")),
        title=_clean(found.get("title"), TITLE_MAX_LENGTH),
        language=_clean(found.get("language"), LANGUAGE_MAX_LENGTH),
    )


def _inspect_odf(file) -> Inspection:
    with zipfile.ZipFile(file) as archive:
        meta = _part(archive, "meta.xml")
    found = {}
    if meta:
        found = _read_xml(
            meta,
            elements={(_DC, "title"): "title", (_DC, "language"): "language"},
            attributes={((_ODF_META, "document-statistic"), (_ODF_META, "page-count")): "pages"},
        )
    return Inspection(
        state=INSPECTED,
        page_count=_page_count(found.get("pages")),
        title=_clean(found.get("title"), TITLE_MAX_LENGTH),
        language=_clean(found.get("language"), LANGUAGE_MAX_LENGTH),
    )


# --- XML, read with care --------------------------------------------------------------------


class _DeclarationRefused(ValueError):
    """The part declares a document type (and could declare entities): it is not read."""


def _refuse(*args):
    raise _DeclarationRefused


def _read_xml(data: bytes, *, elements: dict, attributes: dict | None = None) -> dict[str, str]:
    """The first text inside each element of ``elements`` ((namespace, name) → key) and the
    first value of each attribute of ``attributes`` (((namespace, element), (namespace,
    attribute)) → key).

    Text inside an element is the text of its first child that has some (XMP's titles sit in
    ``rdf:Alt/rdf:li``). A document type declaration stops the reading: metadata parts have
    none, and without one there is no entity to expand.
    """
    attributes = attributes or {}
    wanted = {f"{namespace} {name}": key for (namespace, name), key in elements.items()}
    wanted_attributes = {
        f"{element[0]} {element[1]}": (f"{attribute[0]} {attribute[1]}", key)
        for (element, attribute), key in attributes.items()
    }
    found: dict[str, str] = {}
    stack: list[str] = []
    text: list[str] = []

    def start(name, attrs):
        stack.append(name)
        text.clear()
        if name in wanted_attributes:
            attribute, key = wanted_attributes[name]
            if attribute in attrs:
                found.setdefault(key, attrs[attribute])

    def end(name):
        value = "".join(text).strip()
        text.clear()
        if value:
            for open_name in stack:
                if open_name in wanted:
                    found.setdefault(wanted[open_name], value)
        stack.pop()

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, _DeclarationRefused):
        logger.info("metadata part not read", exc_info=True)
    return found
