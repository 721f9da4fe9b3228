from django.core.management.base import BaseCommand

from actors import demo as actors_demo


class Command(BaseCommand):
    help = "Loads the demo data: who runs the initiative and its participants. Safe to run again."

    def handle(self, *args, **options):
        counts = actors_demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: {sectors} sectors, {actors} actors.".format(**counts)
            )
        )
