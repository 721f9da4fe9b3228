"""Reading rendered pages in tests: elements by tag and attributes, with their text."""

from dataclasses import dataclass

from django.test.html import Element, parse_html


@dataclass
class Node:
    """One element of a rendered page: its tag, attributes and text."""

    tag: str
    attrs: dict
    text: str


def text_of(element: Element) -> str:
    return " ".join(
        text_of(child) if isinstance(child, Element) else str(child) for child in element.children
    ).strip()


def walk(element: Element):
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from walk(child)


def find_elements(response, tag: str | None = None, **attrs) -> list[Node]:
    """The elements of a response with that tag (any tag if None) and these attribute values."""
    root = parse_html(response.content.decode())
    nodes = [
        Node(element.name, dict(element.attributes), text_of(element))
        for element in [root, *walk(root)]
        if tag is None or element.name == tag
    ]
    return [node for node in nodes if all(node.attrs.get(k) == v for k, v in attrs.items())]


def option_labels(response, select_name: str) -> list[str]:
    """The option labels of a <select>, e.g. ["Alle Bereiche", "Stiftungen (3)"]."""
    root = parse_html(response.content.decode())
    for element in walk(root):
        if element.name == "select" and dict(element.attributes).get("name") == select_name:
            return [text_of(option) for option in walk(element) if option.name == "option"]
    raise AssertionError(f"no <select name={select_name!r}> on the page")
