"""Demo data of the projects app: four example projects and one example publication.

The sources name no experimental project of the initiative, so every project here is an
example: its title starts with "Beispiel:", its summary says it is an example entry, and its
results are marked as example text. So are the facts programme databases show (budget, funding
programme, year of start); the federal state and the size of the place are those of the real
city. What is real are the organisations taking part, taken from
the actors' demo data (the participants the source names), and the example events they relate
to. Places mark a city, not an address: the coordinates are the city centre; the
neighbourhoods are examples too.

Documents and pictures are generated with the events' demo helpers and say that they are
examples. Like the other demo data, ``load()`` only creates what is missing and finds earlier
rows by address (slug) or title, so that whatever staff edited stays as it is.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from actors.models import Actor
from events import demo as events_demo
from events.demo import DemoDocument, DemoPage, DemoPhoto, pdf_bytes
from events.models import Event
from quartier.document_inspection import inspect_document
from quartier.slugs import german_slugify

from .models import (
    BudgetRange,
    FederalState,
    PlaceSize,
    Project,
    ProjectDocument,
    ProjectPartner,
    ProjectPhoto,
    Publication,
)

EXAMPLE_NOTE = (
    "*Hinweis zu den Demo-Daten: Dieses Projekt ist ein Beispiel. Die beteiligten "
    "Organisationen nehmen an der Initiative teil; Vorhaben, Quartier, Zeitraum, Budget, "
    "Förderung und Ergebnisse sind für die Demo erfunden.*"
)
EXAMPLE_RESULTS_NOTE = events_demo.EXAMPLE_RESULTS_NOTE

# City centres: a project's point on the map marks its city, not an address.
BERLIN = (Decimal("52.52000"), Decimal("13.40500"))
GOETTINGEN = (Decimal("51.54130"), Decimal("9.91580"))
MANNHEIM = (Decimal("49.48750"), Decimal("8.46600"))


@dataclass(frozen=True)
class DemoPartner:
    actor: str  # name of an actor of actors.demo
    role: str


@dataclass(frozen=True)
class DemoProject:
    title: str
    status: str
    city: str
    summary: str
    description: str
    location: tuple[Decimal, Decimal] | None = None
    neighbourhood: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    lead: str = ""
    partners: tuple[DemoPartner, ...] = ()
    approaches: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    related_events: tuple[str, ...] = ()  # titles of events of events.demo
    lessons_learned: str = ""
    transferability: str = ""
    why_transferable: str = ""
    federal_state: str = ""
    place_size: str = ""
    budget_range: str = ""
    funding_programme: str = ""
    documents: tuple[DemoDocument, ...] = ()
    photos: tuple[DemoPhoto, ...] = ()
    label: str = ""  # short name written on the generated pictures

    @property
    def slug(self) -> str:
        # As Project.clean() makes it when staff leave the field empty.
        return german_slugify(self.title)

    @property
    def facts(self) -> dict:
        """The project's facts as programme databases show them (Project.clean() would take
        the year from the start date too)."""
        return {
            "federal_state": self.federal_state,
            "place_size": self.place_size,
            "start_year": self.start.year if self.start else None,
            "budget_range": self.budget_range,
            "funding_programme": self.funding_programme,
            "why_transferable": self.why_transferable,
        }


GROUND_FLOORS = DemoProject(
    title="Beispiel: Erdgeschosse für die Nachbarschaft",
    status=Project.Status.COMPLETED,
    city="Berlin",
    neighbourhood="Gropiusstadt",
    location=BERLIN,
    federal_state=FederalState.BERLIN,
    place_size=PlaceSize.LARGE_CITY,
    budget_range=BudgetRange.FROM_250K,
    funding_programme="Sozialer Zusammenhalt",
    start=datetime.date(2021, 3, 1),
    end=datetime.date(2023, 6, 30),
    lead="degewo AG",
    partners=(
        DemoPartner("HOWOGE", "Zweites Wohnungsunternehmen, erprobt das Modell im eigenen Bestand"),
        DemoPartner("German Coworking Federation e.V.", "Beratung zu gemeinsam genutzten Räumen"),
        DemoPartner("Stiftung Berliner Leben", "Förderung der Nachbarschaftsangebote"),
    ),
    approaches=("Zwischennutzung", "Kooperation"),
    topics=("Wohnungswirtschaft", "Kreativwirtschaft"),
    related_events=("Beispiel: Werkstattgespräch Wohnen und Kreativwirtschaft",),
    summary=(
        "Beispieleintrag für die Demo: Ein Wohnungsunternehmen überlässt leere "
        "Erdgeschossräume auf Zeit an Kreative und Initiativen, die dort Angebote für die "
        "Nachbarschaft machen."
    ),
    description=(
        "In vielen Großsiedlungen stehen Läden und Gemeinschaftsräume im Erdgeschoss leer. "
        "In diesem Beispielprojekt stellt ein Wohnungsunternehmen solche Räume für zwei Jahre "
        "zur Verfügung – mietfrei, gegen ein Programm für die Nachbarschaft.\n\n"
        "- Eine Jury aus Bewohnerschaft, Unternehmen und Initiativen wählt die Nutzungen aus.\n"
        "- Ein kurzer Mustervertrag regelt Nebenkosten, Versicherung und Schlüssel.\n"
        "- Einmal im Quartal treffen sich alle Beteiligten.\n\n"
        f"{EXAMPLE_NOTE}"
    ),
    lessons_learned=(
        f"{EXAMPLE_RESULTS_NOTE}\n\n"
        "- Leere Räume werden schnell belebt, wenn die Verträge kurz und verständlich sind.\n"
        "- Eine feste Ansprechperson beim Wohnungsunternehmen ist wichtiger als ein großes "
        "Budget.\n"
        "- Angebote für Kinder und ältere Menschen erreichen die Nachbarschaft am besten."
    ),
    transferability=(
        f"{EXAMPLE_RESULTS_NOTE}\n\n"
        "Übertragbar ist vor allem der **Mustervertrag** für Räume auf Zeit; er ist im "
        "Abschlussbericht abgedruckt. Wer das Modell übernimmt, sollte von Beginn an klären, "
        "was nach der Zwischennutzung mit den Räumen geschieht."
    ),
    why_transferable=(
        f"{EXAMPLE_RESULTS_NOTE}\n\n"
        "Leere Erdgeschosse gibt es in fast jeder Großsiedlung. Das Modell braucht kein "
        "zusätzliches Geld für Miete, nur ein Unternehmen, das Räume auf Zeit überlässt, und "
        "eine Jury, der die Nachbarschaft vertraut."
    ),
    documents=(
        DemoDocument(
            title="Abschlussbericht (Beispieldokument)",
            file_name="abschlussbericht-erdgeschosse.pdf",
            description="Für die Demo erzeugt: Ergebnisse des Beispielprojekts auf einer Seite.",
            pages=(
                DemoPage(
                    "Erdgeschosse für die Nachbarschaft",
                    (
                        "Abschlussbericht des Beispielprojekts, 2021 bis 2023",
                        "",
                        "Was wir gelernt haben:",
                        "– Kurze, verständliche Verträge beleben leere Räume schnell.",
                        "– Eine feste Ansprechperson ist wichtiger als ein großes Budget.",
                        "",
                        "Was andere übernehmen können: den Mustervertrag für Räume auf Zeit.",
                    ),
                ),
            ),
        ),
    ),
    photos=(
        DemoPhoto("quartier", "Platzhalter für ein Foto der belebten Erdgeschosszone"),
        DemoPhoto("pinnwand", "Platzhalter für ein Foto der Ideen aus der Nachbarschaft"),
    ),
    label="Erdgeschosse für die Nachbarschaft · 2021–2023",
)

CULTURE_WORKSHOP = DemoProject(
    title="Beispiel: Kulturwerkstatt im Quartier",
    status=Project.Status.RUNNING,
    city="Göttingen",
    neighbourhood="Weststadt",
    location=GOETTINGEN,
    federal_state=FederalState.LOWER_SAXONY,
    place_size=PlaceSize.LARGE_CITY,
    budget_range=BudgetRange.UNDER_50K,
    funding_programme="Stiftungsmittel",
    start=datetime.date(2022, 5, 1),
    lead="STELLWERK Göttingen",
    partners=(
        DemoPartner("Neues Junges Theater Göttingen GmbH", "Theaterprojekte mit der Nachbarschaft"),
        DemoPartner(
            "kaz – Göttinger Kommunikations- und Aktionszentrum e.V.",
            "Veranstaltungen und Öffentlichkeitsarbeit im Stadtteil",
        ),
    ),
    approaches=("Beteiligung", "Kulturarbeit"),
    topics=("Kreativwirtschaft", "Beteiligung"),
    related_events=("Beispiel: Netzwerktreffen Kultur im Quartier",),
    summary=(
        "Beispieleintrag für die Demo: Kulturakteure öffnen eine Werkstatt im Stadtteil, in "
        "der Nachbarinnen und Nachbarn gemeinsam Theater, Musik und Ausstellungen machen."
    ),
    description=(
        "Jeden Monat lädt die Kulturwerkstatt zu einem offenen Abend ein; daraus entstehen "
        "kleine Produktionen, die im Quartier gezeigt werden – auf Plätzen, in Höfen und in "
        "leeren Läden.\n\n"
        f"{EXAMPLE_NOTE}"
    ),
    lessons_learned=(
        f"{EXAMPLE_RESULTS_NOTE}\n\n"
        "Zwischenstand: Feste Termine an einem bekannten Ort bringen mehr Menschen als "
        "einzelne große Veranstaltungen."
    ),
)

FOUNDERS_FLOOR = DemoProject(
    title="Beispiel: Gründungsetage im Stadtteil",
    status=Project.Status.COMPLETED,
    city="Mannheim",
    neighbourhood="Jungbusch",
    location=MANNHEIM,
    federal_state=FederalState.BADEN_WUERTTEMBERG,
    place_size=PlaceSize.LARGE_CITY,
    budget_range=BudgetRange.FROM_50K,
    funding_programme="EFRE – Europäischer Fonds für regionale Entwicklung",
    start=datetime.date(2020, 9, 1),
    end=datetime.date(2022, 12, 31),
    lead="mg: mannheimer gründungszentren gmbh",
    partners=(
        DemoPartner("Kulturelle Stadtentwicklung Mannheim", "Verbindung zur Kulturszene der Stadt"),
        DemoPartner("Montag Stiftung Urbane Räume", "Beratung zum gemeinwohlorientierten Betrieb"),
    ),
    approaches=("Zwischennutzung", "Gründungsförderung"),
    topics=("Kreativwirtschaft", "Quartiersmanagement"),
    related_events=("Beispiel: Werkstattgespräch Quartiersmanagement",),
    summary=(
        "Beispieleintrag für die Demo: Auf einer leeren Büroetage arbeiten junge Unternehmen "
        "aus der Kreativwirtschaft und öffnen ihre Räume regelmäßig für den Stadtteil."
    ),
    description=(
        "Die Gründerinnen und Gründer zahlen eine geringe Miete und geben dafür etwas an das "
        "Quartier zurück: offene Werkstätten, Beratung für Vereine, ein Stadtteilfest.\n\n"
        f"{EXAMPLE_NOTE}"
    ),
    lessons_learned=(
        f"{EXAMPLE_RESULTS_NOTE}\n\n"
        "- Gründungsförderung und Quartiersarbeit passen zusammen, wenn die Gegenleistung "
        "konkret vereinbart ist.\n"
        "- Die Nachbarschaft nimmt die Etage erst an, seit es einen Eingang auf Straßenhöhe "
        "gibt."
    ),
    transferability=(
        f"{EXAMPLE_RESULTS_NOTE}\n\n"
        "Das Modell „günstige Miete gegen Angebote für das Quartier“ lässt sich in jeder "
        "Stadt mit leeren Gewerbeflächen erproben. Wichtig ist eine Stelle, die zwischen "
        "Unternehmen und Nachbarschaft vermittelt."
    ),
    why_transferable=(
        f"{EXAMPLE_RESULTS_NOTE}\n\n"
        "Die Gegenleistung ist ein Vertrag, kein Zuschuss: Das Modell hängt nicht an einem "
        "Förderprogramm und passt zu jeder Stadt, in der Büroflächen leer stehen."
    ),
    documents=(
        DemoDocument(
            title="Projektbilanz (Beispieldokument)",
            file_name="projektbilanz-gruendungsetage.pdf",
            description="Für die Demo erzeugt: die Bilanz des Beispielprojekts auf einer Seite.",
            pages=(
                DemoPage(
                    "Gründungsetage im Stadtteil",
                    (
                        "Bilanz des Beispielprojekts, 2020 bis 2022",
                        "",
                        "Günstige Miete gegen Angebote für das Quartier: offene Werkstätten, "
                        "Beratung für Vereine, ein Stadtteilfest.",
                        "",
                        "Wichtig: eine Stelle, die zwischen Unternehmen und Nachbarschaft "
                        "vermittelt.",
                    ),
                ),
            ),
        ),
    ),
    photos=(
        DemoPhoto("tisch", "Platzhalter für ein Foto vom offenen Beratungstisch"),
        DemoPhoto("podium", "Platzhalter für ein Foto vom Stadtteilfest"),
    ),
    label="Gründungsetage im Stadtteil · 2020–2022",
)

NEIGHBOURHOOD_HOUSE = DemoProject(
    title="Beispiel: Nachbarschaftshaus in gemeinschaftlicher Hand",
    status=Project.Status.PLANNED,
    city="Berlin",
    federal_state=FederalState.BERLIN,
    place_size=PlaceSize.LARGE_CITY,
    budget_range=BudgetRange.OVER_1M,
    start=datetime.date(2027, 4, 1),
    lead="Stiftung Trias",
    partners=(
        DemoPartner("HOWOGE", "Bringt ein Grundstück ein"),
        DemoPartner("Netzwerk Immovielien", "Beratung zur gemeinwohlorientierten Trägerschaft"),
    ),
    approaches=("Gemeinwohlorientierte Trägerschaft", "Beteiligung"),
    topics=("Beteiligung", "Quartiersmanagement"),
    related_events=(
        "Beispiel: Online-Werkstatt Beteiligung im Quartier",
        "Beispiel: Netzwerktreffen der Partner",
    ),
    summary=(
        "Beispieleintrag für die Demo: Ein Haus für die Nachbarschaft soll dauerhaft in "
        "gemeinschaftlicher Hand bleiben – getragen von einer Stiftung, einem "
        "Wohnungsunternehmen und den künftigen Nutzerinnen und Nutzern."
    ),
    description=(
        "Der Standort steht noch nicht fest; deshalb erscheint das Projekt noch nicht auf der "
        "Karte. Geplant ist, das Grundstück im Erbbaurecht zu vergeben, damit es dem Markt "
        "entzogen bleibt.\n\n"
        f"{EXAMPLE_NOTE}"
    ),
)

PROJECTS = (GROUND_FLOORS, CULTURE_WORKSHOP, FOUNDERS_FLOOR, NEIGHBOURHOOD_HOUSE)

PUBLICATION_TITLE = "Beispiel: Abschlussbericht der Vernetzungsinitiative"
PUBLICATION_DOCUMENT = DemoDocument(
    title=PUBLICATION_TITLE,
    file_name="abschlussbericht-vernetzungsinitiative.pdf",
    description="",
    tagged=True,  # beside the events' untagged scans: both states show in the lists
    pages=(
        DemoPage(
            "Abschlussbericht (Beispieldokument)",
            (
                "Gemeinsam für das Quartier – die Vernetzungsinitiative 2020",
                "",
                "Auftakt am 20. Februar 2020 in Berlin, Veranstaltungen und "
                "Werkstattgespräche im Laufe des Jahres, Bilanzveranstaltung am 3. Dezember "
                "2020: Die Beteiligten beschlossen, die Initiative fortzusetzen.",
                "",
                "Die vier Ziele der Initiative:",
                *events_demo.GOALS,
            ),
        ),
    ),
)


# --- loading --------------------------------------------------------------------------------


def _existing_project(spec: DemoProject) -> Project | None:
    """The project the demo made earlier, even if staff have since changed its address or title."""
    return Project.objects.filter(Q(slug=spec.slug) | Q(title=spec.title)).order_by("pk").first()


def _actors_by_name() -> dict[str, Actor]:
    """The demo's actors by the names actors.demo gave them, found by address or name."""
    names = {
        name
        for spec in PROJECTS
        for name in (spec.lead, *(partner.actor for partner in spec.partners))
        if name
    }
    slugs = {german_slugify(name): name for name in names}
    found: dict[str, Actor] = {}
    for actor in Actor.objects.filter(Q(slug__in=slugs) | Q(name__in=names)).order_by("pk"):
        for name in (slugs.get(actor.slug), actor.name if actor.name in names else None):
            if name:
                found.setdefault(name, actor)
    return found


