"""Offers and needs ("Angebote und Gesuche"): which actors fit together, and why.

An actor's page shows its own published entries and the actors that "fit" ("passt zu"): those
whose offers meet its needs, and those who need what it offers. Two entries meet when one is an
offer and the other a need of the same kind ("Räume" meets "Räume"; "Sonstiges" meets nothing
by kind alone) or with the same topic. Actors are ranked by the topics they share with the
actor (of their profiles and of the entries that meet), then by being in the same city, then
by how many entries meet; each comes with its reasons ("bietet Räume, Thema Kultur").

Three queries at most, however many actors and entries there are: the actor's own entries,
the entries that meet them (at most ``CANDIDATES_READ``, the most promising first, with their
actors), and the shared profile topics of those actors.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItem

from quartier.maps import sort_text

from .models import Actor, OfferOrNeed

MATCHES_SHOWN = 6
# The entries read to rank the matches: enough for the few shown, never the whole table.
CANDIDATES_READ = 200

Direction = OfferOrNeed.Direction
Kind = OfferOrNeed.Kind


@dataclass
class Match:
    """An actor that fits, with the entries of its that meet the page's actor, and why."""

    actor: Actor
    entries: list[OfferOrNeed] = field(default_factory=list)
    shared_topics: dict[int, str] = field(default_factory=dict)
    same_city: bool = False

    @property
    def rank(self) -> tuple:
        return (-len(self.shared_topics), not self.same_city, -len(self.entries))

    @property
    def reasons(self) -> list[str]:
        """All it says: "bietet Räume, Thema Kultur", "sucht Ehrenamtliche", "gemeinsame
        Themen: …", "ebenfalls in Berlin"."""
        return [reason for reason, _url in self.entry_reasons] + self.other_reasons

    @property
    def entry_reasons(self) -> list[tuple[str, str]]:
        """What each entry that meets says, with the address where it is shown."""
        return [(entry_reason(entry), entry.get_absolute_url()) for entry in self.entries]

    @property
    def other_reasons(self) -> list[str]:
        """The shared topics the entries do not name, and the same city."""
        reasons = []
        # The topics the entries do not name already: those of the two profiles.
        named = {entry.topic_id for entry in self.entries}
        names = sorted(
            (name for pk, name in self.shared_topics.items() if pk not in named), key=sort_text
        )
        if names:
            reasons.append(gettext("shared topics: %(topics)s") % {"topics": ", ".join(names)})
        if self.same_city:
            reasons.append(gettext("also in %(city)s") % {"city": self.actor.city})
        return reasons


# What a matching actor's entry says, by direction and kind: each a phrase of its own, as
# languages inflect them differently ("bietet Räume", "offers space").
REASONS = {
    (Direction.OFFER, Kind.SPACE): _("offers space"),
    (Direction.OFFER, Kind.KNOWLEDGE): _("offers knowledge"),
    (Direction.OFFER, Kind.CONTACTS): _("offers contacts"),
    (Direction.OFFER, Kind.FUNDING): _("offers funding"),
    (Direction.OFFER, Kind.VOLUNTEERS): _("offers volunteers"),
    (Direction.OFFER, Kind.EQUIPMENT): _("offers equipment"),
    (Direction.NEED, Kind.SPACE): _("seeks space"),
    (Direction.NEED, Kind.KNOWLEDGE): _("seeks knowledge"),
    (Direction.NEED, Kind.CONTACTS): _("seeks contacts"),
    (Direction.NEED, Kind.FUNDING): _("seeks funding"),
    (Direction.NEED, Kind.VOLUNTEERS): _("seeks volunteers"),
    (Direction.NEED, Kind.EQUIPMENT): _("seeks equipment"),
}


def entry_reason(entry: OfferOrNeed) -> str:
    """What an entry of a matching actor says in a few words: "bietet Räume, Thema Kultur";
    an entry of no particular kind by its title: "sucht „Ideen für den Hof“"."""
    if entry.kind == Kind.OTHER:
        if entry.direction == Direction.OFFER:
            reason = gettext("offers “%(title)s”") % {"title": entry.title}
        else:
            reason = gettext("seeks “%(title)s”") % {"title": entry.title}
    else:
        reason = str(REASONS[entry.direction, entry.kind])
    if entry.topic_id:
        reason = gettext("%(reason)s, topic %(topic)s") % {
            "reason": reason,
            "topic": entry.topic.name,
        }
    return reason


def _meeting(entries: list[OfferOrNeed], *, direction: str) -> Q | None:
    """Entries of ``direction`` that meet any of ``entries`` (of the other direction)."""
    kinds = {entry.kind for entry in entries if entry.kind != Kind.OTHER}
    topics = {entry.topic_id for entry in entries if entry.topic_id}
    if not kinds and not topics:
        return None
    if kinds and topics:
        meets = Q(kind__in=kinds) | Q(topic_id__in=topics)
    else:
        meets = Q(kind__in=kinds) if kinds else Q(topic_id__in=topics)
    return Q(direction=direction) & meets


