import datetime
import json
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import DetailView, TemplateView

from projects.models import Project
from quartier.downloads import DocumentDownloadView
from quartier.links import absolute_url
from quartier.pagination import ListPaginator
from quartier.publishing import DraftPreviewMixin
from quartier.ratelimit import form_email_limited, form_post_limited
from quartier.tokens import InvalidToken, object_from_token

from .filters import EventFilter
from .forms import RegistrationForm
from .models import Event, EventDocument, Registration
from .services import (
    CANCEL_PURPOSE,
    CONFIRM_PURPOSE,
    MAILS_PER_ADDRESS_PER_HOUR,
    confirmation_link_max_age,
    registration_cancel,
    registration_cancel_url,
    registration_confirm,
    registration_create,
    registration_refusal,
)

# What json.dumps may leave in a string that would end a <script> element or confuse an HTML
# parser; the same escapes as Django's json_script filter.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script_content(data: dict) -> str:
    """``data`` as JSON that is safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every character that could end the element is escaped


def group_by_year(events) -> list[dict]:
    """``[{"year": 2020, "events": [...]}, ...]`` in the order given, by the year in Berlin."""
    return [
        {"year": year, "events": list(group)}
        for year, group in groupby(events, key=lambda event: timezone.localtime(event.start).year)
    ]


class EventListView(TemplateView):
    """Upcoming events, soonest first; then the archive by year, newest first; with filters.

    The first page shows the next ``upcoming_on_first_page`` events; should more be planned,
    they are listed on pages of their own (``?zeit=kommend``), so that no page grows with them.
    """

    template_name = "events/event_list.html"
    paginate_by = 20
    upcoming_on_first_page = 10
    # The value of the "zeit" parameter that lists the upcoming events alone.
    UPCOMING_ONLY = "kommend"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event_filter = EventFilter(self.request.GET or None)
        now = timezone.now()
        events = event_filter.qs
        number = self.request.GET.get("page")
        upcoming_only = self.request.GET.get("zeit") == self.UPCOMING_ONLY
        if upcoming_only:
            page = ListPaginator(events.upcoming(now), self.paginate_by).get_page(number)
            upcoming, more_upcoming = list(page.object_list), False
            archive_years = []
        else:
            page = ListPaginator(events.past(now), self.paginate_by).get_page(number)
            upcoming, more_upcoming = [], False
            if page.number == 1:
                # Upcoming events head the first page; one more tells whether others follow.
                shown = self.upcoming_on_first_page
                upcoming = list(events.upcoming(now)[: shown + 1])
                more_upcoming = len(upcoming) > shown
                upcoming = upcoming[:shown]
            archive_years = group_by_year(page.object_list)
        context.update(
            {
                "filter": event_filter,
                "facets": event_filter.facets(),
                "upcoming": upcoming,
                "upcoming_only": upcoming_only,
                "more_upcoming": more_upcoming,
                "page_obj": page,
                "archive_years": archive_years,
                "is_filtered": bool(event_filter.valid_choices()),
            }
        )
        return context


class EventDetailView(DraftPreviewMixin, DetailView):
    queryset = Event.objects.for_detail()
    template_name = "events/event_detail.html"
    context_object_name = "event"
    draft_notice = gettext_lazy("Draft: this event is not published and only visible to editors.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        organisers = list(event.organisers.all())
        documentation = event.documentation_published
        photos = list(event.photos.all()) if documentation else []
        context.update(
            {
                "organisers": organisers,
                "participants": list(event.participants.all()),
                "topics": list(event.topics.all()),
                "programme": list(event.programme_items.all()),
                "documents": list(event.documents.all()) if documentation else [],
                "photos": photos,
                # Published projects this event belongs to: one query.
                "related_projects": list(Project.objects.published().for_event(event)),
                "json_ld": json_ld_script_content(
                    self.structured_data(event, organisers=organisers, photos=photos)
                ),
                "registration": registration_overview(event, self.request.user),
            }
        )
        return context

    @staticmethod
    def dates(event: Event) -> dict:
        """schema.org's start and end: the days alone when the time is not known."""
        if event.time_unknown:
            first, after = event.all_day_dates
            last = after - datetime.timedelta(days=1)
            return {"startDate": first.isoformat(), "endDate": last.isoformat()}
        return {
            "startDate": timezone.localtime(event.start).isoformat(),
            "endDate": timezone.localtime(event.end).isoformat(),
        }

    def structured_data(self, event: Event, *, organisers, photos) -> dict:
        """schema.org ``Event`` for search engines and calendars; addresses on PORTAL_BASE_URL."""
        place = None
        if event.city or event.street or event.venue_name:
            place = {
                "@type": "Place",
                "name": event.venue_name or event.city,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.street,
                    "postalCode": event.postcode,
                    "addressLocality": event.city,
                    "addressCountry": "DE",
                },
            }
        virtual = None
        if event.is_online:
            virtual = {"@type": "VirtualLocation"}
            if event.online_url:
                virtual["url"] = event.online_url
        if place and virtual:
            mode, location = "MixedEventAttendanceMode", [place, virtual]
        elif virtual:
            mode, location = "OnlineEventAttendanceMode", virtual
        else:
            mode, location = "OfflineEventAttendanceMode", place
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            **self.dates(event),
            "eventStatus": "https://schema.org/"
            + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
            "eventAttendanceMode": f"https://schema.org/{mode}",
            "description": event.summary,
            "url": absolute_url(event.get_absolute_url()),
            "inLanguage": "de",
        }
        if location:
            data["location"] = location
        if organisers:
            data["organizer"] = [
                {
                    "@type": "Organization",
                    "name": actor.name,
                    "url": absolute_url(actor.get_absolute_url()),
                }
                for actor in organisers
            ]
        if photos:
            data["image"] = [absolute_url(photo.display.url) for photo in photos[:3]]
        return data


