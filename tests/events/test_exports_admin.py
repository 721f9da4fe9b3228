"""Exports of events and registrations from the admin's lists (CSV and Excel).

Registrations are the Verwaltung's: the Redaktion gets neither the button nor the file. The
answers that may tell of a person's health are only in the file of staff allowed to see them.
"""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from events.models import Registration
from events.resources import (
    EventResource,
    RegistrationResource,
    RegistrationWithHealthResource,
)
from tests.factories import UserFactory

from .factories import BERLIN, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

EVENTS = "/admin/events/event/"
REGISTRATIONS = "/admin/events/registration/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"
REDAKTION = ["view_event", "add_event", "change_event"]
VERWALTUNG = [*REDAKTION, "view_registration", "change_registration", "export_registration"]


def _staff(client, permissions):
    client.force_login(UserFactory(is_staff=True, permissions=permissions))
    return client


def _fields(resource) -> dict:
    prefix = resource.__name__.lower()
    return {f"{prefix}_{name}": "on" for name in resource().get_export_order()}


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def kick_off():
    start = datetime.datetime(2020, 2, 20, 10, 0, tzinfo=BERLIN)
    event = EventFactory(
        title="Auftaktveranstaltung",
        start=start,
        end=start + datetime.timedelta(hours=6),
        asks_accessibility_needs=True,
        asks_dietary_notes=True,
    )
    RegistrationFactory(
        event=event,
        name="Erika Mustermann",
        organisation="=cmd|' /C calc'!A0",
        accessibility_needs="Rollstuhlplatz",
        dietary_notes="vegetarisch",
    )
    RegistrationFactory(
        event=event, name="Noch Unbestätigt", status=Registration.Status.UNCONFIRMED
    )
    return event


def test_events_are_exported_with_german_columns_and_berlin_times(client, kick_off):
    response = _staff(client, REDAKTION).post(
        f"{EVENTS}export/", {"format": CSV_FORMAT, **_fields(EventResource)}
    )

    assert response.status_code == 200
    [header, row] = _csv_rows(response)
    assert header[:5] == ["Titel", "Veranstaltungsformat", "Status", "Beginn", "Ende"]
    assert row[:5] == [
        "Auftaktveranstaltung",
        "Werkstattgespräch",
        "Veröffentlicht",
        "20.02.2020 10:00",
        "20.02.2020 16:00",
    ]


def test_the_redaktion_gets_no_registration_export(client, kick_off):
    staff = _staff(client, [*REDAKTION, "view_registration"])

    assert f"{REGISTRATIONS}export/" not in staff.get(REGISTRATIONS).content.decode()
    response = staff.post(
        f"{REGISTRATIONS}export/", {"format": CSV_FORMAT, **_fields(RegistrationResource)}
    )
    assert response.status_code == 403


def test_the_verwaltung_exports_confirmed_registrations_without_health_answers(client, kick_off):
    staff = _staff(client, VERWALTUNG)
    assert f"{REGISTRATIONS}export/" in staff.get(REGISTRATIONS).content.decode()

    response = staff.post(
        f"{REGISTRATIONS}export/", {"format": CSV_FORMAT, **_fields(RegistrationResource)}
    )

    assert response.status_code == 200
    [header, row] = _csv_rows(response)  # the unconfirmed registration is not in it
    assert "Erika Mustermann" in row
    # A spreadsheet shows the text; it never runs it as a formula.
    assert "'=cmd|' /C calc'!A0" in row
    content = response.content.decode()
    assert "Rollstuhlplatz" not in content and "vegetarisch" not in content
    assert "Noch Unbestätigt" not in content


def test_with_the_health_permission_the_answers_are_in_the_excel_file(client, kick_off):
    staff = _staff(client, [*VERWALTUNG, "view_registration_health"])

    response = staff.post(
        f"{REGISTRATIONS}export/",
        {"format": XLSX_FORMAT, **_fields(RegistrationWithHealthResource)},
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    [row] = rows
    assert row[-2:] == ["Rollstuhlplatz", "vegetarisch"]
    assert row[header.index("Organisation")] == "'=cmd|' /C calc'!A0"