def _events_by_title() -> dict[str, Event]:
    """The example events of events.demo that projects relate to, found by address or title."""
    specs = {spec.title: spec for spec in events_demo.EVENTS}
    titles = {title for project in PROJECTS for title in project.related_events}
    slugs = {specs[title].slug: title for title in titles}
    found: dict[str, Event] = {}
    for event in Event.objects.filter(Q(slug__in=slugs) | Q(title__in=titles)).order_by("pk"):
        for title in (slugs.get(event.slug), event.title if event.title in titles else None):
            if title:
                found.setdefault(title, event)
    return found


def _load_publication() -> Publication:
    slug = german_slugify(PUBLICATION_TITLE)
    publication = (
        Publication.objects.filter(Q(slug=slug) | Q(title=PUBLICATION_TITLE)).order_by("pk").first()
    )
    if publication is None:
        content = pdf_bytes(PUBLICATION_DOCUMENT, event_title="Gemeinsam für das Quartier")
        publication = Publication.objects.create(
            title=PUBLICATION_TITLE,
            slug=slug,
            summary=(
                "Beispieleintrag für die Demo: So erscheint eine Veröffentlichung der "
                "Initiative, die zu keiner einzelnen Veranstaltung gehört – etwa ein "
                "Abschlussbericht. Das Dokument ist für die Demo erzeugt."
            ),
            description="Beispieldokument, für die Demo-Daten des Portals erzeugt.",
            published_on=datetime.date(2021, 3, 1),
            is_published=True,
            language="de",
            file=ContentFile(content, name=PUBLICATION_DOCUMENT.file_name),
            file_type="pdf",
            file_size=len(content),
            **inspect_document(io.BytesIO(content), kind="pdf").as_fields(),
        )
    return publication


