"""Who works with whom: links between actors, from what the portal already shows the public.

Two published actors are linked when they

- organise, take part in (as the participating actors editors list on the event) or speak at
  the same public event (``Event.organisers``, ``Event.participants``, ``Speaker.actor``),
- lead or are partners of the same published project (``Project.lead_actor``, ``ProjectPartner``),
- belong to the same group, or one is the group of the other (``Actor.parent``).

Registrations for events are never read: they hold people's names, e-mail addresses and a free
text organisation, which are nobody's business on a public page.

A link says how (the events, projects and group it comes from: its "occasions"), how often (their
number) and when (the year of each event, the years from a project's start to its end; a group
has no year). Everything is read in two queries, whatever the number of actors (a UNION of one
SELECT per relation, and the published actors), and kept in the cache under the content version
(``quartier.content_version.cached_for_content``): a change anywhere makes it new.

The public surface: ``network_links()``, ``collaborators_of()``, ``network_years()``,
``network_graph()`` (the page's SVG drawing and table, ``actors/network_views.py``).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import CharField, F, IntegerField, Q, Value
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from quartier.content_version import cached_for_content

from .models import Actor, Sector

EVENT = "event"
PROJECT = "project"
GROUP = "group"
KINDS = (EVENT, PROJECT, GROUP)

# The strongest links the network page draws and lists; the rest are counted and reached
# through the filters and the actors' pages. Bounds the page at any size of the network.
SHOWN_LINKS = 300
# Collaborators an actor's page lists, the most frequent first.
SHOWN_COLLABORATORS = 50
# Up to this many actors in the drawing, each is labelled with its name beside the circle.
LABELLED_NODES = 60


@dataclass(frozen=True)
class NetworkActor:
    pk: int
    name: str
    slug: str
    sector_id: int | None
    url: str


@dataclass(frozen=True)
class Occasion:
    """An event, a project or a group that actors share."""

    kind: str
    pk: int
    title: str
    url: str
    years: tuple[int, ...]

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)


@dataclass
class Link:
    """Two actors who worked together, and on what occasions (sorted: events, projects, group)."""

    first: NetworkActor
    second: NetworkActor
    occasions: list[Occasion] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.occasions)

    @property
    def years(self) -> list[int]:
        return sorted({year for occasion in self.occasions for year in occasion.years})

    @property
    def events(self) -> list[Occasion]:
        return [occasion for occasion in self.occasions if occasion.kind == EVENT]

    @property
    def projects(self) -> list[Occasion]:
        return [occasion for occasion in self.occasions if occasion.kind == PROJECT]

    @property
    def groups(self) -> list[Occasion]:
        return [occasion for occasion in self.occasions if occasion.kind == GROUP]


@dataclass(frozen=True)
class Collaborator:
    """An actor another has worked with (see ``collaborators_of``), and how, in words."""

    actor: NetworkActor
    link: Link
    how: tuple


@dataclass
class NetworkData:
    """The public actors, occasions and who shares each, as read from the database."""

    actors: dict[int, NetworkActor]
    occasions: dict[tuple[str, int], Occasion]
    members: dict[tuple[str, int], tuple[int, ...]]


# --- reading ------------------------------------------------------------------------------------


def _rows(*, kind, actor, occasion, title, slug, start, end, queryset):
    """One SELECT of the UNION: (kind, occasion, title, slug, from, to, actor, name, slug, sector).

    Every column an annotation under a name of its own, so that all parts line up.
    """
    if start is None:
        first_year = last_year = Value(None, output_field=IntegerField())
    elif kind == EVENT:
        zone = timezone.get_current_timezone()
        first_year = last_year = ExtractYear(start, tzinfo=zone)
    else:
        first_year, last_year = ExtractYear(start), ExtractYear(end)
    prefix = f"{actor}__" if actor != "pk" else ""
    return (
        queryset.order_by()
        .annotate(
            n_kind=Value(kind, output_field=CharField()),
            n_occasion=F(occasion),
            n_title=F(title),
            n_slug=F(slug),
            n_from=first_year,
            n_to=last_year,
            n_actor=F(actor),
            n_actor_name=F(f"{prefix}name"),
            n_actor_slug=F(f"{prefix}slug"),
            n_actor_sector=F(f"{prefix}sector"),
        )
        .values_list(
            "n_kind",
            "n_occasion",
            "n_title",
            "n_slug",
            "n_from",
            "n_to",
            "n_actor",
            "n_actor_name",
            "n_actor_slug",
            "n_actor_sector",
        )
    )


def _query(actor: Actor | None = None):
    """The UNION of every relation that links actors; with ``actor``, only where it takes part.

    Published events and projects are chosen here; which of the actors in the rows are
    published is asked separately (``_read``): filtering the rows by both in SQL makes
    SQLite look up every pair of event and actor in the index of the relation.
    """
    from events.models import Event, Speaker
    from projects.models import Project, ProjectPartner

    public_actors = Actor.objects.published()
    events = Event.objects.published()
    projects = Project.objects.published()
    groups = public_actors.filter(
        pk__in=public_actors.filter(parent__isnull=False).values("parent")
    )
    if actor is not None:
        events = events.filter(
            Q(pk__in=Event.objects.for_actor(actor).values("pk"))
            | Q(pk__in=Speaker.objects.filter(actor=actor).values("programme_item__event"))
        )
        projects = projects.filter(pk__in=Project.objects.for_actor(actor).values("pk"))
        groups = groups.filter(pk__in=[pk for pk in (actor.pk, actor.parent_id) if pk])
    event_columns = {"kind": EVENT, "start": "event__start", "end": "event__start"}
    project_columns = {"kind": PROJECT, "start": "project__start", "end": "project__end"}
    parts = [
        _rows(
            queryset=through.objects.filter(event__in=events),
            actor="actor",
            occasion="event",
            title="event__title",
            slug="event__slug",
            **event_columns,
        )
        for through in (Event.organisers.through, Event.participants.through)
    ]
    parts.append(
        _rows(
            queryset=Speaker.objects.filter(programme_item__event__in=events, actor__isnull=False),
            actor="actor",
            occasion="programme_item__event",
            title="programme_item__event__title",
            slug="programme_item__event__slug",
            kind=EVENT,
            start="programme_item__event__start",
            end="programme_item__event__start",
        )
    )
    parts.append(
        _rows(
            queryset=ProjectPartner.objects.filter(project__in=projects),
            actor="actor",
            occasion="project",
            title="project__title",
            slug="project__slug",
            **project_columns,
        )
    )
    parts.append(
        _rows(
            queryset=projects.filter(lead_actor__isnull=False),
            actor="lead_actor",
            occasion="pk",
            title="title",
            slug="slug",
            kind=PROJECT,
            start="start",
            end="end",
        )
    )
    # A group's members, and the group itself, share the group.
    group_columns = {"kind": GROUP, "start": None, "end": None}
    parts.append(
        _rows(
            queryset=public_actors.filter(parent__in=groups),
            actor="pk",
            occasion="parent",
            title="parent__name",
            slug="parent__slug",
            **group_columns,
        )
    )
    parts.append(
        _rows(
            queryset=groups, actor="pk", occasion="pk", title="name", slug="slug", **group_columns
        )
    )
    first, *others = parts
    # UNION, not UNION ALL: an actor who organises an event and speaks there shares it once.
    return first.union(*others)


def _url_maker(url_name: str):
    """A fast ``reverse(url_name, slug=…)``: reversed once, the slug put in by hand."""
    placeholder = "network-slug-placeholder"
    pattern = reverse(url_name, kwargs={"slug": placeholder})
    return lambda slug: pattern.replace(placeholder, slug)


def _read(actor: Actor | None = None) -> NetworkData:
    urls = {
        EVENT: _url_maker("events:detail"),
        PROJECT: _url_maker("projects:detail"),
        GROUP: _url_maker("actors:detail"),
    }
    rows = list(_query(actor))
    published = Actor.objects.published()
    if actor is not None:
        published = published.filter(pk__in={row[6] for row in rows})
    public = set(published.values_list("pk", flat=True))
    actors: dict[int, NetworkActor] = {}
    occasions: dict[tuple[str, int], Occasion] = {}
    members: dict[tuple[str, int], set[int]] = defaultdict(set)
    for row in rows:
        kind, pk, title, slug, first_year, last_year, actor_pk, name, actor_slug, sector = row
        if actor_pk not in public:
            continue
        key = (kind, pk)
        if key not in occasions:
            if first_year is None:
                years = ()
            else:
                years = tuple(range(first_year, max(first_year, last_year or first_year) + 1))
            occasions[key] = Occasion(kind, pk, title, urls[kind](slug), years)
        if actor_pk not in actors:
            actors[actor_pk] = NetworkActor(
                actor_pk, name, actor_slug, sector, urls[GROUP](actor_slug)
            )
        members[key].add(actor_pk)
    # An occasion links only where two published actors share it.
    shared = {key: tuple(sorted(pks)) for key, pks in members.items() if len(pks) > 1}
    return NetworkData(
        actors={pk: actors[pk] for pks in shared.values() for pk in pks},
        occasions={key: occasions[key] for key in shared},
        members=shared,
    )


def network_data() -> NetworkData:
    """Everything the network is made of, once per content version (two queries)."""
    return cached_for_content("network:data", _read)


# --- links --------------------------------------------------------------------------------------


def _occasion_order(occasion: Occasion):
    return (KINDS.index(occasion.kind), occasion.years[:1] or (0,), occasion.title.lower())


def _actor_order(actor: NetworkActor):
    return (actor.name.lower(), actor.pk)


def _in_year(occasion: Occasion, year: int | None) -> bool:
    return year is None or year in occasion.years


def _sorted_links(links) -> list[Link]:
    for link in links:
        link.occasions.sort(key=_occasion_order)
    return sorted(
        links,
        key=lambda link: (-link.count, _actor_order(link.first), _actor_order(link.second)),
    )


def _sector_pk(sector: Sector | str | None) -> int | None | bool:
    """The sector's key; False for a sector named that does not exist (nothing matches)."""
    if sector is None or sector == "":
        return None
    if isinstance(sector, Sector):
        return sector.pk
    pk = Sector.objects.filter(slug=sector).values_list("pk", flat=True).first()
    return False if pk is None else pk


