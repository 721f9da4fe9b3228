from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, TemplateView

from events.models import Event
from projects.models import Project, ProjectPartner
from quartier.maps import Place, PlaceListView, PlacesJsonView, places_for_map, with_query
from quartier.pagination import ListPaginator
from quartier.publishing import DraftPreviewMixin, may_preview
from quartier.ratelimit import form_email_limited, form_post_limited
from quartier.tokens import InvalidToken

from .filters import ActorFilter
from .forms import ApplicationForm
from .models import Actor, Application
from .network import SHOWN_COLLABORATORS, collaborators_of
from .offers import actor_page_offers
from .services import (
    application_confirm,
    application_from_token,
    application_submit,
)


def directory_places(actor_filter: ActorFilter) -> list[Place]:
    """The places of the actors the directory's filters leave, by city (see quartier.maps)."""
    return actor_filter.cached("places", lambda: places_for_map(actors=actor_filter.qs.for_map()))


def directory_place_count(actor_filter: ActorFilter) -> int:
    return actor_filter.cached("places:count", actor_filter.qs.for_map().count)


class ActorListView(TemplateView):
    """The public directory: filters with counts, text search and pages, all without JavaScript."""

    template_name = "actors/actor_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor_filter = ActorFilter(self.request.GET or None)
        # The count is known from the facets (or cached): the paginator need not count again.
        page = ListPaginator(
            actor_filter.qs, settings.ACTORS_PER_PAGE, count=actor_filter.result_count()
        ).get_page(self.request.GET.get("page"))
        query = actor_filter.query_string()
        context.update(
            {
                "filter": actor_filter,
                "facets": actor_filter.facets(),
                "page_obj": page,
                "actors": page.object_list,
                "is_filtered": bool(actor_filter.valid_choices()),
                # The places of every page, not on this one: counted here, listed on a page of
                # their own and loaded by the map only when the visitor asks for it.
                "place_count": directory_place_count(actor_filter),
                "places_url": with_query(reverse("actors:places_json"), query),
                "places_list_url": with_query(reverse("actors:places"), query),
            }
        )
        return context


class _DirectoryPlaces:
    """The places of the actors that the directory's filters, sent along, leave."""

    def get_places(self):
        return directory_places(ActorFilter(self.request.GET or None))

    def query(self) -> str:
        return ActorFilter(self.request.GET or None).query_string()


class ActorPlacesJsonView(_DirectoryPlaces, PlacesJsonView):
    pass


class ActorPlaceListView(_DirectoryPlaces, PlaceListView):
    title = _("Places of the actors")
    list_label = _("Actors")

    def get_list_url(self):
        return with_query(reverse("actors:list"), self.query())

    def get_places_url(self):
        return with_query(reverse("actors:places_json"), self.query())


class ActorDetailView(DraftPreviewMixin, DetailView):
    queryset = Actor.objects.select_related("sector", "parent").prefetch_related("topics")
    template_name = "actors/actor_detail.html"
    context_object_name = "actor"
    draft_notice = _("Draft: this profile is not published and only visible to editors.")

    def get_object(self, queryset=None):
        actor = super().get_object(queryset)
        if (
            actor.parent
            and not actor.parent.is_published
            and not may_preview(self.request.user, Actor)
        ):
            actor.parent = None
        return actor

    def shows_draft(self) -> bool:
        # An editor sees the group the actor belongs to even while the group is a draft.
        parent = self.object.parent
        return super().shows_draft() or (parent is not None and not parent.is_published)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = list(
            self.object.members.published().select_related("sector", "parent")
        )
        # Events it organised or took part in, newest first: one query, whatever their number.
        context["events"] = list(
            Event.objects.shown().for_actor(self.object).order_by("-start", "-pk")
        )
        # Projects it leads or works in as a partner, with its role there: two queries.
        context["projects"] = list(
            Project.objects.published()
            .for_actor(self.object)
            .prefetch_related(
                Prefetch(
                    "partnerships",
                    queryset=ProjectPartner.objects.filter(actor=self.object),
                    to_attr="roles_of_actor",
                )
            )
        )
        # "Works together with" (actors/network.py): two queries, or none from the cache.
        context["collaborators"] = collaborators_of(self.object)
        context["collaborators_shown"] = context["collaborators"][:SHOWN_COLLABORATORS]
        # Its offers and needs, and the actors that fit them: three queries at most.
        context.update(actor_page_offers(self.object))
        return context


