"""``lang`` attributes for German content on pages in another language.

Content is written in German; a few fields have an English variant (``in_current_language``).
On an English page a screen reader reads everything in an English voice unless an element
says otherwise, so each element that shows German text gets ``lang="de"``::

    <div{% content_lang %}>{{ actor.description|markdown }}</div>    {# German only #}
    <a href="…"{% content_lang sector "name" %}>{{ sector.display_name }}</a>  {# bilingual #}

The tag writes nothing where the text is in the language of the page.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from quartier.models import language_shown

register = template.Library()

CONTENT_LANGUAGE = "de"


@register.simple_tag
def content_lang(obj=None, field_name: str = "") -> str:
    """`` lang="de"`` where the text shown is German and the page is not, else nothing.

    Without arguments for fields that exist in German only; with an object and the name of a
    bilingual field for what ``in_current_language(obj, field_name)`` shows.
    """
    shown = language_shown(obj, field_name) if obj is not None else CONTENT_LANGUAGE
    page = (get_language() or CONTENT_LANGUAGE).split("-")[0]
    return "" if shown == page else format_html(' lang="{}"', shown)
