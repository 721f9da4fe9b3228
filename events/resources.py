"""Events and registrations as spreadsheets (django-import-export), exported by staff.

Columns are headed by the fields' names in the language of the admin; moments are given in
Berlin time as German spreadsheets read them. Only registrations whose address was confirmed are
exported (double opt-in), and the answers that may tell of a person's health only by
``RegistrationWithHealthResource``, for staff with the permission to see them.
"""

from django.utils import timezone
from django.utils.text import capfirst
from import_export import fields, resources

from .models import Event, Registration


def _moment(value) -> str:
    return f"{timezone.localtime(value):%d.%m.%Y %H:%M}" if value else ""


def _column(model, name: str) -> fields.Field:
    """A column for a model field, headed by its verbose name."""
    return fields.Field(
        attribute=name, column_name=capfirst(model._meta.get_field(name).verbose_name)
    )


class EventResource(resources.ModelResource):
    title = _column(Event, "title")
    kind = _column(Event, "kind")
    status = _column(Event, "status")
    start = _column(Event, "start")
    end = _column(Event, "end")
    is_online = _column(Event, "is_online")
    venue_name = _column(Event, "venue_name")
    street = _column(Event, "street")
    postcode = _column(Event, "postcode")
    city = _column(Event, "city")
    organisers = _column(Event, "organisers")
    capacity = _column(Event, "capacity")

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "status",
            "start",
            "end",
            "is_online",
            "venue_name",
            "street",
            "postcode",
            "city",
            "organisers",
            "capacity",
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("kind").prefetch_related("organisers")

    def dehydrate_kind(self, event):
        return event.kind.display_name

    def dehydrate_status(self, event):
        return event.get_status_display()

    def dehydrate_start(self, event):
        return _moment(event.start)

    def dehydrate_end(self, event):
        return _moment(event.end)

    def dehydrate_is_online(self, event):
        return "ja" if event.is_online else "nein"

    def dehydrate_organisers(self, event):
        return ", ".join(actor.name for actor in event.organisers.all())

    def dehydrate_capacity(self, event):
        return "" if event.capacity is None else str(event.capacity)


class RegistrationResource(resources.ModelResource):
    event = _column(Registration, "event")
    event_start = fields.Field(column_name=capfirst(Event._meta.get_field("start").verbose_name))
    name = _column(Registration, "name")
    organisation = _column(Registration, "organisation")
    email = _column(Registration, "email")
    status = _column(Registration, "status")
    created_at = _column(Registration, "created_at")
    confirmed_at = _column(Registration, "confirmed_at")
    waiting_since = _column(Registration, "waiting_since")
    cancelled_at = _column(Registration, "cancelled_at")

    class Meta:
        model = Registration
        fields = [
            "event",
            "event_start",
            "name",
            "organisation",
            "email",
            "status",
            "created_at",
            "confirmed_at",
            "waiting_since",
            "cancelled_at",
        ]

    def filter_export(self, queryset, **kwargs):
        # Never what was not confirmed, nor what retention has emptied already.
        return (
            queryset.address_confirmed()
            .filter(anonymised_at__isnull=True)
            .select_related("event")
            .order_by("event__start", "event__pk", "name", "pk")
        )

    def dehydrate_event(self, registration):
        return registration.event.title

    def dehydrate_event_start(self, registration):
        return _moment(registration.event.start)

    def dehydrate_status(self, registration):
        return registration.get_status_display()

    def dehydrate_created_at(self, registration):
        return _moment(registration.created_at)

    def dehydrate_confirmed_at(self, registration):
        return _moment(registration.confirmed_at)

    def dehydrate_waiting_since(self, registration):
        return _moment(registration.waiting_since)

    def dehydrate_cancelled_at(self, registration):
        return _moment(registration.cancelled_at)


class RegistrationWithHealthResource(RegistrationResource):
    """With the answers about accessibility needs and dietary requirements."""

    accessibility_needs = _column(Registration, "accessibility_needs")
    dietary_notes = _column(Registration, "dietary_notes")

    class Meta(RegistrationResource.Meta):
        fields = [*RegistrationResource.Meta.fields, "accessibility_needs", "dietary_notes"]
