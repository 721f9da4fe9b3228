"""The staff's queue of applications in the admin: order, filters, search, and the decision."""

import datetime
import re

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from actors.admin import ApplicationAdmin
from actors.models import Actor, Application
from tests.factories import UserFactory

from .factories import ActorFactory, ApplicationFactory, SectorFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/actors/application/"


def change_url(application) -> str:
    return f"{CHANGELIST}{application.pk}/change/"


@pytest.fixture
def queue():
    """One application of each status, sent on different days."""
    now = timezone.now()
    wohnen = SectorFactory(name="Wohnungswirtschaft", slug="wohnen")
    kultur = SectorFactory(name="Kultur", slug="kultur")
    applications = {
        "pending_old": ApplicationFactory(
            organisation_name="Verein Alt", city="Halle", sector=kultur
        ),
        "unconfirmed": ApplicationFactory(
            organisation_name="Unbestätigt e. V.", unconfirmed=True, sector=kultur
        ),
        "approved": ApplicationFactory(
            organisation_name="Genehmigt eG",
            status=Application.Status.APPROVED,
            sector=wohnen,
        ),
        "rejected": ApplicationFactory(
            organisation_name="Abgelehnt GmbH", status=Application.Status.REJECTED
        ),
        "pending_new": ApplicationFactory(
            organisation_name="Wohnen Neu eG",
            city="Dresden",
            contact_name="Max Muster",
            email="max@wohnen-neu.example",
            sector=wohnen,
        ),
    }
    # Sent in the order above, a day apart; the newest was confirmed today.
    for days, application in enumerate(reversed(applications.values())):
        Application.objects.filter(pk=application.pk).update(
            created_at=now - datetime.timedelta(days=days + 1)
        )
    Application.objects.filter(pk=applications["pending_old"].pk).update(
        confirmed_at=now - datetime.timedelta(days=40)
    )
    return applications


def names(response) -> list[str]:
    return [application.organisation_name for application in response.context["cl"].result_list]


def test_the_queue_shows_what_awaits_review_first(admin_client, queue):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    # The longest waiting first; then the decided ones, the newest first.
    assert names(response) == ["Verein Alt", "Wohnen Neu eG", "Abgelehnt GmbH", "Genehmigt eG"]


def test_unconfirmed_applications_are_only_counted(admin_client, queue):
    """Double opt-in: until the address is confirmed, staff see a number, no personal data."""
    ApplicationFactory(organisation_name="Auch Unbestätigt", unconfirmed=True)
    response = admin_client.get(CHANGELIST)
    assertNotContains(response, "Unbestätigt")
    assertNotContains(response, queue["unconfirmed"].email)
    expected = ApplicationAdmin.unconfirmed_message % {"count": 2}
    assert [str(message) for message in response.context["messages"]] == [expected]
    for query in ({"status": "unconfirmed"}, {"q": "Unbestätigt"}):
        assert "Unbestätigt e. V." not in names(admin_client.get(CHANGELIST, query))


def test_an_unconfirmed_application_does_not_open(admin_client, queue, mailoutbox):
    application = queue["unconfirmed"]
    response = admin_client.get(change_url(application), follow=True)
    assertNotContains(response, application.organisation_name)
    assertNotContains(response, application.email)
    response = admin_client.post(
        change_url(application), {"decision": "approve", "review_note": "x", "_save": "1"}
    )
    application.refresh_from_db()
    assert application.status == Application.Status.UNCONFIRMED
    assert application.review_note == ""
    assert not Actor.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "pending"}, {"Wohnen Neu eG", "Verein Alt"}),
        ({"status": "approved"}, {"Genehmigt eG"}),
        ({"status": "rejected"}, {"Abgelehnt GmbH"}),
        ({"q": "Dresden"}, {"Wohnen Neu eG"}),  # city
        ({"q": "max@wohnen-neu"}, {"Wohnen Neu eG"}),  # e-mail
        ({"q": "Max Muster"}, {"Wohnen Neu eG"}),  # contact person
        ({"q": "Alt"}, {"Verein Alt"}),  # organisation
    ],
)
def test_filters_and_search(admin_client, queue, query, expected):
    response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    assert set(names(response)) == expected


def test_filter_by_sector(admin_client, queue):
    sector = queue["approved"].sector
    response = admin_client.get(CHANGELIST, {"sector__id__exact": sector.pk})
    assert set(names(response)) == {"Genehmigt eG", "Wohnen Neu eG"}


def test_filter_by_confirmation_date(admin_client, queue):
    # "Past 7 days" of Django's date filter, with times as its links carry them.
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    response = admin_client.get(
        CHANGELIST,
        {
            "confirmed_at__gte": str(today - datetime.timedelta(days=7)),
            "confirmed_at__lt": str(today + datetime.timedelta(days=1)),
        },
    )
    assert response.status_code == 200
    assert set(names(response)) == {
        "Wohnen Neu eG",
        "Genehmigt eG",
        "Abgelehnt GmbH",
    }


