"""Demo data of the events app: the initiative's real events 2020–2025, and examples of the rest.

The real events are those of the public record (events/public_record.py, one event per date of
a row): their date, format, title or subject, place, organisers and the people the sources say
spoke, in our words and with nothing added. Where the record names no time, the event is marked
"time not known" (pages show the day, calendars an all-day entry); where it names no place,
"place not known". No documents or photos are made for them: the record has their titles at
most, never their files. The record's publications are not loaded either, for the same reason
(a publication of the portal is its file).

The examples, marked "Beispiel:" in their titles, show what the record lacks: complete
documentation with programme, documents and photos; documentation still in the works; a
cancelled event; an event still to come; and, dated a few weeks after the day the demo is
loaded, registration: three places, two of them taken by example people, so that one can
register for the last place, join the waiting list with a second address, cancel the first and
watch the second move up. Their documents and photos are generated here (small real PDFs,
coloured graphics) and say that they are examples; none of them is passed off as a DV photo or
report.

Like the actors' demo data, ``load()`` only creates what is missing and finds earlier rows by
address (slug) or title, so that whatever staff edited stays as it is.
"""

import datetime
import io
import math
import zoneinfo
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from actors.demo import RUNNERS
from actors.models import Actor
from quartier.document_inspection import inspect_document
from quartier.media import photo_variants_create
from quartier.models import ImageLicence
from quartier.slugs import german_slugify
from quartier.tagged_pdf import TextPage, text_pdf_bytes

from .models import (
    Event,
    EventDocument,
    EventFormat,
    EventPhoto,
    ProgrammeItem,
    Registration,
    Speaker,
)
from .public_record import FORMATS

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

DV = RUNNERS[0][0]
STADT_ALS_CAMPUS = RUNNERS[1][0]

PHOTO_CREDIT = "Beispielbild (generiert für die Demo)"
DOCUMENT_NOTE = "Beispieldokument, für die Demo-Daten des Portals erzeugt."
EXAMPLE_RESULTS_NOTE = "*Beispieltext für die Demo.*"


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def _day(year: int, month: int, day: int) -> dict:
    """The start and end of a day whose time is not known: midnight to midnight in Berlin."""
    start = _at(year, month, day, 0)
    end = datetime.datetime.combine(
        start.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=BERLIN
    )
    return {"start": start, "end": end, "time_unknown": True}


# --- what the demo describes ----------------------------------------------------------------


@dataclass(frozen=True)
class DemoSpeaker:
    name: str
    function: str = ""
    actor: str = ""  # name of an actor of actors.demo
    organisation: str = ""  # only when the organisation is not in the directory


@dataclass(frozen=True)
class DemoItem:
    title: str
    starts_at: datetime.time | None = None
    ends_at: datetime.time | None = None
    description: str = ""
    speakers: tuple[DemoSpeaker, ...] = ()


@dataclass(frozen=True)
class DemoPage:
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class DemoDocument:
    title: str
    file_name: str
    description: str
    pages: tuple[DemoPage, ...]
    slides: bool = False  # landscape pages, like a presentation
    # A tagged PDF with a text layer (quartier.tagged_pdf) instead of scanned-looking pages.
    tagged: bool = False


@dataclass(frozen=True)
class DemoPhoto:
    motif: str  # a key of MOTIFS
    caption: str


@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: str  # the slug of a format of public_record.FORMATS
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    description: str = ""
    status: str = Event.Status.PUBLISHED
    time_unknown: bool = False
    is_online: bool = False
    venue_name: str = ""
    street: str = ""
    city: str = ""
    place_unknown: bool = False
    organisers: tuple[str, ...] = (DV,)
    participants: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    results: str = ""
    documentation_published: bool = False
    programme: tuple[DemoItem, ...] = ()
    documents: tuple[DemoDocument, ...] = ()
    photos: tuple[DemoPhoto, ...] = ()
    label: str = ""  # short name and date written on the generated pictures
    record: str = ""  # the date of the row of public_record.RECORD it comes from

    @property
    def slug(self) -> str:
        # As Event.clean() makes it when staff leave the field empty.
        return german_slugify(f"{self.title} {self.start:%Y}")


# The initiative's four goals, in our words.
GOALS = (
    "1. Eine Stadt- und Quartiersentwicklung stärken, die Menschen aktiviert, auf Kooperation "
    "setzt und sich am Gemeinwesen orientiert.",
    "2. Etablierte Akteure wie die Wohnungs- und Immobilienwirtschaft mit "
    "zivilgesellschaftlichen Initiativen und der Kreativszene an einen Tisch bringen.",
    "3. Das integrierte Quartiersmanagement voranbringen.",
    "4. Experimentelle Projekte für eine aktivierende, kooperative und gemeinwesenorientierte "
    "Quartiersentwicklung starten.",
)

KICK_OFF = DemoEvent(
    record="20 Feb 2020",
    title="Auftaktveranstaltung „Gemeinsam für das Quartier“",
    kind="auftaktveranstaltung",
    **_day(2020, 2, 20),
    venue_name="Räume der Stiftung „Berliner Leben“",
    city="Berlin",
    organisers=(DV, STADT_ALS_CAMPUS),
    topics=("Quartiersmanagement", "Kreativwirtschaft", "Wohnungswirtschaft"),
    summary=(
        "Am 20. Februar 2020 startete in Berlin die Vernetzungsinitiative „Gemeinsam für das "
        "Quartier“ des DV und von STADT ALS CAMPUS."
    ),
    description=(
        "Mit dieser Veranstaltung begann die Initiative, die etablierte Akteure der "
        "Quartiersentwicklung – Wohnungs- und Immobilienwirtschaft, Kommunen und "
        "Wohlfahrtsverbände – mit zivilgesellschaftlichen Initiativen und der Kreativszene "
        "zusammenbringen will. Diese Gruppen arbeiteten bis dahin oft nebeneinander her, "
        "manchmal sogar gegeneinander.\n\n"
        "Für den DV sprach Generalsekretär Christian Huttenloher; in welchem Teil des "
        "Programms, ist nicht überliefert.\n\n"
        "Im Laufe des Jahres 2020 folgte eine Reihe von Veranstaltungen und "
        "Werkstattgesprächen, zu denen der DV die verschiedenen Akteure einlud."
    ),
    results=(
        "Mit der Auftaktveranstaltung nahm die Initiative ihre Arbeit auf. Sie verfolgt vier "
        "Ziele:\n\n" + "\n".join(GOALS)
    ),
    documentation_published=True,
    # The six blocks of the agenda; their times are not known.
    programme=(
        DemoItem("Begrüßung"),
        DemoItem("Die Sicht des Bundes"),
        DemoItem("Kurzvorträge"),
        DemoItem("Handlungsfelder"),
        DemoItem("Projekte"),
        DemoItem("Ausblick"),
    ),
)

