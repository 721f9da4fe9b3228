"""Events and workshop talks, their programme and their public documentation."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import ExtractYear, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from actors.models import Actor
from quartier.content_version import changed_in_bulk
from quartier.media import (
    CreditedPhoto,
    CreditedPhotoQuerySet,
    PublicDocument,
    PublicDocumentQuerySet,
)
from quartier.models import ConsentRecord, ConsentRecordQuerySet, in_current_language
from quartier.publishing import Publishable, PublishableQuerySet
from quartier.slugs import german_slugify


class EventFormat(models.Model):
    """A format of the initiative's events, such as "Praxiswerkstatt"; staff maintain the list.

    Whether an event takes place online or in person is not its format: that is the event's
    ``is_online`` and its address.
    """

    name = models.CharField(
        _("name"),
        max_length=120,
        unique=True,
        help_text=_("As shown on event pages and in the list's filter, e.g. “Praxiswerkstatt”."),
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=120,
        blank=True,
        help_text=_("Shown on the English pages; the German name is shown while this is empty."),
    )
    slug = models.SlugField(
        _("short name in the address"),
        max_length=80,
        unique=True,
        help_text=_("Used in filter addresses, e.g. praxiswerkstatt. Lower case, no spaces."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Formats are listed by this number, then by name.")
    )

    class Meta:
        verbose_name = _("event format")
        verbose_name_plural = _("event formats")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_current_language(self, "name")


class EventQuerySet(PublishableQuerySet):
    def published(self):
        """What the public sees: published and cancelled events (the latter with a notice)."""
        return self.filter(status__in=Event.PUBLIC_STATUSES)

    def shown(self):
        """``published()`` with what every mention of an event shows besides its own fields:
        its format. For lists of events; no extra query."""
        return self.published().select_related("kind")

    def drafts(self):
        return self.filter(status=Event.Status.DRAFT)

    def publish(self) -> int:
        """Publish the drafts that say where they take place (as ``Event.clean()`` demands)."""
        return changed_in_bulk(
            self.drafts()
            .exclude(is_online=False, place_unknown=False, city="")
            .update(status=Event.Status.PUBLISHED, updated_at=timezone.now())
        )

    def unpublish(self) -> int:
        """Take published events back to drafts.

        A cancelled event stays as it is: as a draft it would come back as taking place when
        published again. Its status is changed on its own page.
        """
        return changed_in_bulk(
            self.filter(status=Event.Status.PUBLISHED).update(
                status=Event.Status.DRAFT, updated_at=timezone.now()
            )
        )

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def documented(self):
        """Events whose documentation the public may see, the most recently documented first."""
        return (
            self.shown()
            .filter(documentation_published=True)
            .order_by(F("documentation_published_at").desc(nulls_last=True), "-start", "-pk")
        )

    def searchable(self):
        """What the site search looks through, with the programme its snippets quote
        (events/search.py)."""
        return self.shown().prefetch_related(
            Prefetch("programme_items", queryset=ProgrammeItem.objects.prefetch_related("speakers"))
        )

    def for_actor(self, actor):
        """Events the actor organised or took part in.

        Through subqueries on the two relations, each read by its index on the actor: a join
        of both with OR (and DISTINCT) would read every event's organisers and participants.
        """
        return self.filter(
            Q(pk__in=Event.organisers.through.objects.filter(actor=actor).values("event"))
            | Q(pk__in=Event.participants.through.objects.filter(actor=actor).values("event"))
        )

    def for_list(self):
        """Everything a list entry shows, fetched in a fixed number of queries."""
        return self.shown().prefetch_related("topics")

    def for_detail(self):
        return self.select_related("kind").prefetch_related(
            "topics",
            Prefetch("organisers", queryset=Actor.objects.published()),
            Prefetch("participants", queryset=Actor.objects.published()),
            Prefetch(
                "programme_items",
                queryset=ProgrammeItem.objects.prefetch_related(
                    Prefetch("speakers", queryset=Speaker.objects.select_related("actor"))
                ),
            ),
            "documents",
            Prefetch("photos", queryset=EventPhoto.objects.showable()),
        )

    def years(self) -> list[int]:
        return list(
            self.annotate(year=ExtractYear("start", tzinfo=timezone.get_current_timezone()))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )


class Event(Publishable):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    # A cancelled event stays public, with a notice, so that nobody who planned to come is
    # left wondering.
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CANCELLED)

    title = models.CharField(
        _("title"), max_length=200, help_text=_("Short and telling; shown in lists and feeds.")
    )
    slug = models.SlugField(
        _("short name in the address"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_(
            "Part of the page address. Left empty, it is made from the title and the year."
        ),
    )
    kind = models.ForeignKey(
        EventFormat,
        verbose_name=_("format"),
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Visitors can filter the event list by it. Staff can add formats."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_(
            "Drafts are seen by editors only. A cancelled event stays public with a notice."
        ),
    )
    start = models.DateTimeField(_("start"), help_text=_("Date and time, Berlin time."))
    end = models.DateTimeField(_("end"), help_text=_("Must be after the start."))
    time_unknown = models.BooleanField(
        _("time not known"),
        default=False,
        help_text=_(
            "Only the day is known: pages show no time, calendars an all-day entry. "
            "The times above then only keep the order."
        ),
    )
    is_online = models.BooleanField(
        _("online"), default=False, help_text=_("Takes place online; no venue is needed then.")
    )
    online_url = models.URLField(
        _("address of the online event"),
        blank=True,
        help_text=_("Shown to the public; leave empty to send it to participants only."),
    )
    venue_name = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("E.g. the name of the house or hall.")
    )
    street = models.CharField(
        _("street and number"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Littenstraße 10”; shown with the venue."),
    )
    postcode = models.CharField(
        _("postcode"), max_length=10, blank=True, help_text=_("E.g. 10179.")
    )
    city = models.CharField(
        _("city"),
        max_length=100,
        blank=True,
        help_text=_(
            "Required for publishing, unless the event is online or its place is not known."
        ),
    )
    place_unknown = models.BooleanField(
        _("place not known"),
        default=False,
        help_text=_(
            "For past events whose place the sources do not name: the page says so, and the "
            "event can be published without a city."
        ),
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("One or two sentences for lists and feeds.")
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    organisers = models.ManyToManyField(
        Actor,
        verbose_name=_("organised by"),
        related_name="organised_events",
        blank=True,
        help_text=_("Actors from the directory who run the event."),
    )
    participants = models.ManyToManyField(
        Actor,
        verbose_name=_("participating actors"),
        related_name="attended_events",
        blank=True,
        help_text=_("Actors from the directory who take part; the event shows on their profile."),
    )
    topics = TaggableManager(_("topics"), blank=True, help_text=_("Separate topics with commas."))
    results = models.TextField(
        _("results"),
        blank=True,
        help_text=_("What came out of the event, for the documentation. Markdown."),
    )
    documentation_published = models.BooleanField(
        _("documentation published"),
        default=False,
        help_text=_("Shows results, documents and photos to the public."),
    )
    documentation_published_at = models.DateTimeField(
        _("documentation published on"), null=True, blank=True, editable=False
    )
    registration_enabled = models.BooleanField(
        _("registration open"),
        default=False,
        help_text=_("People can register for the event on its page."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_(
            "How many people can take part. When all places are taken, further registrations "
            "join the waiting list. Empty: no limit."
        ),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: registration is possible until the event starts."),
    )
    asks_accessibility_needs = models.BooleanField(
        _("ask about accessibility needs"),
        default=True,
        help_text=_("The registration form asks what people need to take part."),
    )
    asks_dietary_notes = models.BooleanField(
        _("ask about dietary requirements"),
        default=False,
        help_text=_("The registration form asks about food, e.g. when a meal is served."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="event_capacity_not_negative",
            ),
        ]
        indexes = [
            # The event list (upcoming() and past() of published()): the rows of a page are
            # read in order from these, not sorted out of every event. The condition is
            # PUBLIC_STATUSES, which Meta cannot name.
            models.Index(
                "start",
                "id",
                name="event_public_by_start",
                condition=Q(status__in=["published", "cancelled"]),
            ),
            models.Index(
                "end",
                name="event_public_by_end",
                condition=Q(status__in=["published", "cancelled"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if not self.slug and self.title:
            self.slug = german_slugify(
                f"{self.title} {self.start:%Y}" if self.start else self.title
            )
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The event must end after it starts.")
        if self.registration_deadline and self.start and self.registration_deadline > self.start:
            errors["registration_deadline"] = _(
                "The registration deadline must not be after the start of the event."
            )
        if (
            not self.is_online
            and not self.place_unknown
            and self.status != self.Status.DRAFT
            and not self.city
        ):
            errors["city"] = _(
                "Please give the city, or mark the event as online or its place as not known."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_published(self) -> bool:
        """Whether the public sees the event; the status decides (see ``PUBLIC_STATUSES``)."""
        return self.status in self.PUBLIC_STATUSES

    @property
    def registration_closes_at(self):
        """The end of registration: the deadline, or else the start of the event."""
        return self.registration_deadline or self.start

    @property
    def all_day_dates(self) -> tuple[datetime.date, datetime.date]:
        """The first day and the day after the last, in Berlin: an all-day entry's dates."""
        first = timezone.localtime(self.start).date()
        last = timezone.localtime(self.end - datetime.timedelta(microseconds=1)).date()
        return first, max(last, first) + datetime.timedelta(days=1)

    @property
    def address_lines(self) -> list[str]:
        postcode_city = " ".join(part for part in (self.postcode, self.city) if part)
        return [line for line in (self.venue_name, self.street, postcode_city) if line]