def test_nobody_adds_applications_in_the_admin(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403


def test_the_change_page_shows_consent_and_offers_the_decision(admin_client, queue, find):
    application = queue["pending_new"]
    response = admin_client.get(change_url(application))
    assert response.status_code == 200
    assertContains(response, application.privacy_notice_version)
    assert {node.attrs["value"] for node in find(response, "input", name="decision")} == {
        "keep",
        "approve",
        "reject",
    }
    # The application itself is read-only: the form has no field for the organisation.
    assert not find(response, "input", name="organisation_name")


def test_approving_on_the_change_page(admin_client, admin_user, queue, mailoutbox):
    application = queue["pending_new"]
    response = admin_client.post(
        change_url(application),
        {"decision": "approve", "review_note": "Passt sehr gut.", "_save": "1"},
    )
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.reviewed_by == admin_user
    assert application.review_note == "Passt sehr gut."
    actor = application.actor
    assert actor.name == "Wohnen Neu eG" and actor.is_published is False
    assert [message.to for message in mailoutbox] == [["max@wohnen-neu.example"]]

    # The change page links the draft, and the draft's page links back.
    response = admin_client.get(change_url(application))
    assertContains(response, f"/admin/actors/actor/{actor.pk}/change/")
    assertNotContains(response, 'name="decision"')
    response = admin_client.get(f"/admin/actors/actor/{actor.pk}/change/")
    assertContains(response, change_url(application))


def test_rejecting_on_the_change_page(admin_client, queue, mailoutbox):
    application = queue["pending_old"]
    admin_client.post(
        change_url(application),
        {"decision": "reject", "review_note": "Kein Quartiersbezug.", "_save": "1"},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.review_note == "Kein Quartiersbezug."
    assert len(mailoutbox) == 1
    assert "Quartiersbezug" not in mailoutbox[0].body
    assert not Actor.objects.exists()


def test_keeping_it_pending_saves_the_note(admin_client, queue, mailoutbox):
    application = queue["pending_old"]
    admin_client.post(
        change_url(application), {"decision": "keep", "review_note": "Rückfrage.", "_save": "1"}
    )
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    assert application.review_note == "Rückfrage."
    assert mailoutbox == []


@pytest.mark.parametrize("key", ["approved", "rejected"])
def test_a_decision_on_an_application_not_awaiting_review_is_refused(
    admin_client, queue, mailoutbox, key
):
    application = queue[key]
    response = admin_client.post(
        change_url(application), {"decision": "approve", "review_note": "x", "_save": "1"}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert response.context["adminform"].form.non_field_errors()
    application.refresh_from_db()
    assert application.status == key
    assert not Actor.objects.exists()
    assert mailoutbox == []


def test_list_actions_decide_only_what_awaits_review(admin_client, queue, mailoutbox):
    selected = [queue[key].pk for key in ("pending_new", "pending_old", "unconfirmed", "rejected")]
    response = admin_client.post(
        CHANGELIST, {"action": "approve", "_selected_action": selected}, follow=True
    )
    assert response.status_code == 200
    statuses = dict(Application.objects.values_list("organisation_name", "status"))
    assert statuses["Wohnen Neu eG"] == statuses["Verein Alt"] == "approved"
    assert statuses["Unbestätigt e. V."] == "unconfirmed"
    assert statuses["Abgelehnt GmbH"] == "rejected"
    assert Actor.objects.filter(is_published=False).count() == 2
    assert len(mailoutbox) == 2
    levels = [message.level_tag for message in response.context["messages"]]
    # Decided, left alone (the rejected one), and the count of the unconfirmed above the list.
    assert levels == ["success", "warning", "info"]


def test_list_action_reject(admin_client, queue, mailoutbox):
    admin_client.post(
        CHANGELIST,
        {"action": "reject", "_selected_action": [queue["pending_new"].pk, queue["approved"].pk]},
    )
    assert Application.objects.get(pk=queue["pending_new"].pk).status == "rejected"
    assert Application.objects.get(pk=queue["approved"].pk).status == "approved"
    assert len(mailoutbox) == 1


def test_an_actor_without_application_says_so(admin_client):
    actor = ActorFactory()
    response = admin_client.get(f"/admin/actors/actor/{actor.pk}/change/")
    assert response.status_code == 200
    assert not re.search(r"/admin/actors/application/\d+/change/", response.content.decode())


@pytest.mark.usefixtures("mail_server_down")
def test_approving_when_the_mail_server_is_down_is_a_decision_like_any_other(
    admin_client, queue, caplog
):
    """The e-mail to the applicant waits in the queue (tests/quartier/test_mail_queue.py)."""
    application = queue["pending_new"]
    response = admin_client.post(
        change_url(application),
        {"decision": "approve", "review_note": "", "_save": "1"},
        follow=True,
    )
    assert response.status_code == 200
    shown = {message.level_tag: str(message) for message in response.context["messages"]}
    assert "Angenommen" in shown["success"]
    assert "warning" not in shown
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_deciding_needs_its_own_permission(client, queue, mailoutbox):
    """Staff who may read and annotate applications, but not approve or reject them."""
    client.force_login(
        UserFactory(is_staff=True, permissions=["view_application", "change_application"])
    )
    application = queue["pending_new"]
    response = client.get(change_url(application))
    assert response.status_code == 200
    assertNotContains(response, 'name="decision"')
    assertNotContains(client.get(CHANGELIST), 'value="approve"')
    client.post(CHANGELIST, {"action": "approve", "_selected_action": [application.pk]})
    response = client.post(
        change_url(application), {"decision": "approve", "review_note": "x", "_save": "1"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    assert mailoutbox == []