WORKING_CONFERENCE = DemoEvent(
    record="2 Oct 2020",
    title="3. Arbeitskonferenz „Gemeinsam für das Quartier: Formate, Orte, Strategien, Allianzen“",
    kind="arbeitskonferenz",
    start=_at(2020, 10, 2, 10, 30),
    end=_at(2020, 10, 2, 18),
    venue_name="Ehemaliger Flughafen Tempelhof, Ausstellung „LIVING THE CITY“",
    city="Berlin",
    organisers=(DV, STADT_ALS_CAMPUS),
    summary=(
        "Die dritte Arbeitskonferenz der Initiative, auch Netzwerkkonferenz genannt, fand in "
        "der Ausstellung „LIVING THE CITY“ im ehemaligen Flughafen Tempelhof statt."
    ),
    description=(
        "Das Programm hatte drei thematische Blöcke mit je zwei moderierten Podien. Es nahmen "
        "etwa 30 bis 50 Personen teil; die Quellen nennen unterschiedliche Zahlen.\n\n"
        "Dokumentiert wurde die Konferenz mit einem schriftlichen Bericht, einem Video, einem "
        "Blogbeitrag und der Präsentation als PDF."
    ),
)

REVIEW = DemoEvent(
    record="3 Dec 2020",
    title="Bilanzveranstaltung „Gemeinsam für das Quartier“",
    kind="bilanzveranstaltung",
    **_day(2020, 12, 3),
    place_unknown=True,
    organisers=(DV, STADT_ALS_CAMPUS),
    topics=("Quartiersmanagement", "Beteiligung"),
    summary=(
        "Am 3. Dezember 2020 zogen die Beteiligten Bilanz aus dem ersten Jahr der Initiative "
        "und beschlossen, sie fortzusetzen."
    ),
    description=(
        "Die Bilanzveranstaltung schloss die Reihe von Veranstaltungen und "
        "Werkstattgesprächen ab, die der DV im Laufe des Jahres 2020 mit den verschiedenen "
        "Akteuren der Initiative durchgeführt hatte.\n\n"
        "Ende 2020 wurde unter der deutschen EU-Ratspräsidentschaft auch die Neue "
        "Leipzig-Charta verabschiedet. Sie betont, dass Zivilgesellschaft und Wirtschaft die "
        "Quartiere aktiv mitgestalten müssen – das Anliegen, mit dem die Initiative "
        "angetreten war."
    ),
    results=(
        "Die Teilnehmenden beschlossen, die Initiative „Gemeinsam für das Quartier“ "
        "fortzusetzen.\n\n"
        "Viele von ihnen arbeiten seitdem als Partner eines Netzwerks weiter. Jede "
        "Organisation beschreibt dabei in ihrer eigenen „Mission“, was sie antreibt und was "
        "die Zusammenarbeit für die Stadt-, Quartiers- und Kleinstadtentwicklung beiträgt."
    ),
    documentation_published=True,
)

