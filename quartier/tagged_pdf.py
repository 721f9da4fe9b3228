"""A small, real PDF with a text layer, tagged for screen readers, written by hand.

Used by the demo data (a tagged example beside the untagged scans of ``events.demo``) and by the
tests of ``quartier.document_inspection``. What makes it tagged, as PDF 1.7 (ISO 32000-1, 14.7
and 14.8) describes it:

- every piece of text is drawn inside marked content with an MCID (``/P <</MCID 3>> BDC … EMC``);
  running headers and page numbers are marked as artifacts, which a screen reader skips;
- a structure tree (``/StructTreeRoot``) with a ``Document`` element whose children, headings
  (``H1``/``H2``) and paragraphs (``P``), point at those MCIDs on their page, and the parent tree
  that leads back from each page's MCIDs to their elements;
- ``/MarkInfo <</Marked true>>``, the document's language (``/Lang``), its title in the info
  dictionary and in XMP metadata, and ``/DisplayDocTitle`` so that viewers show the title.

The text uses the standard Helvetica with WinAnsiEncoding (German umlauts and quotation marks
included); the font is not embedded, so the file is tagged but does not claim PDF/UA. With
``tagged=False`` the same pages come without marked content and structure: a PDF with a text
layer that is not tagged.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 72
HEADING_SIZE, TEXT_SIZE, SMALL_SIZE = 20, 11, 8
# Helvetica is about half an em wide on average; a little more keeps lines inside the margin.
_AVERAGE_WIDTH = 0.55


@dataclass(frozen=True)
class TextPage:
    heading: str
    paragraphs: Sequence[str] = ()  # an empty string is a blank line


@dataclass
class _Writer:
    objects: list[bytes] = field(default_factory=list)

    def reserve(self) -> int:
        self.objects.append(b"")
        return len(self.objects)

    def set(self, number: int, body: bytes) -> None:
        self.objects[number - 1] = body

    def add(self, body: bytes) -> int:
        number = self.reserve()
        self.set(number, body)
        return number

    def stream(self, data: bytes, extra: bytes = b"") -> int:
        return self.add(b"<< %s/Length %d >>\nstream\n%s\nendstream" % (extra, len(data), data))

    def output(self, *, root: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (
            len(self.objects) + 1,
            root,
            info,
        )
        out += b"startxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def _text_string(text: str) -> bytes:
    """A PDF text string: UTF-16 with a byte-order mark, as hex (any character, no escaping)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _shown(text: str) -> bytes:
    """Text for a content stream in WinAnsiEncoding, escaped as a PDF literal string."""
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _lines(text: str, size: int) -> list[str]:
    width = int((PAGE_WIDTH - 2 * MARGIN) / (size * _AVERAGE_WIDTH))
    return textwrap.wrap(text, width=width) or [""]


def _xmp(*, title: str, language: str, author: str) -> bytes:
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        if author
        else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(title)}</rdf:li></rdf:Alt></dc:title>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        f"{creator}</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"


def _text_block(lines: list[str], *, font: bytes, size: int, y: float) -> bytes:
    # Each wrapped line but the last ends with its space: text taken from the file (by a screen
    # reader, a search) keeps the words of a paragraph apart.
    ends = [" "] * (len(lines) - 1) + [""]
    shown = b" T*\n".join(
        _shown(line + end) + b" Tj" for line, end in zip(lines, ends, strict=True)
    )
    leading = round(size * 1.4)
    return b"BT\n/%s %d Tf\n%d TL\n%d %.1f Td\n%s\nET\n" % (font, size, leading, MARGIN, y, shown)


class _PageContent:
    """The content stream of one page and, when tagged, the structure elements of its text."""

    def __init__(self, writer: _Writer, *, tagged: bool, page: int, parent: int):
        self.writer, self.tagged, self.page, self.parent = writer, tagged, page, parent
        self.parts: list[bytes] = []
        self.elements: list[int] = []  # by MCID

    def marked(self, tag: bytes, lines: list[str], **where) -> None:
        """Text that belongs to the document: a structure element ``tag`` points at it."""
        draw = _text_block(lines, **where)
        if not self.tagged:
            self.parts.append(draw)
            return
        mcid = len(self.elements)
        self.parts.append(b"/%s <</MCID %d>> BDC\n%sEMC\n" % (tag, mcid, draw))
        self.elements.append(
            self.writer.add(
                b"<< /Type /StructElem /S /%s /P %d 0 R /Pg %d 0 R /K %d >>"
                % (tag, self.parent, self.page, mcid)
            )
        )

    def artifact(self, lines: list[str], **where) -> None:
        """Running headers and page numbers, which a screen reader skips."""
        draw = _text_block(lines, **where)
        if self.tagged:
            draw = b"/Artifact <</Type /Pagination>> BDC\n%sEMC\n" % draw
        self.parts.append(draw)


