"""A limit on failed admin logins per client address (settings.ADMIN_LOGIN_RATE_LIMIT).

Staff sign in to the admin with Django's own form; without a limit, passwords could be guessed
at the speed of the server. allauth limits the portal's own login the same way.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render

from .ratelimit import limit_exceeded, limit_reached

PERIOD_SECONDS = 15 * 60


def admin_login_rate_limited(login_view):
    @wraps(login_view)
    def view(request, *args, **kwargs):
        limit = settings.ADMIN_LOGIN_RATE_LIMIT
        if request.method == "POST" and limit_reached(
            request, scope="admin-login", limit=limit, period=PERIOD_SECONDS
        ):
            return render(request, "admin/login_rate_limited.html", status=429)
        response = login_view(request, *args, **kwargs)
        # A failed attempt shows the form again (200); a successful one redirects.
        if request.method == "POST" and response.status_code == 200:
            limit_exceeded(request, scope="admin-login", limit=limit, period=PERIOD_SECONDS)
        return response

    return view
