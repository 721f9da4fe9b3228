"""Demo data of the actors app: who runs the initiative and every participant the source names.

Facts only: names, roles, groups, and the sector we group them by. Cities are filled in only
where the organisation's name itself says it; websites and other details are left empty rather
than guessed. Besides, two plainly marked examples ("Beispiel: …") give the admin's start page
something to show: an application awaiting review and an actor draft.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quartier.slugs import german_slugify

from .models import Actor, Application, Sector

# (slug, German name, English name)
SECTORS = [
    (
        "wohnungswirtschaft",
        "Wohnungs- und Immobilienwirtschaft",
        "Housing and real-estate industry",
    ),
    ("kommunen", "Kommunen und kommunale Verbände", "Municipalities and their associations"),
    ("wohlfahrt", "Wohlfahrt und soziale Arbeit", "Welfare and social work"),
    ("stadtentwicklung", "Stadtentwicklung und Planung", "Urban development and planning"),
    (
        "kultur-kreativwirtschaft",
        "Kultur- und Kreativwirtschaft",
        "Culture and creative industries",
    ),
    ("stiftungen", "Stiftungen", "Foundations"),
    (
        "zivilgesellschaft",
        "Zivilgesellschaftliche Netzwerke und Initiativen",
        "Civil-society networks and initiatives",
    ),
    ("handel", "Handel", "Retail"),
]

CREATIVE_YOUTH_GROUP = "Initiativen des kreativen beruflichen Nachwuchses"

# (name, short name, sector slug or None, role, city)
RUNNERS = [
    (
        "DV – Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung e.V.",
        "DV",
        "stadtentwicklung",
        Actor.Role.ORGANISER,
        "Berlin",
    ),
    (
        "STADT ALS CAMPUS – Netzwerk für aktivierende Stadtentwicklung",
        "",
        "stadtentwicklung",
        Actor.Role.ORGANISER,
        "",
    ),
    (
        "plan zwei Stadtplanung und Architektur",
        "planzwei",
        "stadtentwicklung",
        Actor.Role.SUPPORT,
        "",
    ),
    (
        "Bundesministerium des Innern, für Bau und Heimat, vertreten durch das BBSR",
        "BMI / BBSR",
        None,
        Actor.Role.FUNDER,
        "",
    ),
]

# (name, short name, sector slug, city, group)
PARTICIPANTS = [
    ("degewo AG", "", "wohnungswirtschaft", "Berlin", None),
    ("HOWOGE", "", "wohnungswirtschaft", "Berlin", None),
    (
        "GdW Bundesverband deutscher Wohnungs- und Immobilienunternehmen e.V.",
        "GdW",
        "wohnungswirtschaft",
        "",
        None,
    ),
    ("Haus & Grund Deutschland", "", "wohnungswirtschaft", "", None),
    ("ZIA Zentraler Immobilien Ausschuss e.V.", "ZIA", "wohnungswirtschaft", "", None),
    ("Deutscher Städtetag", "", "kommunen", "", None),
    ("Deutscher Städte- und Gemeindebund", "DStGB", "kommunen", "", None),
    ("Kulturelle Stadtentwicklung Mannheim", "", "kommunen", "Mannheim", None),
    ("Deutscher Verein für öffentliche und private Fürsorge", "", "wohlfahrt", "", None),
    ("Bund Deutscher Architekten BDA", "BDA", "stadtentwicklung", "", None),
    ("DIE STADTENTWICKLER.BUNDESVERBAND", "", "stadtentwicklung", "", None),
    ("Kompetenzzentrum Großsiedlungen e.V.", "", "stadtentwicklung", "", None),
    ("wohnbund e.V.", "", "stadtentwicklung", "", None),
    ("Bundesverband Soziokultur e.V.", "", "kultur-kreativwirtschaft", "", None),
    (
        "Kompetenzzentrum Kultur- und Kreativwirtschaft des Bundes",
        "",
        "kultur-kreativwirtschaft",
        "",
        None,
    ),
    ("Neues Junges Theater Göttingen GmbH", "", "kultur-kreativwirtschaft", "Göttingen", None),
    ("STELLWERK Göttingen", "", "kultur-kreativwirtschaft", "Göttingen", None),
    ("German Coworking Federation e.V.", "", "kultur-kreativwirtschaft", "", None),
    ("mg: mannheimer gründungszentren gmbh", "mg:", "kultur-kreativwirtschaft", "Mannheim", None),
    ("Bundesstiftung Baukultur", "", "stiftungen", "", None),
    ("Montag Stiftung Urbane Räume", "", "stiftungen", "", None),
    ("Stiftung Berliner Leben", "", "stiftungen", "", None),
    ("Stiftung Trias", "", "stiftungen", "", None),
    ("Wiechers-Stiftung Städte für Menschen", "", "stiftungen", "", None),
    ("Netzwerk Immovielien", "", "zivilgesellschaft", "", None),
    ("Netzwerk Zukunftsorte", "", "zivilgesellschaft", "", None),
    (CREATIVE_YOUTH_GROUP, "", "zivilgesellschaft", "", None),
    ("COI Bernburg", "", "zivilgesellschaft", "Bernburg", CREATIVE_YOUTH_GROUP),
    ("schrill Braunschweig", "", "zivilgesellschaft", "Braunschweig", CREATIVE_YOUTH_GROUP),
    ("Stadtlücken Stuttgart", "", "zivilgesellschaft", "Stuttgart", CREATIVE_YOUTH_GROUP),
    (
        "kaz – Göttinger Kommunikations- und Aktionszentrum e.V.",
        "kaz",
        "zivilgesellschaft",
        "Göttingen",
        CREATIVE_YOUTH_GROUP,
    ),
    ("Handelsverband Deutschland HDE", "HDE", "handel", "", None),
]


# Short descriptions, in our words, of what the published source says about these organisations.
DESCRIPTIONS = {
    RUNNERS[0][0]: (
        "Der DV leitet die Vernetzungsinitiative „Gemeinsam für das Quartier“ und organisiert "
        "ihre Veranstaltungen und Werkstattgespräche. Sitz: Littenstraße 10, 10179 Berlin."
    ),
    RUNNERS[1][0]: (
        "Das Netzwerk für aktivierende Stadtentwicklung führt die Initiative gemeinsam mit dem DV "
        "durch. Ihre Idee entstand aus einer Sondierungsstudie zu Kreativwirtschaft und "
        "Stadtentwicklung, die STADT ALS CAMPUS im September 2019 beim 13. Bundeskongress der "
        "Nationalen Stadtentwicklungspolitik in Stuttgart vorstellte."
    ),
    RUNNERS[2][0]: "Das Büro begleitet die Initiative fachlich und organisatorisch.",
    RUNNERS[3][0]: (
        "Der Bund fördert die Initiative im Rahmen der Nationalen Stadtentwicklungspolitik; "
        "das Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR) vertritt das Ministerium."
    ),
    CREATIVE_YOUTH_GROUP: (
        "Vier Initiativen junger Kreativer, die sich gemeinsam an der Vernetzungsinitiative "
        "beteiligen."
    ),
}


# Topics ("Themen") of the directory's facet: few per actor, following from its sector and from
# what the sources say of it (the study on creative industries of STADT ALS CAMPUS, the
# creative places of Netzwerk Zukunftsorte, the department stores with the ZIA). The words are
# those the events use, so that a topic links actors and events.
TOPICS = {
    RUNNERS[0][0]: ("Stadtentwicklung", "Quartiersmanagement"),
    RUNNERS[1][0]: ("Stadtentwicklung", "Kreativwirtschaft"),
    RUNNERS[2][0]: ("Stadtentwicklung",),
    RUNNERS[3][0]: ("Stadtentwicklung",),
    "degewo AG": ("Wohnungswirtschaft",),
    "HOWOGE": ("Wohnungswirtschaft",),
    "GdW Bundesverband deutscher Wohnungs- und Immobilienunternehmen e.V.": ("Wohnungswirtschaft",),
    "Haus & Grund Deutschland": ("Wohnungswirtschaft",),
    "ZIA Zentraler Immobilien Ausschuss e.V.": ("Wohnungswirtschaft", "Innenstadt"),
    "Deutscher Städtetag": ("Stadtentwicklung",),
    "Deutscher Städte- und Gemeindebund": ("Stadtentwicklung", "Kleinstadt"),
    "Kulturelle Stadtentwicklung Mannheim": ("Kultur", "Stadtentwicklung"),
    "Deutscher Verein für öffentliche und private Fürsorge": ("Soziale Arbeit",),
    "Bund Deutscher Architekten BDA": ("Baukultur",),
    "DIE STADTENTWICKLER.BUNDESVERBAND": ("Stadtentwicklung",),
    "Kompetenzzentrum Großsiedlungen e.V.": ("Wohnungswirtschaft", "Quartiersmanagement"),
    "wohnbund e.V.": ("Wohnungswirtschaft", "Beteiligung"),
    "Bundesverband Soziokultur e.V.": ("Kultur", "Beteiligung"),
    "Kompetenzzentrum Kultur- und Kreativwirtschaft des Bundes": ("Kreativwirtschaft",),
    "Neues Junges Theater Göttingen GmbH": ("Kultur",),
    "STELLWERK Göttingen": ("Kultur",),
    "German Coworking Federation e.V.": ("Kreativwirtschaft",),
    "mg: mannheimer gründungszentren gmbh": ("Kreativwirtschaft",),
    "Bundesstiftung Baukultur": ("Baukultur",),
    "Montag Stiftung Urbane Räume": ("Stadtentwicklung", "Gemeinwohl"),
    "Stiftung Berliner Leben": ("Gemeinwohl",),
    "Stiftung Trias": ("Gemeinwohl",),
    "Wiechers-Stiftung Städte für Menschen": ("Stadtentwicklung",),
    "Netzwerk Immovielien": ("Gemeinwohl", "Beteiligung"),
    "Netzwerk Zukunftsorte": ("Kreativwirtschaft", "Ländlicher Raum"),
    CREATIVE_YOUTH_GROUP: ("Kreativwirtschaft", "Beteiligung"),
    "COI Bernburg": ("Kreativwirtschaft",),
    "schrill Braunschweig": ("Kreativwirtschaft",),
    "Stadtlücken Stuttgart": ("Kreativwirtschaft", "Beteiligung"),
    "kaz – Göttinger Kommunikations- und Aktionszentrum e.V.": ("Kultur", "Beteiligung"),
    "Handelsverband Deutschland HDE": ("Handel", "Innenstadt"),
}


# Open items for the admin's start page, plainly marked as examples: an application awaiting
# review (example.org receives no mail) and an actor draft waiting to be published.
APPLICATION_EXAMPLE = {
    "organisation_name": "Beispiel: Nachbarschaftsinitiative Lindenhof",
    "sector": "zivilgesellschaft",
    "city": "Beispielstadt",
    "website": "",
    "contact_name": "Erika Beispiel",
    "email": "bewerbung@example.org",
    "offers": "Beispieleintrag für die Demo: Räume für Treffen und Erfahrung mit Hoffesten.",
    "seeks": "Partner aus der Wohnungswirtschaft für einen gemeinsamen Nachbarschaftsgarten.",
    "topics": "Nachbarschaft, Beteiligung",
}
DRAFT_EXAMPLE = {
    "name": "Beispiel: Stadtteilladen Nordstadt",
    "sector": "zivilgesellschaft",
    "city": "Beispielstadt",
    "description": (
        "Beispieleintrag für die Demo: ein Profil, das die Redaktion noch vervollständigt und "
        "dann veröffentlicht."
    ),
}


def _existing(model, *, slug: str, name: str):
    """The row the demo made earlier, even if staff have since changed its address or name.

    Only what is missing is created: whatever staff edited stays as it is.
    """
    return model.objects.filter(Q(slug=slug) | Q(name=name)).order_by("pk").first()


@transaction.atomic
def load() -> dict[str, int]:
    """Create the demo sectors and actors that are missing; what exists is left as it is."""
    sectors = {}
    for position, (slug, name, name_en) in enumerate(SECTORS, start=1):
        sectors[slug] = _existing(Sector, slug=slug, name=name) or Sector.objects.create(
            slug=slug, name=name, name_en=name_en, position=position * 10
        )

    def ensure(name, short_name, sector_slug, role, city, parent=None) -> Actor:
        slug = german_slugify(name)
        actor = _existing(Actor, slug=slug, name=name)
        created = actor is None
        if created:
            actor = Actor.objects.create(
                slug=slug,
                name=name,
                short_name=short_name,
                description=DESCRIPTIONS.get(name, ""),
                sector=sectors[sector_slug] if sector_slug else None,
                role=role,
                city=city,
                parent=parent,
                is_published=True,
            )
        # Topics only where there are none: those staff chose stay.
        if TOPICS.get(name) and (created or not actor.topics.exists()):
            actor.topics.add(*TOPICS[name])
        return actor

    for name, short_name, sector_slug, role, city in RUNNERS:
        ensure(name, short_name, sector_slug, role, city)

    groups = {}
    for name, short_name, sector_slug, city, group in PARTICIPANTS:
        actor = ensure(
            name, short_name, sector_slug, Actor.Role.PARTICIPANT, city, parent=groups.get(group)
        )
        groups[name] = actor

    draft_slug = german_slugify(DRAFT_EXAMPLE["name"])
    if not _existing(Actor, slug=draft_slug, name=DRAFT_EXAMPLE["name"]):
        Actor.objects.create(
            slug=draft_slug,
            name=DRAFT_EXAMPLE["name"],
            sector=sectors[DRAFT_EXAMPLE["sector"]],
            city=DRAFT_EXAMPLE["city"],
            description=DRAFT_EXAMPLE["description"],
            role=Actor.Role.PARTICIPANT,
            is_published=False,
        )
    _ensure_application_example(sectors)

    return {"sectors": len(SECTORS), "actors": len(RUNNERS) + len(PARTICIPANTS) + 1}


def _ensure_application_example(sectors: dict[str, Sector]) -> None:
    """The example application, confirmed and awaiting review, unless it exists in any state
    (staff may have decided it, or the retention rules removed its contact data)."""
    name = APPLICATION_EXAMPLE["organisation_name"]
    if Application.objects.filter(organisation_name=name).exists():
        return
    now = timezone.now()
    application = Application(
        **{**APPLICATION_EXAMPLE, "sector": sectors[APPLICATION_EXAMPLE["sector"]]},
        status=Application.Status.PENDING,
        confirmed_at=now,
    )
    application.record_consent(at=now)
    application.save()