def matches_for(actor: Actor, own: list[OfferOrNeed], *, limit: int = MATCHES_SHOWN) -> list[Match]:
    """The actors that fit ``actor``, whose published entries are ``own``, the best first.

    ``actor.topics.all()`` is read as the caller left it (the actor page prefetches it).
    """
    offers = [entry for entry in own if entry.direction == Direction.OFFER]
    needs = [entry for entry in own if entry.direction == Direction.NEED]
    conditions = [
        condition
        for condition in (
            _meeting(needs, direction=Direction.OFFER),
            _meeting(offers, direction=Direction.NEED),
        )
        if condition is not None
    ]
    if not conditions:
        return []
    condition = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]

    own_topics = {topic.pk: topic.name for topic in actor.topics.all()}
    own_topics |= {entry.topic_id: entry.topic.name for entry in own if entry.topic_id}
    profile_topics = (
        TaggedItem.objects.filter(
            content_type__app_label=Actor._meta.app_label,
            content_type__model=Actor._meta.model_name,
            object_id=OuterRef("actor_id"),
            tag_id__in=list(own_topics),
        )
        .order_by()
        .values("object_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    same_city = (
        Case(When(actor__city=actor.city, then=Value(1)), default=Value(0))
        if actor.city
        else Value(0)
    )
    candidates = list(
        OfferOrNeed.objects.published()
        .filter(condition)
        .exclude(actor=actor)
        .select_related("actor", "actor__sector", "topic")
        .annotate(
            promise=Coalesce(Subquery(profile_topics), 0)
            + Case(
                When(topic_id__in=list(own_topics), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            + same_city
        )
        .order_by("-promise", "-created_at", "-pk")[:CANDIDATES_READ]
    )

    matches: dict[int, Match] = {}
    for candidate in candidates:
        match = matches.get(candidate.actor_id)
        if match is None:
            match = matches[candidate.actor_id] = Match(
                actor=candidate.actor,
                same_city=bool(actor.city) and candidate.actor.city == actor.city,
            )
        match.entries.append(candidate)
        if candidate.topic_id in own_topics:
            match.shared_topics[candidate.topic_id] = own_topics[candidate.topic_id]
    if not matches:
        return []
    if own_topics:
        shared_rows = TaggedItem.objects.filter(
            content_type__app_label=Actor._meta.app_label,
            content_type__model=Actor._meta.model_name,
            object_id__in=list(matches),
            tag_id__in=list(own_topics),
        ).values_list("object_id", "tag_id")
        for actor_id, tag_id in shared_rows:
            matches[actor_id].shared_topics[tag_id] = own_topics[tag_id]
    for match in matches.values():
        # Offers first, then needs; each as the list showed them.
        match.entries.sort(key=lambda entry: (entry.direction != Direction.OFFER, entry.pk))
    ranked = sorted(matches.values(), key=lambda match: (match.rank, sort_text(match.actor.name)))
    return ranked[:limit]


def actor_page_offers(actor: Actor) -> dict:
    """What the actor page shows of offers and needs: the actor's own published ones, and the
    actors that fit (``matches_for``). For the actor page's context."""
    own = list(OfferOrNeed.objects.for_actor_page(actor))
    return {
        "own_offers": [entry for entry in own if entry.direction == Direction.OFFER],
        "own_needs": [entry for entry in own if entry.direction == Direction.NEED],
        "matches": matches_for(actor, own),
    }


# Words that tell the kind of an application's free-text answer ("Räume für Treffen").
KIND_WORDS = {
    Kind.SPACE: ("raum", "räume", "fläche", "ort ", "orte", "saal", "büro"),
    Kind.KNOWLEDGE: ("wissen", "erfahrung", "beratung", "know-how", "expertise", "kompetenz"),
    Kind.CONTACTS: ("kontakt", "netzwerk", "partner"),
    Kind.FUNDING: ("förder", "geld", "finanz", "budget", "spende", "zuschuss"),
    Kind.VOLUNTEERS: ("ehrenamt", "freiwillig", "helfer"),
    Kind.EQUIPMENT: ("ausstattung", "technik", "gerät", "material", "werkzeug", "möbel"),
}


def kind_of_text(text: str) -> str:
    """The kind a free text is about, when its words name exactly one; otherwise "other"."""
    words = f" {text.casefold()} "
    kinds = [kind for kind, stems in KIND_WORDS.items() if any(stem in words for stem in stems)]
    return kinds[0] if len(kinds) == 1 else Kind.OTHER
