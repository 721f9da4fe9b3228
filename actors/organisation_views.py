"""The contacts' own pages under /konto/organisation/: their organisations, the form that
proposes changes to a profile, and leaving an organisation.

Every page but the list answers 404 to anyone who is not a contact of the actor in the address
(anonymous visitors, other accounts, staff who are not contacts: they work in the admin), so
that no slug or id tells whether an organisation exists or has contacts.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from quartier.markdown import render_markdown
from quartier.ratelimit import form_post_limited

from .models import ActorContact, ProfileProposal
from .proposal_forms import OfferOrNeedFormSet, ProfileProposalForm
from .proposals import (
    contact_leave,
    entries_for_form,
    proposal_save,
    proposal_values_for_form,
    proposal_withdraw,
)

ENTRIES_INVALID_MESSAGE = gettext_lazy("Please correct the offers and needs below.")
RATE_LIMITED_MESSAGE = gettext_lazy(
    "You have sent this form very often in the last hour. Please try again later; what you "
    "entered is kept below."
)


def _membership(request, slug: str) -> ActorContact:
    """The person's membership of the actor with ``slug``, or 404 (for anonymous visitors too)."""
    membership = ActorContact.objects.of_user(request.user).filter(actor__slug=slug).first()
    if membership is None:
        raise Http404
    return membership


@login_required
@never_cache
@require_http_methods(["GET"])
def organisation_list(request):
    """The organisations the person is a contact of, each with its pending proposal or the
    last decision on one."""
    memberships = list(ActorContact.objects.of_user(request.user).order_by("actor__name", "pk"))
    proposals = ProfileProposal.objects.latest_per_actor(m.actor_id for m in memberships)
    rows = [(membership, proposals.get(membership.actor_id)) for membership in memberships]
    return render(request, "actors/organisation_list.html", {"rows": rows})


@never_cache
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    membership = _membership(request, slug)
    actor = membership.actor
    pending = ProfileProposal.objects.filter(actor=actor).pending().first()
    context = {"actor": actor, "proposal": pending, "preview": None}
    if request.method != "POST":
        values = proposal_values_for_form(actor=actor, proposal=pending)
        form = ProfileProposalForm(
            initial=ProfileProposalForm.initial_from(values, based_on=actor.updated_at)
        )
        entries = OfferOrNeedFormSet(
            prefix="entries", initial=entries_for_form(actor=actor, proposal=pending)
        )
        context |= {"form": form, "entries": entries}
        return render(request, "actors/organisation_edit.html", context)

    form = ProfileProposalForm(request.POST, request.FILES)
    # The initial entries name the fieldsets again ("Entry “Rooms”") when errors are shown.
    entries = OfferOrNeedFormSet(
        request.POST, prefix="entries", initial=entries_for_form(actor=actor, proposal=pending)
    )
    context |= {"form": form, "entries": entries}
    if form_post_limited(request, form="organisation_edit", value=str(request.user.pk)):
        form.is_valid()
        form.add_error(None, RATE_LIMITED_MESSAGE)
        return render(request, "actors/organisation_edit.html", context, status=429)
    form_valid, entries_valid = form.is_valid(), entries.is_valid()
    if not entries_valid:
        form.add_error(None, ENTRIES_INVALID_MESSAGE)
    if not (form_valid and entries_valid):
        return render(request, "actors/organisation_edit.html", context)
    if "preview" in request.POST:
        context["preview"] = render_markdown(form.cleaned_data["description"])
        return render(request, "actors/organisation_edit.html", context)
    data = form.cleaned_data
    try:
        proposal_save(
            actor=actor,
            user=request.user,
            values=form.profile_values(),
            logo=data.get("logo"),
            logo_alt_text=data["logo_alt_text"],
            logo_credit=data["logo_credit"],
            logo_licence=data["logo_licence"],
            logo_permission=data["logo_permission"],
            language=request.LANGUAGE_CODE,
            based_on=data.get("based_on"),
            entries=[entry for f in entries.forms if (entry := f.entry()) is not None],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return render(request, "actors/organisation_edit.html", context)
    messages.success(
        request,
        _(
            "Thank you: your proposal for “%(name)s” has been saved. The staff of the DV will "
            "review it; the public page stays as it is until then."
        )
        % {"name": actor.name},
    )
    return redirect("organisation:list")


@never_cache
@require_http_methods(["GET", "POST"])
def organisation_leave(request, slug):
    """GET asks; POST ends the membership."""
    membership = _membership(request, slug)
    if request.method == "POST":
        contact_leave(actor=membership.actor, user=request.user)
        messages.success(
            request,
            _("You are no longer a contact of “%(name)s”.") % {"name": membership.actor.name},
        )
        return redirect("organisation:list")
    return render(request, "actors/organisation_leave.html", {"actor": membership.actor})


@never_cache
def organisation_withdraw(request, slug):
    """The contact takes back the organisation's pending proposal (POST only; anyone who is not
    a contact gets 404 whatever the method)."""
    membership = _membership(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pending = ProfileProposal.objects.filter(actor=membership.actor).pending().first()
    if pending is None:
        raise Http404
    try:
        proposal_withdraw(proposal=pending, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your proposal has been withdrawn."))
    return redirect("organisation:list")
