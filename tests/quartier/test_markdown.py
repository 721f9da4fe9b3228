import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation
from django.utils.translation import gettext_lazy

from quartier.markdown import markdown_as_text, render_markdown


def same_html(rendered: str, expected: str) -> bool:
    return parse_html(rendered) == parse_html(expected)


def test_emphasis_is_kept():
    assert same_html(
        render_markdown("Wir sind **viele** und *bunt*."),
        "<p>Wir sind <strong>viele</strong> und <em>bunt</em>.</p>",
    )


def test_lists_are_kept():
    assert same_html(
        render_markdown("- Wohnen\n- Kultur\n\n1. Erstens\n2. Zweitens"),
        "<ul><li>Wohnen</li><li>Kultur</li></ul><ol><li>Erstens</li><li>Zweitens</li></ol>",
    )


def test_headings_are_kept():
    assert same_html(render_markdown("## Förderung"), "<h2>Förderung</h2>")


def test_links_are_kept_and_open_safely():
    assert same_html(
        render_markdown("[Stiftung Trias](https://www.stiftung-trias.de/)"),
        '<p><a href="https://www.stiftung-trias.de/" rel="noopener noreferrer nofollow">'
        "Stiftung Trias</a></p>",
    )


@pytest.mark.parametrize(
    ("link", "href"),
    [
        ("[Anruf](tel:+4930206132-50)", 'href="tel:+4930206132-50"'),
        ("[Schreiben](mailto:info@example.org)", 'href="mailto:info@example.org"'),
    ],
)
def test_phone_and_mail_links_are_kept(link, href):
    assert href in render_markdown(link)


def test_newlines_become_line_breaks():
    assert same_html(
        render_markdown("Littenstraße 10\n10179 Berlin"),
        "<p>Littenstraße 10<br>10179 Berlin</p>",
    )


def test_paragraphs_stay_paragraphs():
    assert same_html(render_markdown("Eins\n\nZwei"), "<p>Eins</p><p>Zwei</p>")


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("Hallo <script>alert('x')</script>", "<script"),
        ("Hallo <script>alert('x')</script>", "alert("),
        ('<img src="http://tracker.example/pixel.gif" alt="">', "<img"),
        ('<img src="http://tracker.example/pixel.gif" alt="">', "tracker.example"),
        ("![Bild](https://tracker.example/pixel.gif)", "tracker.example"),
        ('<iframe src="https://maps.example/embed"></iframe>', "<iframe"),
        ('<iframe src="https://maps.example/embed"></iframe>', "maps.example"),
        ("[Klick](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">Klick</a>', "javascript:"),
        ('<a href="https://example.org" onclick="steal()">Klick</a>', "onclick"),
        ('<p onmouseover="steal()">Text</p>', "onmouseover"),
        ('<p style="background:url(https://tracker.example/x)">Text</p>', "style"),
        ("<style>body{background:url(https://tracker.example/x)}</style>", "tracker.example"),
        ('<object data="https://tracker.example/x.swf"></object>', "<object"),
        ('<form action="https://phish.example/"><input name="pw"></form>', "<form"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
    ],
)
def test_dangerous_markup_is_removed(markdown, forbidden):
    assert forbidden not in render_markdown(markdown)


def test_text_of_removed_tags_is_not_lost_where_harmless():
    rendered = render_markdown('<span class="x">Bürger</span> und <u>Quartier</u>')
    assert "Bürger" in rendered
    assert "Quartier" in rendered
    assert "class=" not in rendered


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_template_filter_renders_safe_html():
    rendered = Template("{% load portal %}{{ text|markdown }}").render(
        Context({"text": "**fett** <script>x()</script>"})
    )
    assert "<strong>fett</strong>" in rendered
    assert "<script" not in rendered
    assert "&lt;strong&gt;" not in rendered


def test_plain_text_filter_is_escaped_where_it_is_written():
    rendered = Template('{% load portal %}<meta content="{{ text|plain_text }}">').render(
        Context({"text": '**Wir** sagen "Hallo" & 3 < 4\n\n- eins\n- zwei <script>x()</script>'})
    )
    assert rendered == '<meta content="Wir sagen &quot;Hallo&quot; &amp; 3 &lt; 4 eins zwei">'


def test_a_text_rendered_before_is_rendered_in_the_language_of_the_moment():
    # Rendered texts are kept by their text: a translatable one is read in each language.
    text = gettext_lazy("Home")
    with translation.override("de"):
        assert same_html(render_markdown(text), "<p>Startseite</p>")
    with translation.override("en"):
        assert same_html(render_markdown(text), "<p>Home</p>")
    with translation.override("de"):
        assert markdown_as_text(text) == "Startseite"
