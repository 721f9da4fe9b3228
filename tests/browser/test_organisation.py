"""A contact keeps their organisation's profile up to date: the list, the form (with its errors
and the preview), leaving; staff review the proposal. axe-core on every page."""

import pytest
from django.contrib.auth.models import Group

from actors.models import ActorContact, ProfileProposal
from tests.actors.factories import ActorFactory
from tests.browser.actions import submit
from tests.browser.test_staff_login import log_in_staff
from tests.factories import PASSWORD, UserFactory


def _submit(page, name: str = "save"):
    submit(page, page.locator(f"main form.portal-form button[name='{name}']"))


def log_in(page, user):
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    submit(page, page.locator("main form.portal-form button[type='submit']").first)


@pytest.mark.django_db(transaction=True)
def test_a_contact_proposes_a_change_and_staff_review_it(
    live_server, page, assert_accessible, default_pages
):
    from allauth.account.models import EmailAddress

    actor = ActorFactory(name="Nachbarschaftshaus West", description="Wir sind da.")
    contact = UserFactory(email="kontakt@example.org", first_name="Kim", last_name="Kontakt")
    EmailAddress.objects.create(user=contact, email=contact.email, verified=True, primary=True)
    ActorContact.objects.create(actor=actor, user=contact, source=ActorContact.Source.STAFF)

    log_in(page, contact)
    page.goto("/konto/organisation/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Nachbarschaftshaus West", exact=False).first.click()
    page.wait_for_url("**/bearbeiten/")
    assert_accessible(page)

    # Errors: the name emptied, a web address that is none; what was typed stays.
    page.fill("#id_name", "")
    page.fill("#id_website", "kein web")
    page.fill("#id_description", "Wir sind **jetzt** neu da.")
    _submit(page)
    assert page.locator(".kern-error").count() >= 2
    assert page.locator("#id_description").input_value() == "Wir sind **jetzt** neu da."
    assert_accessible(page)

    # The preview renders the description without saving.
    page.fill("#id_name", "Nachbarschaftshaus West")
    page.fill("#id_website", "")
    _submit(page, "preview")
    assert page.locator(".portal-preview strong").inner_text() == "jetzt"
    assert not ProfileProposal.objects.exists()
    assert_accessible(page)

    _submit(page)
    page.wait_for_url("**/konto/organisation/")
    assert ProfileProposal.objects.pending().count() == 1
    assert_accessible(page)

    page.goto(f"/konto/organisation/{actor.slug}/verlassen/")
    assert_accessible(page)

    # Staff review it.
    page.context.clear_cookies()
    editor = UserFactory(is_staff=True, email="redaktion@example.org")
    editor.groups.add(Group.objects.get(name="Redaktion"))
    proposal = ProfileProposal.objects.get()
    page.goto(f"/admin/actors/profileproposal/{proposal.pk}/change/")
    log_in_staff(page, editor)
    page.wait_for_url(f"**/admin/actors/profileproposal/{proposal.pk}/change/")
    assert page.locator("ins", has_text="Wir sind **jetzt** neu da.").count() == 1
    assert_accessible(page)
    page.locator("button[name='_accept']").click()
    page.wait_for_url("**/admin/actors/profileproposal/")
    actor.refresh_from_db()
    assert actor.description == "Wir sind **jetzt** neu da."
