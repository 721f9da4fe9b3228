"""Markdown that staff write, rendered to HTML that is safe to show to the public."""

from functools import lru_cache
from html import unescape

import markdown as markdown_lib
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

# Structure and emphasis only. No images, iframes or styles: nothing an editor writes may make
# a visitor's browser contact another host or change the layout.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


# Texts rendered lately, kept by the text itself: a changed text is another key, so nothing
# kept is ever stale. Rendering costs a few milliseconds a text, on every detail page.
RENDERED_TEXTS_KEPT = 512


def render_markdown(text: str) -> SafeString:
    return _render_markdown(str(text or ""))


@lru_cache(maxsize=RENDERED_TEXTS_KEPT)
def _render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(
        text, extensions=["extra", "sane_lists", "nl2br"], output_format="html"
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def markdown_as_text(text: str) -> str:
    """The text a reader sees in rendered Markdown, on one line, for attributes (``<meta
    content>``, ``title``, ``alt``) and short excerpts.

    An ordinary string, not marked safe: the template escapes it like any other value.
    ``|markdown|striptags`` would keep the "safe" mark, and a quotation mark an editor typed
    would end the attribute. Entities the HTML needed (``&amp;``, ``&lt;``) become characters
    again, so that the text is escaped exactly once.
    """
    return _markdown_as_text(str(text or ""))


@lru_cache(maxsize=RENDERED_TEXTS_KEPT)
def _markdown_as_text(text: str) -> str:
    return " ".join(unescape(strip_tags(render_markdown(text))).split())