RECORDED_LATER = (
    DemoEvent(
        record="4 May 2021",
        title="Zwischenbilanz beim 14. Bundeskongress der Nationalen Stadtentwicklungspolitik",
        kind="kongress-session",
        **_day(2021, 5, 4),
        place_unknown=True,
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "In einer Session des 14. Bundeskongresses der Nationalen Stadtentwicklungspolitik "
            "zog die Initiative eine Zwischenbilanz zu „Dritten Orten“ und „Mikroquartieren“."
        ),
    ),
    DemoEvent(
        record="21 Jun 2021",
        title=(
            "Perspektivenwerkstatt 3: „Urbane Strategien zur Transformation von Stadt- und "
            "Stadtteilzentren“"
        ),
        kind="perspektivenwerkstatt",
        start=_at(2021, 6, 21, 10),
        end=_at(2021, 6, 21, 14),
        is_online=True,
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "Die dritte Perspektivenwerkstatt fragte online nach urbanen Strategien für den "
            "Wandel von Stadt- und Stadtteilzentren."
        ),
        # The record's row on the series of 2021 is no event of its own.
        description=(
            "Die Perspektivenwerkstätten des Jahres 2021 fanden online statt. Sie wechselten "
            "zwischen Zentren, Quartieren, Kleinstädten und ländlichen Räumen und sahen jeweils "
            "auf Orte, Formate und Strategien."
        ),
    ),
    DemoEvent(
        record="17 Feb 2022",
        title="Jahresauftakt 2022: die „Quintessenz“",
        kind="auftaktveranstaltung",
        **_day(2022, 2, 17),
        is_online=True,
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "Zum Jahresauftakt stellte die Initiative in einer Videokonferenz mehr als 60 "
            "Partnern ihr Papier „Quintessenz“ vor."
        ),
        description=(
            "Genannt wurden beispielhafte Vorhaben vor Ort in Kiel, Malente, Bremen, "
            "Wolfsburg, Helmstedt, Bernburg, Prädikow, Berlin, Frankfurt (Oder), Aachen, "
            "Wuppertal, Herne, Dortmund, Offenbach, Mannheim, Regensburg und München."
        ),
    ),
    DemoEvent(
        record="1 Sep 2022",
        title="Praxiswerkstatt auf Hof Prädikow: kreative Orte und Netzwerke",
        kind="praxiswerkstatt",
        **_day(2022, 9, 1),
        venue_name="Hof Prädikow",
        city="Prädikow",
        organisers=(DV, STADT_ALS_CAMPUS),
        participants=("Netzwerk Zukunftsorte",),
        summary=(
            "Eine Praxiswerkstatt mit dem Netzwerk Zukunftsorte auf Hof Prädikow in "
            "Brandenburg, über kreative Orte und ihre Netzwerke."
        ),
    ),
    DemoEvent(
        record="14 Sep 2022",
        title="Begleitveranstaltung zum Bundeskongress der Nationalen Stadtentwicklungspolitik",
        kind="kongress-session",
        **_day(2022, 9, 14),
        venue_name="STATION, Park am Gleisdreieck",
        city="Berlin",
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "Eine Begleitveranstaltung der Initiative zum Bundeskongress der Nationalen "
            "Stadtentwicklungspolitik, in der STATION am Park am Gleisdreieck in Berlin."
        ),
    ),
    DemoEvent(
        record="6 Oct 2022",
        title="Praxiswerkstatt Märkisches Viertel",
        kind="praxiswerkstatt",
        **_day(2022, 10, 6),
        venue_name="GESOBAU-Studio",
        street="Senftenberger Ring 24",
        city="Berlin",
        organisers=(DV, STADT_ALS_CAMPUS),
        summary="Eine Praxiswerkstatt im Märkischen Viertel in Berlin, im Studio der GESOBAU.",
    ),
    DemoEvent(
        record="19 Oct 2022",
        title="Praxiswerkstatt in Aachen: vom Warenhaus zur gemischten Nutzung",
        kind="praxiswerkstatt",
        **_day(2022, 10, 19),
        city="Aachen",
        organisers=(DV, STADT_ALS_CAMPUS),
        participants=("ZIA Zentraler Immobilien Ausschuss e.V.",),
        summary=(
            "In Aachen ging es darum, wie aus einem Warenhaus ein Haus mit gemischter Nutzung "
            "wird – mit der Landmarken AG, SEGA und dem ZIA."
        ),
    ),
    DemoEvent(
        record="13 May 2024",
        title="Praxiswerkstatt in Lichtenrade: vom Warenhaus zum gemischt genutzten Haus",
        kind="praxiswerkstatt",
        **_day(2024, 5, 13),
        venue_name="Alte Mälzerei Lichtenrade",
        city="Berlin",
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "Die dritte Praxiswerkstatt einer Reihe darüber, wie aus einem Warenhaus ein "
            "gemischt genutztes Haus wird."
        ),
        description=(
            "Die beiden früheren Werkstätten der Reihe fanden in der Markthalle Wolfsburg und "
            "im CORE Oldenburg statt; ihre Daten sind nicht bekannt."
        ),
    ),
    DemoEvent(
        record="4 Dec 2024",
        title="Netzwerktreffen: Rückblick auf die Stadtlabore",
        kind="netzwerktreffen",
        **_day(2024, 12, 4),
        is_online=True,
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "Online blickte das Netzwerk auf die „Stadtlabore“ zurück, die seit 2023 "
            "stattgefunden hatten."
        ),
    ),
    DemoEvent(
        record="24 Feb 2025",
        title="Abschlussveranstaltung der Initiative (online)",
        kind="bilanzveranstaltung",
        **_day(2025, 2, 24),
        is_online=True,
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "Zum Abschluss der Initiative kamen die Beteiligten gemeinsam mit dem vhw zuerst "
            "online zusammen; drei Tage später folgte ein Treffen in Berlin."
        ),
    ),
    DemoEvent(
        record="27 Feb 2025",
        title="Abschlussveranstaltung der Initiative in Berlin",
        kind="bilanzveranstaltung",
        **_day(2025, 2, 27),
        venue_name="REFUGIO Berlin",
        street="Lenaustraße 3",
        city="Berlin",
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "Mit dem vhw schloss die Initiative im REFUGIO Berlin ab, nach dem Online-Termin "
            "drei Tage zuvor."
        ),
    ),
    DemoEvent(
        record="26 Nov 2025",
        title="„Generationenfrage Gemeinwohl“ – mit der Kleinstadt Akademie",
        kind="fachveranstaltung",
        **_day(2025, 11, 26),
        place_unknown=True,
        organisers=(DV, STADT_ALS_CAMPUS),
        summary=(
            "Eine Veranstaltung mit der Kleinstadt Akademie unter dem Titel „Generationenfrage "
            "Gemeinwohl“, mit etwa 60 Teilnehmenden."
        ),
    ),
)

# The events of the public record, in its order.
RECORDED = (KICK_OFF, WORKING_CONFERENCE, REVIEW, *RECORDED_LATER)

