"""A demo editor for `make run`: an account of the "Redaktion" to try the admin with.

Made only while developing (DEBUG), and with a password that is drawn when the account is made
and shown only then: no password of the portal is ever written in its sources. The address is
confirmed; the second factor is left for the editor to set up at the first visit of the admin,
as every new member of staff does (unless settings.STAFF_MFA_REQUIRED is off).
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

DEMO_EDITOR_EMAIL = "redaktion@example.org"


@transaction.atomic
def demo_editor_create() -> tuple[str, str]:
    """The demo editor's address and, if the account was made now, its password (else "")."""
    if not settings.DEBUG:
        return "", ""
    User = get_user_model()
    if User.objects.filter(email=DEMO_EDITOR_EMAIL).exists():
        return DEMO_EDITOR_EMAIL, ""
    password = secrets.token_urlsafe(12)
    editor = User.objects.create_user(
        username="demo-redaktion",
        email=DEMO_EDITOR_EMAIL,
        password=password,
        first_name="Demo",
        last_name="Redaktion",
        is_staff=True,
    )
    editor.groups.set(Group.objects.filter(name="Redaktion"))
    EmailAddress.objects.create(user=editor, email=DEMO_EDITOR_EMAIL, verified=True, primary=True)
    return DEMO_EDITOR_EMAIL, password
