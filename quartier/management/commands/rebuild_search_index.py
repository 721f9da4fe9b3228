import time

from django.core.management.base import BaseCommand

from quartier import search_index


class Command(BaseCommand):
    help = (
        "Makes the site search's index anew from the rows: after a bulk load or an import "
        "that sent no signals. Set-based on PostgreSQL, in batches on SQLite."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        # The kinds the apps registered when they were ready: the command knows no app.
        kinds = search_index.registered_kinds()
        if not search_index.has_index() and not search_index.sqlite_has_fts5():
            self.stdout.write(
                "This SQLite has no FTS5: the search reads the rows themselves, "
                "there is no index to build."
            )
            return
        counts = search_index.rebuild(kinds)
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt in {time.monotonic() - started:.1f} s: {summary}."
            )
        )