def links_from(
    data: NetworkData, *, sector_pk: int | None | bool = None, year: int | None = None
) -> list[Link]:
    """The links in ``data``: with ``sector_pk``, those with an actor of that sector at one end
    at least; with ``year``, those on occasions of that year, counted in that year."""
    if sector_pk is False:
        return []
    pairs: dict[tuple[int, int], list[Occasion]] = defaultdict(list)
    for key, pks in data.members.items():
        occasion = data.occasions[key]
        if not _in_year(occasion, year):
            continue
        for pair in combinations(pks, 2):
            pairs[pair].append(occasion)
    links = []
    for (first_pk, second_pk), occasions in pairs.items():
        first, second = data.actors[first_pk], data.actors[second_pk]
        if sector_pk is not None and sector_pk not in (first.sector_id, second.sector_id):
            continue
        if _actor_order(second) < _actor_order(first):
            first, second = second, first
        links.append(Link(first, second, occasions))
    return _sorted_links(links)


def network_links(*, sector: Sector | str | None = None, year: int | None = None) -> list[Link]:
    """Every link between published actors, the strongest first (then by name).

    ``sector`` (a Sector or its slug) keeps the links with at least one actor of that sector;
    ``year`` keeps the occasions of that year (links without one are left out).
    """
    return links_from(network_data(), sector_pk=_sector_pk(sector), year=year)


