"""Generated data for the benchmark: a portal with a hundred actors, or with ten thousand.

Usage, after ``manage.py migrate`` (and ``manage.py load_demo``, as the benchmark does)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartier_bench \\
        .venv/bin/python -m bench.data --scale large [--seed 11]

``--scale small`` makes about 100 actors, 30 events, 300 documents and photos, 10 projects and
1,000 registrations; ``--scale large`` a hundred times as much (10,000 actors with topics and
groups, 3,000 events with programmes and speakers, 30,000 documents and photos, 1,000 projects
with partners, 100,000 registrations), in well under two minutes on PostgreSQL. ``generate()``
does the same from Python (the tests use ``--scale tiny``).

The rows are added to what the database holds: the benchmark loads the demo first, so that the
portal looks as it does in use (the initiative's organisers on the home page, its real events)
and then grows by what is generated here; on an empty database the demo's sectors are created.
German names and texts from word lists, cities across Germany, "Quartier" in some descriptions
but not all; most rows published, some drafts, a few places on the map. The same seed on the
same day gives the same data (event dates are relative to today, so that some are upcoming).

Files are stored once and shared: every generated document points at one small PDF, every
photo at one original and its two web variants. Rows are inserted with ``bulk_create``, which
sends no signals: the content version is bumped once at the end, and the search index is
rebuilt (``manage.py rebuild_search_index``) where that command exists.
"""

import argparse
import datetime
import os
import random
import sys
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import django

if __name__ == "__main__":  # run as a script: configure Django before any model is imported
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from actors.demo import SECTORS  # noqa: E402
from actors.models import Actor, Sector  # noqa: E402
from events import demo as events_demo  # noqa: E402
from events.models import (  # noqa: E402
    Event,
    EventDocument,
    EventPhoto,
    ProgrammeItem,
    Registration,
    Speaker,
)
from projects.models import (  # noqa: E402
    FUNDING_PROGRAMME_SUGGESTIONS,
    Approach,
    BudgetRange,
    FederalState,
    PlaceSize,
    Project,
    ProjectDocument,
    ProjectPartner,
    ProjectPhoto,
    TaggedApproach,
)
from quartier.content_version import content_changed  # noqa: E402
from quartier.media import photo_variants_create  # noqa: E402
from quartier.models import ImageLicence  # noqa: E402
from quartier.slugs import german_slugify  # noqa: E402

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SEED = 11
# Rows per INSERT: a Registration has 16 columns, PostgreSQL allows 65,535 parameters.
BATCH_SIZE = 2000


@dataclass(frozen=True)
class Scale:
    actors: int
    events: int
    documents_and_photos: int
    projects: int
    registrations: int


# What ``generate()`` counts, in the order it reports.
COUNTED = (
    "actors", "groups", "actor_topics", "events", "event_actors", "event_topics",
    "programme_items", "speakers", "projects", "partners", "project_topics", "project_approaches",
    "event_documents", "event_photos", "project_documents", "project_photos", "registrations",
)  # fmt: skip

SCALES = {
    "tiny": Scale(actors=40, events=8, documents_and_photos=40, projects=4, registrations=60),
    "small": Scale(
        actors=100, events=30, documents_and_photos=300, projects=10, registrations=1000
    ),
    "large": Scale(
        actors=10_000,
        events=3_000,
        documents_and_photos=30_000,
        projects=1_000,
        registrations=100_000,
    ),
}

# --- word lists -------------------------------------------------------------------------------