EXAMPLES = (
    DemoEvent(
        title="Beispiel: Werkstattgespräch Wohnen und Kreativwirtschaft",
        kind="werkstattgespraech",
        start=_at(2020, 3, 12, 14),
        end=_at(2020, 3, 12, 17),
        venue_name="Beispiel-Tagungsort",
        city="Berlin",
        participants=(
            "degewo AG",
            "HOWOGE",
            "STELLWERK Göttingen",
            "German Coworking Federation e.V.",
            "Stiftung Berliner Leben",
        ),
        topics=("Wohnungswirtschaft", "Kreativwirtschaft"),
        summary=(
            "Beispieleintrag für die Demo: Wohnungsunternehmen und Kreative sprechen darüber, "
            "wie leere Erdgeschosse zu Orten für die Nachbarschaft werden."
        ),
        description=(
            "So sieht ein vollständig dokumentiertes Werkstattgespräch aus: Programm, "
            "Ergebnisse, Dokumente und Fotos.\n\n"
            "Im Mittelpunkt stehen Fragen wie:\n\n"
            "- Unter welchen Bedingungen überlassen Wohnungsunternehmen Räume auf Zeit?\n"
            "- Was brauchen Kreative, damit ein Raum für die Nachbarschaft funktioniert?\n"
            "- Wer übernimmt Kosten und Verantwortung?"
        ),
        results=(
            f"{EXAMPLE_RESULTS_NOTE}\n\n"
            "- Zwischennutzungen gelingen, wenn früh feststeht, wer Ansprechpartner ist.\n"
            "- Klare, kurze Verträge senken die Hürde für beide Seiten.\n"
            "- Die Nachbarschaft sollte von Anfang an einbezogen werden.\n\n"
            "**Nächste Schritte:** Die Teilnehmenden sammeln Beispiele gelungener Projekte "
            "für das nächste Treffen."
        ),
        documentation_published=True,
        programme=(
            DemoItem(
                "Begrüßung und Einführung",
                datetime.time(14, 0),
                datetime.time(14, 15),
                speakers=(DemoSpeaker("Max Mustermann", "Referent (Beispiel)", actor=DV),),
            ),
            DemoItem(
                "Impuls: Räume auf Zeit im Bestand",
                datetime.time(14, 15),
                datetime.time(15, 0),
                "Erfahrungen eines Wohnungsunternehmens mit Zwischennutzungen.",
                speakers=(
                    DemoSpeaker(
                        "Erika Mustermann",
                        "Quartiersentwicklung (Beispiel)",
                        actor="degewo AG",
                    ),
                ),
            ),
            DemoItem(
                "Arbeitsgruppen",
                datetime.time(15, 0),
                datetime.time(16, 30),
                "Drei Gruppen: Erdgeschosse, Verträge, Nachbarschaft.",
            ),
            DemoItem(
                "Ergebnisse und Ausblick",
                datetime.time(16, 30),
                datetime.time(17, 0),
                speakers=(
                    DemoSpeaker(
                        "Maria Musterfrau",
                        "Moderation (Beispiel)",
                        organisation="Beispiel-Moderationsbüro",
                    ),
                ),
            ),
        ),
        documents=(
            DemoDocument(
                title="Programm",
                file_name="programm.pdf",
                description="Ablauf des Werkstattgesprächs (Beispieldokument).",
                pages=(
                    DemoPage(
                        "Programm",
                        (
                            "Beispiel: Werkstattgespräch Wohnen und Kreativwirtschaft",
                            "12. März 2020, 14:00 bis 17:00 Uhr",
                            "",
                            "14:00 Uhr  Begrüßung und Einführung",
                            "14:15 Uhr  Impuls: Räume auf Zeit im Bestand",
                            "15:00 Uhr  Arbeitsgruppen",
                            "16:30 Uhr  Ergebnisse und Ausblick",
                        ),
                    ),
                ),
            ),
            DemoDocument(
                title="Präsentation: Räume auf Zeit im Bestand",
                file_name="praesentation-raeume-auf-zeit.pdf",
                description="Folien des Impulsvortrags (Beispieldokument).",
                slides=True,
                pages=(
                    DemoPage("Räume auf Zeit im Bestand", ("Impulsvortrag (Beispiel)",)),
                    DemoPage(
                        "Ausgangslage",
                        (
                            "– leere Erdgeschosse in Großsiedlungen",
                            "– Nachfrage nach günstigen Räumen für Kreative",
                            "– Wunsch nach Treffpunkten in der Nachbarschaft",
                        ),
                    ),
                    DemoPage(
                        "Was wir gelernt haben",
                        (
                            "– feste Ansprechpartner auf beiden Seiten",
                            "– kurze, klare Verträge",
                            "– die Nachbarschaft früh einbeziehen",
                        ),
                    ),
                ),
            ),
            DemoDocument(
                title="Ergebnisbericht",
                file_name="ergebnisbericht.pdf",
                description="Zusammenfassung der Arbeitsgruppen (Beispieldokument).",
                pages=(
                    DemoPage(
                        "Ergebnisbericht",
                        (
                            "Beispiel: Werkstattgespräch Wohnen und Kreativwirtschaft, "
                            "12. März 2020",
                            "",
                            "Zwischennutzungen gelingen, wenn früh feststeht, wer "
                            "Ansprechpartner ist.",
                            "Klare, kurze Verträge senken die Hürde für beide Seiten.",
                            "Die Nachbarschaft sollte von Anfang an einbezogen werden.",
                        ),
                    ),
                ),
            ),
        ),
        photos=(
            DemoPhoto("tisch", "Beispielbild: Arbeitsgruppe am runden Tisch"),
            DemoPhoto("pinnwand", "Beispielbild: gesammelte Ideen an der Pinnwand"),
            DemoPhoto("quartier", "Beispielbild: Lageplan eines Quartiers"),
            DemoPhoto("podium", "Beispielbild: Impulsvortrag"),
        ),
        label="Werkstattgespräch · 12. März 2020",
    ),
    DemoEvent(
        title="Beispiel: Online-Werkstatt Beteiligung im Quartier",
        kind="werkstattgespraech",
        start=_at(2020, 6, 16, 10),
        end=_at(2020, 6, 16, 12, 30),
        is_online=True,
        participants=(
            "Montag Stiftung Urbane Räume",
            "Stiftung Trias",
            "Netzwerk Immovielien",
            "Bundesverband Soziokultur e.V.",
            "wohnbund e.V.",
        ),
        topics=("Beteiligung", "Quartiersmanagement"),
        summary=(
            "Beispieleintrag für die Demo: Stiftungen und Initiativen tauschen sich online "
            "darüber aus, wie Bewohnerinnen und Bewohner ihr Quartier mitgestalten."
        ),
        description=(
            "Eine Online-Veranstaltung mit Programm, Ergebnissen, Dokumenten und Bildern – als "
            "Beispiel dafür, wie auch digitale Formate dokumentiert werden."
        ),
        results=(
            f"{EXAMPLE_RESULTS_NOTE}\n\n"
            "- Beteiligung braucht Orte, an denen man sich ohne Anlass trifft.\n"
            "- Gemeinwohlorientierte Eigentümer können Räume dauerhaft sichern.\n"
            "- Quartiersmanagement und Initiativen sollten ihre Angebote abstimmen."
        ),
        documentation_published=True,
        programme=(
            DemoItem(
                "Begrüßung",
                datetime.time(10, 0),
                datetime.time(10, 10),
                speakers=(DemoSpeaker("Max Mustermann", "Referent (Beispiel)", actor=DV),),
            ),
            DemoItem(
                "Impuls: Räume in gemeinschaftlicher Hand",
                datetime.time(10, 10),
                datetime.time(10, 40),
                speakers=(
                    DemoSpeaker(
                        "Jonas Beispiel", "Projektleitung (Beispiel)", actor="Stiftung Trias"
                    ),
                ),
            ),
            DemoItem(
                "Diskussion in kleinen Gruppen",
                datetime.time(10, 40),
                datetime.time(12, 0),
            ),
            DemoItem("Zusammenfassung", datetime.time(12, 0), datetime.time(12, 30)),
        ),
        documents=(
            DemoDocument(
                title="Präsentation: Räume in gemeinschaftlicher Hand",
                file_name="praesentation-gemeinschaftliche-raeume.pdf",
                description="Folien des Impulses (Beispieldokument).",
                slides=True,
                pages=(
                    DemoPage("Räume in gemeinschaftlicher Hand", ("Impuls (Beispiel)",)),
                    DemoPage(
                        "Drei Thesen",
                        (
                            "– Beteiligung braucht Orte",
                            "– Eigentum kann Räume dauerhaft sichern",
                            "– Angebote im Quartier abstimmen",
                        ),
                    ),
                ),
            ),
            DemoDocument(
                title="Ergebnisprotokoll",
                file_name="ergebnisprotokoll.pdf",
                description="Ergebnisse der Gruppen (Beispieldokument).",
                pages=(
                    DemoPage(
                        "Ergebnisprotokoll",
                        (
                            "Beispiel: Online-Werkstatt Beteiligung im Quartier, 16. Juni 2020",
                            "",
                            "Beteiligung braucht Orte, an denen man sich ohne Anlass trifft.",
                            "Gemeinwohlorientierte Eigentümer können Räume dauerhaft sichern.",
                            "Quartiersmanagement und Initiativen sollten ihre Angebote abstimmen.",
                        ),
                    ),
                ),
            ),
        ),
        photos=(
            DemoPhoto("bildschirm", "Beispielbild: Videokonferenz mit den Teilnehmenden"),
            DemoPhoto("pinnwand", "Beispielbild: digitale Pinnwand mit Ergebnissen"),
            DemoPhoto("quartier", "Beispielbild: Lageplan eines Quartiers"),
        ),
        label="Online-Werkstatt · 16. Juni 2020",
    ),
    DemoEvent(
        title="Beispiel: Netzwerktreffen Kultur im Quartier",
        kind="netzwerktreffen",
        start=_at(2020, 9, 17, 14),
        end=_at(2020, 9, 17, 17, 30),
        venue_name="Beispiel-Tagungsort",
        city="Göttingen",
        participants=(
            "STELLWERK Göttingen",
            "Neues Junges Theater Göttingen GmbH",
            "kaz – Göttinger Kommunikations- und Aktionszentrum e.V.",
            "Kompetenzzentrum Kultur- und Kreativwirtschaft des Bundes",
        ),
        topics=("Kreativwirtschaft", "Beteiligung"),
        summary=(
            "Beispieleintrag für die Demo: Kulturakteure aus Göttingen berichten, wie sie "
            "Nachbarschaften beleben. Die Dokumentation ist noch nicht veröffentlicht."
        ),
        description=(
            "An diesem Beispiel sehen Redakteurinnen und Redakteure, wie eine Veranstaltung "
            "aussieht, deren Dokumentation noch in Arbeit ist: Ergebnisse und ein Dokument sind "
            "angelegt, aber noch nicht freigegeben; Fotos fehlen noch."
        ),
        results=(
            f"{EXAMPLE_RESULTS_NOTE}\n\n"
            "Entwurf: Kultur schafft Anlässe, bei denen sich Menschen aus dem Quartier "
            "begegnen."
        ),
        documentation_published=False,
        programme=(
            DemoItem("Ankommen und Kennenlernen", datetime.time(14, 0), datetime.time(14, 30)),
            DemoItem(
                "Kurzvorstellungen aus Göttingen",
                datetime.time(14, 30),
                datetime.time(15, 30),
                speakers=(
                    DemoSpeaker(
                        "Erika Mustermann",
                        "Kulturarbeit (Beispiel)",
                        actor="STELLWERK Göttingen",
                    ),
                ),
            ),
            DemoItem("Rundgang durch das Quartier", datetime.time(15, 30), datetime.time(17, 0)),
            DemoItem("Austausch und Abschluss", datetime.time(17, 0), datetime.time(17, 30)),
        ),
        documents=(
            DemoDocument(
                title="Programm",
                file_name="programm.pdf",
                description="Ablauf des Netzwerktreffens (Beispieldokument).",
                pages=(
                    DemoPage(
                        "Programm",
                        (
                            "Beispiel: Netzwerktreffen Kultur im Quartier",
                            "17. September 2020, 14:00 bis 17:30 Uhr, Göttingen",
                            "",
                            "14:00 Uhr  Ankommen und Kennenlernen",
                            "14:30 Uhr  Kurzvorstellungen aus Göttingen",
                            "15:30 Uhr  Rundgang durch das Quartier",
                            "17:00 Uhr  Austausch und Abschluss",
                        ),
                    ),
                ),
            ),
        ),
        label="Netzwerktreffen · 17. September 2020",
    ),
    DemoEvent(
        title="Beispiel: Werkstattgespräch Quartiersmanagement",
        kind="werkstattgespraech",
        status=Event.Status.CANCELLED,
        start=_at(2020, 11, 5, 14),
        end=_at(2020, 11, 5, 17),
        venue_name="Beispiel-Tagungsort",
        city="Mannheim",
        participants=(
            "Kulturelle Stadtentwicklung Mannheim",
            "mg: mannheimer gründungszentren gmbh",
            "Deutscher Städtetag",
            "Kompetenzzentrum Großsiedlungen e.V.",
        ),
        topics=("Quartiersmanagement", "Wohnungswirtschaft"),
        summary=(
            "Beispieleintrag für die Demo: So erscheint eine abgesagte Veranstaltung – sie "
            "bleibt sichtbar, mit einem deutlichen Hinweis."
        ),
        description=(
            "Geplant war ein Gespräch darüber, wie Quartiersmanagement, Kommunen und "
            "Gründungszentren zusammenarbeiten können."
        ),
        programme=(
            DemoItem("Begrüßung", datetime.time(14, 0), datetime.time(14, 15)),
            DemoItem(
                "Impuls: Quartiersmanagement und lokale Wirtschaft",
                datetime.time(14, 15),
                datetime.time(15, 0),
                speakers=(
                    DemoSpeaker(
                        "Jonas Beispiel",
                        "Gründungsberatung (Beispiel)",
                        actor="mg: mannheimer gründungszentren gmbh",
                    ),
                ),
            ),
            DemoItem("Diskussion", datetime.time(15, 0), datetime.time(17, 0)),
        ),
        label="Werkstattgespräch · 5. November 2020",
    ),
    DemoEvent(
        title="Beispiel: Netzwerktreffen der Partner",
        kind="netzwerktreffen",
        start=_at(2027, 3, 11, 14),
        end=_at(2027, 3, 11, 17),
        venue_name="Beispiel-Tagungsort",
        city="Berlin",
        participants=(
            "degewo AG",
            "Montag Stiftung Urbane Räume",
            "Netzwerk Immovielien",
            "Netzwerk Zukunftsorte",
            "Bundesstiftung Baukultur",
        ),
        topics=("Beteiligung", "Quartiersmanagement"),
        summary=(
            "Beispieleintrag für die Demo: ein geplantes Treffen der Netzwerkpartner, die "
            "einander ihre Missionen und neue Vorhaben vorstellen."
        ),
        description="Eine künftige Veranstaltung, deren Dokumentation es noch nicht gibt.",
        programme=(
            DemoItem("Begrüßung", datetime.time(14, 0), datetime.time(14, 15)),
            DemoItem(
                "Partner stellen ihre Mission vor",
                datetime.time(14, 15),
                datetime.time(15, 30),
                speakers=(
                    DemoSpeaker(
                        "Maria Musterfrau",
                        "Vorstand (Beispiel)",
                        actor="Netzwerk Immovielien",
                    ),
                ),
            ),
            DemoItem("Neue Vorhaben im Quartier", datetime.time(15, 30), datetime.time(16, 45)),
            DemoItem("Ausblick", datetime.time(16, 45), datetime.time(17, 0)),
        ),
        label="Netzwerktreffen · 11. März 2027",
    ),
)

