from django import template

from quartier.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render staff-written Markdown as sanitised HTML."""
    return render_markdown(text)


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