# (city, latitude, longitude of its centre)
CITIES = [
    ("Berlin", "52.52000", "13.40500"), ("Hamburg", "53.55110", "9.99370"),
    ("München", "48.13710", "11.57540"), ("Köln", "50.93750", "6.96030"),
    ("Frankfurt am Main", "50.11090", "8.68210"), ("Stuttgart", "48.77580", "9.18290"),
    ("Düsseldorf", "51.22770", "6.77350"), ("Leipzig", "51.33970", "12.37310"),
    ("Dortmund", "51.51360", "7.46530"), ("Essen", "51.45560", "7.01160"),
    ("Bremen", "53.07930", "8.80170"), ("Dresden", "51.05040", "13.73730"),
    ("Hannover", "52.37590", "9.73200"), ("Nürnberg", "49.45210", "11.07670"),
    ("Duisburg", "51.43440", "6.76230"), ("Bochum", "51.48180", "7.21620"),
    ("Wuppertal", "51.25620", "7.15080"), ("Bielefeld", "52.03020", "8.53250"),
    ("Bonn", "50.73740", "7.09820"), ("Münster", "51.96070", "7.62610"),
    ("Mannheim", "49.48750", "8.46600"), ("Karlsruhe", "49.00690", "8.40370"),
    ("Augsburg", "48.37050", "10.89780"), ("Wiesbaden", "50.07820", "8.23980"),
    ("Gelsenkirchen", "51.51770", "7.08570"), ("Aachen", "50.77530", "6.08390"),
    ("Braunschweig", "52.26890", "10.52680"), ("Kiel", "54.32330", "10.12280"),
    ("Chemnitz", "50.82780", "12.92140"), ("Halle (Saale)", "51.48250", "11.97050"),
    ("Magdeburg", "52.12050", "11.62760"), ("Freiburg im Breisgau", "47.99900", "7.84210"),
    ("Krefeld", "51.33880", "6.58530"), ("Mainz", "49.99290", "8.24730"),
    ("Lübeck", "53.86550", "10.68660"), ("Erfurt", "50.98480", "11.02990"),
    ("Oberhausen", "51.49630", "6.86380"), ("Rostock", "54.09240", "12.09910"),
    ("Kassel", "51.31270", "9.47970"), ("Potsdam", "52.39060", "13.06450"),
    ("Saarbrücken", "49.24020", "6.99690"), ("Oldenburg", "53.14350", "8.21460"),
    ("Osnabrück", "52.27990", "8.04720"), ("Heidelberg", "49.39880", "8.67240"),
    ("Darmstadt", "49.87280", "8.65120"), ("Regensburg", "49.01340", "12.10160"),
    ("Würzburg", "49.79130", "9.95340"), ("Göttingen", "51.54130", "9.91580"),
    ("Cottbus", "51.75630", "14.33290"), ("Schwerin", "53.63550", "11.40120"),
    ("Jena", "50.92720", "11.58610"), ("Gera", "50.88030", "12.08190"),
    ("Görlitz", "51.15280", "14.98730"), ("Flensburg", "54.79370", "9.44690"),
    ("Trier", "49.74990", "6.63710"), ("Bernburg", "51.79370", "11.74000"),
    ("Offenbach am Main", "50.09550", "8.77610"), ("Ludwigshafen am Rhein", "49.47740", "8.44520"),
]  # fmt: skip

NEIGHBOURHOODS = [
    "Altstadt", "Neustadt", "Nordstadt", "Südstadt", "Weststadt", "Oststadt", "Innenstadt",
    "Bahnhofsviertel", "Hafenviertel", "Schillerkiez", "Lindenau", "Gropiusstadt", "Lindenhof",
    "Gartenstadt", "Eichenhof", "Am Stadtpark", "Rosenthal", "Mühlenviertel", "Kirchberg",
    "Sonnenberg", "Schlossviertel", "Brunnenviertel", "Hochfeld", "Marktviertel", "Musikerviertel",
    "Blumenviertel", "Auenviertel", "Bergheim", "Wiesengrund", "Am Kanal", "Ziegelei",
    "Kastanienhof", "Westend", "Ostend", "Vorstadt", "Feldmark", "Alte Weberei", "Neue Mitte",
    "Bürgerpark", "Unterstadt", "Oberstadt", "Wasserturm", "Lutherviertel", "Weinberg",
    "Heidesiedlung", "Am Bahnhof", "Kolonie Erin", "Salzviertel", "Tuchmacherviertel",
    "Eisenbahnersiedlung",
]  # fmt: skip

FIRST_NAMES = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Katrin",
    "Lukas", "Mia", "Niklas", "Olga", "Paul", "Renate", "Sven", "Tanja", "Ulrich", "Vera",
    "Wolfgang", "Yasemin", "Zoe", "Ahmet", "Birgit", "Cem", "Dagmar", "Emil", "Frieda", "Gül",
    "Heike", "Jürgen", "Lena", "Mehmet", "Nadine", "Ole", "Petra", "Sabine", "Thomas",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun", "Zimmermann",
    "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Yılmaz", "Kaya",
    "Nowak", "Kowalski", "Becker-Hahn", "Vogel", "Friedrich", "Günther", "Roth", "Haas", "Sommer",
    "Jäger", "Ludwig", "Böhm", "Winter",
]  # fmt: skip

