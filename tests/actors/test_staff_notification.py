"""Staff learn by e-mail that a confirmed application awaits review (STAFF_NOTIFICATION_EMAILS)."""

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from actors.models import Application
from actors.services import application_confirm

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db

STAFF = ["redaktion@example.org", "verwaltung@example.org"]


@pytest.fixture
def application():
    return ApplicationFactory(
        unconfirmed=True, organisation_name="Beispiel: Quartiersverein Lindenau", city="Leipzig"
    )


def german_subject(organisation: str) -> str:
    with translation.override("de"):
        return gettext("New application to review: %(organisation)s") % {
            "organisation": organisation
        }


def staff_notices(mailoutbox):
    return [message for message in mailoutbox if message.to == STAFF]


def test_confirming_tells_the_staff_once_after_the_commit(settings, mailoutbox, application):
    settings.STAFF_NOTIFICATION_EMAILS = STAFF
    settings.PORTAL_BASE_URL = "https://quartier.example.org"
    with transaction.atomic():
        assert application_confirm(application=application) is True
        assert staff_notices(mailoutbox) == []  # not before the commit

    [notice] = staff_notices(mailoutbox)
    assert notice.subject == german_subject("Beispiel: Quartiersverein Lindenau")
    link = f"https://quartier.example.org/admin/actors/application/{application.pk}/change/"
    assert link in notice.body
    assert link in notice.alternatives[0].content
    assert "Leipzig" in notice.body
    # The contact person's data stays in the admin.
    assert application.email not in notice.body
    assert application.contact_name not in notice.body


def test_a_second_confirmation_tells_nobody_again(settings, mailoutbox, application):
    settings.STAFF_NOTIFICATION_EMAILS = STAFF
    application_confirm(application=application)
    assert application_confirm(application=application) is False
    assert len(staff_notices(mailoutbox)) == 1


def test_a_rolled_back_confirmation_tells_nobody(settings, mailoutbox, application):
    settings.STAFF_NOTIFICATION_EMAILS = STAFF
    with pytest.raises(RuntimeError), transaction.atomic():
        application_confirm(application=application)
        raise RuntimeError
    assert staff_notices(mailoutbox) == []
    assert Application.objects.get().status == Application.Status.UNCONFIRMED


def test_no_address_configured_no_notice(settings, mailoutbox, application):
    settings.STAFF_NOTIFICATION_EMAILS = []
    application_confirm(application=application)
    assert mailoutbox == []


def test_the_notice_is_german_and_links_the_german_admin_when_confirmed_in_english(
    settings, mailoutbox, application
):
    settings.STAFF_NOTIFICATION_EMAILS = STAFF
    with translation.override("en"):
        application_confirm(application=application)
    [notice] = staff_notices(mailoutbox)
    assert notice.subject == german_subject("Beispiel: Quartiersverein Lindenau")
    assert "/en/admin/" not in notice.body
    assert f"/admin/actors/application/{application.pk}/change/" in notice.body
