"""What staff see of registrations: nothing personal before the address is confirmed (double
opt-in, also for staff), and the answers that may tell of health only with the permission."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.admin import RegistrationAdmin
from events.models import Registration
from tests.factories import UserFactory

from .factories import RegistrationFactory
from .test_registration_admin import change_url, csv_url, upcoming_event, xlsx_url

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/admin/events/registration/"


@pytest.fixture
def event():
    """An event with one registration of each kind, and the answers about health."""
    event = upcoming_event(asks_accessibility_needs=True, asks_dietary_notes=True, capacity=5)
    RegistrationFactory(
        event=event,
        name="Erika Bestätigt",
        accessibility_needs="Rollstuhlplatz",
        dietary_notes="glutenfrei",
    )
    RegistrationFactory(
        event=event,
        name="Willi Wartend",
        status=Registration.Status.WAITING,
        waiting_since=timezone.now(),
    )
    RegistrationFactory(event=event, name="Carla Abgesagt", status=Registration.Status.CANCELLED)
    RegistrationFactory(
        event=event,
        name="Udo Unbestätigt",
        email="udo@example.org",
        status=Registration.Status.UNCONFIRMED,
        accessibility_needs="Gebärdensprache",
    )
    # Cancelled through the link in the confirmation e-mail, without ever confirming.
    RegistrationFactory(
        event=event,
        name="Nie Bestätigt",
        status=Registration.Status.CANCELLED,
        confirmed_at=None,
    )
    return event


def staff_client(client, *, group=None, permissions=None):
    user = UserFactory(is_staff=True, permissions=permissions)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.fixture
def verwaltung(client):
    return staff_client(client, group="Verwaltung")


@pytest.fixture
def without_health(client):
    """Staff who look after registrations but may not see the answers about health."""
    return staff_client(
        client,
        permissions=Permission.objects.filter(content_type__app_label="events").exclude(
            codename="view_registration_health"
        ),
    )


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def listed(response) -> list[str]:
    return [registration.name for registration in response.context["cl"].result_list]


# --- Double opt-in ----------------------------------------------------------------------------


def test_the_registration_list_shows_only_confirmed_addresses_and_counts_the_rest(
    verwaltung, event
):
    response = verwaltung.get(REGISTRATIONS)
    assert sorted(listed(response)) == ["Carla Abgesagt", "Erika Bestätigt", "Willi Wartend"]
    for hidden in ("Udo Unbestätigt", "udo@example.org", "Gebärdensprache", "Nie Bestätigt"):
        assertNotContains(response, hidden)
    expected = RegistrationAdmin.unconfirmed_message % {"count": 2}
    assert [str(message) for message in response.context["messages"]] == [expected]
    for query in ({"q": "Udo"}, {"status": "unconfirmed"}):
        assert "Udo Unbestätigt" not in listed(verwaltung.get(REGISTRATIONS, query))


def test_an_unconfirmed_registration_does_not_open(verwaltung, event):
    udo = event.registrations.get(name="Udo Unbestätigt")
    response = verwaltung.get(f"{REGISTRATIONS}{udo.pk}/change/", follow=True)
    assertNotContains(response, "Udo Unbestätigt")
    assertNotContains(response, "udo@example.org")


def test_the_event_page_lists_confirmed_addresses_and_counts_the_unconfirmed(verwaltung, event):
    response = verwaltung.get(change_url(event))
    assertContains(response, "Erika Bestätigt")
    assertContains(response, "Willi Wartend")
    assertNotContains(response, "Udo Unbestätigt")
    assertNotContains(response, "udo@example.org")
    assert response.context["adminform"].form.instance.registrations_unconfirmed == 1


def test_the_attendance_list_holds_who_has_a_place(verwaltung, event):
    names = [row[1] for row in csv_rows(verwaltung.get(csv_url(event)))[1:]]
    assert names == ["Erika Bestätigt"]
    sheet = openpyxl.load_workbook(io.BytesIO(verwaltung.get(xlsx_url(event)).content)).active
    assert [row[1].value for row in sheet.iter_rows(min_row=4)] == ["Erika Bestätigt"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?include=waiting", ["Erika Bestätigt", "Willi Wartend"]),
        ("?include=cancelled", ["Erika Bestätigt", "Carla Abgesagt"]),
        (
            "?include=waiting&include=cancelled",
            ["Erika Bestätigt", "Willi Wartend", "Carla Abgesagt"],
        ),
        # Unconfirmed people are never on it, whatever is asked.
        ("?include=unconfirmed", ["Erika Bestätigt"]),
    ],
)
def test_the_waiting_list_and_cancellations_only_when_asked(verwaltung, event, query, expected):
    assert [row[1] for row in csv_rows(verwaltung.get(csv_url(event) + query))[1:]] == expected


def test_the_event_page_offers_the_lists(verwaltung, event):
    response = verwaltung.get(change_url(event))
    assertContains(response, f'href="{csv_url(event)}?include=waiting"')
    assertContains(response, f'href="{xlsx_url(event)}?include=waiting&amp;include=cancelled"')


# --- Health-related answers -------------------------------------------------------------------


def test_verwaltung_sees_the_answers_about_health(verwaltung, event):
    erika = event.registrations.get(name="Erika Bestätigt")
    response = verwaltung.get(f"{REGISTRATIONS}{erika.pk}/change/")
    assertContains(response, "Rollstuhlplatz")
    response = verwaltung.get(REGISTRATIONS)
    assertContains(response, "Rollstuhlplatz")  # a column of the list
    assert listed(verwaltung.get(REGISTRATIONS, {"q": "glutenfrei"})) == ["Erika Bestätigt"]
    assertContains(verwaltung.get(change_url(event)), "Rollstuhlplatz")
    header, erika_row = csv_rows(verwaltung.get(csv_url(event)))[:2]
    assert len(header) == 8
    assert erika_row[5:7] == ["Rollstuhlplatz", "glutenfrei"]


def test_without_the_permission_the_answers_about_health_are_hidden(without_health, event):
    erika = event.registrations.get(name="Erika Bestätigt")
    response = without_health.get(f"{REGISTRATIONS}{erika.pk}/change/")
    assert response.status_code == 200
    assertNotContains(response, "Rollstuhlplatz")
    assertNotContains(response, 'name="accessibility_needs"')
    assertNotContains(response, 'name="dietary_notes"')
    response = without_health.get(REGISTRATIONS)
    assertContains(response, "Erika Bestätigt")
    assertNotContains(response, "Rollstuhlplatz")
    assertNotContains(response, "field-accessibility_needs")
    assert listed(without_health.get(REGISTRATIONS, {"q": "glutenfrei"})) == []
    response = without_health.get(change_url(event))
    assertContains(response, "Erika Bestätigt")
    assertNotContains(response, "Rollstuhlplatz")
    rows = csv_rows(without_health.get(csv_url(event)))
    assert len(rows[0]) == 6  # no., name, organisation, e-mail, status, signature
    assert "Rollstuhlplatz" not in str(rows)
    sheet = openpyxl.load_workbook(io.BytesIO(without_health.get(xlsx_url(event)).content)).active
    assert "Rollstuhlplatz" not in str([cell.value for row in sheet.iter_rows() for cell in row])


def test_a_post_without_the_permission_leaves_the_answers_as_they_are(without_health, event):
    erika = event.registrations.get(name="Erika Bestätigt")
    url = f"{REGISTRATIONS}{erika.pk}/change/"
    without_health.post(
        url, {"name": erika.name, "organisation": "", "accessibility_needs": "", "_save": "1"}
    )
    erika.refresh_from_db()
    assert erika.accessibility_needs == "Rollstuhlplatz"
