from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from quartier.search_index import keep_current

        from .search import ProjectDocumentSearch, ProjectSearch, PublicationSearch

        # The site search's index follows the rows (quartier/search_index.py).
        keep_current(ProjectSearch(), ProjectDocumentSearch(), PublicationSearch())
