"""The initiative's public record 2020–2025, as the demo loads it.

``RECORD`` is the table of the project's domain notes, row by row and word for word (the column
"sure?" says how sure the source is): the demo's real events are made from it in
events/demo.py, and tests/events/test_public_record.py checks both against the copy of the
table in tests/events/public_record.md. ``FORMATS`` are the initiative's own formats, which the
data migration events/0010 created and staff may extend.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordRow:
    date: str
    format: str  # the record's word for it
    subject: str
    place: str
    sure: str


RECORD = (
    RecordRow(
        "20 Feb 2020",
        "Auftaktveranstaltung",
        "kick-off; agenda of six blocks: welcome, the federal view, short talks, fields of "
        "action, projects, outlook",
        "rooms of Stiftung „Berliner Leben“, Berlin",
        "sure",
    ),
    RecordRow(
        "2 Oct 2020",
        "3. Arbeitskonferenz (also „Netzwerkkonferenz“)",
        "„Gemeinsam für das Quartier: Formate, Orte, Strategien, Allianzen“; 10:30–18:00; "
        "three thematic blocks of two moderated panels each; documented by a written report, a "
        "video, a blog post and the presentation (PDF); about 30–50 participants (sources "
        "differ)",
        "former Tempelhof airport, Berlin, at the exhibition „LIVING THE CITY“",
        "sure",
    ),
    RecordRow(
        "3 Dec 2020",
        "Bilanzveranstaltung",
        "review of the first year; decision to continue",
        "not known",
        "sure (source text only)",
    ),
    RecordRow(
        "4 May 2021",
        "session at the 14th Federal Congress of the National Urban Development Policy",
        "interim review on „Dritte Orte“ and „Mikroquartiere“",
        "not known",
        "sure",
    ),
    RecordRow(
        "21 Jun 2021",
        "Perspektivenwerkstatt 3",
        "„Urbane Strategien zur Transformation von Stadt- und Stadtteilzentren“; 10:00–14:00",
        "online",
        "sure",
    ),
    RecordRow(
        "2021",
        "Perspektivenwerkstätten (series)",
        "rotating through centres, neighbourhoods, small towns and rural areas, each looking at "
        "places, formats, strategies",
        "online",
        "sure",
    ),
    RecordRow(
        "17 Feb 2022",
        "annual kick-off",
        "the paper „Quintessenz“ presented to over 60 partners; local example projects named in "
        "Kiel, Malente, Bremen, Wolfsburg, Helmstedt, Bernburg, Prädikow, Berlin, Frankfurt "
        "(Oder), Aachen, Wuppertal, Herne, Dortmund, Offenbach, Mannheim, Regensburg, München",
        "video conference",
        "sure",
    ),
    RecordRow(
        "1 Sep 2022",
        "Praxiswerkstatt",
        "creative places and networks, with Netzwerk Zukunftsorte",
        "Hof Prädikow (Brandenburg)",
        "sure",
    ),
    RecordRow(
        "14 Sep 2022",
        "side event at the Federal Congress",
        "—",
        "STATION, Park am Gleisdreieck, Berlin",
        "sure",
    ),
    RecordRow(
        "6 Oct 2022",
        "Praxiswerkstatt",
        "Märkisches Viertel",
        "GESOBAU studio, Senftenberger Ring 24, Berlin",
        "sure",
    ),
    RecordRow(
        "19 Oct 2022",
        "Praxiswerkstatt",
        "turning a department store into mixed use, with Landmarken AG, SEGA and ZIA",
        "Aachen",
        "sure",
    ),
    RecordRow(
        "13 May 2024",
        "Praxiswerkstatt",
        "from department store to mixed-use building (third of a series; earlier ones at "
        "Markthalle Wolfsburg and CORE Oldenburg, dates not known)",
        "Alte Mälzerei, Berlin-Lichtenrade",
        "sure",
    ),
    RecordRow(
        "4 Dec 2024",
        "Netzwerktreffen",
        "looking back on the „Stadtlabore“ held since 2023",
        "online",
        "sure",
    ),
    RecordRow(
        "24 Feb 2025 and 27 Feb 2025",
        "Abschlussveranstaltung (with the vhw)",
        "closing of the initiative; online, then in person",
        "online; REFUGIO Berlin, Lenaustraße 3",
        "sure",
    ),
    RecordRow(
        "26 Nov 2025",
        "event with the Kleinstadt Akademie",
        "„Generationenfrage Gemeinwohl“, about 60 participants",
        "not known",
        "sure",
    ),
)

# The initiative's formats: (slug, German name, English name, position). The slug is the value
# of the event list's filter ``?kind=``.
FORMATS = (
    ("auftaktveranstaltung", "Auftaktveranstaltung", "Kick-off event", 10),
    ("arbeitskonferenz", "Arbeitskonferenz / Netzwerkkonferenz", "Working conference", 20),
    ("werkstattgespraech", "Werkstattgespräch", "Workshop talk", 30),
    ("perspektivenwerkstatt", "Perspektivenwerkstatt", "Perspectives workshop", 40),
    ("praxiswerkstatt", "Praxiswerkstatt", "Practice workshop", 50),
    ("netzwerktreffen", "Netzwerktreffen", "Network meeting", 60),
    ("bilanzveranstaltung", "Bilanz- und Abschlussveranstaltung", "Review and closing event", 70),
    ("kongress-session", "Kongress-Session", "Congress session", 80),
    ("fachveranstaltung", "Fachveranstaltung", "Conference", 90),
)
