from django.core.management.base import BaseCommand

from actors import demo as actors_demo
from actors import demo_offers
from actors.demo_contacts import demo_contact_create
from events import demo as events_demo
from projects import demo as projects_demo
from quartier.accounts.demo import demo_editor_create


class Command(BaseCommand):
    help = (
        "Loads the demo data: who runs the initiative, its participants, events with their "
        "documentation, and example projects with their results. Safe to run again."
    )

    def handle(self, *args, **options):
        counts = actors_demo.load()
        # After the actors, whose offers and needs they are.
        counts |= demo_offers.load()
        counts |= events_demo.load()
        counts |= projects_demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: {sectors} sectors, {actors} actors, {events} events with "
                "{documents} documents and {photos} photos, {projects} projects with "
                "{project_documents} documents and {project_photos} photos, "
                "{publications} publication.".format(**counts)
            )
        )
        self.stdout.write(
            "Offers and needs: {offers_and_needs} examples on the actors' pages and at "
            "/angebote-und-gesuche/.".format(**counts)
        )
        email, password = demo_editor_create()
        if password:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo editor for /admin/: {email} with the password {password} "
                    "(shown only now). Log in at /konto/login/; at the first visit the admin "
                    "asks to set up an authenticator app."
                )
            )
        elif email:
            self.stdout.write(
                f"Demo editor for /admin/: {email} (its password was shown when it was made; "
                "`manage.py changepassword demo-redaktion` sets a new one)."
            )
        email, password = demo_contact_create()
        if password:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo contact of degewo AG: {email} with the password {password} (shown "
                    "only now). Log in at /konto/login/ and open /konto/organisation/ to "
                    "propose changes; staff review them on the admin's start page."
                )
            )
        elif email:
            self.stdout.write(
                f"Demo contact of degewo AG: {email} (its password was shown when it was "
                "made; `manage.py changepassword demo-kontakt-degewo` sets a new one)."
            )
