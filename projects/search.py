"""What of the projects the site search finds, and how it shows them: projects, their
documents, and the publications of the initiative."""

from quartier.search import SearchField, SearchKind, markdown_text

from .models import Project, ProjectDocument, Publication

DOCUMENT_FIELDS = [SearchField("title", "A"), SearchField("description", "B")]


class ProjectSearch(SearchKind):
    kind = "project"
    fields = [
        SearchField("title", "A"),
        SearchField("summary", "B"),
        SearchField("city", "B"),
        SearchField("neighbourhood", "B"),
        SearchField("description", "C"),
        SearchField("lessons_learned", "C"),
        SearchField("transferability", "C"),
    ]
    ordering = ["title", "pk"]

    def queryset(self):
        return Project.objects.searchable()

    def title(self, project):
        return project.title

    def snippet_texts(self, project):
        return [
            project.summary,
            markdown_text(project.description),
            markdown_text(project.lessons_learned),
            markdown_text(project.transferability),
            ", ".join(part for part in (project.neighbourhood, project.city) if part),
        ]


class ProjectDocumentSearch(SearchKind):
    kind = "project_document"
    fields = DOCUMENT_FIELDS
    ordering = ["title", "pk"]

    def queryset(self):
        return ProjectDocument.objects.searchable()

    def title(self, document):
        return document.title

    def url(self, document):
        return document.get_download_url()

    def snippet_texts(self, document):
        return [document.description]


class PublicationSearch(SearchKind):
    kind = "publication"
    fields = [*DOCUMENT_FIELDS, SearchField("summary", "B")]
    ordering = ["-published_on", "pk"]

    def queryset(self):
        return Publication.objects.searchable()

    def title(self, publication):
        return publication.title

    def snippet_texts(self, publication):
        return [publication.summary, publication.description]
