"""What a staff account needs before the admin opens, and how long a staff session lasts.

Staff sign in through the portal's login (allauth), like everyone; the admin's own login form
only sends them there. Signing in is not enough for the admin, though: it holds the personal
data of applicants and participants, so every admin page, in both languages, first asks for a
verified e-mail address (where allauth sends the notices of account changes) and a second
factor (an authenticator app or a security key). A staff member without them is led to the
page that sets up what is missing.

``settings.STAFF_MFA_REQUIRED`` switches the demand off for local development only; settings
refuse that with DEBUG off.

A staff session ends after ``settings.STAFF_SESSION_IDLE_MINUTES`` without a request: an admin
left open on a shared computer does not stay open for the two weeks of a visitor's session.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def missing_for_admin(user) -> str:
    """The URL name of the page that sets up what ``user`` lacks for the admin, or ""."""
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return "account_email"
    if not is_mfa_enabled(user):
        return "mfa_activate_totp"
    return ""


class StaffAccessMiddleware:
    """After AuthenticationMiddleware and allauth's AccountMiddleware (settings.MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Here rather than in __call__: an address that leads to no page asks nobody's session,
        # so that the "not found" page shows even while the database is down.
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            # Not signed in: the admin sends the person to the login (see quartier/urls.py).
            return None
        # Refreshed on every request: the session expires once the person stops working.
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_MINUTES * 60)
        if not settings.STAFF_MFA_REQUIRED or "admin" not in request.resolver_match.namespaces:
            return None
        missing = missing_for_admin(user)
        if missing == "account_email":
            messages.warning(
                request,
                _(
                    "The admin opens only once your e-mail address is confirmed. Please "
                    "request the confirmation e-mail here and open the link in it."
                ),
            )
            return redirect(missing)
        if missing:
            messages.warning(
                request,
                _(
                    "The admin opens only with a second factor. Please set up an "
                    "authenticator app now; you will then be asked for one of its codes "
                    "at each login."
                ),
            )
            return redirect(missing)
        return None
