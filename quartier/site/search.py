"""Which kinds the site search finds, and in which group of the results page.

The apps declare what of them can be found (``<app>/search.py``); the engine
(``quartier/search.py``) searches and ranks; this module only puts them together.
"""

from django.utils.translation import gettext_lazy as _

from actors.search import ActorSearch, OfferOrNeedSearch
from events.search import EventDocumentSearch, EventSearch
from projects.search import ProjectDocumentSearch, ProjectSearch, PublicationSearch
from quartier.search import RESULTS_PER_KIND, SearchGroup, SearchOutcome, search

GROUPS = [
    SearchGroup("actors", _("Actors"), [ActorSearch()]),
    SearchGroup("offers", _("Offers and needs"), [OfferOrNeedSearch()]),
    SearchGroup("events", _("Events"), [EventSearch()]),
    SearchGroup("projects", _("Projects"), [ProjectSearch()]),
    SearchGroup(
        "documents",
        _("Documents"),
        [EventDocumentSearch(), ProjectDocumentSearch(), PublicationSearch()],
    ),
]


def site_search(raw_query: str, *, limit: int = RESULTS_PER_KIND) -> SearchOutcome:
    """Actors, offers and needs, events, projects and documents that match, grouped as the
    results page shows."""
    return search(raw_query, GROUPS, limit=limit)
