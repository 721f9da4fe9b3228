"""Pages of a list that stay light however long the list grows.

A list that knows how many results it has (from its facet counts, or cached) gives the count,
and the paginator does not ask the database again; the page links are the first and the last
page and a few around the current one, not one link for each of hundreds of pages.
"""

from django.core.paginator import Page, Paginator

from .content_version import cached_for_content


class ListPage(Page):
    @property
    def page_links(self) -> list:
        """The page numbers to link, with ``paginator.ELLIPSIS`` where some are left out."""
        return list(self.paginator.get_elided_page_range(self.number, on_each_side=2, on_ends=1))


class ListPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count  # replaces the cached property that would count

    def _get_page(self, *args, **kwargs):
        return ListPage(*args, **kwargs)


class PartsOverviewMixin:
    """A page of several lists ("parts"), such as the results or the image credits: the first
    ``shown_on_overview`` rows of each, and each part in full, a page at a time, at ``?teil=…``,
    so that the page does not grow with the archive.

    A view names its parts by their value of "teil" (``PARTS``: value → name) and gives their
    querysets (``parts()``); ``parts_shown(context)`` puts the counts, the part asked for and
    its page into the context and returns the rows to show, by name.
    """

    shown_on_overview = 10
    paginate_by = 20
    PARTS: dict[str, str] = {}

    def parts(self) -> dict:
        raise NotImplementedError

    def parts_counts_key(self) -> str:
        """Under which key the counts are cached; a view whose parts depend on a filter adds
        the filter."""
        return f"{type(self).__name__}:counts"

    def parts_shown(self, context: dict) -> dict[str, list]:
        parts = self.parts()
        counts = cached_for_content(
            self.parts_counts_key(),
            lambda: {name: rows.count() for name, rows in parts.items()},
        )
        part = self.PARTS.get(self.request.GET.get("teil", ""))
        context["counts"] = counts
        context["part"] = part
        if part is None:
            return {name: list(rows[: self.shown_on_overview]) for name, rows in parts.items()}
        page = ListPaginator(parts[part], self.paginate_by, count=counts[part]).get_page(
            self.request.GET.get("page")
        )
        context["page_obj"] = page
        return {part: list(page.object_list)}