# (sector slug, name patterns); {place} is a neighbourhood or "city-neighbourhood", {city} a
# city, {surname} a family name.
ORGANISATIONS = [
    ("wohnungswirtschaft", (
        "Wohnungsbaugenossenschaft {place} eG", "Wohnungsbaugesellschaft {city} mbH",
        "Gemeinnützige Wohnungsgesellschaft {place}", "Baugenossenschaft {surname} eG",
        "Immobilienverwaltung {surname} & Partner", "Mieterbeirat {place}",
    )),
    ("kommunen", (
        "Stadt {city}, Amt für Stadtentwicklung", "Quartiersmanagement {place}",
        "Stadtteilbüro {place}", "Bezirksamt {place}", "Kreisstadt {city}, Sozialplanung",
    )),
    ("wohlfahrt", (
        "Diakonisches Werk {city}", "Caritasverband für die Stadt {city} e. V.",
        "AWO Kreisverband {city} e. V.", "Nachbarschaftshaus {place}", "Stadtteilzentrum {place}",
        "Familienzentrum {place}", "Seniorentreff {place}",
    )),
    ("stadtentwicklung", (
        "Planungsbüro {surname} Stadtentwicklung", "Architekturbüro {surname} + {surname}",
        "Quartiersverein {place} e. V.", "Stadtlabor {city}", "Büro für urbane Räume {surname}",
    )),
    ("kultur-kreativwirtschaft", (
        "Kulturverein {place} e. V.", "Kreativquartier {place} gGmbH", "Atelierhaus {place}",
        "Jugendkunstschule {city}", "Theater im {place}", "Coworking {place}",
    )),
    ("stiftungen", (
        "{surname}-Stiftung für Stadtkultur", "Bürgerstiftung {city}", "Stiftung {place}",
        "Stiftung {surname} Nachbarschaft",
    )),
    ("zivilgesellschaft", (
        "Bürgerverein {place} e. V.", "Initiative Lebenswertes {place}",
        "Nachbarschaftsinitiative {place}", "Gemeinschaftsgarten {place}", "Kiezladen {place}",
        "Repair-Café {place}",
    )),
    ("handel", (
        "Werbegemeinschaft {place}", "Gewerbeverein {place} e. V.", "Wochenmarkt {place}",
        "Einzelhandelsverband {city}",
    )),
]  # fmt: skip
GROUPS = (
    "Netzwerk Nachbarschaft {city}", "Bündnis Wohnen {city}", "Arbeitskreis Quartiere {city}",
    "Verbund der Stadtteilzentren {city}", "Kulturnetz {city}", "Runder Tisch {place}",
)  # fmt: skip

TOPICS = [
    "Quartiersmanagement", "Wohnen", "Beteiligung", "Nachbarschaft", "Kultur", "Klimaschutz",
    "Mobilität", "Bildung", "Integration", "Zwischennutzung", "Erdgeschosszonen",
    "Gemeinwesenarbeit", "Stadtgrün", "Soziale Stadt", "Kreativwirtschaft", "Wohnungswirtschaft",
    "Digitalisierung", "Einzelhandel", "Inklusion", "Jugend", "Wohnen im Alter", "Gesundheit",
    "Sport", "Energie", "Gemeinschaftsgärten", "Leerstand", "Baukultur", "Ehrenamt",
    "Armutsprävention", "Sicherheit",
]  # fmt: skip
APPROACHES = [
    "Zwischennutzung", "Kooperation", "Beteiligung", "Kulturarbeit", "Gründungsförderung",
    "Gemeinwohlorientierte Trägerschaft", "Quartiersfonds", "Reallabor",
]  # fmt: skip
THEMES = [
    "Zwischennutzung leerer Läden", "Erdgeschosse beleben", "Nachbarschaft gemeinsam gestalten",
    "Wohnen im Alter", "Klimaanpassung im Bestand", "Kultur im Stadtteil",
    "Beteiligung junger Menschen", "Gemeinschaftsgärten auf Brachflächen", "Mobilität vor Ort",
    "Leerstand als Chance", "Wohnungswirtschaft trifft Kreativszene",
    "Digitale Nachbarschaftsplattformen", "Soziale Infrastruktur", "Lokale Bildungslandschaften",
    "Sicherheit im öffentlichen Raum", "Ehrenamt stärken", "Gemeinwohl und Boden",
    "Bezahlbares Wohnen", "Treffpunkte für alle Generationen", "Energie aus der Nachbarschaft",
]  # fmt: skip

