"""Adds to the privacy notice what the portal does with applications, registrations and accounts.

Only pages that lack the section get it, inserted before "Ihre Rechte" / "Your rights"; a text
staff rewrote entirely is left as it is. Saving the page changes its version (its time of change),
which every consent records.
"""

from django.db import migrations

SECTION = """\
## Bewerbungen, Anmeldungen und Konten

Wenn Sie sich mit Ihrer Organisation für die Initiative bewerben („Mitmachen“), sich zu einer \
Veranstaltung anmelden oder ein Konto anlegen, verarbeiten wir die Angaben aus dem Formular \
(Name, E-Mail-Adresse, Organisation, bei Bewerbungen auch Telefon, Ort und Ihre Beschreibung, bei \
Anmeldungen Ihre Hinweise zu Barrierefreiheit oder Verpflegung), um Ihre Bewerbung zu prüfen \
beziehungsweise die Veranstaltung zu organisieren (Art. 6 Abs. 1 lit. a und b DSGVO). Ihre \
Zustimmung speichern wir mit Zeitpunkt und der Fassung dieser Erklärung.

Ihre Angaben erreichen uns erst, wenn Sie Ihre E-Mail-Adresse über den Link in unserer E-Mail \
bestätigt haben. Nicht bestätigte Angaben löschen wir nach 7 Tagen. Anmeldungen zu Veranstaltungen \
anonymisieren wir 12 Monate nach der Veranstaltung. Mit einem Konto können Sie unter „Mein Konto“ \
alle gespeicherten Angaben herunterladen und das Konto löschen; Anmeldungen werden dabei \
anonymisiert, Bewerbungen ohne Ihre persönlichen Angaben aufbewahrt. Jede E-Mail zu einer \
Anmeldung enthält einen Link, mit dem Sie sich ohne Konto abmelden können.

Zum Schutz vor Missbrauch zählen wir Formular-Absendungen je IP-Adresse für eine Stunde; \
gespeichert wird dabei nur ein nicht umkehrbarer Prüfwert der Adresse.

"""

SECTION_EN = """\
## Applications, registrations and accounts

When you apply to join the initiative with your organisation ("Take part"), register for an event \
or create an account, we process the details of the form (name, e-mail address, organisation; for \
applications also phone, city and your description; for registrations your notes on \
accessibility or catering) to review your application or to organise the event (Art. 6 (1) (a) \
and (b) GDPR). We store your consent with its time and the version of this notice.

Your details reach us only once you have confirmed your e-mail address through the link in our \
e-mail. Unconfirmed details are deleted after 7 days. Registrations for events are anonymised 12 \
months after the event. With an account you can download everything stored about you under "My \
account" and delete the account; registrations are then anonymised, and applications are kept \
without your personal details. Every e-mail about a registration contains a link to cancel it \
without an account.

To prevent abuse we count form submissions per IP address for one hour; only an irreversible \
hash of the address is stored.

"""


def add_section(apps, schema_editor):
    Page = apps.get_model("quartier", "Page")
    page = Page.objects.filter(slug="datenschutz").first()
    if page is None:
        return
    changed = False
    if "## Bewerbungen, Anmeldungen und Konten" not in page.body and "## Ihre Rechte" in page.body:
        page.body = page.body.replace("## Ihre Rechte", SECTION + "## Ihre Rechte", 1)
        changed = True
    if page.body_en and "## Applications, registrations" not in page.body_en and (
        "## Your rights" in page.body_en
    ):
        page.body_en = page.body_en.replace("## Your rights", SECTION_EN + "## Your rights", 1)
        changed = True
    if changed:
        page.save()


class Migration(migrations.Migration):
    dependencies = [("quartier", "0003_portalsettings")]

    operations = [migrations.RunPython(add_section, migrations.RunPython.noop)]
