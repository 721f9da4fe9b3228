"""``<time datetime="…">`` holds a date or time in a form HTML accepts.

Saved moments carry microseconds (``auto_now`` fields, times entered in the admin); HTML allows
at most three decimals of a second, and ``|date:"c"`` writes six.
"""

import datetime
import re
import zoneinfo

import pytest

from quartier.models import Page
from tests.actors.factories import ActorFactory, ApplicationFactory
from tests.events.factories import EventFactory, ProgrammeItemFactory
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
WITH_MICROSECONDS = datetime.datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)

# HTML's date, month, year, time and global date-and-time strings, as the portal writes them.
VALID = re.compile(
    r"\d{4}(-\d{2}(-\d{2})?)?"
    r"|\d{2}:\d{2}(:\d{2})?"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}"
)


def datetimes(find, response) -> list[str]:
    values = [node.attrs["datetime"] for node in find(response, "time")]
    assert values, "the page shows no <time datetime>"
    for value in values:
        assert VALID.fullmatch(value), value
    return values


def test_last_change_of_an_editable_page(client, find):
    Page.objects.filter(slug="impressum").update(updated_at=WITH_MICROSECONDS)
    assert datetimes(find, client.get("/impressum/")) == ["2030-05-06T09:08:09+02:00"]


@pytest.fixture
def event():
    event = EventFactory(
        title="Werkstattgespräch Quartier",
        start=WITH_MICROSECONDS,
        end=WITH_MICROSECONDS + datetime.timedelta(days=1, hours=2),
        documentation_published=True,
        results="Viel **gelernt**.",
    )
    ProgrammeItemFactory(event=event, starts_at=datetime.time(14, 0, 0, 500))
    return event


def test_event_page(client, find, event):
    values = datetimes(find, client.get(event.get_absolute_url()))
    assert "2030-05-06T09:08:09+02:00" in values
    assert "2030-05-07T11:08:09+02:00" in values
    assert "14:00" in values


@pytest.mark.parametrize("path", ["/", "/veranstaltungen/", "/ergebnisse/", "/en/ergebnisse/"])
def test_event_lists(client, find, event, path):
    assert "2030-05-06T09:08:09+02:00" in datetimes(find, client.get(path))


def test_search_results(client, find, event):
    response = client.get("/suche/", {"q": "Werkstattgespräch"})
    assert "2030-05-06T09:08:09+02:00" in datetimes(find, response)


def test_dates_and_periods(client, find):
    actor = ActorFactory(joined_on=datetime.date(2020, 2, 20))
    assert datetimes(find, client.get(actor.get_absolute_url())) == ["2020-02-20"]
    project = ProjectFactory(start=datetime.date(2021, 1, 1), end=datetime.date(2022, 6, 30))
    assert datetimes(find, client.get(project.get_absolute_url())) == ["2021", "2022"]
    publication = PublicationFactory(published_on=datetime.date(2021, 3, 1))
    assert "2021-03-01" in datetimes(find, client.get(publication.get_absolute_url()))


def test_account_overview(client, find):
    user = UserFactory(username="nora")
    ApplicationFactory(user=user, email=user.email)
    client.force_login(user)
    (value,) = datetimes(find, client.get("/konto/"))
    assert "." not in value
