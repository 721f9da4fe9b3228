"""The invitation page of a contact person (``/konto/organisation/einladung/<token>/``).

The link comes from the e-mail that staff send from the actor's admin page
(``actors.contacts.invitation_create``). GET shows the organisation and, to an account with the
invited address verified, the button; only the POST of that button accepts. A link that is
forged, expired, used already or revoked gets the same calm 404 page, which says no more.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from quartier.ratelimit import form_post_limited

from .contacts import (
    ADDRESS_NEEDED_MESSAGE,
    has_verified_address,
    invitation_accept,
    invitation_from_token,
    masked_email,
)

ACCEPTED_MESSAGE = _("You are now a contact person of “%(organisation)s”.")
RATE_LIMITED_MESSAGE = _(
    "Too many attempts from your connection in the last hour. Please try again later."
)


def _invalid(request):
    return render(request, "actors/contact_invitation_invalid.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_view(request, token):
    invitation = invitation_from_token(token=token)
    if invitation is None:
        return _invalid(request)
    if not request.user.is_authenticated:
        # allauth's login (and from there its sign-up) brings the person back here.
        return redirect_to_login(request.get_full_path())
    context = {
        "actor": invitation.actor,
        "address": masked_email(invitation.email),
        "may_accept": has_verified_address(request.user, invitation.email),
    }
    if not context["may_accept"]:
        context["address_needed"] = ADDRESS_NEEDED_MESSAGE % {"address": context["address"]}
    if request.method != "POST":
        return render(request, "actors/contact_invitation.html", context)

    if form_post_limited(request, form="contact_invitation"):
        context["error"] = RATE_LIMITED_MESSAGE
        return render(request, "actors/contact_invitation.html", context, status=429)
    try:
        invitation_accept(invitation=invitation, user=request.user)
    except ValidationError as error:
        if error.code != "address":
            return _invalid(request)  # accepted a moment ago (another tab, another account)
        # The page says which address is needed (``address_needed``); nothing changed.
        return render(request, "actors/contact_invitation.html", context, status=403)
    messages.success(request, ACCEPTED_MESSAGE % {"organisation": invitation.actor.name})
    # The person's list of organisations, where the new one now stands.
    return redirect("organisation:list")
