"""Every public form, sent arbitrary text: never a server error, and what is saved is exactly
what was sent, or the form is shown again and says in German what to change, with the typed
values kept.

The text is what hypothesis makes of unicode: control characters, NUL, characters beyond the
Basic Multilingual Plane, right-to-left marks, very long and empty values; fields are left out
or sent twice. Each example runs in a savepoint of its own, rolled back when it ends, with an
empty cache (no rate-limit counters), as if it were the first visit.
"""

import datetime
import re
from collections import Counter
from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actors.models import Application
from events.models import Registration
from quartier.forms import HONEYPOT_FIELD
from tests.actors.factories import SectorFactory
from tests.events.factories import EventFactory
from tests.factories import PASSWORD, UserFactory

from .parsed import by_id, form_controls, parse

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that break code which assumes tidy input.
AWKWARD = [
    "\x00",
    "\x1f",
    "\x7f",
    "\r\n",
    "\t",
    "\u00a0",
    "\u200b",  # zero-width space
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\ufeff",  # byte order mark
    "\U0001f600",  # beyond the Basic Multilingual Plane
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "İ",
    "ß",
    "<b>",
    "'\"",
    "%00",
    "&amp;",
]

text_piece = st.one_of(
    st.text(max_size=20),  # any unicode but lone surrogates, which no browser can send
    st.sampled_from(AWKWARD),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
any_text = st.one_of(
    st.just(""),
    st.lists(text_piece, max_size=6).map("".join),
    # Long: beyond every max_length of the forms.
    st.tuples(text_piece, st.integers(min_value=1, max_value=3000)).map(
        lambda pair: pair[0] * pair[1]
    ),
)


def around(valid: str):
    """A valid value, padded with what a stripping form removes, or anything at all."""
    padding = st.sampled_from(["", " ", "\t", "\n", "  \r\n"])
    padded = st.tuples(padding, st.just(valid), padding).map("".join)
    return st.one_of(padded, padded, any_text)


def field_values(values):
    """A field's values as a form sends them: left out ([]), once, or twice."""
    once = values.map(lambda value: [value])
    # Mostly once, so that whole forms come out valid often enough to test what is saved.
    return st.one_of(once, once, once, once, st.just([]), st.lists(values, min_size=2, max_size=2))


def form_data(fields: dict):
    """``{name: strategy of one value}`` -> the form's data, fields left out or repeated."""
    return st.fixed_dictionaries({name: field_values(values) for name, values in fields.items()})


def sent(data: dict, name: str) -> str | None:
    """What the form reads of a field: the last value sent, as Django's QueryDict does."""
    values = data.get(name) or []
    return values[-1] if values else None


def post_data(data: dict) -> dict:
    return {name: values for name, values in data.items() if values}


@pytest.fixture
def fresh_example(settings):
    """``with fresh_example():`` runs one example as a first visit: no rate-limit counters,
    and nothing of it kept afterwards."""
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.FORM_RATE_LIMIT_PER_HOUR = 1_000_000

    @contextmanager
    def block():
        cache.clear()
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
        cache.clear()

    return block


class Outcomes(Counter):
    """How the examples of a test ended; ``expected`` are the endings each test must reach."""

    expected = ("saved", "shown again")

    def __call__(self, outcome: str) -> None:
        self[outcome] += 1


@pytest.fixture
def outcomes():
    """Counts how the examples ended. A test whose examples never reach one of the expected
    endings fails: the strategies must make valid forms as well as invalid ones."""
    counter = Outcomes()
    yield counter
    missing = [outcome for outcome in counter.expected if not counter[outcome]]
    assert not missing, f"no example ended {missing}: {dict(counter)}"


ENGLISH_ERROR = re.compile(
    r"\b(This field|Ensure this|Enter a|Select a valid|Null characters|Please|"
    r"characters|required)\b"
)


def assert_shown_again(response, data: dict, *, kept: list[str]):
    """The form again: its errors in German next to the fields, what was typed kept."""
    assert response.status_code in (200, 400, 429), response.status_code
    form = response.context["form"]
    assert form.errors or response.status_code == 429
    elements = parse(response.content)
    for name, errors in form.errors.items():
        if name == "__all__":
            text = " ".join(str(error) for error in errors)
        else:
            element = by_id(elements, f"id_{name}_error")
            assert element is not None, f"no error shown next to {name!r}"
            text = element.text
        assert text.strip(), name
        assert not ENGLISH_ERROR.search(text), text
    for name in kept:
        value = sent(data, name)
        controls = form_controls(elements, name)
        assert controls, f"no field {name!r} on the page"
        (control,) = controls
        shown = (
            control.text.removeprefix("\n")
            if control.tag == "textarea"
            else control.attrs.get("value")
        )
        if value:
            # Django renders line breaks in a textarea as they came ("\r\n" stays).
            assert shown == value, (name, value, shown)


# --- Applying to join (/mitmachen/) --------------------------------------------------------

APPLICATION_TEXT_FIELDS = {
    "organisation_name": "Nachbarschaftsverein",
    "city": "Leipzig",
    "contact_name": "Erika Mustermann",
    "phone": "+49 30 1234567",
    "offers": "Räume für Treffen.",
    "seeks": "Partner.",
    "topics": "Wohnen, Kultur",
}


@pytest.fixture
def sector():
    return SectorFactory(name="Stiftungen", slug="stiftungen")


application_data = form_data(
    {
        **{name: around(value) for name, value in APPLICATION_TEXT_FIELDS.items()},
        "email": around("erika@example.org") | st.emails(),
        "website": around("www.example.org") | any_text,
        "sector": st.sampled_from(["SECTOR", "", "0", "-1", "99999999999999999999", "x"])
        | any_text,
        "privacy_consent": st.sampled_from(["on", "", "false", "0"]) | any_text,
        HONEYPOT_FIELD: st.just(""),
    }
)


@FUZZ
@given(data=application_data)
def test_the_application_form_saves_what_was_sent_or_says_why_not(
    fresh_example, outcomes, sector, data
):
    data = {
        name: [str(sector.pk) if value == "SECTOR" else value for value in values]
        for name, values in data.items()
    }
    with fresh_example():
        response = Client().post("/mitmachen/", post_data(data))
        assert response.status_code < 500
        if response.status_code == 302:
            assert response["Location"] == "/mitmachen/gesendet/"
            application = Application.objects.get()
            for name in ("organisation_name", "city", "contact_name", "phone", "offers", "seeks"):
                assert getattr(application, name) == (sent(data, name) or "").strip(), name
            assert application.email == sent(data, "email").strip()
            assert application.sector == sector if sent(data, "sector") else not application.sector
            topics = [" ".join(part.split()) for part in (sent(data, "topics") or "").split(",")]
            assert [t.casefold() for t in application.topics.split(", ") if t] == list(
                dict.fromkeys(t.casefold() for t in topics if t)
            )
            outcomes("saved")
        else:
            assert not Application.objects.exists()
            outcomes("shown again")
            assert_shown_again(response, data, kept=[*APPLICATION_TEXT_FIELDS, "email", "website"])


# --- Registering for an event -------------------------------------------------------------


@pytest.fixture
def open_event():
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=21)
    return EventFactory(
        title="Werkstattgespräch",
        start=start,
        end=start + datetime.timedelta(hours=3),
        registration_enabled=True,
        asks_accessibility_needs=True,
        asks_dietary_notes=True,
    )


REGISTRATION_TEXT_FIELDS = {
    "name": "Erika Beispiel",
    "organisation": "Verein",
    "accessibility_needs": "Stufenloser Zugang",
    "dietary_notes": "vegan",
}

registration_data = form_data(
    {
        **{name: around(value) for name, value in REGISTRATION_TEXT_FIELDS.items()},
        "email": around("erika@example.org") | st.emails(),
        "privacy_consent": st.sampled_from(["on", ""]) | any_text,
    }
)


@FUZZ
@given(data=registration_data)
def test_the_registration_form_saves_what_was_sent_or_says_why_not(
    fresh_example, outcomes, open_event, data
):
    with fresh_example():
        response = Client().post(f"/veranstaltungen/{open_event.slug}/anmelden/", post_data(data))
        assert response.status_code < 500
        if response.status_code == 302:
            assert response["Location"].endswith("/anmelden/gesendet/")
            registration = Registration.objects.get()
            for name in REGISTRATION_TEXT_FIELDS:
                assert getattr(registration, name) == (sent(data, name) or "").strip(), name
            assert registration.email == sent(data, "email").strip()
            assert registration.status == Registration.Status.UNCONFIRMED
            outcomes("saved")
        else:
            assert not Registration.objects.exists()
            outcomes("shown again")
            assert_shown_again(response, data, kept=[*REGISTRATION_TEXT_FIELDS, "email"])


# --- Links from e-mails: any token ---------------------------------------------------------

token_text = st.one_of(
    st.text(alphabet=st.characters(exclude_characters="/?#"), min_size=1, max_size=300),
    st.sampled_from(["..", ".", "%00", "a:b:c", "x" * 5000, "eyJ0.eyJ0.sig"]),
)


@FUZZ
@given(token=token_text, method=st.sampled_from(["get", "post"]))
def test_a_confirmation_or_cancel_link_with_any_token_is_refused_calmly(
    fresh_example, token, method
):
    from urllib.parse import quote

    quoted = quote(token, safe="")
    with fresh_example():
        client = Client()
        for path in (
            f"/veranstaltungen/anmeldung/{quoted}/bestaetigen/",
            f"/veranstaltungen/anmeldung/{quoted}/abmelden/",
            f"/mitmachen/bestaetigen/{quoted}/",
        ):
            response = getattr(client, method)(path)
            assert response.status_code in (404, 410), (path, response.status_code)
        # allauth's links: the address confirmation and the new password. They answer with a
        # page that says the link is not valid (their pattern may not match at all: 404).
        for path in (
            f"/konto/confirm-email/{quoted}/",
            f"/konto/password/reset/key/1-{quoted}/",
        ):
            response = getattr(client, method)(
                path, {"password1": token, "password2": token} if method == "post" else None
            )
            assert response.status_code in (200, 302, 404), (path, response.status_code)
            assert get_user_model().objects.count() == 0


