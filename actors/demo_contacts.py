"""A demo contact for `make run`: an account that speaks for a real participant of the demo,
with a proposed change to its description that awaits review.

So the flow of proposed changes can be tried at once: log in as the contact, open
/konto/organisation/, change the description; log in as the demo editor and accept it on the
admin's start page. Like the demo editor (quartier/accounts/demo.py) it is made only while
developing (DEBUG), with a password drawn when the account is made and shown only then.
Loading the demo again changes nothing: the account and whatever became of its proposal stay.
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Actor, ActorContact
from .proposals import proposal_save

DEMO_CONTACT_EMAIL = "kontakt-degewo@example.org"
DEMO_CONTACT_ACTOR_SLUG = "degewo-ag"
# Content of the German directory, marked as an example like the demo's offers and needs.
DEMO_PROPOSED_PARAGRAPH = (
    "Beispiel eines Änderungsvorschlags: Seit 2020 bringt die degewo ihre Erfahrung mit "
    "Nachbarschaftsarbeit in den Berliner Quartieren in das Netzwerk ein."
)


@transaction.atomic
def demo_contact_create() -> tuple[str, str]:
    """The demo contact's address and, if the account was made now, its password (else "");
    nothing outside DEBUG or when the demo has no such actor."""
    if not settings.DEBUG:
        return "", ""
    User = get_user_model()
    if User.objects.filter(email=DEMO_CONTACT_EMAIL).exists():
        return DEMO_CONTACT_EMAIL, ""
    actor = Actor.objects.filter(slug=DEMO_CONTACT_ACTOR_SLUG).first()
    if actor is None:
        return "", ""
    password = secrets.token_urlsafe(12)
    contact = User.objects.create_user(
        username="demo-kontakt-degewo",
        email=DEMO_CONTACT_EMAIL,
        password=password,
        first_name="Demo",
        last_name="Kontakt degewo",
    )
    EmailAddress.objects.create(user=contact, email=DEMO_CONTACT_EMAIL, verified=True, primary=True)
    ActorContact.objects.create(actor=actor, user=contact, source=ActorContact.Source.STAFF)
    description = f"{actor.description}\n\n{DEMO_PROPOSED_PARAGRAPH}".strip()
    proposal_save(actor=actor, user=contact, values={"description": description})
    return DEMO_CONTACT_EMAIL, password
