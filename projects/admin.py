from django.contrib import admin
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from quartier.admin_history import ChangeMessageMixin, HistoryAdmin
from quartier.admin_media import (
    ACCEPTED_EXTENSIONS,
    CreditedPhotoInline,
    DocumentFileInput,
    MediaFilesAdminMixin,
    PublicDocumentInline,
    accessibility_summary,
)
from quartier.admin_publishing import PublishActionsMixin
from quartier.forms import SuggestionsInput

from . import versions  # noqa: F401  (registers the models before their admins do)
from .models import (
    FUNDING_PROGRAMME_SUGGESTIONS,
    Approach,
    Project,
    ProjectDocument,
    ProjectPartner,
    ProjectPhoto,
    Publication,
)


def _delete_on_commit(field_file) -> None:
    storage, name = field_file.storage, field_file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# Editors type "www.example.org"; Django 6 will assume https, and so do we already.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    fields = ["actor", "role", "position"]
    autocomplete_fields = ["actor"]
    extra = 0


class ProjectDocumentInline(PublicDocumentInline):
    model = ProjectDocument

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project")

    def download_url(self, document: ProjectDocument) -> str:
        return document.get_download_url()


class ProjectPhotoInline(CreditedPhotoInline):
    model = ProjectPhoto


@admin.register(Project)
class ProjectAdmin(PublishActionsMixin, MediaFilesAdminMixin, HistoryAdmin, admin.ModelAdmin):
    list_display = ["title", "city", "status", "lead_actor", "is_published"]
    list_filter = [
        "status",
        "city",
        "federal_state",
        "place_size",
        "start_year",
        "budget_range",
        "is_published",
    ]
    list_select_related = ["lead_actor"]
    date_hierarchy = "start"
    search_fields = ["title", "summary", "city", "neighbourhood", "funding_programme"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead_actor", "related_events"]
    inlines = [ProjectPartnerInline, ProjectDocumentInline, ProjectPhotoInline]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    save_on_top = True
    published_message = ngettext_lazy(
        "%(count)d project published.", "%(count)d projects published.", "count"
    )
    unpublished_message = ngettext_lazy(
        "%(count)d project unpublished.", "%(count)d projects unpublished.", "count"
    )
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "is_published"]}),
        (
            _("Place and period"),
            {
                "fields": [
                    ("city", "neighbourhood"),
                    ("latitude", "longitude"),
                    ("start", "end"),
                ]
            },
        ),
        (
            _("Facts for comparison"),
            {
                "description": _(
                    "What programme databases of urban development show and visitors filter "
                    "by. Only what is known: leave a field empty rather than guess."
                ),
                "fields": [
                    ("federal_state", "place_size"),
                    ("start_year", "budget_range"),
                    "funding_programme",
                ],
            },
        ),
        (
            _("About the project"),
            {"fields": ["summary", "description", "approaches", "topics", "website"]},
        ),
        (
            _("Lead and related events"),
            {
                "description": _("Partners and their roles are listed below the form."),
                "fields": ["lead_actor", "related_events"],
            },
        ),
        (_("Results"), {"fields": ["lessons_learned", "transferability", "why_transferable"]}),
    ]

    class Media:
        js = ["js/admin-german-slugs.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "funding_programme":
            kwargs["widget"] = SuggestionsInput(
                FUNDING_PROGRAMME_SUGGESTIONS, attrs={"class": "vTextField"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Publication)
class PublicationAdmin(PublishActionsMixin, HistoryAdmin, admin.ModelAdmin):
    list_display = ["title", "published_on", "type_and_size", "language", "is_published"]
    list_filter = ["is_published", "language"]
    date_hierarchy = "published_on"
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["type_and_size", "accessibility"]
    published_message = ngettext_lazy(
        "%(count)d publication published.", "%(count)d publications published.", "count"
    )
    unpublished_message = ngettext_lazy(
        "%(count)d publication unpublished.", "%(count)d publications unpublished.", "count"
    )
    fields = [
        "title",
        "slug",
        "summary",
        "published_on",
        "is_published",
        "file",
        "type_and_size",
        "accessibility",
        "description",
        "language",
    ]

    class Media:
        js = ["js/admin-german-slugs.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = DocumentFileInput(
                url_for=self.download_url, attrs={"accept": ACCEPTED_EXTENSIONS}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def download_url(self, publication: Publication) -> str:
        return publication.get_download_url()

    @admin.display(description=_("type and size"))
    def type_and_size(self, publication: Publication) -> str:
        if not publication.pk or not publication.file_type:
            return "–"
        return f"{publication.type_label}, {filesizeformat(publication.file_size)}"

    @admin.display(description=_("accessibility"))
    def accessibility(self, publication: Publication) -> str:
        return accessibility_summary(publication)

    # A withdrawn file leaves the storage once the change is committed, as with the inlines'
    # documents (quartier.admin_media.MediaFilesAdminMixin).
    def save_model(self, request, obj, form, change):
        replaced = form.initial.get("file") if change and "file" in form.changed_data else None
        super().save_model(request, obj, form, change)
        if replaced:
            _delete_on_commit(replaced)

    def delete_model(self, request, obj):
        file = obj.file
        super().delete_model(request, obj)
        _delete_on_commit(file)

    def delete_queryset(self, request, queryset):
        files = [publication.file for publication in queryset.only("file")]
        super().delete_queryset(request, queryset)
        for file in files:
            _delete_on_commit(file)


@admin.register(Approach)
class ApproachAdmin(ChangeMessageMixin, admin.ModelAdmin):
    """Approaches are typed on a project's page; here editors merge spellings and rename them."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ["js/admin-german-slugs.js"]