class EventDocumentDownloadView(DocumentDownloadView):
    """One document of an event's published documentation; editors may fetch any."""

    queryset = EventDocument.objects.all()
    public_queryset = EventDocument.objects.public()
    lookups = {"slug": "event__slug", "pk": "pk"}


# --- Registration ---------------------------------------------------------------------------


def own_registration(event: Event, user) -> Registration | None:
    """The logged-in person's active registration for the event (one query), else None."""
    if not user.is_authenticated:
        return None
    return Registration.objects.of_user(user).active().filter(event=event).first()


def registration_overview(event: Event, user) -> dict | None:
    """What the event's page says about registering; None when the event takes none.

    At most two queries: the places taken (with a limit) and the person's own registration.
    """
    if not event.registration_enabled:
        return None
    refusal = registration_refusal(event)
    overview = {
        "is_open": refusal is None,
        "refusal": refusal,
        "closes_at": event.registration_closes_at,
        "places_left": None,
        "is_full": False,
        "own": own_registration(event, user),
    }
    if refusal is None and event.capacity is not None:
        taken = event.registrations.confirmed().count()
        overview["places_left"] = max(event.capacity - taken, 0)
        overview["is_full"] = taken >= event.capacity
    if overview["own"] is not None:
        overview["own_cancel_url"] = registration_cancel_url(overview["own"])
    return overview