def network_years() -> list[int]:
    """The years of all occasions, newest first: the choices of the page's year filter."""

    def years() -> list[int]:
        occasions = network_data().occasions.values()
        return sorted({year for occasion in occasions for year in occasion.years}, reverse=True)

    return cached_for_content("network:years", years)


def _collaborators(actor_pk: int, data: NetworkData) -> list[Collaborator]:
    shared: dict[int, list[Occasion]] = defaultdict(list)
    for key, pks in data.members.items():
        if actor_pk not in pks:
            continue
        for other in pks:
            if other != actor_pk:
                shared[other].append(data.occasions[key])
    me = data.actors.get(actor_pk)
    links = [Link(me, data.actors[other], occasions) for other, occasions in shared.items()]
    return [
        Collaborator(actor=link.second, link=link, how=how_of(link))
        for link in _sorted_links(links)
    ]


def collaborators_of(actor: Actor) -> list[Collaborator]:
    """The published actors ``actor`` has worked with, the most frequent first.

    Read for this actor alone (two queries, on the relations' indexes), once per content version.
    Empty for an actor that is not published: a draft shows up on no public page.
    """
    if not actor.is_published:
        return []
    return cached_for_content(
        f"network:actor:{actor.pk}", lambda: _collaborators(actor.pk, _read(actor))
    )


# --- the drawing ---------------------------------------------------------------------------------

# Fill colours of the sectors, in their order; each has a contrast of at least 4.5:1 against
# white (tests/actors/test_network.py checks it), so a shape is told from the page around it.
PALETTE = (
    "#1a3da5",  # blue
    "#b3261e",  # red
    "#1b6e35",  # green
    "#6f2da8",  # purple
    "#8f4700",  # brown
    "#00646e",  # teal
    "#a0216b",  # magenta
    "#4d4d4d",  # grey
)
# The second cue beside the colour: a shape per sector, named in the legend.
SHAPES = ("circle", "square", "triangle", "diamond", "pentagon", "hexagon", "star", "cross")
SHAPE_NAMES = {
    "circle": _("circle"),
    "square": _("square"),
    "triangle": _("triangle"),
    "diamond": _("diamond"),
    "pentagon": _("pentagon"),
    "hexagon": _("hexagon"),
    "star": _("star"),
    "cross": _("cross"),
}
NO_SECTOR_COLOUR = "#595959"

