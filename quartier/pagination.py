"""Pages of a list that stay light however long the list grows.

A list that knows how many results it has (from its facet counts, or cached) gives the count,
and the paginator does not ask the database again; the page links are the first and the last
page and a few around the current one, not one link for each of hundreds of pages.
"""

from django.core.paginator import Page, Paginator


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
