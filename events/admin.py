from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from quartier.admin_media import (
    SMALL_TEXTAREA,
    CreditedPhotoInline,
    MediaFilesAdminMixin,
    PublicDocumentInline,
)

from .models import Event, EventDocument, EventPhoto, ProgrammeItem, Speaker
from .services import (
    documentation_checklist,
    documentation_publish,
    documentation_unpublish,
    with_documentation_counts,
)

# Editors type "www.example.org"; Django 6 will assume https, and so do we already.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ProgrammeItemInline(admin.TabularInline):
    """The programme in order; speakers are edited on the item's own page ("change" link)."""

    model = ProgrammeItem
    fields = ["starts_at", "ends_at", "title", "description", "speaker_names", "position"]
    readonly_fields = ["speaker_names"]
    formfield_overrides = {models.TextField: SMALL_TEXTAREA}
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speakers")

    @admin.display(description=_("speakers"))
    def speaker_names(self, item: ProgrammeItem) -> str:
        if not item.pk:
            return "–"
        names = ", ".join(speaker.name for speaker in item.speakers.all())
        return names or gettext("none yet: add them with “Change”")


class EventDocumentInline(PublicDocumentInline):
    model = EventDocument

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    def download_url(self, document: EventDocument) -> str:
        return reverse(
            "events:document",
            kwargs={
                "slug": document.event.slug,
                "pk": document.pk,
                "filename": document.download_name,
            },
        )


class EventPhotoInline(CreditedPhotoInline):
    model = EventPhoto


@admin.register(Event)
class EventAdmin(MediaFilesAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "start",
        "status",
        "documentation_published",
        "checklist_summary",
    ]
    list_filter = ["status", "kind", "documentation_published"]
    date_hierarchy = "start"
    search_fields = ["title", "summary", "venue_name", "city"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisers", "participants"]
    readonly_fields = ["documentation_published_at", "documentation_checklist"]
    inlines = [ProgrammeItemInline, EventDocumentInline, EventPhotoInline]
    actions = ["publish_documentation", "unpublish_documentation"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status"]}),
        (
            _("Date and place"),
            {
                "fields": [
                    ("start", "end"),
                    "is_online",
                    "online_url",
                    "venue_name",
                    "street",
                    ("postcode", "city"),
                ]
            },
        ),
        (_("About the event"), {"fields": ["summary", "description", "topics"]}),
        (_("Organisers and participants"), {"fields": ["organisers", "participants"]}),
        # The change form shows this fieldset after the programme, at the head of the documents
        # and photos (templates/admin/events/event/change_form.html).
        (
            _("Documentation"),
            {
                "classes": ["documentation-part"],
                "description": _(
                    "Results, documents and photos are shown to the public once you tick "
                    "“documentation published” and save. The checklist says what is still missing."
                ),
                "fields": [
                    "documentation_published",
                    "documentation_published_at",
                    "documentation_checklist",
                    "results",
                ],
            },
        ),
    ]

    class Media:
        js = ["js/admin-german-slugs.js"]

    def get_queryset(self, request):
        return with_documentation_counts(super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "documentation_published" in form.changed_data:
            if obj.documentation_published:
                documentation_publish(event=obj)
            else:
                documentation_unpublish(event=obj)

    # --- The checklist ----------------------------------------------------------------------

    @admin.display(description=_("documentation still lacks"))
    def checklist_summary(self, event: Event) -> str:
        missing = documentation_checklist(event)
        if not missing:
            return gettext("nothing: complete")
        return ", ".join(str(item.label) for item in missing)

    @admin.display(description=_("checklist"))
    def documentation_checklist(self, event: Event | None) -> str:
        if event is None or event.pk is None:
            return gettext("Save the event first; then this list shows what is missing.")
        missing = documentation_checklist(event)
        if not missing:
            return gettext("Complete: results, documents and photos with credits are in place.")
        return format_html(
            '<ul class="documentation-checklist">{}</ul>',
            format_html_join("", "<li>{}</li>", ((item.text,) for item in missing)),
        )

    # --- Actions ----------------------------------------------------------------------------

    @admin.action(description=_("Publish documentation of selected events"), permissions=["change"])
    def publish_documentation(self, request, queryset):
        events = list(queryset)
        published = sum(documentation_publish(event=event) for event in events)
        self.message_user(
            request,
            ngettext(
                "Documentation of %(count)d event published.",
                "Documentation of %(count)d events published.",
                published,
            )
            % {"count": published},
            messages.SUCCESS,
        )
        for event in events:
            if missing := documentation_checklist(event):
                self.message_user(
                    request,
                    gettext("“%(event)s” still lacks: %(missing)s.")
                    % {"event": event, "missing": ", ".join(str(item.label) for item in missing)},
                    messages.WARNING,
                )
            if not event.is_public:
                self.message_user(
                    request,
                    gettext(
                        "“%(event)s” is a draft: its documentation shows once the event is "
                        "published."
                    )
                    % {"event": event},
                    messages.WARNING,
                )

    @admin.action(
        description=_("Unpublish documentation of selected events"), permissions=["change"]
    )
    def unpublish_documentation(self, request, queryset):
        unpublished = sum(documentation_unpublish(event=event) for event in queryset)
        self.message_user(
            request,
            ngettext(
                "Documentation of %(count)d event unpublished.",
                "Documentation of %(count)d events unpublished.",
                unpublished,
            )
            % {"count": unpublished},
            messages.SUCCESS,
        )


class SpeakerInline(admin.TabularInline):
    model = Speaker
    fields = ["name", "function", "organisation", "actor", "position"]
    autocomplete_fields = ["actor"]
    extra = 1


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(admin.ModelAdmin):
    """A programme item with its speakers, reached from the event's programme.

    It is not listed on the admin's start page: editors work from the event.
    """

    list_display = ["title", "event", "starts_at"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event"]
    fields = ["event", "starts_at", "ends_at", "title", "description", "position"]
    inlines = [SpeakerInline]

    def get_model_perms(self, request):
        return {}

    def response_post_save_change(self, request, obj):
        """After saving, the editor returns to the event whose programme they were editing."""
        return HttpResponseRedirect(reverse("admin:events_event_change", args=[obj.event_id]))

    def response_post_save_add(self, request, obj):
        return self.response_post_save_change(request, obj)
