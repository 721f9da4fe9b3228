"""The demo shows both states of a document: the events' and projects' scans, untagged and
without text, and the publication, a tagged PDF with text, title and language."""

import pytest

from events.models import EventDocument
from projects.models import ProjectDocument, Publication
from quartier.document_inspection import inspect_document

pytestmark = pytest.mark.django_db


def test_the_publication_is_a_tagged_pdf(demo_db):
    publication = Publication.objects.get()
    assert publication.inspection == "inspected"
    assert (publication.is_tagged, publication.has_text) == (True, True)
    assert publication.file_title == publication.title
    assert publication.file_language == "de-DE"
    assert publication.page_count == 1
    # What is recorded is what the file says.
    with publication.file.open("rb") as file:
        assert inspect_document(file, kind="pdf").as_fields() == {
            "inspection": "inspected",
            "page_count": 1,
            "file_title": publication.title,
            "file_language": "de-DE",
            "is_tagged": True,
            "has_text": True,
        }
    assert list(Publication.objects.accessible()) == [publication]


def test_the_other_documents_are_untagged_scans(demo_db):
    documents = [*EventDocument.objects.all(), *ProjectDocument.objects.all()]
    assert documents
    for document in documents:
        assert document.inspection == "inspected"
        assert (document.is_tagged, document.has_text) == (False, False), document
        assert document.page_count >= 1
    assert not EventDocument.objects.accessible().exists()


def test_both_states_show_on_the_pages(demo_db, client):
    event_document = EventDocument.objects.public().select_related("event").first()
    response = client.get(event_document.event.get_absolute_url())
    assert "nicht getaggt, ohne Textebene" in response.content.decode()
    response = client.get("/ergebnisse/?barrierearm=1")
    assert [row.title for row in response.context["publications"]] == [
        Publication.objects.get().title
    ]
    assert "barrierearm: getaggt" in response.content.decode()