# --- Applications to join (/mitmachen/) -------------------------------------------------------

RATE_LIMITED_MESSAGE = _(
    "Too many applications were sent from your connection in the last hour. "
    "Please try again later; what you entered is kept below."
)
EMAIL_RATE_LIMITED_MESSAGE = _(
    "Several applications were sent for this e-mail address in the last hour. "
    "Please check your inbox for our e-mail, or try again later."
)
# Applications per e-mail address and hour: more would let someone flood a stranger's inbox.
APPLICATIONS_PER_EMAIL_PER_HOUR = 3


def _form_again(request, form, *, message, status):
    form.is_valid()  # so that the field errors show with the message, and cleaned_data exists
    form.add_error(None, message)
    return render(request, "actors/application_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def application_apply(request):
    """The form; with an account, the contact person and e-mail address are filled in."""
    if request.method != "POST":
        form = ApplicationForm(user=request.user)
        return render(request, "actors/application_form.html", {"form": form})

    form = ApplicationForm(request.POST, user=request.user)
    if form_post_limited(request, form="application"):
        return _form_again(request, form, message=RATE_LIMITED_MESSAGE, status=429)
    if not form.is_valid():
        return render(request, "actors/application_form.html", {"form": form})
    if form.honeypot_triggered:
        # As if all went well: the program that filled in the hidden field learns nothing.
        return redirect("applications:sent")
    data = form.cleaned_data
    if form_email_limited(
        request, form="application", email=data["email"], limit=APPLICATIONS_PER_EMAIL_PER_HOUR
    ):
        return _form_again(request, form, message=EMAIL_RATE_LIMITED_MESSAGE, status=429)
    try:
        application_submit(
            organisation_name=data["organisation_name"],
            sector=data["sector"],
            city=data["city"],
            website=data["website"],
            contact_name=data["contact_name"],
            email=data["email"],
            phone=data["phone"],
            offers=data["offers"],
            seeks=data["seeks"],
            topics=data["topics"],
            user=request.user,
            language=get_language() or "de",
        )
    except ValidationError as error:
        # The form checks what the model checks; this is a guard, not a path people take.
        form.add_error(None, error)
        return render(request, "actors/application_form.html", {"form": form})
    # Saved, and its e-mail queued: a mail server that is down only delays it (quartier.mail).
    return redirect("applications:sent")


class ApplicationSentView(TemplateView):
    template_name = "actors/application_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            confirmation_hours=settings.CONFIRMATION_LINK_HOURS, **kwargs
        )


@require_http_methods(["GET", "POST"])
def application_confirm_view(request, token):
    """The link from the confirmation e-mail: GET shows a button, only POST confirms."""
    try:
        application = application_from_token(token=token)
    except InvalidToken as error:
        return render(
            request,
            "actors/application_link_invalid.html",
            {"expired": error.expired, "confirmation_hours": settings.CONFIRMATION_LINK_HOURS},
            status=410 if error.expired else 404,
        )
    if application is None:
        return render(
            request, "actors/application_link_invalid.html", {"expired": False}, status=404
        )

    if application.status != Application.Status.UNCONFIRMED:
        return render(
            request,
            "actors/application_confirmed.html",
            {"application": application, "already_confirmed": True},
        )
    if request.method != "POST":
        return render(request, "actors/application_confirm.html", {"application": application})
    newly_confirmed = application_confirm(application=application)
    return render(
        request,
        "actors/application_confirmed.html",
        {"application": application, "already_confirmed": not newly_confirmed},
    )