EVENTS = (*RECORDED, *EXAMPLES)

# The example that takes registrations; its date is set when the demo is loaded.
REGISTRATION_EXAMPLE_TITLE = "Beispiel: Werkstattgespräch Nachbarschaft gestalten"
REGISTRATION_EXAMPLE_WEEKS_AHEAD = 4
REGISTRATION_EXAMPLE_CAPACITY = 3
# (name, organisation, address): the places already taken; example.org receives no mail.
REGISTRATION_EXAMPLE_PEOPLE = (
    ("Max Mustermann", "Beispiel-Wohnungsgenossenschaft", "max.mustermann@example.org"),
    ("Erika Musterfrau", "Beispiel-Stadtteilverein", "erika.musterfrau@example.org"),
)


def registration_example(now: datetime.datetime) -> DemoEvent:
    """The example with open registration, some weeks after ``now``, 14:00 to 17:00 in Berlin."""
    day = (
        timezone.localtime(now, BERLIN) + datetime.timedelta(weeks=REGISTRATION_EXAMPLE_WEEKS_AHEAD)
    ).date()
    # A Wednesday, and not between Christmas and Epiphany, as a real workshop talk would be.
    while day.weekday() != 2 or (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 6):
        day += datetime.timedelta(days=1)
    return DemoEvent(
        title=REGISTRATION_EXAMPLE_TITLE,
        kind="werkstattgespraech",
        start=_at(day.year, day.month, day.day, 14),
        end=_at(day.year, day.month, day.day, 17),
        venue_name="Beispiel-Tagungsort",
        city="Berlin",
        topics=("Beteiligung", "Nachbarschaft"),
        summary=(
            "Beispieleintrag für die Demo: ein Werkstattgespräch mit Anmeldung – drei Plätze, "
            "danach eine Warteliste."
        ),
        description=(
            "Wie gestalten Wohnungsunternehmen, Initiativen und Verwaltung gemeinsam "
            "Nachbarschaft? Ein Gespräch in kleiner Runde; die Plätze sind begrenzt."
        ),
        programme=(
            DemoItem("Ankommen", datetime.time(14, 0), datetime.time(14, 15)),
            DemoItem("Austausch in kleiner Runde", datetime.time(14, 15), datetime.time(16, 45)),
            DemoItem("Ausblick", datetime.time(16, 45), datetime.time(17, 0)),
        ),
        label="Werkstattgespräch mit Anmeldung",
    )


