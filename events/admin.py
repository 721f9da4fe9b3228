from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from quartier.admin_history import ChangeMessageMixin, HistoryAdmin, log_list_action
from quartier.admin_import_export import ExportMixin
from quartier.admin_media import (
    SMALL_TEXTAREA,
    CreditedPhotoInline,
    MediaFilesAdminMixin,
    PublicDocumentInline,
)
from quartier.admin_optin import ConfirmedOnlyAdminMixin
from quartier.admin_publishing import PublishActionsMixin

from . import versions  # noqa: F401  (registers the models before their admins do)
from .exports import CANCELLED, WAITING, attendance_csv, attendance_xlsx
from .models import (
    Event,
    EventDocument,
    EventFormat,
    EventPhoto,
    ProgrammeItem,
    Registration,
    Speaker,
)
from .resources import EventResource, RegistrationResource, RegistrationWithHealthResource
from .services import (
    documentation_checklist,
    documentation_incomplete,
    documentation_publish,
    documentation_unpublish,
    events_lacking_documentation,
    registration_cancel,
    waitlist_promote,
    with_documentation_counts,
    with_registration_counts,
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
        return document.get_download_url()


class EventPhotoInline(CreditedPhotoInline):
    model = EventPhoto


# The answers that may tell of a person's health: only for staff with the permission to see them.
HEALTH_FIELDS = ["accessibility_needs", "dietary_notes"]
HEALTH_PERMISSION = "events.view_registration_health"


class RegistrationInline(admin.TabularInline):
    """The event's registrations, read only: they change through the registration admin.

    Only those whose address is confirmed (the summary above counts the others).
    """

    model = Registration
    fields = ["name", "organisation", "email", "status", "created_at"]
    readonly_fields = [*fields, *HEALTH_FIELDS]
    ordering = ["status", "waiting_since", "created_at", "pk"]
    show_change_link = True
    extra = 0
    verbose_name_plural = _("registrations")

    def get_queryset(self, request):
        return super().get_queryset(request).address_confirmed()

    def get_fields(self, request, obj=None):
        if request.user.has_perm(HEALTH_PERMISSION):
            return [*self.fields, *HEALTH_FIELDS]
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventTimeFilter(admin.SimpleListFilter):
    """Upcoming (not yet over) or past events, as the public lists divide them."""

    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("upcoming")), ("past", _("past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


class EventYearFilter(admin.SimpleListFilter):
    """The year the event starts in (Berlin time), for years that have events."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in Event.objects.years()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(start__year=int(self.value()))
        return queryset


class DocumentationCompleteFilter(admin.SimpleListFilter):
    """Past public events whose documentation the checklist finds incomplete, or complete."""

    title = _("documentation checklist")
    parameter_name = "checklist"

    def lookups(self, request, model_admin):
        return [
            ("incomplete", _("incomplete (public events that took place)")),
            ("complete", _("complete")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "incomplete":
            return queryset.filter(pk__in=events_lacking_documentation().values("pk"))
        if self.value() == "complete":
            incomplete = documentation_incomplete(Event.objects.all())
            return queryset.exclude(pk__in=incomplete.values("pk"))
        return queryset


@admin.register(EventFormat)
class EventFormatAdmin(HistoryAdmin, admin.ModelAdmin):
    """The formats visitors filter the event list by; staff add the initiative's new ones."""

    list_display = ["name", "name_en", "slug", "position", "event_count"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ["js/admin-german-slugs.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description=_("events"), ordering="event_count")
    def event_count(self, event_format):
        return event_format.event_count


@admin.register(Event)
class EventAdmin(
    PublishActionsMixin, MediaFilesAdminMixin, ExportMixin, HistoryAdmin, admin.ModelAdmin
):
    resource_classes = [EventResource]
    list_display = [
        "title",
        "kind",
        "start",
        "city",
        "status",
        "confirmed_count",
        "waiting_count",
        "cancelled_count",
        "documentation_published",
        "checklist_summary",
    ]
    list_filter = [
        EventTimeFilter,
        "status",
        "kind",
        EventYearFilter,
        "documentation_published",
        DocumentationCompleteFilter,
    ]
    date_hierarchy = "start"
    search_fields = ["title", "summary", "venue_name", "city"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisers", "participants"]
    readonly_fields = [
        "documentation_published_at",
        "documentation_checklist",
        "registration_summary",
        "attendance_links",
    ]
    inlines = [ProgrammeItemInline, RegistrationInline, EventDocumentInline, EventPhotoInline]
    actions = [
        "publish",
        "unpublish",
        "publish_documentation",
        "unpublish_documentation",
        "download_attendance_csv",
        "download_attendance_xlsx",
    ]
    published_message = ngettext_lazy(
        "%(count)d event published.", "%(count)d events published.", "count"
    )
    unpublished_message = ngettext_lazy(
        "%(count)d event unpublished.", "%(count)d events unpublished.", "count"
    )
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status"]}),
        (
            _("Date and place"),
            {
                "fields": [
                    ("start", "end"),
                    "time_unknown",
                    "is_online",
                    "online_url",
                    "venue_name",
                    "street",
                    ("postcode", "city"),
                    "place_unknown",
                ]
            },
        ),
        (_("About the event"), {"fields": ["summary", "description", "topics"]}),
        (_("Organisers and participants"), {"fields": ["organisers", "participants"]}),
        (
            _("Registration"),
            {
                "description": _(
                    "When places are added, people on the waiting list get them in order and "
                    "are told by e-mail."
                ),
                "fields": [
                    "registration_enabled",
                    ("capacity", "registration_deadline"),
                    ("asks_accessibility_needs", "asks_dietary_notes"),
                    "registration_summary",
                    "attendance_links",
                ],
            },
        ),
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
        return with_registration_counts(with_documentation_counts(super().get_queryset(request)))

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is None or not request.user.has_perm("events.view_registration"):
            inlines.remove(RegistrationInline)
        return inlines

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/teilnahmeliste.csv",
                wrap(self.attendance_csv_view),
                name="events_event_attendance_csv",
            ),
            path(
                "<path:object_id>/teilnahmeliste.xlsx",
                wrap(self.attendance_xlsx_view),
                name="events_event_attendance_xlsx",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "documentation_published" in form.changed_data:
            if obj.documentation_published:
                documentation_publish(event=obj)
            else:
                documentation_unpublish(event=obj)
        if change and {"capacity", "registration_enabled"} & set(form.changed_data):
            # After the admin's transaction: the row lock and the e-mails see the new capacity.
            transaction.on_commit(lambda: self._promote_waiting(request, obj))
            self._warn_about_overbooking(request, obj)

    def _promote_waiting(self, request, event: Event) -> None:
        promoted = waitlist_promote(event=event)
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person moved up from the waiting list and was told by e-mail.",
                    "%(count)d people moved up from the waiting list and were told by e-mail.",
                    len(promoted),
                )
                % {"count": len(promoted)},
                messages.SUCCESS,
            )

    def _warn_about_overbooking(self, request, event: Event) -> None:
        confirmed = event.registrations.confirmed().count()
        if event.capacity is not None and confirmed > event.capacity:
            self.message_user(
                request,
                gettext(
                    "%(confirmed)d people hold a place, more than the %(capacity)d places now "
                    "set. Nobody was removed; cancel registrations yourself if needed."
                )
                % {"confirmed": confirmed, "capacity": event.capacity},
                messages.WARNING,
            )

    # --- Registrations ----------------------------------------------------------------------

    def has_attendance_permission(self, request, obj=None) -> bool:
        """Who may download the attendance list."""
        return request.user.has_perm("events.export_registration")

    @admin.display(description=_("confirmed"), ordering="registrations_confirmed")
    def confirmed_count(self, event: Event):
        return self._count(event, "registrations_confirmed")

    @admin.display(description=_("waiting"), ordering="registrations_waiting")
    def waiting_count(self, event: Event):
        return self._count(event, "registrations_waiting")

    @admin.display(description=_("cancelled"), ordering="registrations_cancelled")
    def cancelled_count(self, event: Event):
        return self._count(event, "registrations_cancelled")

    @staticmethod
    def _count(event: Event, name: str):
        count = getattr(event, name, 0)
        if not event.registration_enabled and not count:
            return "–"
        return count

    @admin.display(description=_("registrations"))
    def registration_summary(self, event: Event | None) -> str:
        if event is None or event.pk is None:
            return gettext("Save the event first.")
        counts = (
            event
            if hasattr(event, "registrations_confirmed")
            else with_registration_counts(Event.objects.filter(pk=event.pk)).get()
        )
        places = (
            gettext("%(confirmed)d of %(capacity)d places taken")
            % {"confirmed": counts.registrations_confirmed, "capacity": event.capacity}
            if event.capacity is not None
            else gettext("%(confirmed)d confirmed (no limit)")
            % {"confirmed": counts.registrations_confirmed}
        )
        summary = format_html(
            "<p>{}; {}: {}; {}: {}; {}: {}.</p>",
            places,
            gettext("waiting list"),
            counts.registrations_waiting,
            gettext("e-mail not yet confirmed"),
            counts.registrations_unconfirmed,
            gettext("cancelled"),
            counts.registrations_cancelled,
        )
        return summary

    @admin.display(description=_("attendance list"))
    def attendance_links(self, event: Event | None) -> str:
        if event is None or event.pk is None:
            return "–"
        csv_url = reverse("admin:events_event_attendance_csv", args=[event.pk])
        xlsx_url = reverse("admin:events_event_attendance_xlsx", args=[event.pk])
        lists = [
            (gettext("Who holds a place"), ""),
            (gettext("Also the waiting list"), f"?include={WAITING}"),
            (
                gettext("Also the waiting list and cancellations"),
                f"?include={WAITING}&include={CANCELLED}",
            ),
        ]
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li>{}: <a href="{}">{}</a> · <a href="{}">{}</a></li>',
                (
                    (
                        label,
                        csv_url + query,
                        gettext("Download as CSV (Excel)"),
                        xlsx_url + query,
                        gettext("Download as XLSX"),
                    )
                    for label, query in lists
                ),
            ),
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.has_attendance_permission(request):
            return fieldsets
        # Without the permission to see registrations (or before the event exists): no list.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "attendance_links"]})
            for name, options in fieldsets
        ]

    def _attendance_event(self, request, object_id) -> Event:
        if not self.has_attendance_permission(request):
            raise PermissionDenied
        return get_object_or_404(Event, pk=object_id)

    def _attendance_options(self, request) -> dict:
        """Whom the list adds to the people holding a place, and whether it has the answers
        that may tell of their health."""
        return {
            "include": request.GET.getlist("include"),
            "health": request.user.has_perm(HEALTH_PERMISSION),
        }

    def attendance_csv_view(self, request, object_id):
        event = self._attendance_event(request, object_id)
        return attendance_csv(event, **self._attendance_options(request))

    def attendance_xlsx_view(self, request, object_id):
        event = self._attendance_event(request, object_id)
        return attendance_xlsx(event, **self._attendance_options(request))

    def _one_event(self, request, queryset) -> Event | None:
        events = list(queryset[:2])
        if len(events) != 1:
            self.message_user(
                request,
                gettext("Please select exactly one event for its attendance list."),
                messages.WARNING,
            )
            return None
        return events[0]

    @admin.action(
        description=_("Download attendance list (CSV, Excel)"), permissions=["attendance"]
    )
    def download_attendance_csv(self, request, queryset):
        if event := self._one_event(request, queryset):
            return attendance_csv(event, **self._attendance_options(request))
        return None

    @admin.action(description=_("Download attendance list (XLSX)"), permissions=["attendance"])
    def download_attendance_xlsx(self, request, queryset):
        if event := self._one_event(request, queryset):
            return attendance_xlsx(event, **self._attendance_options(request))
        return None

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
        changed = [event for event in events if documentation_publish(event=event)]
        log_list_action(
            self, request, changed, _("Documentation published through the list action.")
        )
        published = len(changed)
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
            if not event.is_published:
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
        changed = [event for event in queryset if documentation_unpublish(event=event)]
        log_list_action(
            self, request, changed, _("Documentation unpublished through the list action.")
        )
        unpublished = len(changed)
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
class ProgrammeItemAdmin(HistoryAdmin, admin.ModelAdmin):
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


@admin.register(Registration)
class RegistrationAdmin(ConfirmedOnlyAdminMixin, ExportMixin, ChangeMessageMixin, admin.ModelAdmin):
    """Registrations come from the public form; staff look, correct details and cancel.

    Only registrations whose address is confirmed are listed (double opt-in); the others are
    counted above the list. The answers about health need a permission of their own.
    """

    # The list of who registered is for the staff who look after registrations.
    export_permission = "events.export_registration"

    list_display = ["name", "email", "organisation", "event", "status", "created_at"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["event"]
    search_fields = ["name", "email", "organisation", "event__title"]
    date_hierarchy = "created_at"
    actions = ["cancel_registrations"]
    unconfirmed_message = ngettext_lazy(
        "%(count)d registration is not listed: its e-mail address is not yet confirmed.",
        "%(count)d registrations are not listed: their e-mail address is not yet confirmed.",
        "count",
    )
    fields = [
        "event",
        "status",
        "name",
        "email",
        "organisation",
        "accessibility_needs",
        "dietary_notes",
        "user",
        "language",
        "created_at",
        "confirmed_at",
        "waiting_since",
        "cancelled_at",
        "anonymised_at",
        "privacy_consent_at",
        "privacy_notice_version",
    ]
    readonly_fields = [
        "event",
        "status",
        "email",
        "user",
        "language",
        "created_at",
        "confirmed_at",
        "waiting_since",
        "cancelled_at",
        "anonymised_at",
        "privacy_consent_at",
        "privacy_notice_version",
    ]

    def get_export_resource_classes(self, request):
        """The answers about health only for staff allowed to see them."""
        if request.user.has_perm(HEALTH_PERMISSION):
            return [RegistrationWithHealthResource]
        return [RegistrationResource]

    def has_add_permission(self, request):
        return False

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if request.user.has_perm(HEALTH_PERMISSION):
            return fields
        return [field for field in fields if field not in HEALTH_FIELDS]

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        if request.user.has_perm(HEALTH_PERMISSION):
            return [*list_display, *HEALTH_FIELDS]
        return list_display

    def get_search_fields(self, request):
        search_fields = super().get_search_fields(request)
        if request.user.has_perm(HEALTH_PERMISSION):
            return [*search_fields, *HEALTH_FIELDS]
        return search_fields

    @admin.action(
        description=_("Cancel selected registrations (with e-mail)"), permissions=["change"]
    )
    def cancel_registrations(self, request, queryset):
        cancelled = refused = 0
        for registration in queryset.select_related("event").exclude(
            status=Registration.Status.CANCELLED
        ):
            try:
                registration_cancel(registration=registration)
            except ValidationError:
                refused += 1
            else:
                cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled; waiting people moved up where places "
                "became free.",
                "%(count)d registrations cancelled; waiting people moved up where places "
                "became free.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration is for an event that is over; it was left as it is.",
                    "%(count)d registrations are for events that are over; they were left as "
                    "they are.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )
