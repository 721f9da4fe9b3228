"""The concurrency step of the benchmark (bench/concurrency.py) without a server: its reading of
the portal's real pages, its invariants given rows, its section of the report."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actors.models import Application
from actors.services import application_confirm_token
from bench.concurrency import (
    ALREADY,
    CLOSED,
    CONFIRMED,
    FORM_ERROR,
    PLACE,
    RATE_LIMITED,
    SECTION_TITLE,
    SENT,
    STAFF_ADDRESS,
    WAITING,
    Attempt,
    Stored,
    classify_application_confirmation,
    classify_registration_confirmation,
    classify_sent_form,
    form_fields,
    page_markers,
    with_section,
)
from bench.concurrency import check_invariants as checks_of
from events.models import Event, Registration
from events.services import registration_confirm_url
from tests.events.factories import event_format

# --- what the pages say ---------------------------------------------------------------------


@pytest.fixture
def markers():
    return page_markers()


def open_event(**fields) -> Event:
    start = timezone.now() + datetime.timedelta(days=10)
    return Event.objects.create(
        **{
            "title": "Treffen",
            "slug": "treffen",
            "kind": event_format("netzwerktreffen"),
            "status": Event.Status.PUBLISHED,
            "start": start,
            "end": start + datetime.timedelta(hours=2),
            "city": "Berlin",
            "summary": "Ein Treffen.",
            "registration_enabled": True,
            "capacity": 1,
            **fields,
        }
    )


def register(client: Client, event: Event, email: str, **fields):
    path = reverse("events:register", kwargs={"slug": event.slug})
    hidden = form_fields(client.get(path).content.decode())
    data = {**hidden, "name": "Ada", "email": email, "privacy_consent": "on", **fields}
    return client.post(path, data)


def sent_form(response, sent_path: str, markers) -> str:
    return classify_sent_form(
        response.status_code,
        response.get("Location", ""),
        response.content.decode(),
        sent_path=sent_path,
        markers=markers,
    )


def confirm(client: Client, path: str, markers, classify) -> str:
    """Open the link and press its button; a link used before shows no button, only what
    became of it."""
    response = client.get(path)
    hidden = form_fields(response.content.decode())
    if "csrfmiddlewaretoken" in hidden:
        response = client.post(path, hidden)
    return classify(response.status_code, response.content.decode(), markers=markers)


@pytest.mark.django_db
def test_registration_pages_read_as_the_person_sees_them(markers):
    event = open_event()
    client = Client()
    sent_path = reverse("events:registration_sent", kwargs={"slug": event.slug})
    assert sent_form(register(client, event, "a@example.org"), sent_path, markers) == SENT
    assert sent_form(register(client, event, "b@example.org"), sent_path, markers) == SENT
    assert sent_form(register(client, event, "not an address"), sent_path, markers) == FORM_ERROR

    places = []
    for email in ("a@example.org", "b@example.org", "a@example.org"):
        registration = Registration.objects.get(email=email)
        places.append(
            confirm(
                client,
                registration_confirm_url(registration),
                markers,
                classify_registration_confirmation,
            )
        )
    # One place: the first gets it, the second waits, the first confirming again is placed.
    assert places == [PLACE, WAITING, PLACE]


@pytest.mark.django_db
def test_a_closed_registration_and_a_rate_limit_are_refusals(markers, settings):
    event = open_event()
    sent_path = reverse("events:registration_sent", kwargs={"slug": event.slug})
    client = Client()
    path = reverse("events:register", kwargs={"slug": event.slug})
    hidden = form_fields(client.get(path).content.decode())
    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now())
    response = client.post(
        path, {**hidden, "name": "Ada", "email": "a@example.org", "privacy_consent": "on"}
    )
    assert sent_form(response, sent_path, markers) == CLOSED

    settings.FORM_RATE_LIMIT_PER_HOUR = 0
    response = register(Client(), open_event(slug="zweites"), "b@example.org")
    assert sent_form(response, sent_path, markers) == RATE_LIMITED
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_application_pages_read_as_the_person_sees_them(markers):
    client = Client()
    path = reverse("applications:apply")
    hidden = form_fields(client.get(path).content.decode())
    response = client.post(
        path,
        {
            **hidden,
            "organisation_name": "Initiative",
            "city": "Berlin",
            "contact_name": "Ada",
            "email": "ada@example.org",
            "offers": "Räume",
            "seeks": "Partner",
            "privacy_consent": "on",
        },
    )
    assert sent_form(response, reverse("applications:sent"), markers) == SENT
    application = Application.objects.get()
    confirm_path = reverse(
        "applications:confirm", kwargs={"token": application_confirm_token(application=application)}
    )
    outcomes = [
        confirm(client, confirm_path, markers, classify_application_confirmation)
        for _twice in range(2)
    ]
    assert outcomes == [CONFIRMED, ALREADY]


def test_a_server_error_and_an_unknown_page_are_not_read_as_success(markers):
    assert (
        classify_sent_form(500, "", "<h1>Fehler</h1>", sent_path="/x/", markers=markers)
        == "server error"
    )
    assert (
        classify_sent_form(302, "/anderswo/", "", sent_path="/x/", markers=markers)
        == "unexpected answer"
    )
    assert (
        classify_registration_confirmation(403, "<h1>Verboten</h1>", markers=markers)
        == "unexpected answer"
    )


# --- the invariants -------------------------------------------------------------------------

EVENT = "treffen"


def registration(email: str, confirmation: str = PLACE, sent: str = SENT) -> Attempt:
    return Attempt("registration", email, event=EVENT, sent=sent, confirmation=confirmation)


def mails_for(attempts, stored_registrations, applications=()) -> list:
    mails = [
        (
            "registration_confirm_address" if a.kind == "registration" else "application_confirm",
            (a.email,),
        )
        for a in attempts
        if a.sent == SENT
    ]
    placed = {"confirmed": "registration_confirmed", "waiting": "registration_waiting"}
    mails += [(placed[status], (email,)) for _slug, email, status in stored_registrations]
    mails += [("application_waiting", (STAFF_ADDRESS,)) for _e, s in applications if s == "pending"]
    return mails


def broken(attempts, rows, *, capacity=2, applications=(), mails=None, statuses=(200,)) -> dict:
    stored = Stored(
        registrations=rows,
        applications=list(applications),
        capacities={EVENT: capacity},
        mails=mails_for(attempts, rows, applications) if mails is None else mails,
    )
    return {
        check.title.split(",")[0]: check.violations
        for check in checks_of(attempts, stored, list(statuses))
        if check.violations
    }


ACCEPTED = [
    registration("a@example.org"),
    registration("b@example.org"),
    registration("c@example.org", WAITING),
    registration("d@example.org", sent=RATE_LIMITED, confirmation=""),
    Attempt("application", "e@example.org", sent=SENT, confirmation=CONFIRMED),
]
ROWS = [
    (EVENT, "a@example.org", "confirmed"),
    (EVENT, "b@example.org", "confirmed"),
    (EVENT, "c@example.org", "waiting"),
]
APPLICATIONS = [("e@example.org", "pending")]


def test_all_invariants_hold_when_the_rows_are_the_accepted_ones():
    assert broken(ACCEPTED, ROWS, applications=APPLICATIONS) == {}


def test_an_overbooked_event_breaks_an_invariant():
    attempts = [*ACCEPTED[:2], registration("c@example.org"), ACCEPTED[-1]]
    rows = [*ROWS[:2], (EVENT, "c@example.org", "confirmed")]
    found = broken(attempts, rows, applications=APPLICATIONS)
    assert found == {
        "No event is overbooked": [f"{EVENT}: 3 confirmed for 2 places"],
    }


def test_waiting_while_a_place_is_free_breaks_an_invariant():
    found = broken(ACCEPTED, ROWS, capacity=3, applications=APPLICATIONS)
    assert found["No event is overbooked"] == [f"{EVENT}: 1 waiting while 2 of 3 places are taken"]


def test_a_duplicate_row_a_refused_row_and_a_wrong_state_break_an_invariant():
    rows = [
        *ROWS[:2],
        (EVENT, "c@example.org", "waiting"),
        (EVENT, "c@example.org", "unconfirmed"),
        (EVENT, "d@example.org", "unconfirmed"),
    ]
    found = broken(ACCEPTED, rows, capacity=2, applications=APPLICATIONS, mails=[])
    assert found["The database holds exactly the accepted registrations"] == [
        f"c@example.org at {EVENT}: 2 rows instead of 1",
        f"d@example.org at {EVENT}: 1 rows, but no form was accepted",
    ]
    stated = [registration("a@example.org", WAITING), *ACCEPTED[1:]]
    found = broken(stated, ROWS, applications=APPLICATIONS)
    assert found["The database holds exactly the accepted registrations"] == [
        f"a@example.org at {EVENT}: stored confirmed, the page said waiting list"
    ]


def test_a_lost_application_breaks_an_invariant():
    found = broken(ACCEPTED, ROWS, applications=[], mails=mails_for(ACCEPTED, ROWS))
    assert found == {
        "The database holds exactly the accepted applications": [
            "e@example.org: 0 rows for 1 accepted forms"
        ]
    }


def test_a_mail_not_queued_a_server_error_and_no_task_queue_break_invariants():
    mails = mails_for(ACCEPTED, ROWS, APPLICATIONS)
    mails.remove(("registration_waiting", ("c@example.org",)))
    found = broken(ACCEPTED, ROWS, applications=APPLICATIONS, mails=mails, statuses=(200, 502))
    assert found == {
        "No request failed with a server error (5xx)": ["1 × HTTP 502"],
        "Every accepted one has its e-mails queued": [
            "c@example.org: 1 × registration_waiting missing"
        ],
    }
    stored = Stored(ROWS, APPLICATIONS, {EVENT: 2}, mails=None)
    titles = [check.title for check in checks_of(ACCEPTED, stored, [200]) if not check.held]
    assert titles == ["Every accepted one has its e-mails queued"]


def test_nothing_accepted_is_no_success():
    refused = [registration("a@example.org", sent=RATE_LIMITED, confirmation="")]
    assert broken(refused, [], mails=[]) == {
        "Registrations and applications were accepted at all": [
            "no registration was accepted",
            "no application was accepted",
        ]
    }


# --- the report -----------------------------------------------------------------------------


def test_the_section_replaces_its_predecessor_and_keeps_the_rest():
    heading = f"## {SECTION_TITLE}"
    report = f"# Benchmark\n\n## Targets\n\n- met\n\n{heading}\n\nold figures\n\n## Notes\n\n- n\n"
    updated = with_section(report, f"{heading}\n\nnew figures\n")
    assert updated == (
        f"# Benchmark\n\n## Targets\n\n- met\n\n{heading}\n\nnew figures\n\n## Notes\n\n- n\n"
    )
    assert with_section("# Benchmark\n", f"{heading}\n\nfigures\n") == (
        f"# Benchmark\n\n{heading}\n\nfigures\n"
    )
