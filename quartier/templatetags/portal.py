import datetime
from urllib.parse import urlsplit

from django import template
from django.utils import timezone

from quartier import links
from quartier.markdown import markdown_as_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render staff-written Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter
def plain_text(text: str) -> str:
    """Staff-written Markdown as plain text, for attributes and excerpts.

    ``{{ page.body|plain_text|truncatechars:160 }}``: the result is escaped where it is written,
    so a quotation mark cannot end a ``content="…"`` attribute.
    """
    return markdown_as_text(text)


@register.filter
def html_datetime(value, precision: str = "") -> str:
    """The value of ``<time datetime="…">``, in a form HTML accepts.

    A moment to the second, in the current time zone with its offset
    (``2020-12-03T10:00:00+01:00``): HTML allows at most three decimals of a second, and
    ``|date:"c"`` writes six whenever the moment has them (as every saved ``auto_now`` has).
    A date as ``2020-12-03``, a clock time as ``10:00``; with ``"month"`` or ``"year"`` only
    ``2020-12`` or ``2020``.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


@register.filter
def absolute_url(url: str) -> str:
    """A path such as ``/media/…`` as the full address on PORTAL_BASE_URL (for og:image).

    A URL that already names its scheme (files served from another host) is kept as it is.
    """
    url = str(url)
    if urlsplit(url).scheme:
        return url
    return links.absolute_url(url)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed; ``None`` removes one.

    Used for pagination links and for removing one active filter while keeping the others.
    """
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_without(context, *names: str) -> str:
    """The current query string without the named parameters, back on the first page."""
    query = context["request"].GET.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


# The KERN class of each kind of form control; "--error" is appended to a field with errors.
_KERN_WIDGET_CLASSES = {
    "select": "kern-form-input__select",
    "selectmultiple": "kern-form-input__select",
    "checkbox": "kern-form-check__checkbox",
    "checkboxselectmultiple": "kern-form-check__checkbox",
    "radioselect": "kern-form-check__radio",
}


@register.simple_tag
def kern_widget(field):
    """Render a bound field's control with the KERN classes (used by includes/forms/field.html).

    Django adds ``aria-invalid`` and ``aria-describedby`` (help text and error ids) itself.
    """
    css_class = _KERN_WIDGET_CLASSES.get(field.widget_type, "kern-form-input__input")
    if field.errors:
        css_class = f"{css_class} {css_class}--error"
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css_class}".strip()})


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*trail, current):
    """Where the page sits, from the home page: ``{% breadcrumbs _("Events") url current=title %}``.

    ``trail`` names the pages between the home page and this one, each by its label and its
    address; ``current`` is this page's own label, shown without a link.
    """
    if len(trail) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of label and address.")
    return {"trail": list(zip(trail[::2], trail[1::2], strict=True)), "current": current}
