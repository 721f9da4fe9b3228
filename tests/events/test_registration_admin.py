"""Registrations in the admin: counts per event, the registrations themselves, the attendance
list as CSV and XLSX, and promotion from the waiting list when staff add places."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from events.exports import neutralise
from events.models import Event, Registration
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory
from .test_admin import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/event/"


def change_url(event: Event) -> str:
    return f"/admin/events/event/{event.pk}/change/"


def csv_url(event: Event) -> str:
    return f"/admin/events/event/{event.pk}/teilnahmeliste.csv"


def xlsx_url(event: Event) -> str:
    return f"/admin/events/event/{event.pk}/teilnahmeliste.xlsx"


def upcoming_event(**fields) -> Event:
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=14)
    return EventFactory(
        **{
            "start": start,
            "end": start + datetime.timedelta(hours=3),
            "registration_enabled": True,
            "capacity": 2,
            **fields,
        }
    )


@pytest.fixture
def editor():
    """Staff with the permissions on events and registrations, not a superuser."""
    return UserFactory(
        username="redakteurin",
        is_staff=True,
        permissions=Permission.objects.filter(content_type__app_label="events"),
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def event_editor_client(client):
    """Staff who edit events but may not see registrations."""
    user = UserFactory(
        username="nur-veranstaltungen",
        is_staff=True,
        permissions=Permission.objects.filter(content_type__app_label="events").exclude(
            codename__endswith="_registration"
        ),
    )
    client.force_login(user)
    return client


@pytest.fixture
def event_with_people():
    event = upcoming_event(asks_dietary_notes=True)
    RegistrationFactory(
        event=event,
        name="Erika Musterfrau",
        organisation="Stadtteilverein",
        email="erika@example.org",
        accessibility_needs="Rollstuhl",
        dietary_notes="vegan",
    )
    RegistrationFactory(
        event=event,
        name='=HYPERLINK("http://evil.example","klick")',
        organisation="+49 30 123",
        email="@angriff@example.org",
        dietary_notes="-1+1",
    )
    RegistrationFactory(
        event=event,
        name="Wartende Person",
        status=Registration.Status.WAITING,
        waiting_since=timezone.now(),
    )
    RegistrationFactory(event=event, name="Abgesagt", status=Registration.Status.CANCELLED)
    RegistrationFactory(event=event, name="Unbestätigt", status=Registration.Status.UNCONFIRMED)
    return event


# --- Counts -----------------------------------------------------------------------------------


def test_changelist_shows_the_counts_per_event(editor_client, event_with_people):
    EventFactory(title="Ohne Anmeldung")
    response = editor_client.get(CHANGELIST)
    rows = {event.pk: event for event in response.context["cl"].result_list}
    counted = rows[event_with_people.pk]
    assert (
        counted.registrations_confirmed,
        counted.registrations_waiting,
        counted.registrations_cancelled,
    ) == (2, 1, 1)
    assertContains(response, '<td class="field-confirmed_count">2</td>', html=True)
    assertContains(response, '<td class="field-waiting_count">1</td>', html=True)
    assertContains(response, '<td class="field-cancelled_count">1</td>', html=True)


def test_changelist_queries_do_not_grow_with_registrations(editor_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(CHANGELIST).status_code == 200
        return len(captured)

    for _ in range(3):
        RegistrationFactory(event=upcoming_event())
    few = queries()
    for _ in range(20):
        event = upcoming_event()
        RegistrationFactory.create_batch(3, event=event)
    assert queries() == few


def test_change_page_shows_the_summary_the_list_and_the_export_links(
    editor_client, event_with_people
):
    response = editor_client.get(change_url(event_with_people))
    assertContains(response, "Erika Musterfrau")
    assertContains(response, "Wartende Person")
    assertContains(response, f'href="{csv_url(event_with_people)}"')
    assertContains(response, f'href="{xlsx_url(event_with_people)}"')
    assertContains(response, 'name="capacity"')
    assertContains(response, 'name="registration_enabled"')
    assertContains(response, 'name="asks_dietary_notes"')
    summary = response.context["adminform"].form.instance
    assert summary.registrations_confirmed == 2


def test_without_the_permission_no_list_and_no_links(event_editor_client, event_with_people):
    response = event_editor_client.get(change_url(event_with_people))
    assert response.status_code == 200
    assertNotContains(response, "Erika Musterfrau")
    assertNotContains(response, csv_url(event_with_people))
    for url in (csv_url(event_with_people), xlsx_url(event_with_people)):
        assert event_editor_client.get(url).status_code == 403


def test_saving_the_event_page_unchanged_keeps_the_registrations(editor_client, event_with_people):
    data = form_data(editor_client.get(change_url(event_with_people)))
    response = editor_client.post(change_url(event_with_people), data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    assert event_with_people.registrations.count() == 5


# --- Attendance list --------------------------------------------------------------------------


def test_csv_for_german_excel(editor_client, event_with_people):
    response = editor_client.get(csv_url(event_with_people) + "?include=waiting&include=cancelled")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert event_with_people.slug in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *people = rows
    assert len(header) == 8  # no., name, organisation, e-mail, status, two answers, signature
    assert header[-1]  # the signature column
    names = [row[1] for row in people]
    # Confirmed first, then the waiting list, then the cancelled; the unconfirmed never.
    assert names[:2] == sorted(names[:2])
    assert names[2:] == ["Wartende Person", "Abgesagt"]
    erika = next(row for row in people if row[1] == "Erika Musterfrau")
    assert erika[2:4] == ["Stadtteilverein", "erika@example.org"]
    assert erika[5:7] == ["Rollstuhl", "vegan"]
    assert erika[7] == ""


def test_csv_guards_against_formulas(editor_client, event_with_people):
    response = editor_client.get(csv_url(event_with_people))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    attacker = next(row for row in rows if "HYPERLINK" in row[1])
    assert attacker[1].startswith("'=")
    assert attacker[2] == "'+49 30 123"
    assert attacker[3] == "'@angriff@example.org"
    assert attacker[6] == "'-1+1"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Erika", "Erika"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_xlsx(editor_client, event_with_people):
    response = editor_client.get(xlsx_url(event_with_people))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert event_with_people.title in sheet["A1"].value
    header = [cell.value for cell in sheet[3]]
    assert len(header) == 8
    people = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert len(people) == 2  # who holds a place
    erika = next(row for row in people if row[1] == "Erika Musterfrau")
    assert erika[3] == "erika@example.org"
    attacker = next(row for row in people if "HYPERLINK" in (row[1] or ""))
    assert attacker[1].startswith("'=")
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            assert cell.data_type != "f"


def test_xlsx_survives_control_characters(editor_client):
    event = upcoming_event()
    RegistrationFactory(event=event, name="Erika\x01\x0bBeispiel", organisation="\x1f")
    response = editor_client.get(xlsx_url(event))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B4"].value == "ErikaBeispiel"


def test_exports_need_a_staff_login(client, event_with_people):
    for url in (csv_url(event_with_people), xlsx_url(event_with_people)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_export_of_an_unknown_event(editor_client):
    assert editor_client.get("/admin/events/event/999999/teilnahmeliste.csv").status_code == 404


def test_export_actions(editor_client, event_with_people):
    response = editor_client.post(
        CHANGELIST,
        {"action": "download_attendance_csv", "_selected_action": [event_with_people.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    response = editor_client.post(
        CHANGELIST,
        {"action": "download_attendance_xlsx", "_selected_action": [event_with_people.pk]},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    other = upcoming_event()
    response = editor_client.post(
        CHANGELIST,
        {
            "action": "download_attendance_csv",
            "_selected_action": [event_with_people.pk, other.pk],
        },
        follow=True,
    )
    assert response["Content-Type"].startswith("text/html")
    assert [str(message) for message in response.context["messages"]]


def test_export_actions_are_not_offered_without_the_permission(event_editor_client):
    upcoming_event()
    response = event_editor_client.get(CHANGELIST)
    assertNotContains(response, "download_attendance_csv")


# --- Promotion when staff add places ----------------------------------------------------------


def test_raising_the_capacity_promotes_and_e_mails(
    editor_client, django_capture_on_commit_callbacks
):
    event = upcoming_event(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITING, waiting_since=timezone.now()
    )
    data = form_data(editor_client.get(change_url(event)))
    data["capacity"] = "2"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(event), data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    (message,) = mail.outbox
    assert message.to == [waiting.email]
    assert any(item[2].startswith("text/calendar") for item in message.attachments)


def test_lowering_the_capacity_removes_nobody_but_warns(
    editor_client, django_capture_on_commit_callbacks
):
    event = upcoming_event(capacity=3)
    RegistrationFactory.create_batch(3, event=event)
    data = form_data(editor_client.get(change_url(event)))
    data["capacity"] = "1"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(event), data, follow=True)
    assert event.registrations.confirmed().count() == 3
    levels = [message.level_tag for message in response.context["messages"]]
    assert "warning" in levels
    assert not mail.outbox


# --- The registrations' own admin -------------------------------------------------------------


def test_registration_list_with_filters_and_search(editor_client, event_with_people):
    other = RegistrationFactory(name="Jemand anderes")
    response = editor_client.get("/admin/events/registration/")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 5  # not the unconfirmed one
    response = editor_client.get(
        f"/admin/events/registration/?event__id__exact={event_with_people.pk}&status=waiting"
    )
    assert [registration.name for registration in response.context["cl"].result_list] == [
        "Wartende Person"
    ]
    response = editor_client.get("/admin/events/registration/?q=jemand")
    assert list(response.context["cl"].result_list) == [other]


def test_registration_list_queries_do_not_grow(editor_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get("/admin/events/registration/").status_code == 200
        return len(captured)

    RegistrationFactory.create_batch(2)
    few = queries()
    RegistrationFactory.create_batch(30)
    assert queries() == few


def test_registrations_are_not_added_in_the_admin(editor_client):
    assert editor_client.get("/admin/events/registration/add/").status_code == 403


def test_registration_change_page(editor_client, event_with_people):
    registration = event_with_people.registrations.get(name="Erika Musterfrau")
    url = f"/admin/events/registration/{registration.pk}/change/"
    data = form_data(editor_client.get(url), form_id="registration_form")
    data["organisation"] = "Neuer Verein"
    assertRedirects(
        editor_client.post(url, data),
        "/admin/events/registration/",
        fetch_redirect_response=False,
    )
    registration.refresh_from_db()
    assert registration.organisation == "Neuer Verein"
    assert registration.status == Registration.Status.CONFIRMED


def test_cancel_action_promotes_and_e_mails(editor_client, event_with_people):
    erika = event_with_people.registrations.get(name="Erika Musterfrau")
    waiting = event_with_people.registrations.get(name="Wartende Person")
    response = editor_client.post(
        "/admin/events/registration/",
        {"action": "cancel_registrations", "_selected_action": [erika.pk]},
    )
    assert response.status_code == 302
    erika.refresh_from_db()
    waiting.refresh_from_db()
    assert erika.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert sorted(message.to[0] for message in mail.outbox) == sorted([erika.email, waiting.email])
