"""A page as a browser would parse it, for tests that look for what an attacker would plant.

Python's html.parser reads broken markup leniently, like a browser: a payload that escaped the
template's escaping shows up here as a real element or attribute, whatever the text around it.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements that have no end tag.
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    children_text: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                closed = self.open[index]
                closed.text = "".join(closed.children_text)
                del self.open[index:]
                return

    def handle_data(self, data):
        for element in self.open:
            element.children_text.append(data)


def parse(content: str | bytes) -> list[Element]:
    """Every element of the page, in document order, with its attributes and text."""
    if isinstance(content, bytes):
        content = content.decode()
    collector = _Collector()
    collector.feed(content)
    collector.close()
    for element in collector.open:
        element.text = "".join(element.children_text)
    return collector.elements


def by_id(elements: list[Element], element_id: str) -> Element | None:
    return next((element for element in elements if element.attrs.get("id") == element_id), None)


def form_controls(elements: list[Element], name: str) -> list[Element]:
    """The input, textarea and select elements named ``name``."""
    return [
        element
        for element in elements
        if element.tag in ("input", "textarea", "select") and element.attrs.get("name") == name
    ]