class ProgrammeItem(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme_items"
    )
    starts_at = models.TimeField(
        _("time"), null=True, blank=True, help_text=_("When the item starts, e.g. 14:00.")
    )
    ends_at = models.TimeField(_("until"), null=True, blank=True, help_text=_("May stay empty."))
    title = models.CharField(
        _("title"), max_length=250, help_text=_("E.g. “Welcome” or the title of a talk.")
    )
    description = models.TextField(
        _("short description"), blank=True, help_text=_("A few sentences; shown in the programme.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Items are listed by this number, then by time.")
    )

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        ordering = ["position", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    programme_item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("programme item"),
        on_delete=models.CASCADE,
        related_name="speakers",
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("As the person wants to be named.")
    )
    function = models.CharField(
        _("function"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Managing director” or “Neighbourhood manager”."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when you choose the organisation in the directory."),
    )
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("organisation in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
        help_text=_("Links the speaker to the organisation's profile."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Speakers are listed by this number.")
    )

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_name(self) -> str:
        return self.organisation or (self.actor.name if self.actor_id else "")


class EventDocumentQuerySet(PublicDocumentQuerySet):
    def public(self):
        """Documents of public events whose documentation is published."""
        return self.filter(event__in=Event.objects.documented())

    def searchable(self):
        """What the site search looks through, with the event a hit links to."""
        return self.public().select_related("event")


class EventDocument(PublicDocument):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents"
    )

    objects = EventDocumentQuerySet.as_manager()

    class Meta(PublicDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def get_download_url(self) -> str:
        """Where the file is fetched; the name at the end is checked against the file's own."""
        return reverse(
            "events:document",
            kwargs={"slug": self.event.slug, "pk": self.pk, "filename": self.download_name},
        )


class EventPhotoQuerySet(CreditedPhotoQuerySet):
    def public(self):
        """The photos of published documentation that may be shown."""
        return self.showable().filter(event__in=Event.objects.documented())


class EventPhoto(CreditedPhoto):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="photos"
    )

    objects = EventPhotoQuerySet.as_manager()

    class Meta(CreditedPhoto.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class RegistrationQuerySet(ConsentRecordQuerySet):
    def active(self):
        """Registrations that hold or wait for a place, or await the e-mail confirmation."""
        return self.filter(status__in=Registration.ACTIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def address_confirmed(self):
        """Registrations whose address the person confirmed (or an account vouched for): the
        only ones staff see with personal data (double opt-in). A registration cancelled before
        its confirmation stays unconfirmed."""
        return self.exclude(self._unconfirmed())

    def address_unconfirmed(self):
        return self.filter(self._unconfirmed())

    @staticmethod
    def _unconfirmed() -> Q:
        return Q(status=Registration.Status.UNCONFIRMED) | Q(confirmed_at__isnull=True)

    def waiting(self):
        """The waiting list, first come first served."""
        return self.filter(status=Registration.Status.WAITING).order_by("waiting_since", "pk")

    def for_account(self):
        return self.select_related("event").order_by("-event__start", "-pk")


class Registration(ConsentRecord):
    """A person's registration for an event.

    Without an account it first awaits the confirmation of the e-mail address (double opt-in);
    then it takes a place, or joins the waiting list when all places are taken.
    """

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail address not yet confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = (Status.UNCONFIRMED, Status.CONFIRMED, Status.WAITING)

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        related_name="registrations",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=1000, blank=True)
    dietary_notes = models.TextField(_("dietary requirements"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.UNCONFIRMED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        permissions = [
            # Accessibility needs and dietary requirements may reveal health data (GDPR art. 9).
            ("view_registration_health", _("Can see accessibility needs and dietary requirements")),
            ("export_registration", _("Can download attendance lists")),
        ]
        constraints = [
            # One active registration per person and event; anonymised rows have no address.
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(status__in=["unconfirmed", "confirmed", "waiting"]) & ~Q(email=""),
                name="registration_one_active_per_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self) -> str:
        return self.name or gettext("anonymised registration")

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
