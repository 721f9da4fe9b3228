"""The demo's contact (actors/demo_contacts.py) and the issue's "Done when": the contact logs
in, changes the description, the public page is unchanged; staff see the proposal with its
diff on the start page, accept it, and the public page shows the new text."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from actors.demo_contacts import DEMO_CONTACT_EMAIL, DEMO_PROPOSED_PARAGRAPH
from actors.models import Actor, ActorContact, ProfileProposal
from quartier.accounts.demo import DEMO_EDITOR_EMAIL

pytestmark = pytest.mark.django_db


def password_of(output: str, email: str) -> str:
    line = next(line for line in output.splitlines() if email in line and "password" in line)
    return line.split("the password ")[1].split(" ")[0]


def test_the_demo_contact_proposes_and_the_editor_accepts(client, settings):
    settings.DEBUG = True
    output = StringIO()
    call_command("load_demo", stdout=output)
    printed = output.getvalue()
    contact_password = password_of(printed, DEMO_CONTACT_EMAIL)
    editor_password = password_of(printed, DEMO_EDITOR_EMAIL)
    actor = Actor.objects.get(slug="degewo-ag")
    contact = get_user_model().objects.get(email=DEMO_CONTACT_EMAIL)
    assert EmailAddress.objects.get(user=contact).verified
    assert ActorContact.objects.filter(actor=actor, user=contact).exists()
    pending = ProfileProposal.objects.pending().get(actor=actor)
    assert DEMO_PROPOSED_PARAGRAPH in pending.values["description"]

    # Loading again changes nothing and shows no password.
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert contact_password not in again.getvalue()
    assert ProfileProposal.objects.filter(actor=actor).count() == 1

    # The contact logs in and changes the description.
    response = client.post(
        reverse("account_login"), {"login": DEMO_CONTACT_EMAIL, "password": contact_password}
    )
    assert response.status_code == 302
    edit = reverse("organisation:edit", kwargs={"slug": actor.slug})
    form = client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    data["description"] = "Die degewo baut und betreibt Wohnungen in Berlin – neu formuliert."
    data["logo_permission"] = ""
    data["save"] = "1"
    data |= {"entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0"}
    assert client.post(edit, data).status_code == 302
    public = client.get(actor.get_absolute_url()).content.decode()
    assert "neu formuliert" not in public

    # Staff see it on the start page with its diff and accept it.
    client.post(reverse("account_logout"))
    editor = get_user_model().objects.get(email=DEMO_EDITOR_EMAIL)
    settings.STAFF_MFA_REQUIRED = False
    response = client.post(
        reverse("account_login"), {"login": DEMO_EDITOR_EMAIL, "password": editor_password}
    )
    assert response.status_code == 302
    dashboard = client.get(reverse("admin:index"))
    [row] = dashboard.context["dashboard"]["proposals"].rows
    assert row.proposal.actor == actor
    review = client.get(row.url).content.decode()
    assert "neu formuliert" in review
    decide = reverse("admin:actors_profileproposal_decide", args=[row.proposal.pk])
    assert client.post(decide, {"_accept": "1"}).status_code == 302
    public = client.get(actor.get_absolute_url()).content.decode()
    assert "neu formuliert" in public
    assert editor.pk == ProfileProposal.objects.get(pk=row.proposal.pk).decided_by_id