@transaction.atomic
def load() -> dict[str, int]:
    """Create the demo projects and the publication that are missing.

    A project found again is left as staff keep it; its facts (federal state, size, year,
    budget, funding, why transferable), partners, topics, approaches, related events, documents
    and photos are only added when it has none of them yet.
    """
    actors = _actors_by_name()
    events = _events_by_title()
    projects = []
    for spec in PROJECTS:
        project = _existing_project(spec)
        created = project is None
        if created:
            latitude, longitude = spec.location or (None, None)
            project = Project.objects.create(
                title=spec.title,
                slug=spec.slug,
                status=spec.status,
                city=spec.city,
                neighbourhood=spec.neighbourhood,
                latitude=latitude,
                longitude=longitude,
                start=spec.start,
                end=spec.end,
                summary=spec.summary,
                description=spec.description,
                lead_actor=actors.get(spec.lead),
                lessons_learned=spec.lessons_learned,
                transferability=spec.transferability,
                is_published=True,
                **spec.facts,
            )
        elif not any(getattr(project, name) for name in spec.facts):
            # Made before projects had these facts: they are added, as nobody has set any.
            for name, value in spec.facts.items():
                setattr(project, name, value)
            project.save()
        projects.append(project)

        partners = [
            (actors[partner.actor], partner.role)
            for partner in spec.partners
            if partner.actor in actors
        ]
        if partners and (created or not project.partnerships.exists()):
            ProjectPartner.objects.bulk_create(
                ProjectPartner(project=project, actor=actor, role=role, position=position * 10)
                for position, (actor, role) in enumerate(partners, start=1)
            )
        if spec.approaches and (created or not project.approaches.exists()):
            project.approaches.add(*spec.approaches)
        if spec.topics and (created or not project.topics.exists()):
            project.topics.add(*spec.topics)
        related = [events[title] for title in spec.related_events if title in events]
        if related and (created or not project.related_events.exists()):
            project.related_events.add(*related)
        if spec.documents and (created or not project.documents.exists()):
            events_demo.create_documents(project.documents, spec)
        if spec.photos and (created or not project.photos.exists()):
            events_demo.create_photos(project.photos, spec)

    publication = _load_publication()
    return {
        "projects": len(projects),
        "project_documents": ProjectDocument.objects.filter(project__in=projects).count(),
        "project_photos": ProjectPhoto.objects.filter(project__in=projects).count(),
        "publications": Publication.objects.filter(pk=publication.pk).count(),
    }
