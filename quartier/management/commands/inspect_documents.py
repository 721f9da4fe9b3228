from django.core.management.base import BaseCommand

from quartier.media import DocumentInspection, document_models, stored_document_inspect


class Command(BaseCommand):
    help = (
        "Reads page count, title, language, tags and text layer from the files of documents "
        "stored before the portal read them at upload (or, with --all, of every document), so "
        "that document lists can say whether a file is accessible."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Read every document again, not only those never inspected.",
        )

    def handle(self, *args, **options):
        for model in document_models():
            rows = model.objects.order_by("pk")
            if not options["all"]:
                rows = rows.filter(inspection=DocumentInspection.PENDING)
            states = dict.fromkeys(DocumentInspection.values, 0)
            # Only the primary key and the file are needed to read it again, a row at a time.
            for document in rows.only("pk", "file", "file_type").iterator(chunk_size=200):
                states[stored_document_inspect(document=document)] += 1
            self.stdout.write(
                f"{model._meta.label}: {states[DocumentInspection.INSPECTED]} inspected, "
                f"{states[DocumentInspection.UNKNOWN]} unknown (the file could not be read)."
            )