def _current_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _registration_form_page(request, event, form, *, status=200):
    return render(
        request,
        "events/registration_form.html",
        {
            "event": event,
            "form": form,
            "registration": registration_overview(event, request.user),
            "refusal": registration_refusal(event),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def register(request, slug):
    """The registration form; on success the "please check your e-mail" page."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if request.method != "POST":
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name(), "email": request.user.email}
        return _registration_form_page(
            request, event, RegistrationForm(initial=initial, event=event)
        )

    form = RegistrationForm(request.POST, event=event)
    if form_post_limited(request, form="registration"):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Too many registrations have been sent from your connection. "
                "Please try again in an hour."
            ),
        )
        return _registration_form_page(request, event, form, status=429)
    if not form.is_valid():
        return _registration_form_page(request, event, form)
    if form.honeypot_triggered:
        # Answered as if all went well; nothing is stored or sent.
        return redirect("events:registration_sent", slug=event.slug)
    data = form.cleaned_data
    if form_email_limited(
        request, form="registration", email=data["email"], limit=MAILS_PER_ADDRESS_PER_HOUR
    ):
        form.add_error(
            "email",
            _(
                "We have sent several e-mails to this address within the last hour. "
                "Please look in your inbox (and spam folder), or try again later."
            ),
        )
        return _registration_form_page(request, event, form, status=429)
    try:
        registration = registration_create(
            event=event,
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            accessibility_needs=data.get("accessibility_needs", ""),
            dietary_notes=data.get("dietary_notes", ""),
            user=request.user if request.user.is_authenticated else None,
            language=_current_language(),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _registration_form_page(request, event, form)
    # Stored, and its e-mail queued: a mail server that is down only delays it (quartier.mail).
    if _placed_for_account(request, registration):
        _message_placed(request, registration)
        return redirect(event)
    return redirect("events:registration_sent", slug=event.slug)


def _placed_for_account(request, registration: Registration) -> bool:
    return (
        request.user.is_authenticated
        and registration.user_id == request.user.pk
        and registration.status in (Registration.Status.CONFIRMED, Registration.Status.WAITING)
    )


def _message_placed(request, registration: Registration) -> None:
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(
            request,
            _("You are registered. We have sent you a confirmation with a calendar entry."),
        )
    else:
        messages.info(
            request,
            _(
                "All places are taken: you are on the waiting list. We will write to you as "
                "soon as a place becomes free."
            ),
        )


@require_POST
def register_account(request, slug):
    """One click for a logged-in person: registered with the account's name and address."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    user = request.user
    if own_registration(event, user) is not None:
        messages.info(request, _("You are registered for this event already."))
        return redirect(event)
    if not user.email:
        messages.error(request, _("Your account has no e-mail address. Please use the form."))
        return redirect("events:register", slug=event.slug)
    if form_post_limited(request, form="registration"):
        messages.error(
            request,
            _(
                "Too many registrations have been sent from your connection. "
                "Please try again in an hour."
            ),
        )
        return redirect(event)
    try:
        registration = registration_create(
            event=event,
            name=user.get_full_name() or user.email,
            email=user.email,
            user=user,
            language=_current_language(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    if _placed_for_account(request, registration):
        _message_placed(request, registration)
        return redirect(event)
    return redirect("events:registration_sent", slug=event.slug)


@require_safe
def registration_sent(request, slug):
    """After the form: please confirm your address (shown whatever happened behind it)."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return render(
        request,
        "events/registration_sent.html",
        {"event": event, "link_hours": settings.CONFIRMATION_LINK_HOURS},
    )


def _linked_registrations():
    """What a link in an e-mail may lead to: registrations that were not anonymised."""
    return Registration.objects.select_related("event").filter(anonymised_at__isnull=True)


def _invalid_link(request):
    return render(request, "events/registration_link_invalid.html", status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link of the double opt-in: a page with a button; POST confirms."""
    try:
        registration = object_from_token(
            _linked_registrations(),
            purpose=CONFIRM_PURPOSE,
            token=token,
            max_age_seconds=confirmation_link_max_age(),
        )
        expired = False
    except InvalidToken as error:
        if not error.expired:
            return _invalid_link(request)
        registration, expired = error.instance, True
    if registration is None:
        return _invalid_link(request)
    event = registration.event
    context = {"registration": registration, "event": event}
    if registration.status != Registration.Status.UNCONFIRMED:
        return render(request, "events/registration_confirm.html", {**context, "state": "already"})
    if expired:
        return render(
            request,
            "events/registration_confirm.html",
            {**context, "state": "expired", "link_hours": settings.CONFIRMATION_LINK_HOURS},
            status=410,
        )
    if request.method != "POST":
        return render(request, "events/registration_confirm.html", {**context, "state": "ask"})
    try:
        registration = registration_confirm(registration=registration)
    except ValidationError as error:
        return render(
            request,
            "events/registration_confirm.html",
            {**context, "state": "refused", "refusal": " ".join(error.messages)},
            status=409,
        )
    return render(
        request,
        "events/registration_confirm.html",
        {**context, "registration": registration, "state": "done"},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    """The cancel link of every e-mail: a page with a button; POST cancels. No login needed."""
    try:
        registration = object_from_token(
            _linked_registrations(), purpose=CANCEL_PURPOSE, token=token
        )
    except InvalidToken:
        registration = None
    if registration is None:
        return _invalid_link(request)
    event = registration.event
    context = {"registration": registration, "event": event}
    if registration.status == Registration.Status.CANCELLED:
        return render(request, "events/registration_cancel.html", {**context, "state": "already"})
    if timezone.now() >= event.end:
        return render(request, "events/registration_cancel.html", {**context, "state": "over"})
    if request.method != "POST":
        return render(request, "events/registration_cancel.html", {**context, "state": "ask"})
    try:
        registration = registration_cancel(registration=registration)
    except ValidationError:
        return render(request, "events/registration_cancel.html", {**context, "state": "over"})
    return render(
        request,
        "events/registration_cancel.html",
        {**context, "registration": registration, "state": "done"},
    )