def text_pdf_bytes(
    pages: Sequence[TextPage],
    *,
    title: str,
    language: str = "de-DE",
    author: str = "",
    header: str = "",
    footer: str = "",
    tagged: bool = True,
) -> bytes:
    """A PDF of ``pages`` with real text; tagged unless ``tagged=False``.

    ``header`` is written at the top of every page and ``footer`` at the bottom with the page
    number ("Seite 1 von 2"); both are artifacts in a tagged file.
    """
    writer = _Writer()
    catalog, page_tree = writer.reserve(), writer.reserve()
    regular = writer.add(_FONT % b"Helvetica")
    bold = writer.add(_FONT % b"Helvetica-Bold")
    structure_root = writer.reserve() if tagged else 0
    document_element = writer.reserve() if tagged else 0
    page_numbers, elements, parent_tree = [], [], []

    for index, page in enumerate(pages):
        page_number = writer.reserve()
        page_numbers.append(page_number)
        content = _PageContent(writer, tagged=tagged, page=page_number, parent=document_element)
        y = PAGE_HEIGHT - MARGIN
        if header:
            content.artifact([header], font=b"F1", size=SMALL_SIZE, y=PAGE_HEIGHT - 40)
        heading_lines = _lines(page.heading, HEADING_SIZE)
        content.marked(
            b"H1" if index == 0 else b"H2", heading_lines, font=b"F2", size=HEADING_SIZE, y=y
        )
        y -= len(heading_lines) * HEADING_SIZE * 1.4 + TEXT_SIZE
        for paragraph in page.paragraphs:
            if not paragraph:
                y -= TEXT_SIZE
                continue
            lines = _lines(paragraph, TEXT_SIZE)
            content.marked(b"P", lines, font=b"F1", size=TEXT_SIZE, y=y)
            y -= len(lines) * TEXT_SIZE * 1.4 + TEXT_SIZE * 0.6
        page_label = f"Seite {index + 1} von {len(pages)}"
        footer_text = f"{footer}   {page_label}" if footer else page_label
        content.artifact([footer_text], font=b"F1", size=SMALL_SIZE, y=40)
        page_elements = content.elements

        stream = writer.stream(b"".join(content.parts))
        tagging = b" /StructParents %d /Tabs /S" % index if tagged else b""
        writer.set(
            page_number,
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R%s >>"
            % (page_tree, PAGE_WIDTH, PAGE_HEIGHT, regular, bold, stream, tagging),
        )
        elements.extend(page_elements)
        parent_tree.append(
            b"%d [%s]" % (index, b" ".join(b"%d 0 R" % element for element in page_elements))
        )

    writer.set(
        page_tree,
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % number for number in page_numbers), len(page_numbers)),
    )
    metadata = writer.stream(
        _xmp(title=title, language=language, author=author), b"/Type /Metadata /Subtype /XML "
    )
    tagging = b""
    if tagged:
        writer.set(
            document_element,
            b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>"
            % (structure_root, b" ".join(b"%d 0 R" % element for element in elements)),
        )
        parent_tree_number = writer.add(b"<< /Nums [%s] >>" % b" ".join(parent_tree))
        writer.set(
            structure_root,
            b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>"
            % (document_element, parent_tree_number, len(pages)),
        )
        tagging = b" /MarkInfo << /Marked true >> /StructTreeRoot %d 0 R" % structure_root
    writer.set(
        catalog,
        b"<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R /Lang %s "
        b"/ViewerPreferences << /DisplayDocTitle true >>%s >>"
        % (page_tree, metadata, _text_string(language), tagging),
    )
    # No date: the same pages give the same bytes.
    info = writer.add(
        b"<< /Title %s /Author %s /Producer %s >>"
        % (_text_string(title), _text_string(author), _text_string("Gemeinsam für das Quartier"))
    )
    return writer.output(root=catalog, info=info)