# The drawing's coordinates: a square, the circle in its middle, room for labels around it.
SIZE = 1400
CENTRE = SIZE / 2


def shape_path(shape: str, x: float, y: float, radius: float) -> str:
    """An SVG path of ``shape`` around (x, y), about ``radius`` in size."""

    def polygon(corners: int, *, start: float = -math.pi / 2, inner: float | None = None):
        points = []
        steps = corners * (2 if inner else 1)
        for index in range(steps):
            angle = start + 2 * math.pi * index / steps
            scale = inner if inner and index % 2 else 1
            px, py = x + radius * scale * math.cos(angle), y + radius * scale * math.sin(angle)
            points.append(f"{px:.1f},{py:.1f}")
        return "M" + " L".join(points) + " Z"

    if shape == "circle":
        return (
            f"M{x - radius:.1f},{y:.1f} a{radius:.1f},{radius:.1f} 0 1,0 {2 * radius:.1f},0 "
            f"a{radius:.1f},{radius:.1f} 0 1,0 {-2 * radius:.1f},0 Z"
        )
    if shape == "square":
        return polygon(4, start=-math.pi / 4)
    if shape == "triangle":
        return polygon(3)
    if shape == "diamond":
        return polygon(4)
    if shape == "pentagon":
        return polygon(5)
    if shape == "hexagon":
        return polygon(6)
    if shape == "star":
        return polygon(5, inner=0.5)
    # cross: a plus sign of bars a third as wide as it is long
    w, r = radius / 3, radius
    return (
        f"M{x - w:.1f},{y - r:.1f} H{x + w:.1f} V{y - w:.1f} H{x + r:.1f} V{y + w:.1f} "
        f"H{x + w:.1f} V{y + r:.1f} H{x - w:.1f} V{y + w:.1f} H{x - r:.1f} V{y - w:.1f} "
        f"H{x - w:.1f} Z"
    )


@dataclass(frozen=True)
class SectorStyle:
    pk: int | None
    name: str
    colour: str
    shape: str
    legend_path: str  # the shape drawn in the legend's own small SVG

    @property
    def shape_name(self):
        return SHAPE_NAMES[self.shape]


@dataclass(frozen=True)
class Node:
    actor: NetworkActor
    style: SectorStyle
    path: str
    x: float
    y: float
    degree: int
    label_x: str  # numbers as SVG writes them, whatever the language's decimal separator
    label_y: str
    label_anchor: str
    label_transform: str  # turned about (label_x, label_y): labels point away from the centre

    @property
    def title(self) -> str:
        sector = f" ({self.style.name})" if self.style.name else ""
        return f"{self.actor.name}{sector}"


@dataclass(frozen=True)
class Edge:
    link: Link
    path: str
    width: str
    title: str


def count_label(count: int) -> str:
    """ "once", "3 times", in the active language."""
    return ngettext("once", "%(counter)s times", count) % {"counter": count}


@dataclass(frozen=True)
class Row:
    """A line of the table: a link, and how, in words, by kind."""

    link: Link
    how: tuple[tuple[str, tuple[Occasion, ...]], ...]


def how_of(link: Link) -> tuple[tuple[str, tuple[Occasion, ...]], ...]:
    kinds = (
        (lambda n: ngettext("Event:", "Events:", n), link.events),
        (lambda n: ngettext("Project:", "Projects:", n), link.projects),
        (lambda n: ngettext("Group:", "Groups:", n), link.groups),
    )
    return tuple((label(len(found)), tuple(found)) for label, found in kinds if found)


@dataclass
class NetworkGraph:
    """What the network page shows: the drawing, its legend and the table of the same links."""

    links: list[Link]  # the shown ones, the strongest first
    rows: list[Row]  # the same, for the table
    total_links: int
    nodes: list[Node]
    edges: list[Edge]
    legend: list[SectorStyle]
    labelled: bool
    size: int = SIZE

    @property
    def is_cut(self) -> bool:
        return self.total_links > len(self.links)


