"""Demo offers and needs ("Angebote und Gesuche") of real demo actors.

The source names no offer or need of any participant: every entry here is invented to show the
feature, and says so ("Beispiel:" in its title, "Beispieleintrag" in its text). They are chosen
so that the actor pages show matches ("passt zu") both ways. One entry stays a draft, as staff
find the answers of an approved application. Loaded after the actors (actors/demo.py);
idempotent: an entry is recognised by its actor and title, and what staff changed stays.
"""

from django.db import transaction
from taggit.models import Tag

from .models import Actor, OfferOrNeed

OFFER, NEED = OfferOrNeed.Direction.OFFER, OfferOrNeed.Direction.NEED
Kind = OfferOrNeed.Kind
EXAMPLE_NOTE = "Beispieleintrag für die Demo, von keiner Organisation so angeboten oder gesucht."

# (actor's name in actors/demo.py, direction, kind, topic, title, text, published)
ENTRIES = [
    (
        "Stiftung Berliner Leben",
        OFFER,
        Kind.SPACE,
        "Kultur",
        "Beispiel: Räume für Werkstattgespräche",
        "Ein Saal für bis zu 60 Personen, an Wochentagen nach Absprache.",
        True,
    ),
    (
        "STELLWERK Göttingen",
        NEED,
        Kind.SPACE,
        "Kultur",
        "Beispiel: Probenraum für ein Quartiersprojekt gesucht",
        "Für ein Theaterprojekt mit Jugendlichen aus dem Stadtteil, zwei Abende die Woche.",
        True,
    ),
    (
        "degewo AG",
        OFFER,
        Kind.SPACE,
        "Leerstand",
        "Beispiel: Erdgeschossflächen für Initiativen",
        "Leerstehende Ladenflächen in Wohnquartieren, zur Zwischennutzung.",
        True,
    ),
    (
        "degewo AG",
        NEED,
        Kind.VOLUNTEERS,
        "Nachbarschaft",
        "Beispiel: Ehrenamtliche für ein Hoffest gesucht",
        "Menschen, die beim Auf- und Abbau und an den Ständen helfen.",
        True,
    ),
    (
        "Stadtlücken Stuttgart",
        NEED,
        Kind.SPACE,
        "Leerstand",
        "Beispiel: Fläche für eine Zwischennutzung gesucht",
        "Ein leerer Raum im Erdgeschoss für ein offenes Quartierslabor.",
        True,
    ),
    (
        "Stadtlücken Stuttgart",
        OFFER,
        Kind.KNOWLEDGE,
        "Beteiligung",
        "Beispiel: Erfahrung mit Zwischennutzungen",
        "Wie aus einer Brache ein Ort für die Nachbarschaft wird: Vorgehen und Stolpersteine.",
        True,
    ),
    (
        "kaz – Göttinger Kommunikations- und Aktionszentrum e.V.",
        OFFER,
        Kind.VOLUNTEERS,
        "Nachbarschaft",
        "Beispiel: Helfende Hände für Nachbarschaftsfeste",
        "Eine Gruppe Ehrenamtlicher, die Feste im Quartier mit vorbereitet.",
        True,
    ),
    (
        "HOWOGE",
        NEED,
        Kind.KNOWLEDGE,
        "Beteiligung",
        "Beispiel: Erfahrung mit Beteiligung in Großsiedlungen gesucht",
        "Wie erreichen wir Mieterinnen und Mieter, die selten zu Versammlungen kommen?",
        True,
    ),
    (
        "Kompetenzzentrum Großsiedlungen e.V.",
        OFFER,
        Kind.KNOWLEDGE,
        "Beteiligung",
        "Beispiel: Beratung zu Beteiligung in Großsiedlungen",
        "Erfahrungen aus vielen Großsiedlungen, als Vortrag oder Werkstatt.",
        True,
    ),
    (
        "Netzwerk Immovielien",
        OFFER,
        Kind.CONTACTS,
        "Gemeinwohl",
        "Beispiel: Kontakte zu gemeinwohlorientierten Immobilienprojekten",
        "Wir bringen Initiativen mit Projekten zusammen, die schon weiter sind.",
        True,
    ),
    (
        "Bundesverband Soziokultur e.V.",
        NEED,
        Kind.EQUIPMENT,
        "Kultur",
        "Beispiel: Ton- und Lichttechnik für Veranstaltungen gesucht",
        "Ein Entwurf, den die Redaktion noch prüft und dann veröffentlicht.",
        False,
    ),
]


@transaction.atomic
def load() -> dict[str, int]:
    """Create the demo entries that are missing; entries of actors not in the data are left out."""
    names = {entry[0] for entry in ENTRIES}
    actors = {actor.name: actor for actor in Actor.objects.filter(name__in=names).order_by("pk")}
    entries = 0
    for name, direction, kind, topic_name, title, text, published in ENTRIES:
        actor = actors.get(name)
        if actor is None:
            continue
        entries += 1
        if OfferOrNeed.objects.filter(actor=actor, title=title).exists():
            continue
        topic = Tag.objects.filter(name__iexact=topic_name).first() or Tag.objects.create(
            name=topic_name
        )
        OfferOrNeed.objects.create(
            actor=actor,
            direction=direction,
            kind=kind,
            topic=topic,
            title=title,
            text=f"{text} {EXAMPLE_NOTE}",
            is_published=published,
        )
    return {"offers_and_needs": entries}