# Sentences without the word "Quartier", and sentences with it: the search for "quartier"
# finds some rows, not all.
SENTENCES = [
    "Wir bringen Menschen aus der Nachbarschaft, Verwaltung und Wirtschaft an einen Tisch.",
    "Seit vielen Jahren engagieren wir uns für {topic} in {city}.",
    "Unsere Räume stehen Initiativen und Vereinen für Treffen offen.",
    "Gemeinsam mit Partnern entwickeln wir Angebote für Familien, Jugendliche und Ältere.",
    "Im Mittelpunkt stehen Beteiligung und ein respektvolles Miteinander.",
    "Wir begleiten Projekte von der ersten Idee bis zur Umsetzung.",
    "Ein besonderer Schwerpunkt liegt auf **{topic}**.",
    "Ehrenamtliche und Hauptamtliche arbeiten bei uns Hand in Hand.",
    "Wir verstehen uns als Brücke zwischen Stadtgesellschaft und Politik.",
    "Unsere Erfahrungen teilen wir gern mit anderen Städten und Gemeinden.",
    "Leerstehende Flächen werden bei uns zu Orten der Begegnung.",
    "Mit kleinen Mitteln erreichen wir viel: Feste, Werkstätten und offene Sprechstunden.",
]
QUARTIER_SENTENCES = [
    "Das Quartier {place} ist unser Zuhause und unser Arbeitsfeld.",
    "Wir wollen, dass das Quartier lebendig bleibt und alle mitreden können.",
    "Unsere Arbeit im Quartier verbindet Wohnen, Kultur und soziale Angebote.",
    "Ein gutes Quartier entsteht, wenn viele Beteiligte zusammenarbeiten.",
]
PROGRAMME_TITLES = [
    "Begrüßung", "Impulsvortrag", "Podiumsgespräch", "Arbeitsgruppen", "Pause und Austausch",
    "Ergebnisse der Arbeitsgruppen", "Rundgang durch das Viertel", "Ausblick und Verabschiedung",
    "Praxisbeispiel", "Offene Diskussion",
]  # fmt: skip
FUNCTIONS = [
    "Geschäftsführerin", "Geschäftsführer", "Quartiersmanagerin", "Quartiersmanager",
    "Vorstand", "Referentin", "Projektleiter", "Stadtplanerin", "Bürgermeister", "Künstlerin", "",
]  # fmt: skip

# (slug of an event format, word of the title); "online" is no format, but often online.
EVENT_KINDS = [
    ("werkstattgespraech", "Werkstattgespräch"),
    ("fachveranstaltung", "Fachtag"),
    ("bilanzveranstaltung", "Bilanz"),
    ("netzwerktreffen", "Netzwerktreffen"),
    ("praxiswerkstatt", "Praxiswerkstatt"),
    ("perspektivenwerkstatt", "Online-Austausch"),
]
PROJECT_PATTERNS = (
    "{theme} in {place}", "{place}: {theme}", "Modellvorhaben {theme}", "{theme} – {city}",
)  # fmt: skip


# --- generation -------------------------------------------------------------------------------


class _Names:
    """Unique names and slugs: a name drawn twice is drawn again, a slug taken gets a number."""

    def __init__(self, model, slug_length: int):
        self.slug_length = slug_length
        self.slugs = set(model.objects.values_list("slug", flat=True))
        self.names: set[str] = set()
        self.suffix: dict[str, int] = defaultdict(lambda: 1)

    def name(self, draw) -> str:
        for _attempt in range(20):
            name = draw()
            if name not in self.names:
                break
        self.names.add(name)
        return name

    def slug(self, text: str) -> str:
        base = german_slugify(text, max_length=self.slug_length)
        slug = base
        while slug in self.slugs:
            self.suffix[base] += 1
            ending = f"-{self.suffix[base]}"
            slug = base[: self.slug_length - len(ending)].rstrip("-") + ending
        self.slugs.add(slug)
        return slug