def _open_registration(event: Event, *, now: datetime.datetime) -> None:
    """Registration on with three places, two of them taken by the example people."""
    event.registration_enabled = True
    event.capacity = REGISTRATION_EXAMPLE_CAPACITY
    event.registration_deadline = event.start - datetime.timedelta(days=1)
    event.asks_accessibility_needs = True
    event.asks_dietary_notes = True
    event.save(
        update_fields=[
            "registration_enabled",
            "capacity",
            "registration_deadline",
            "asks_accessibility_needs",
            "asks_dietary_notes",
            "updated_at",
        ]
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=name,
            organisation=organisation,
            email=email,
            status=Registration.Status.CONFIRMED,
            confirmed_at=now,
            privacy_consent_at=now,
            privacy_notice_version="demo",
        )
        for name, organisation, email in REGISTRATION_EXAMPLE_PEOPLE
    )


# --- generated files --------------------------------------------------------------------------

_FONT_FOLDERS = (".assets/fonts", "node_modules/@kern-ux/native/dist/fonts/fira-sans")


@cache
def _font_path(bold: bool = False) -> str | None:
    """The portal's typeface (Fira Sans, from KERN) when the assets are installed and readable."""
    name = "FiraSans-SemiBold.woff2" if bold else "FiraSans-Regular.woff2"
    for folder in _FONT_FOLDERS:
        path = settings.BASE_DIR / folder / name
        if path.exists():
            try:
                ImageFont.truetype(str(path), 12)
            except OSError:  # a FreeType without WOFF2 support
                return None
            return str(path)
    return None


@cache
def _font(size: int, bold: bool = False) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = _font_path(bold)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


_ASCII = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "„": '"',
     "“": '"', "–": "-", "·": "-", "×": "x"}
)  # fmt: skip


