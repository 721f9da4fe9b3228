"""What of the projects the site search finds, and how it shows them: projects, their
documents, and the publications of the initiative."""

from quartier.search import DocumentSearch, SearchField, SearchKind, markdown_text_later

from .models import Project, ProjectDocument, Publication


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
        SearchField("why_transferable", "C"),
        SearchField("funding_programme", "C"),
    ]
    ordering = ["title", "pk"]

    def queryset(self):
        return Project.objects.searchable()

    def title(self, project):
        return project.title

    def snippet_texts(self, project):
        return [
            project.summary,
            markdown_text_later(project.description),
            markdown_text_later(project.lessons_learned),
            markdown_text_later(project.transferability),
            markdown_text_later(project.why_transferable),
            project.funding_programme,
            ", ".join(part for part in (project.neighbourhood, project.city) if part),
        ]


class ProjectDocumentSearch(DocumentSearch):
    kind = "project_document"

    def queryset(self):
        return ProjectDocument.objects.searchable()


class PublicationSearch(SearchKind):
    kind = "publication"
    fields = [*DocumentSearch.fields, SearchField("summary", "B")]
    ordering = ["-published_on", "pk"]

    def queryset(self):
        return Publication.objects.searchable()

    def title(self, publication):
        return publication.title

    def snippet_texts(self, publication):
        return [publication.summary, publication.description]