# --- Accounts (allauth and the portal's own pages) ----------------------------------------

signup_data = form_data(
    {
        "email": around("neu@example.org") | st.emails(),
        "password1": around("ein-langes-passwort-42") | any_text,
        "password2": around("ein-langes-passwort-42") | any_text,
        "first_name": around("Erika"),
        "last_name": around("Mustermann"),
    }
)


@FUZZ
@given(data=signup_data)
def test_sign_up_creates_the_account_as_sent_or_says_why_not(fresh_example, outcomes, data):
    with fresh_example():
        response = Client().post("/konto/signup/", post_data(data))
        assert response.status_code < 500
        users = get_user_model().objects.all()
        if response.status_code == 302:
            user = users.get()
            assert user.first_name == sent(data, "first_name").strip()
            assert user.last_name == sent(data, "last_name").strip()
            # allauth keeps the address as typed, but for the case of the domain.
            assert user.email.casefold() == sent(data, "email").strip().casefold()
            assert user.check_password(sent(data, "password1"))
            outcomes("saved")
        else:
            assert not users.exists()
            outcomes("shown again")
            assert_shown_again(response, data, kept=["email", "first_name", "last_name"])


login_data = form_data(
    {
        "login": around("person@example.org") | st.emails(),
        "password": around(PASSWORD) | any_text,
        "remember": st.sampled_from(["on", ""]) | any_text,
    }
)


@FUZZ
@given(data=login_data)
def test_login_with_anything_logs_in_the_right_person_or_says_why_not(
    fresh_example, outcomes, data
):
    outcomes.expected = ("logged in", "shown again")
    with fresh_example():
        person = UserFactory(email="person@example.org")
        # A verified address, as allauth demands before it lets anyone in.
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        client = Client()
        response = client.post("/konto/login/", post_data(data))
        assert response.status_code < 500
        logged_in = "_auth_user_id" in client.session
        if response.status_code == 302 and logged_in:
            assert sent(data, "login").strip().casefold() == person.email
            assert sent(data, "password") == PASSWORD
            outcomes("logged in")
        elif response.status_code != 302:
            assert not logged_in
            outcomes("shown again")
            assert_shown_again(response, data, kept=["login"])


@FUZZ
@given(data=form_data({"email": around("person@example.org") | st.emails() | any_text}))
def test_password_reset_with_anything_answers_calmly(fresh_example, outcomes, data):
    outcomes.expected = ("sent", "shown again")
    with fresh_example():
        UserFactory(email="person@example.org")
        response = Client().post("/konto/password/reset/", post_data(data))
        assert response.status_code < 500
        if response.status_code == 302:
            assert response["Location"].endswith("/konto/password/reset/done/")
            outcomes("sent")
        else:
            outcomes("shown again")
            assert_shown_again(response, data, kept=["email"])


@FUZZ
@given(data=form_data({"first_name": around("Erika"), "last_name": around("Beispiel")}))
def test_the_name_on_the_account_page_is_saved_as_sent_or_the_page_says_why_not(
    fresh_example, outcomes, data
):
    with fresh_example():
        person = UserFactory(first_name="Alt", last_name="Name")
        client = Client()
        client.force_login(person)
        response = client.post("/konto/", post_data(data))
        assert response.status_code < 500
        person.refresh_from_db()
        if response.status_code == 302:
            assert person.first_name == sent(data, "first_name").strip()
            assert person.last_name == sent(data, "last_name").strip()
            outcomes("saved")
        else:
            assert (person.first_name, person.last_name) == ("Alt", "Name")
            outcomes("shown again")
            assert_shown_again(response, data, kept=["first_name", "last_name"])


@FUZZ
@given(data=form_data({"password": around(PASSWORD) | any_text}))
def test_deleting_the_account_needs_exactly_the_password(fresh_example, outcomes, data):
    outcomes.expected = ("deleted", "shown again")
    with fresh_example():
        person = UserFactory()
        client = Client()
        client.force_login(person)
        response = client.post("/konto/loeschen/", post_data(data))
        assert response.status_code < 500
        still_there = get_user_model().objects.filter(pk=person.pk).exists()
        if sent(data, "password") == PASSWORD:
            assert response.status_code == 302
            assert not still_there
            outcomes("deleted")
        else:
            assert response.status_code == 200
            assert still_there
            outcomes("shown again")
            assert_shown_again(response, data, kept=[])


@FUZZ
@given(
    path=st.sampled_from(["/konto/email/", "/konto/password/change/"]),
    data=form_data(
        {
            "email": any_text | st.emails(),
            "action_add": st.just(""),
            "oldpassword": around(PASSWORD) | any_text,
            "password1": any_text,
            "password2": any_text,
        }
    ),
)
def test_the_other_account_forms_take_anything_without_an_error(fresh_example, path, data):
    with fresh_example():
        person = UserFactory()
        client = Client()
        client.force_login(person)
        response = client.post(path, post_data(data))
        assert response.status_code < 500