def _printable(text: str) -> str:
    """Pillow's own typeface has no umlauts: spell them out rather than draw empty boxes."""
    return text if _font_path() else text.translate(_ASCII)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def pdf_pages(document: DemoDocument, *, event_title: str) -> list[Image.Image]:
    """One black-and-white page (or slide) per DemoPage, at 150 dpi."""
    width, height = (1754, 1240) if document.slides else (1240, 1754)
    margin, text_width = 130, width - 2 * 130
    heading_size, text_size = (64, 40) if document.slides else (48, 28)
    heading_font, text_font, small_font = _font(heading_size, True), _font(text_size), _font(22)
    pages = []
    for number, page in enumerate(document.pages, start=1):
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, width, 24), fill=0)
        draw.text((margin, 70), _printable(event_title), font=small_font, fill=0)
        y = 150
        for line in _wrap(draw, _printable(page.heading), heading_font, text_width):
            draw.text((margin, y), line, font=heading_font, fill=0)
            y += heading_size * 13 // 10
        y += 40
        for paragraph in page.lines:
            if not paragraph:
                y += text_size
                continue
            for line in _wrap(draw, _printable(paragraph), text_font, text_width):
                draw.text((margin, y), line, font=text_font, fill=0)
                y += text_size * 3 // 2
            y += text_size // 2
        footer = f"{DOCUMENT_NOTE}   Seite {number} von {len(document.pages)}"
        draw.text((margin, height - 90), _printable(footer), font=small_font, fill=0)
        pages.append(image.convert("1", dither=Image.Dither.NONE))
    return pages


@cache
def pdf_bytes(document: DemoDocument, *, event_title: str) -> bytes:
    """A small but real PDF of the document's pages (about 15 KB a page), made once a process.

    Pictures of the pages, without a text layer or tags, as many scanned documents are; a
    ``tagged`` document is written as a tagged PDF with real text instead.
    """
    if document.tagged:
        return text_pdf_bytes(
            [TextPage(page.heading, page.lines) for page in document.pages],
            title=document.title,
            language="de-DE",
            author="Demo-Daten des Portals „Gemeinsam für das Quartier“",
            header=event_title,
            footer=DOCUMENT_NOTE,
        )
    first, *others = pdf_pages(document, event_title=event_title)
    buffer = io.BytesIO()
    first.save(
        buffer,
        format="PDF",
        save_all=True,
        append_images=others,
        resolution=150,
        title=document.title,
        author="Demo-Daten des Portals „Gemeinsam für das Quartier“",
        subject=DOCUMENT_NOTE,
    )
    return buffer.getvalue()


# What each motif shows, for the alt text; the drawing follows the description.
MOTIFS = {
    "tisch": "ein runder Tisch mit acht Stühlen von oben",
    "pinnwand": "eine Pinnwand mit farbigen Karten in vier Reihen",
    "quartier": "ein vereinfachter Lageplan mit Straßen und farbigen Häuserblöcken",
    "podium": "ein Podium mit Rednerpult vor Stuhlreihen",
    "bildschirm": (
        "ein Bildschirm mit neun Kacheln einer Videokonferenz, in jeder eine gezeichnete Figur"
    ),
}
_PALETTES = {
    "tisch": ((226, 236, 244), (0, 75, 118), (242, 180, 65)),
    "pinnwand": ((214, 196, 166), (255, 255, 255), (0, 110, 150)),
    "quartier": ((236, 236, 230), (255, 255, 255), (110, 160, 110)),
    "podium": ((40, 52, 70), (180, 70, 60), (230, 230, 230)),
    "bildschirm": ((30, 36, 46), (70, 90, 120), (200, 210, 225)),
}
_CARD_COLOURS = ((242, 180, 65), (120, 190, 220), (240, 130, 120), (150, 200, 130))


def _draw_motif(draw: ImageDraw.ImageDraw, motif: str, width: int, height: int) -> None:
    background, main, accent = _PALETTES[motif]
    draw.rectangle((0, 0, width, height), fill=background)
    cx, cy = width // 2, height // 2 - 80
    if motif == "tisch":
        for index in range(8):
            angle = math.radians(index * 45)
            x, y = cx + 310 * math.cos(angle), cy + 310 * math.sin(angle)
            draw.ellipse((x - 55, y - 55, x + 55, y + 55), fill=accent)
        draw.ellipse((cx - 240, cy - 240, cx + 240, cy + 240), fill=main)
    elif motif == "pinnwand":
        draw.rectangle(
            (160, 80, width - 160, height - 240), fill=main, outline=(120, 100, 70), width=12
        )
        for row in range(4):
            for column in range(6):
                x = 220 + column * 200
                y = 130 + row * 150
                colour = _CARD_COLOURS[(row + column) % len(_CARD_COLOURS)]
                draw.rectangle((x, y, x + 160, y + 110), fill=colour)
                draw.ellipse((x + 70, y - 10, x + 90, y + 10), fill=accent)
    elif motif == "quartier":
        for row in range(4):
            for column in range(6):
                x = 80 + column * 250
                y = 60 + row * 180
                colour = (
                    accent if (row * 6 + column) % 5 == 0 else _CARD_COLOURS[(row + column) % 4]
                )
                draw.rectangle((x, y, x + 200, y + 130), fill=colour)
    elif motif == "podium":
        draw.rectangle((250, 120, width - 250, 330), fill=main)
        draw.rectangle((cx - 60, 180, cx + 60, 330), fill=accent)
        for row in range(3):
            for column in range(10):
                x = 260 + column * 110
                y = 420 + row * 100
                draw.rectangle((x, y, x + 70, y + 60), fill=accent)
    elif motif == "bildschirm":
        draw.rectangle((200, 60, width - 200, height - 230), fill=(10, 12, 16))
        tile_w, tile_h = 360, 200
        for row in range(3):
            for column in range(3):
                x = 250 + column * (tile_w + 20)
                y = 100 + row * (tile_h + 20)
                draw.rectangle((x, y, x + tile_w, y + tile_h), fill=main)
                draw.ellipse((x + 140, y + 50, x + 220, y + 130), fill=accent)
                draw.rectangle((x + 110, y + 140, x + 250, y + tile_h), fill=accent)


# The size of a typical upload, so that the gallery and display variants are really made.
PHOTO_SIZE = (1600, 1000)


def jpeg_bytes(photo: DemoPhoto, *, label: str) -> bytes:
    """A graphic of the motif, labelled "Beispielbild" so that nobody takes it for a photo."""
    return _jpeg_bytes(photo, label, PHOTO_SIZE)