def sector_styles() -> dict[int | None, SectorStyle]:
    """Colour and shape of every sector, by its order (one query); ``None``: no sector."""
    styles = {}
    for index, sector in enumerate(Sector.objects.order_by("position", "name")):
        # Past the eighth sector the shapes shift by one a round: no two look alike.
        colour = PALETTE[index % len(PALETTE)]
        shape = SHAPES[(index + index // len(PALETTE)) % len(SHAPES)]
        styles[sector.pk] = SectorStyle(
            sector.pk, sector.display_name, colour, shape, shape_path(shape, 10, 10, 8)
        )
    return styles


def _layout(links: list[Link], styles: dict, no_sector: SectorStyle) -> tuple[list[Node], bool]:
    """The actors of ``links`` on a circle, grouped by sector (in the sectors' order), each
    sector's group followed by a gap; the same links always give the same drawing."""
    degree: dict[int, int] = defaultdict(int)
    actors: dict[int, NetworkActor] = {}
    for link in links:
        for actor in (link.first, link.second):
            actors[actor.pk] = actor
            degree[actor.pk] += 1
    order = list(styles)
    ranked = sorted(
        actors.values(),
        key=lambda actor: (
            order.index(actor.sector_id) if actor.sector_id in styles else len(order),
            *_actor_order(actor),
        ),
    )
    labelled = len(ranked) <= LABELLED_NODES
    radius = SIZE * (0.24 if labelled else 0.45)
    groups = len({actor.sector_id for actor in ranked})
    slots = len(ranked) + groups  # one empty slot after each sector's group
    node_size = max(3.0, min(14.0, math.pi * radius / max(slots, 1) * 0.8))
    nodes, slot = [], 0
    for actor in ranked:
        if nodes and actor.sector_id != nodes[-1].actor.sector_id:
            slot += 1
        angle = -math.pi / 2 + 2 * math.pi * slot / max(slots, 1)
        slot += 1
        x, y = CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)
        style = styles.get(actor.sector_id, no_sector)
        label_distance = radius + node_size + 6
        label_x = CENTRE + label_distance * math.cos(angle)
        label_y = CENTRE + label_distance * math.sin(angle)
        rotation = math.degrees(angle) + (0 if math.cos(angle) >= -1e-9 else 180)
        nodes.append(
            Node(
                actor=actor,
                style=style,
                path=shape_path(style.shape, x, y, node_size),
                x=round(x, 1),
                y=round(y, 1),
                degree=degree[actor.pk],
                label_x=f"{label_x:.1f}",
                label_y=f"{label_y:.1f}",
                # On the left half upside down would be hard to read: turned round, and
                # anchored at its end instead.
                label_anchor="start" if math.cos(angle) >= -1e-9 else "end",
                label_transform=f"rotate({rotation:.1f} {label_x:.1f} {label_y:.1f})",
            )
        )
    return nodes, labelled


def _build_graph(sector_pk, year) -> NetworkGraph:
    data = network_data()
    all_links = links_from(data, sector_pk=sector_pk, year=year)
    shown = all_links[:SHOWN_LINKS]
    styles = sector_styles()
    shape = SHAPES[len(styles) % len(SHAPES)]
    no_sector = SectorStyle(None, "", NO_SECTOR_COLOUR, shape, shape_path(shape, 10, 10, 8))
    nodes, labelled = _layout(shown, styles, no_sector)
    positions = {node.actor.pk: (node.x, node.y) for node in nodes}
    edges = []
    strongest = shown[0].count if shown else 1
    for link in shown:
        a, b = positions[link.first.pk], positions[link.second.pk]
        # A curve bent towards the centre, as in a chord diagram: lines through the middle
        # stay apart.
        control = ((a[0] + b[0]) / 4 + CENTRE / 2, (a[1] + b[1]) / 4 + CENTRE / 2)
        edges.append(
            Edge(
                link=link,
                path=(
                    f"M{a[0]:.1f},{a[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} "
                    f"{b[0]:.1f},{b[1]:.1f}"
                ),
                width=f"{1 + 4 * math.log1p(link.count) / math.log1p(strongest):.1f}"
                if strongest > 1
                else "1.5",
                title=f"{link.first.name} – {link.second.name}: {count_label(link.count)}",
            )
        )
    used = {node.style.pk for node in nodes}
    legend = [style for pk, style in styles.items() if pk in used]
    if None in used:
        legend.append(no_sector)
    return NetworkGraph(
        links=shown,
        rows=[Row(link, how_of(link)) for link in shown],
        total_links=len(all_links),
        nodes=nodes,
        edges=edges,
        legend=legend,
        labelled=labelled,
    )


def network_graph(*, sector: Sector | str | None = None, year: int | None = None) -> NetworkGraph:
    """The network page's drawing and table (the page keeps what it renders of it)."""
    return _build_graph(_sector_pk(sector), year)
