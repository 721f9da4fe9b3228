"""The portal's own account pages under /konto/ (allauth's follow in urls.py)."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from actors.models import ActorContact, Application
from events.models import Registration
from events.services import registration_cancel_url
from quartier.ratelimit import form_post_limited

from . import services
from .forms import AccountDeleteForm, NameForm

# Password attempts on the delete page per account and hour.
DELETE_ATTEMPTS_PER_HOUR = 10


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def account_overview(request):
    """Name, e-mail, links to the password and address pages; registrations and applications."""
    user = request.user
    if request.method == "POST":
        form = NameForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your name has been saved."))
            return redirect("account_overview")
    else:
        form = NameForm(instance=user)
    registrations = [
        (registration, registration_cancel_url(registration) if registration.is_active else "")
        for registration in Registration.objects.of_user(user).for_account()
    ]
    return render(
        request,
        "quartier/account_overview.html",
        {
            "form": form,
            "registrations": registrations,
            "applications": Application.objects.of_user(user),
            "is_contact": ActorContact.objects.filter(user=user).exists(),
        },
    )


@login_required
@never_cache
@require_GET
def account_data_export(request):
    """Everything stored about the person, as a JSON file to download."""
    data = services.account_data_export(user=request.user)
    filename = f"quartier-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Explains what deleting the account means; deletes it after the password is given."""
    user = request.user
    if user.is_staff:
        # Staff accounts keep the admin running; an administrator removes them there.
        return render(request, "quartier/account_delete.html", {"staff": True})
    # Bound on every POST, an empty one too: sent without a password, it says so.
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=user)
    too_many_attempts = False
    if request.method == "POST":
        if form_post_limited(
            request, form="account_delete", limit=DELETE_ATTEMPTS_PER_HOUR, value=str(user.pk)
        ):
            # The password is not even checked: the answer would help someone guessing it.
            form = AccountDeleteForm(user=user)
            too_many_attempts = True
        elif form.is_valid():
            services.account_delete(user=user)
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("home")
    return render(
        request,
        "quartier/account_delete.html",
        {"form": form, "too_many_attempts": too_many_attempts},
    )