@cache
def _jpeg_bytes(photo: DemoPhoto, label: str, size: tuple[int, int]) -> bytes:
    """The picture of ``jpeg_bytes`` at ``size``, drawn once a process."""
    width, height = 1600, 1000  # what the drawing is laid out for
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    _draw_motif(draw, photo.motif, width, height)
    draw.rectangle((0, height - 200, width, height), fill=(0, 44, 70))
    title_font, label_font = _font(84, bold=True), _font(40)
    draw.text((80, height - 185), _printable("Beispielbild"), font=title_font, fill="white")
    draw.text((80, height - 80), _printable(label), font=label_font, fill="white")
    if image.size != size:
        image = image.resize(size, Image.Resampling.BOX)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def alt_text(photo: DemoPhoto, *, label: str) -> str:
    return f"Grafik: {MOTIFS[photo.motif]}, darunter der Schriftzug „Beispielbild“ und „{label}“."


# --- loading --------------------------------------------------------------------------------


def formats_ensure() -> dict[str, EventFormat]:
    """The initiative's formats by slug, made where missing (the data migration made them; a
    test that empties the tables takes them away). Those that exist stay as staff keep them."""
    formats = {}
    for slug, name, name_en, position in FORMATS:
        formats[slug] = EventFormat.objects.filter(slug=slug).first() or (
            EventFormat.objects.create(slug=slug, name=name, name_en=name_en, position=position)
        )
    return formats


def _existing_event(spec: DemoEvent) -> Event | None:
    """The event the demo made earlier, even if staff have since changed its address or title."""
    return Event.objects.filter(Q(slug=spec.slug) | Q(title=spec.title)).order_by("pk").first()


def _actors_by_name() -> dict[str, Actor]:
    """The demo's actors by the names actors.demo gave them, found by address or name."""
    names = {
        name
        for spec in EVENTS
        for name in (
            *spec.organisers,
            *spec.participants,
            *(speaker.actor for item in spec.programme for speaker in item.speakers),
        )
        if name
    }
    slugs = {german_slugify(name): name for name in names}
    found: dict[str, Actor] = {}
    for actor in Actor.objects.filter(Q(slug__in=slugs) | Q(name__in=names)).order_by("pk"):
        for name in (slugs.get(actor.slug), actor.name if actor.name in names else None):
            if name:
                found.setdefault(name, actor)
    return found


def _create_programme(event: Event, spec: DemoEvent, actors: dict[str, Actor]) -> None:
    for position, item_spec in enumerate(spec.programme, start=1):
        item = ProgrammeItem.objects.create(
            event=event,
            title=item_spec.title,
            description=item_spec.description,
            starts_at=item_spec.starts_at,
            ends_at=item_spec.ends_at,
            position=position * 10,
        )
        Speaker.objects.bulk_create(
            Speaker(
                programme_item=item,
                name=speaker.name,
                function=speaker.function,
                organisation=speaker.organisation,
                actor=actors.get(speaker.actor),
                position=number,
            )
            for number, speaker in enumerate(item_spec.speakers, start=1)
        )


def create_documents(documents, spec) -> None:
    """Generated PDFs for ``spec.documents``, added through a related manager such as
    ``event.documents`` (the projects' demo uses it too)."""
    for position, document in enumerate(spec.documents, start=1):
        content = pdf_bytes(document, event_title=spec.title)
        documents.create(
            title=document.title,
            description=document.description,
            language="de",
            file=ContentFile(content, name=document.file_name),
            file_type="pdf",
            file_size=len(content),
            position=position * 10,
            # What an upload through the admin would read from the file.
            **inspect_document(io.BytesIO(content), kind="pdf").as_fields(),
        )


def create_photos(photos, spec) -> None:
    """Generated pictures for ``spec.photos`` with their web variants, through a related manager
    such as ``event.photos``; credited honestly as generated."""
    for position, photo_spec in enumerate(spec.photos, start=1):
        photo = photos.create(
            image=ContentFile(
                jpeg_bytes(photo_spec, label=spec.label),
                name=f"beispielbild-{photo_spec.motif}.jpg",
            ),
            alt_text=alt_text(photo_spec, label=spec.label),
            caption=photo_spec.caption,
            credit=PHOTO_CREDIT,
            licence=ImageLicence.CC0,
            shows_people=False,
            position=position * 10,
        )
        photo_variants_create(photo=photo)


@transaction.atomic
def load() -> dict[str, int]:
    """Create the demo events that are missing, with programme, documents and photos.

    An event found again is left as staff keep it; its programme, documents, photos, topics and
    actors are only added when it has none of them yet.
    """
    actors = _actors_by_name()
    formats = formats_ensure()
    now = timezone.now()
    events = []
    for spec in (*EVENTS, registration_example(now)):
        event = _existing_event(spec)
        created = event is None
        if created:
            event = Event.objects.create(
                title=spec.title,
                slug=spec.slug,
                kind=formats[spec.kind],
                status=spec.status,
                start=spec.start,
                end=spec.end,
                time_unknown=spec.time_unknown,
                is_online=spec.is_online,
                venue_name=spec.venue_name,
                street=spec.street,
                city=spec.city,
                place_unknown=spec.place_unknown,
                summary=spec.summary,
                description=spec.description,
                results=spec.results,
                documentation_published=spec.documentation_published,
                documentation_published_at=now if spec.documentation_published else None,
            )
        events.append(event)

        organisers = [actors[name] for name in spec.organisers if name in actors]
        if organisers and (created or not event.organisers.exists()):
            event.organisers.add(*organisers)
        participants = [actors[name] for name in spec.participants if name in actors]
        if participants and (created or not event.participants.exists()):
            event.participants.add(*participants)
        if spec.topics and (created or not event.topics.exists()):
            event.topics.add(*spec.topics)
        if spec.programme and (created or not event.programme_items.exists()):
            _create_programme(event, spec, actors)
        if spec.documents and (created or not event.documents.exists()):
            create_documents(event.documents, spec)
        if spec.photos and (created or not event.photos.exists()):
            create_photos(event.photos, spec)
        if created and spec.title == REGISTRATION_EXAMPLE_TITLE:
            _open_registration(event, now=now)

    return {
        "events": len(events),
        "documents": EventDocument.objects.filter(event__in=events).count(),
        "photos": EventPhoto.objects.filter(event__in=events).count(),
    }
