"""Filters with facet counts: every choice says how many results it would give.

The directories of actors, events and projects share this: a GET form that works without
JavaScript, an invalid value that is reported while the other filters stay in force, and counts
computed with one grouped query per facet, keeping the visitor's other choices; a list with many
facets reads those counted by a field in one query, a UNION of their grouped queries
(``COUNTED_TOGETHER``).

What depends on the public content alone is computed once per content version
(``cached_for_content``): the values each filter offers, and, for the unfiltered list and for
each combination of filter values visitors ask for, the counts and the number of results (not
for a text search: its words are any visitor's). The grouped queries grow with the data; what
they give is the same for every visitor until something changes.
"""

import hashlib
from html import escape
from urllib.parse import urlencode

import django_filters
from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast
from django.http import QueryDict
from django.utils.safestring import mark_safe

from quartier.content_version import cached_for_content
from quartier.maps import sort_text


def options_html(choices, counts: dict[str, int], chosen) -> str:
    """``<option>`` elements for ``(value, label)`` choices with their counts, "Stiftungen
    (3)", the ``chosen`` value selected, all escaped.

    Joined here rather than in a template loop or with format_html(), either of which costs
    tens of microseconds an option: thousands of them would cost more than the whole page.
    """
    return mark_safe(  # noqa: S308 - every value and label is escaped
        "\n".join(
            f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
            f"{escape(str(label))} ({int(counts.get(str(value), 0))})</option>"
            for value, label in choices
        )
    )


def choices_in_one_query(**sources) -> dict[str, list[tuple[str, str]]]:
    """The values several filters offer, read with one query.

    ``choices_in_one_query(city=(actors, "city", "city"), topic=(tags, "slug", "name"))``: for
    each filter a queryset and the fields of its values and labels, both text. They are read as
    one UNION and sorted by label as a German reader expects ("Ökologie" after "Obst"), on every
    database alike.
    """
    parts = [
        queryset.order_by().values_list(Value(name), value, label)
        for name, (queryset, value, label) in sources.items()
    ]
    choices = {name: [] for name in sources}
    for name, value, label in parts[0].union(*parts[1:]):
        if value not in (None, ""):
            choices[name].append((value, label))
    for offered in choices.values():
        offered.sort(key=lambda choice: (sort_text(choice[1]), choice[0]))
    return choices


