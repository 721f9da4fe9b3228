from django.core.management.base import BaseCommand

from actors import demo as actors_demo
from events import demo as events_demo
from projects import demo as projects_demo


class Command(BaseCommand):
    help = (
        "Loads the demo data: who runs the initiative, its participants, events with their "
        "documentation, and example projects with their results. Safe to run again."
    )

    def handle(self, *args, **options):
        counts = actors_demo.load()
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