class _Generator:
    def __init__(self, scale: Scale, seed: int, out):
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311 - test data, reproducible by design
        # The projects' facts from a sequence of their own: the rest of the data stays as it
        # was generated before projects had them.
        self.facts_rng = random.Random(f"{seed}:project-facts")  # noqa: S311 - as above
        self.out = out
        self.now = timezone.now().replace(microsecond=0)
        self.counts = dict.fromkeys(COUNTED, 0)

    # -- helpers
    def city(self) -> tuple[str, str, str]:
        return self.rng.choice(CITIES)

    def place(self, city: str) -> str:
        neighbourhood = self.rng.choice(NEIGHBOURHOODS)
        return f"{city.split(' ')[0]}-{neighbourhood}" if self.rng.random() < 0.5 else neighbourhood

    def person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def text(self, sentences: int, *, city: str, quartier_share: float) -> str:
        chosen = self.rng.sample(SENTENCES, sentences)
        if self.rng.random() < quartier_share:
            chosen.insert(self.rng.randrange(len(chosen) + 1), self.rng.choice(QUARTIER_SENTENCES))
        values = {"city": city, "place": self.place(city), "topic": self.rng.choice(TOPICS)}
        paragraphs = [" ".join(chosen[:2]), " ".join(chosen[2:])]
        return "\n\n".join(p for p in paragraphs if p).format(**values)

    def location(self, city_row, share: float) -> tuple[Decimal | None, Decimal | None]:
        """A point near the city's centre for ``share`` of the rows, else none."""
        if self.rng.random() >= share:
            return None, None
        _name, latitude, longitude = city_row
        jitter = Decimal("0.00001")
        return (
            Decimal(latitude) + self.rng.randint(-3000, 3000) * jitter,
            Decimal(longitude) + self.rng.randint(-3000, 3000) * jitter,
        )

    def tags(self, model_instances, model, names, through, low: int, high: int) -> int:
        content_type = ContentType.objects.get_for_model(model)
        rows = [
            through(content_type=content_type, object_id=instance.pk, tag=tag)
            for instance in model_instances
            for tag in self.rng.sample(names, self.rng.randint(low, high))
        ]
        through.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        return len(rows)

    # -- the data
    def sectors(self) -> list[Sector]:
        if not Sector.objects.exists():
            Sector.objects.bulk_create(
                Sector(slug=slug, name=name, name_en=name_en, position=position)
                for position, (slug, name, name_en) in enumerate(SECTORS, start=1)
            )
        return list(Sector.objects.all())

    def actors(self) -> list[Actor]:
        sectors = {sector.slug: sector for sector in self.sectors()}
        fallback = list(sectors.values())
        names = _Names(Actor, slug_length=80)
        actors: list[Actor] = []

        def make(pattern: str, sector, parent=None) -> Actor:
            city_row = self.city()
            city = city_row[0]
            name = names.name(
                lambda: pattern.format(
                    place=self.place(city), city=city, surname=self.rng.choice(LAST_NAMES)
                )
            )
            latitude, longitude = self.location(city_row, 0.05)
            return Actor(
                name=name,
                slug=names.slug(name),
                sector=sector,
                parent=parent,
                city=city,
                latitude=latitude,
                longitude=longitude,
                description=self.text(self.rng.randint(2, 5), city=city, quartier_share=0.35),
                mission=self.text(1, city=city, quartier_share=0.2)
                if self.rng.random() < 0.6
                else "",
                website=f"https://www.example.org/{german_slugify(name, 40)}/"
                if self.rng.random() < 0.7
                else "",
                joined_on=(self.now - datetime.timedelta(days=self.rng.randint(0, 2000))).date()
                if self.rng.random() < 0.8
                else None,
                is_published=self.rng.random() < 0.95,
            )

        group_count = max(1, self.scale.actors // 30)
        groups = [
            make(self.rng.choice(GROUPS), sectors.get("zivilgesellschaft"))
            for _ in range(group_count)
        ]
        Actor.objects.bulk_create(groups, batch_size=BATCH_SIZE)
        for _ in range(self.scale.actors - group_count):
            sector_slug, patterns = self.rng.choice(ORGANISATIONS)
            parent = self.rng.choice(groups) if self.rng.random() < 0.25 else None
            sector = sectors.get(sector_slug) or self.rng.choice(fallback)
            actors.append(make(self.rng.choice(patterns), sector, parent))
        Actor.objects.bulk_create(actors, batch_size=BATCH_SIZE)
        actors = groups + actors
        topics = [self.tag(Tag, name) for name in TOPICS]
        self.counts["actor_topics"] = self.tags(actors, Actor, topics, TaggedItem, 1, 4)
        self.counts["actors"] = len(actors)
        self.counts["groups"] = len(groups)
        return actors

    @staticmethod
    def tag(model, name: str):
        # save() makes the slug as the admin does; a few rows only.
        return model.objects.filter(name=name).first() or model.objects.create(name=name)

    def events(self, actors: list[Actor]) -> list[Event]:
        public_actors = [actor for actor in actors if actor.is_published]
        names = _Names(Event, slug_length=100)
        events = []
        formats = events_demo.formats_ensure()
        for _ in range(self.scale.events):
            kind, word = self.rng.choice(EVENT_KINDS)
            city_row = self.city()
            city = city_row[0]
            theme = self.rng.choice(THEMES)
            is_online = word == "Online-Austausch" or self.rng.random() < 0.05
            # Five years back to one ahead: about a sixth upcoming.
            day = self.now + datetime.timedelta(days=self.rng.randint(-5 * 365, 365))
            start = datetime.datetime(
                day.year, day.month, day.day, self.rng.choice((9, 10, 14, 17)), tzinfo=BERLIN
            )
            end = start + datetime.timedelta(hours=self.rng.randint(2, 7))
            title = names.name(
                lambda word=word, theme=theme, city=city, is_online=is_online: (
                    (f"{word}: {theme}" if is_online else f"{word} „{theme}“ in {city}")
                    + (f" ({self.rng.randint(1, 12)})" if self.rng.random() < 0.5 else "")
                )
            )
            roll = self.rng.random()
            status = (
                Event.Status.DRAFT
                if roll < 0.08
                else Event.Status.CANCELLED
                if roll < 0.12
                else Event.Status.PUBLISHED
            )
            past = end < self.now
            documented = past and status == Event.Status.PUBLISHED and self.rng.random() < 0.6
            registration = not past and self.rng.random() < 0.7
            events.append(
                Event(
                    title=title,
                    slug=names.slug(f"{title} {start:%Y}"),
                    kind=formats[kind],
                    status=status,
                    start=start,
                    end=end,
                    is_online=is_online,
                    online_url="https://meet.example.org/" + german_slugify(theme, 40)
                    if is_online
                    else "",
                    venue_name="" if is_online else f"Nachbarschaftssaal {self.place(city)}",
                    street=""
                    if is_online
                    else f"{self.rng.choice(LAST_NAMES)}straße {self.rng.randint(1, 120)}",
                    postcode="" if is_online else f"{self.rng.randint(1067, 99998):05d}",
                    city="" if is_online else city,
                    summary=f"{theme}: {self.text(1, city=city, quartier_share=0.3)}"[:600],
                    description=self.text(self.rng.randint(3, 6), city=city, quartier_share=0.4),
                    results=self.text(4, city=city, quartier_share=0.4) if documented else "",
                    documentation_published=documented,
                    documentation_published_at=end + datetime.timedelta(days=14)
                    if documented
                    else None,
                    registration_enabled=registration,
                    registration_deadline=start - datetime.timedelta(days=2)
                    if registration
                    else None,
                    asks_dietary_notes=registration and self.rng.random() < 0.3,
                )
            )
        Event.objects.bulk_create(events, batch_size=BATCH_SIZE)

        organisers, participants = [], []
        for event in events:
            for actor in self.rng.sample(
                public_actors, min(len(public_actors), self.rng.randint(1, 3))
            ):
                organisers.append(Event.organisers.through(event_id=event.pk, actor_id=actor.pk))
            for actor in self.rng.sample(
                public_actors, min(len(public_actors), self.rng.randint(0, 6))
            ):
                participants.append(
                    Event.participants.through(event_id=event.pk, actor_id=actor.pk)
                )
        Event.organisers.through.objects.bulk_create(organisers, batch_size=BATCH_SIZE)
        Event.participants.through.objects.bulk_create(participants, batch_size=BATCH_SIZE)
        topics = [self.tag(Tag, name) for name in TOPICS]
        self.counts["event_topics"] = self.tags(events, Event, topics, TaggedItem, 1, 3)
        self.programme(events, public_actors)
        self.counts["events"] = len(events)
        self.counts["event_actors"] = len(organisers) + len(participants)
        return events

    def programme(self, events: list[Event], actors: list[Actor]) -> None:
        items = []
        for event in events:
            moment = event.start.astimezone(BERLIN)
            for position, title in enumerate(
                self.rng.sample(PROGRAMME_TITLES, self.rng.randint(3, 6)), start=1
            ):
                minutes = self.rng.choice((15, 30, 45, 60, 90))
                ends = moment + datetime.timedelta(minutes=minutes)
                items.append(
                    ProgrammeItem(
                        event=event,
                        title=title,
                        description=self.text(1, city=event.city or "Berlin", quartier_share=0.2)
                        if self.rng.random() < 0.5
                        else "",
                        starts_at=moment.time(),
                        ends_at=ends.time() if ends.date() == moment.date() else None,
                        position=position * 10,
                    )
                )
                moment = ends
        ProgrammeItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
        speakers = []
        for item in items:
            for position in range(1, self.rng.randint(0, 3) + 1):
                first, last = self.person()
                actor = self.rng.choice(actors) if actors and self.rng.random() < 0.4 else None
                speakers.append(
                    Speaker(
                        programme_item=item,
                        name=f"{first} {last}",
                        function=self.rng.choice(FUNCTIONS),
                        organisation="" if actor else f"Büro {self.rng.choice(LAST_NAMES)}",
                        actor=actor,
                        position=position,
                    )
                )
        Speaker.objects.bulk_create(speakers, batch_size=BATCH_SIZE)
        self.counts["programme_items"] = len(items)
        self.counts["speakers"] = len(speakers)

    def project_facts(self, start) -> dict:
        """Most projects name their facts, as programme databases show them; some do not."""
        rng = self.facts_rng
        if rng.random() < 0.2:
            return {}
        return {
            "federal_state": rng.choice(FederalState.values),
            "place_size": rng.choice(PlaceSize.values),
            "start_year": start.year if start else self.now.year + rng.randint(0, 2),
            "budget_range": rng.choice(BudgetRange.values),
            "funding_programme": rng.choice(FUNDING_PROGRAMME_SUGGESTIONS),
        }

    def projects(self, actors: list[Actor], events: list[Event]) -> list[Project]:
        public_actors = [actor for actor in actors if actor.is_published]
        public_events = [event for event in events if event.is_published]
        names = _Names(Project, slug_length=100)
        projects = []
        for _ in range(self.scale.projects):
            city_row = self.city()
            city = city_row[0]
            neighbourhood = self.rng.choice(NEIGHBOURHOODS)
            title = names.name(
                lambda city=city, neighbourhood=neighbourhood: self.rng.choice(
                    PROJECT_PATTERNS
                ).format(theme=self.rng.choice(THEMES), place=neighbourhood, city=city)
            )
            status = self.rng.choice(list(Project.Status))
            start = (self.now - datetime.timedelta(days=self.rng.randint(100, 2500))).date()
            completed = status == Project.Status.COMPLETED
            latitude, longitude = self.location(city_row, 0.3)
            projects.append(
                Project(
                    title=title,
                    slug=names.slug(title),
                    city=city,
                    neighbourhood=neighbourhood,
                    latitude=latitude,
                    longitude=longitude,
                    status=status,
                    start=None if status == Project.Status.PLANNED else start,
                    end=start + datetime.timedelta(days=self.rng.randint(90, 900))
                    if completed
                    else None,
                    summary=self.text(1, city=city, quartier_share=0.4)[:600],
                    description=self.text(self.rng.randint(3, 6), city=city, quartier_share=0.5),
                    lessons_learned=self.text(3, city=city, quartier_share=0.3)
                    if completed
                    else "",
                    transferability=self.text(2, city=city, quartier_share=0.3)
                    if completed
                    else "",
                    lead_actor=self.rng.choice(public_actors) if public_actors else None,
                    website="https://www.example.org/projekte/" + german_slugify(title, 40) + "/"
                    if self.rng.random() < 0.4
                    else "",
                    is_published=self.rng.random() < 0.92,
                    **self.project_facts(None if status == Project.Status.PLANNED else start),
                )
            )
        Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)
        partners, related = [], []
        for project in projects:
            chosen = self.rng.sample(public_actors, min(len(public_actors), self.rng.randint(1, 5)))
            partners += [
                ProjectPartner(
                    project=project,
                    actor=actor,
                    role=self.rng.choice(("", "Eigentümerin der Fläche", "Träger", "Beratung")),
                    position=position * 10,
                )
                for position, actor in enumerate(chosen, start=1)
            ]
            for event in self.rng.sample(
                public_events, min(len(public_events), self.rng.randint(0, 2))
            ):
                related.append(
                    Project.related_events.through(project_id=project.pk, event_id=event.pk)
                )
        ProjectPartner.objects.bulk_create(partners, batch_size=BATCH_SIZE)
        Project.related_events.through.objects.bulk_create(related, batch_size=BATCH_SIZE)
        topics = [self.tag(Tag, name) for name in TOPICS]
        approaches = [self.tag(Approach, name) for name in APPROACHES]
        self.counts["project_topics"] = self.tags(projects, Project, topics, TaggedItem, 1, 3)
        self.counts["project_approaches"] = self.tags(
            projects, Project, approaches, TaggedApproach, 1, 2
        )
        self.counts["projects"] = len(projects)
        self.counts["partners"] = len(partners)
        return projects

    def files(self, events: list[Event], projects: list[Project]) -> None:
        """Documents and photos of documented events (two thirds) and published projects."""
        documented = [event for event in events if event.documentation_published]
        published = [project for project in projects if project.is_published]
        total = self.scale.documents_and_photos
        share_events = total * 2 // 3 if documented else 0
        shares = [
            (EventDocument, EventPhoto, "event", documented, share_events),
            (ProjectDocument, ProjectPhoto, "project", published, total - share_events),
        ]
        for document_model, photo_model, owner, owners, count in shares:
            if not owners or not count:
                continue
            documents = count * 2 // 5
            self.documents(document_model, owner, owners, documents)
            self.photos(photo_model, owner, owners, count - documents)

    def documents(self, model, owner: str, owners: list, count: int) -> None:
        spec = events_demo.DemoDocument(
            title="Beispieldokument",
            file_name="beispieldokument.pdf",
            description=events_demo.DOCUMENT_NOTE,
            pages=(events_demo.DemoPage("Beispieldokument", ("Für den Lasttest erzeugt.",)),),
        )
        content = events_demo.pdf_bytes(spec, event_title="Gemeinsam für das Quartier")
        # The one stored file; every other row names it too.
        first = model.objects.create(
            **{owner: owners[0]},
            title="Dokumentation (Beispiel)",
            file=ContentFile(content, name=spec.file_name),
            file_type="pdf",
            file_size=len(content),
        )
        titles = ("Präsentation", "Protokoll", "Ergebnispapier", "Teilnehmendenliste", "Bericht")
        rows = [
            model(
                **{owner: self.rng.choice(owners)},
                title=f"{self.rng.choice(titles)} {number}",
                description=self.rng.choice(("", "Zusammenfassung der Ergebnisse.")),
                language=self.rng.choice(("de",) * 9 + ("en",)),
                file=first.file.name,
                file_type="pdf",
                file_size=len(content),
                position=number,
            )
            for number in range(1, count)
        ]
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts[f"{owner}_documents"] = count

    def photos(self, model, owner: str, owners: list, count: int) -> None:
        motif = events_demo.DemoPhoto("quartier", "Beispielbild")
        first = model.objects.create(
            **{owner: owners[0]},
            image=ContentFile(
                events_demo.jpeg_bytes(motif, label="Lasttest"), name="beispielbild.jpg"
            ),
            alt_text=events_demo.alt_text(motif, label="Lasttest"),
            credit=events_demo.PHOTO_CREDIT,
            licence=ImageLicence.CC0,
        )
        photo_variants_create(photo=first)
        # photo_variants_create leaves the gallery variant's size empty in the row, and a row
        # without it opens its file whenever it is loaded; read it once (on loading) and store it.
        first.refresh_from_db()
        model.objects.filter(pk=first.pk).update(
            thumbnail_width=first.thumbnail_width, thumbnail_height=first.thumbnail_height
        )
        rows = []
        for number in range(1, count):
            roll = self.rng.random()
            rows.append(
                model(
                    **{owner: self.rng.choice(owners)},
                    image=first.image.name,
                    width=first.width,
                    height=first.height,
                    thumbnail=first.thumbnail.name,
                    thumbnail_width=first.thumbnail_width,
                    thumbnail_height=first.thumbnail_height,
                    display=first.display.name,
                    alt_text=first.alt_text,
                    caption=f"Beispielbild {number}",
                    credit=events_demo.PHOTO_CREDIT,
                    licence=ImageLicence.CC0,
                    # Some show people: most with their consent, a few without (not shown).
                    shows_people=roll < 0.15,
                    people_consented=roll < 0.1,
                    position=number,
                )
            )
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts[f"{owner}_photos"] = count

    def registrations(self, events: list[Event]) -> None:
        public = [event for event in events if event.is_published]
        if not public:
            return
        # Some events draw many people, most a few.
        weights = [self.rng.paretovariate(1.5) for _ in public]
        chosen = self.rng.choices(public, weights=weights, k=self.scale.registrations)
        by_event: dict[int, list[Event]] = defaultdict(list)
        for event in chosen:
            by_event[event.pk].append(event)
        rows = []
        number = 0
        for people in by_event.values():
            event = people[0]
            upcoming = event.end >= self.now
            capacity = None
            if upcoming and event.registration_enabled and self.rng.random() < 0.6:
                capacity = max(5, round(len(people) * self.rng.uniform(0.8, 1.5)))
                event.capacity = capacity
            confirmed = 0
            for _person in people:
                number += 1
                first, last = self.person()
                sent = min(self.now, event.start - datetime.timedelta(days=self.rng.randint(1, 60)))
                roll = self.rng.random()
                if roll < 0.08:
                    status = Registration.Status.CANCELLED
                elif roll < 0.14 and upcoming:
                    status = Registration.Status.UNCONFIRMED
                elif capacity is not None and confirmed >= capacity:
                    status = Registration.Status.WAITING
                else:
                    status = Registration.Status.CONFIRMED
                    confirmed += 1
                rows.append(
                    Registration(
                        event=event,
                        email=f"teilnahme{number}@example.org",
                        name=f"{first} {last}",
                        organisation=self.rng.choice(("", "", f"Verein {self.place('Berlin')}")),
                        status=status,
                        privacy_consent_at=sent,
                        privacy_notice_version="bench",
                        confirmed_at=None if status == Registration.Status.UNCONFIRMED else sent,
                        waiting_since=sent if status == Registration.Status.WAITING else None,
                        cancelled_at=sent + datetime.timedelta(hours=3)
                        if status == Registration.Status.CANCELLED
                        else None,
                    )
                )
        Registration.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        Event.objects.bulk_update(
            [event for event in public if event.capacity is not None],
            ["capacity"],
            batch_size=BATCH_SIZE,
        )
        self.counts["registrations"] = len(rows)

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            actors = self.actors()
            events = self.events(actors)
            projects = self.projects(actors, events)
            self.files(events, projects)
            self.registrations(events)
            content_changed()
        return self.counts


def generate(scale: str | Scale = "small", *, seed: int = SEED, out=None) -> dict[str, int]:
    """Add the generated data at ``scale`` to the database; the counts of what was made."""
    out = out or sys.stdout
    scale = SCALES[scale] if isinstance(scale, str) else scale
    started = time.monotonic()
    counts = _Generator(scale, seed, out).run()
    loaded = time.monotonic() - started
    out.write(f"Generated in {loaded:.1f} s: {_summary(counts)}\n")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics, as autovacuum would gather later: the planner's estimates after a
        # bulk load are otherwise those of empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if "rebuild_search_index" in get_commands():
        call_command("rebuild_search_index", stdout=out)
    else:
        out.write("No rebuild_search_index command: the search index was not rebuilt.\n")
    out.write(f"Done in {time.monotonic() - started:.1f} s with statistics and search index.\n")
    return counts


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in counts.items())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=SEED)
    arguments = parser.parse_args(argv)
    generate(arguments.scale, seed=arguments.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