class FacetedFilterSet(django_filters.FilterSet):
    # The filters whose values are listed with counts, and what each counts by: a field path
    # (e.g. "topics__slug") or an expression; see facet_counts_for() for anything else.
    FACETS: dict = {}
    # Names what is cached for this list (choices, counts); unique among the filter sets.
    cache_key: str = ""
    # A facet of which every result has exactly one value (a required choice): its counts add
    # up to the number of results.
    TOTAL_FACET: str = ""
    # The filters whose values come from the data (facet_choices()), not from the code.
    OFFERED: tuple = ()
    # Facets counted by a field or an expression (not by facet_counts_for()) whose counts are
    # read together, as one UNION of their grouped queries: a list with many facets makes one
    # query for them, whatever is chosen.
    COUNTED_TOGETHER: tuple = ()

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self._offered = None
        for name in self.OFFERED:
            # Read only when needed: to check a value sent, or to list the options of a
            # filtered page (the unfiltered page's options are cached as they are shown).
            # A plain function: forms deep-copy their fields, and with them a bound method's
            # object, this whole filter set.
            self.filters[name].extra["choices"] = self._choices_loader(name)

    def _choices_loader(self, name: str):
        def load():
            return self.offered_choices(name)

        return load

    def facet_choices(self) -> dict[str, list[tuple[str, str]]]:
        """The values each filter of ``OFFERED`` offers: ``{name: [(value, label), ...]}``.

        Only what the public may see, and plain values: the result is cached.
        """
        return {}

    def offered_choices(self, name: str) -> list[tuple[str, str]]:
        if self._offered is None:
            self._offered = cached_for_content(f"{self.cache_key}:choices", self.facet_choices)
        return self._offered[name]

    def choices_of(self, name: str) -> list[tuple[str, str]]:
        if name in self.OFFERED:
            return self.offered_choices(name)
        return list(self.filters[name].extra["choices"])

    def facet_queryset(self):
        """Everything the public may see, before any filter: what the counts start from."""
        raise NotImplementedError

    def cache_key_for(self, choices: dict) -> str | None:
        """The key under which what ``choices`` (valid facet values) show is cached; None for
        what is not kept, a text search (its words are any visitor's, and endless).

        The facets' values are few, and so are their combinations that visitors ask for: each
        is counted once per content version, the unfiltered list's most of all.
        """
        if any(name not in self.FACETS for name in choices):
            return None
        if not choices:
            return self.cache_key
        combination = urlencode(sorted((name, str(value)) for name, value in choices.items()))
        # Hashed: a cache key may hold neither spaces (a city's name) nor any length.
        return f"{self.cache_key}:{hashlib.sha256(combination.encode()).hexdigest()[:32]}"

    def valid_choices(self) -> dict:
        """The filter values that passed validation; an invalid one leaves the others in force."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def query_string(self) -> str:
        """The filters as sent, for an address that shows the same results another way (the
        places of the list): without the page and whatever else is not a filter."""
        if not self.is_bound:
            return ""
        query = QueryDict(mutable=True)
        for name in self.filters:
            if hasattr(self.data, "getlist"):
                values = [value for value in self.data.getlist(name) if value]
            else:
                values = [str(self.data[name])] if self.data.get(name) else []
            if values:
                query.setlist(name, values)
        return query.urlencode()

    def facet_counts_for(self, facet: str, queryset) -> dict[str, int]:
        """How many results each value of ``facet`` has in ``queryset``: one grouped query."""
        counted = self.FACETS[facet]
        queryset = queryset.order_by()
        if not isinstance(counted, str):
            queryset = queryset.annotate(facet_value=counted)
            counted = "facet_value"
        rows = (
            queryset.values(counted)
            .annotate(total=Count("pk", distinct=True))
            .values_list(counted, "total")
        )
        return {str(key): total for key, total in rows if key not in (None, "")}

    def _facet_rows(self, facet: str, queryset):
        """``(facet, value as text, count)`` for each value of ``facet`` in ``queryset``: a
        grouped query, one part of the UNION of _counts_together()."""
        counted = self.FACETS[facet]
        return (
            queryset.order_by()
            .annotate(
                facet_name=Value(facet, output_field=CharField()),
                facet_value=Cast(counted, output_field=CharField()),
            )
            .values("facet_name", "facet_value")
            .annotate(total=Count("pk", distinct=True))
            .values_list("facet_name", "facet_value", "total")
        )

    def _queryset_without(self, facet: str, chosen: dict):
        """What the counts of ``facet`` start from: the other chosen filters applied."""
        queryset = self.facet_queryset()
        for name, value in chosen.items():
            if name != facet:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def _counts_together(self, chosen: dict) -> dict[str, dict[str, int]]:
        """The counts of the facets of ``COUNTED_TOGETHER``, each with the other chosen
        filters applied, read with one query."""
        parts = [
            self._facet_rows(facet, self._queryset_without(facet, chosen))
            for facet in self.COUNTED_TOGETHER
        ]
        counts = {facet: {} for facet in self.COUNTED_TOGETHER}
        for facet, key, total in parts[0].union(*parts[1:], all=True):
            if key not in (None, ""):
                counts[facet][key] = total
        return counts

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each facet, the counts of its values with the other chosen filters applied."""
        if hasattr(self, "_facet_counts"):
            return self._facet_counts
        chosen = self.valid_choices()
        counts = {}
        if self.COUNTED_TOGETHER:
            key = self.cache_key_for(chosen)
            together = (
                self._counts_together(chosen)
                if key is None
                else cached_for_content(
                    f"{key}:facets-together", lambda: self._counts_together(chosen)
                )
            )
            counts.update(together)
        for facet in self.FACETS:
            if facet in self.COUNTED_TOGETHER:
                continue
            others = {name: value for name, value in chosen.items() if name != facet}

            def count(facet=facet, others=others):
                return self.facet_counts_for(facet, self._queryset_without(facet, others))

            key = self.cache_key_for(others)
            counts[facet] = (
                count() if key is None else cached_for_content(f"{key}:facet:{facet}", count)
            )
        self._facet_counts = {facet: counts[facet] for facet in self.FACETS}
        return self._facet_counts

    def result_count(self) -> int:
        """How many results the chosen filters leave, as the list's pages count them.

        A chosen facet value's count is that number already (its facet is counted with all
        the other filters), and so is the sum of ``TOTAL_FACET``'s counts: no query of its own.
        """
        chosen = self.valid_choices()
        for facet in self.FACETS:
            if facet in chosen:
                return self.facet_counts()[facet].get(str(chosen[facet]), 0)
        if self.TOTAL_FACET:
            return sum(self.facet_counts()[self.TOTAL_FACET].values())
        return self.cached("count", self.qs.count)

    def cached(self, what: str, compute):
        """``compute()`` for the chosen filters, kept per content version where that may be
        (see cache_key_for()): for what depends on nothing but the filters and the content."""
        key = self.cache_key_for(self.valid_choices())
        if key is None:
            return compute()
        return cached_for_content(f"{key}:{what}", compute)

    def facets(self) -> list[dict]:
        """The facet fields: ``options``, their choices as ``<option>`` elements with their
        counts (empty when there are none), and ``chosen``, the chosen value with its label or
        None.

        A facet may offer thousands of values (the actors of the projects): the template gets
        them as one piece of HTML, as a loop over them would cost more than the rest of the page.
        """
        counts = self.facet_counts()
        chosen = self.valid_choices()
        facets = []
        for facet in self.FACETS:
            value = chosen.get(facet)
            options = self.cached(
                f"options:{facet}",
                lambda facet=facet, value=value: options_html(
                    self.choices_of(facet), counts[facet], value
                ),
            )
            facets.append(
                {
                    "name": facet,
                    "field": self.form[facet],
                    "label": self.filters[facet].label,
                    "empty_label": self.filters[facet].extra["empty_label"],
                    "options": options,
                    "chosen": (
                        {"value": value, "label": dict(self.choices_of(facet))[value]}
                        if value
                        else None
                    ),
                }
            )
        return facets
