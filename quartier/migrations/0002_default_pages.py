"""The first version of the contact, legal-notice and privacy pages; staff edit them afterwards.

The texts state only what the initiative's published source says. What a lawyer of the DV must
add (register entry, responsible person under § 18 MStV, data-protection officer) is marked.
"""

from django.db import migrations

CONTACT = """\
Die Vernetzungsinitiative „Gemeinsam für das Quartier“ wird vom DV – Deutscher Verband für \
Wohnungswesen, Städtebau und Raumordnung e.V. organisiert.

**Ansprechpartner**
Christian Huttenloher
DV – Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung e.V.
Littenstraße 10
10179 Berlin

Telefon: [+49 30 206132-50](tel:+4930206132-50)

Sie möchten mit Ihrer Organisation mitmachen? Rufen Sie uns an oder schreiben Sie uns.
"""

CONTACT_EN = """\
The networking initiative “Gemeinsam für das Quartier” is organised by the DV – Deutscher Verband \
für Wohnungswesen, Städtebau und Raumordnung e.V.

**Contact person**
Christian Huttenloher
DV – Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung e.V.
Littenstraße 10
10179 Berlin, Germany

Phone: [+49 30 206132-50](tel:+4930206132-50)

Would your organisation like to take part? Call or write to us.
"""

IMPRINT = """\
## Anbieter

DV – Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung e.V.
Littenstraße 10
10179 Berlin

Telefon: +49 30 206132-50

*Vertretungsberechtigter Vorstand, Registergericht und Registernummer sowie die nach § 18 Abs. 2 \
MStV verantwortliche Person trägt die Redaktion hier ein.*

## Förderung

Die Vernetzungsinitiative wird vom Bundesministerium des Innern, für Bau und Heimat, vertreten \
durch das Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR), im Rahmen der Nationalen \
Stadtentwicklungspolitik gefördert.

## Bildnachweise

Die Urheberinnen und Urheber der Fotos sind jeweils beim Bild genannt.
"""

IMPRINT_EN = """\
## Provider

DV – Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung e.V.
Littenstraße 10
10179 Berlin, Germany

Phone: +49 30 206132-50

*The editors add the board entitled to represent the association, the register court and number, \
and the person responsible under § 18 (2) MStV here.*

## Funding

The networking initiative is funded by the Federal Ministry of the Interior, Building and \
Community, represented by the Federal Institute for Research on Building, Urban Affairs and \
Spatial Development (BBSR), within the National Urban Development Policy.

## Image credits

The authors of photos are named with each image.
"""

PRIVACY = """\
## Verantwortlich

DV – Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung e.V., Littenstraße 10, \
10179 Berlin, Telefon +49 30 206132-50.

## Keine Dritten

Dieses Portal lädt nichts von fremden Servern: keine Schriften, keine Skripte, keine \
Statistikdienste. Beim Besuch werden Ihre Daten daher nur an unseren eigenen Server übertragen – \
mit einer Ausnahme, die Sie selbst auslösen: der Karte (siehe unten).

## Karte

Die Karten auf den Seiten „Projekte“ und „Akteure“ laden nichts, bis Sie auf „Karte anzeigen“ \
klicken. Erst dann ruft Ihr Browser Kartenbilder vom Kartenserver ab (derzeit OpenStreetMap), der \
dabei Ihre IP-Adresse erhält. Ohne diesen Klick sehen Sie dieselben Orte als Liste.

## Server-Protokolle

Beim Aufruf einer Seite verarbeitet der Server technisch notwendige Angaben (IP-Adresse, \
Zeitpunkt, aufgerufene Adresse, Browserkennung), um die Seite auszuliefern und ihre Sicherheit \
zu gewährleisten (Art. 6 Abs. 1 lit. f DSGVO). Die Protokolle werden nach kurzer Zeit gelöscht.

## Cookies

Für das Lesen des Portals werden keine Cookies gesetzt. Nur wer ein Formular absendet oder sich \
anmeldet, erhält technisch notwendige Cookies (Schutz vor gefälschten Formularen, Anmeldung).

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, \
Datenübertragbarkeit und Widerspruch sowie das Recht, sich bei einer Datenschutz-Aufsichtsbehörde \
zu beschweren.

*Die Kontaktdaten der oder des Datenschutzbeauftragten trägt die Redaktion hier ein.*
"""

PRIVACY_EN = """\
## Controller

DV – Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung e.V., Littenstraße 10, \
10179 Berlin, Germany, phone +49 30 206132-50.

## No third parties

This portal loads nothing from other servers: no fonts, no scripts, no analytics. Your visit \
therefore sends data only to our own server – with one exception that you trigger yourself: the \
map (see below).

## Map

The maps on the "Projects" and "Actors" pages load nothing until you click "Show map". Only then \
does your browser fetch map images from the map server (currently OpenStreetMap), which receives \
your IP address. Without that click you see the same places as a list.

## Server logs

When you open a page, the server processes technically necessary data (IP address, time, \
requested address, browser identification) to deliver the page and keep it secure \
(Art. 6 (1) (f) GDPR). The logs are deleted after a short time.

## Cookies

Reading the portal sets no cookies. Only when you send a form or sign in do you receive \
technically necessary cookies (protection against forged forms, sign-in).

## Your rights

You have the right of access, rectification, erasure, restriction of processing, data \
portability and objection, and the right to lodge a complaint with a data-protection \
supervisory authority.

*The editors add the contact details of the data-protection officer here.*
"""

PAGES = [
    ("kontakt", "Kontakt", "Contact", CONTACT, CONTACT_EN),
    ("impressum", "Impressum", "Legal notice", IMPRINT, IMPRINT_EN),
    ("datenschutz", "Datenschutzerklärung", "Privacy notice", PRIVACY, PRIVACY_EN),
]


def create_pages(apps, schema_editor):
    Page = apps.get_model("quartier", "Page")
    for slug, title, title_en, body, body_en in PAGES:
        Page.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "title_en": title_en, "body": body, "body_en": body_en},
        )


class Migration(migrations.Migration):
    dependencies = [("quartier", "0001_initial")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
