"""Accounts under /konto/: sign-up with a confirmed address, login, password, the overview,
the data export and deleting the account."""

import datetime
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from events.services import registration_cancel_url
from tests.actors.factories import ApplicationFactory
from tests.events.factories import EventFactory

User = get_user_model()
PASSWORD = "Quartier-Passwort-2025"
NEW_PASSWORD = "Ganz-neues-Passwort-2026"
LINK = re.compile(r"https?://[^\s\"'<>]+")


def _member(email="erika@example.org", password=PASSWORD, **fields):
    user = User.objects.create_user(
        username=email.split("@")[0],
        email=email,
        password=password,
        first_name=fields.pop("first_name", "Erika"),
        last_name=fields.pop("last_name", "Mustermann"),
        **fields,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def member(db):
    return _member()


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


def _registration(user, event=None, **fields):
    values = {
        "event": event or EventFactory(start=timezone.now() + datetime.timedelta(days=30)),
        "user": user,
        "name": user.get_full_name() if user else "Gast",
        "email": user.email if user else "gast@example.org",
        "privacy_consent_at": timezone.now(),
        "privacy_notice_version": "2025-01-01",
        "status": Registration.Status.CONFIRMED,
        "confirmed_at": timezone.now(),
    }
    values.update(fields)
    if values["event"].end is None:
        values["event"].end = values["event"].start + datetime.timedelta(hours=2)
    return Registration.objects.create(**values)


def _signup(client, **overrides):
    data = {
        "email": "neu@example.org",
        "first_name": "Nora",
        "last_name": "Neumann",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def _login(client, email="erika@example.org", password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Sign-up and e-mail verification ---------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_sends_a_german_verification_mail_with_an_html_part(client, settings):
    settings.PORTAL_BASE_URL = "https://quartier.example.org"
    response = _signup(client)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="neu@example.org")
    assert (user.first_name, user.last_name) == ("Nora", "Neumann")
    assert not _is_logged_in(client)
    [message] = mail.outbox
    assert message.to == ["neu@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="de">' in html
    [link] = [url for url in _links(message) if "/konto/confirm-email/" in url]
    # Links are built from the portal's address, never from the request's Host header.
    assert link.startswith("https://quartier.example.org/konto/confirm-email/")
    assert f'href="{link}"' in html
    assert "Hallo von" not in message.body  # allauth's own greeting, mixing "du" and "Sie"


@pytest.mark.django_db
def test_the_verification_page_is_in_the_portal_layout(client):
    response = client.get(reverse("account_email_verification_sent"))
    content = response.content.decode()
    assert 'class="skip-link"' in content
    assert content.count("<h1") == 1
    assert '<meta name="robots" content="noindex">' in content


@pytest.mark.django_db
def test_login_before_the_address_is_confirmed_is_refused(client):
    _signup(client)
    mail.outbox.clear()

    response = _login(client, "neu@example.org")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not _is_logged_in(client)


@pytest.mark.django_db
def test_confirming_the_address_takes_a_post_and_then_login_works(client):
    _signup(client)
    [link] = [url for url in _links(mail.outbox[0]) if "/konto/confirm-email/" in url]
    path = re.sub(r"^https?://[^/]+", "", link)
    address = EmailAddress.objects.get(email="neu@example.org")

    page = client.get(path)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    address.refresh_from_db()
    assert not address.verified  # opening the link (or a mail scanner prefetching it) is not enough

    confirmed = client.post(path)
    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified

    response = _login(client, "Neu@Example.org")
    assert response.status_code == 302
    assert response.url == reverse("account_overview")
    assert _is_logged_in(client)
    overview = client.get(reverse("account_overview"))
    assert "Nora" in overview.content.decode()


@pytest.mark.django_db
def test_an_unknown_confirmation_key_shows_a_page_not_an_error(client):
    response = client.get(reverse("account_confirm_email", kwargs={"key": "gibt-es-nicht"}))
    assert response.status_code == 200
    assert 'href="/konto/login/"' in response.content.decode()


@pytest.mark.django_db
def test_login_by_email_address(client, member):
    response = _login(client)
    assert response.status_code == 302
    assert response.url == reverse("account_overview")
    assert _is_logged_in(client)


@pytest.mark.django_db
def test_a_wrong_password_is_refused_in_german_keeping_the_address(client, member):
    response = _login(client, password="falsch")
    content = response.content.decode()
    assert response.status_code == 200
    assert not _is_logged_in(client)
    assert 'value="erika@example.org"' in content
    assert "nicht korrekt" in content or "falsch" in content.lower()
    assert 'class="kern-alert kern-alert--danger portal-form-errors"' in content


# --- No account enumeration ------------------------------------------------------------------


def _page_text(response) -> str:
    """The visible page without the CSRF token, which differs per response."""
    content = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, member):
    known = client.post(reverse("account_reset_password"), {"email": "erika@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    assert _page_text(client.get(known.url)) == _page_text(client.get(unknown.url))
    # Each address learns what applies to it, by e-mail only.
    assert [message.to for message in mail.outbox] == [
        ["erika@example.org"],
        ["niemand@example.org"],
    ]
    assert "/konto/password/reset/key/" in mail.outbox[0].body
    assert "/konto/password/reset/key/" not in mail.outbox[1].body
    assert all(message.alternatives for message in mail.outbox)


@pytest.mark.django_db
def test_sign_up_answers_the_same_for_a_taken_address(client, member):
    taken = _signup(client, email="erika@example.org")
    fresh = _signup(client, email="frei@example.org")

    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    assert User.objects.filter(email__iexact="erika@example.org").count() == 1
    already, confirm = mail.outbox
    assert already.to == ["erika@example.org"]
    assert "/konto/password/reset/" in already.body
    assert already.alternatives[0][1] == "text/html"
    assert confirm.to == ["frei@example.org"]


# --- Rate limits -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_repeated_failed_logins_for_an_address_are_stopped(client, member):
    for _attempt in range(5):
        _login(client, password="falsch")

    response = _login(client)  # even the right password, while the limit holds

    assert not _is_logged_in(client)
    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()


@pytest.mark.django_db
def test_a_flood_of_logins_from_one_address_gets_the_429_page(client, member):
    statuses = [
        _login(client, f"versuch{attempt}@example.org", "falsch").status_code
        for attempt in range(31)
    ]

    assert statuses[-1] == 429
    response = _login(client, "noch-einer@example.org", "falsch")
    content = response.content.decode()
    assert response.status_code == 429
    assert 'class="skip-link"' in content  # the portal's layout, not allauth's bare page
    assert content.count("<h1") == 1


# --- Password reset and change ---------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_by_e_mail_link(client, member):
    client.post(reverse("account_reset_password"), {"email": "erika@example.org"})
    [message] = mail.outbox
    [link] = [url for url in _links(message) if "/password/reset/key/" in url]
    assert f'href="{link}"' in message.alternatives[0][0]
    path = re.sub(r"^https?://[^/]+", "", link)

    # The key is swapped for a neutral address, so that it does not leak through the Referer.
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0]
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")

    client.logout()
    assert _login(client, password=PASSWORD).status_code == 200
    assert _login(client, password=NEW_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_used_or_forged_reset_link_shows_a_page(client, member):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "abc-def"}),
        follow=True,
    )
    assert response.status_code == 200
    assert reverse("account_reset_password") in response.content.decode()


@pytest.mark.django_db
def test_password_change(logged_in, member):
    response = logged_in.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


# --- Logout ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_logout_only_by_post(logged_in):
    page = logged_in.get(reverse("account_logout"))
    assert page.status_code == 200
    assert _is_logged_in(logged_in)
    assert 'action="/konto/logout/"' in page.content.decode()

    response = logged_in.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not _is_logged_in(logged_in)


# --- Pages that need a login -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "account_overview",
        "account_data_export",
        "account_delete",
        "account_change_password",
        "account_email",
    ],
)
def test_account_pages_need_a_login(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


# --- The overview ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_overview_lists_the_persons_registrations_and_applications(logged_in, member):
    event = EventFactory(
        title="Quartierswerkstatt",
        start=datetime.datetime(2030, 5, 7, 10, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2030, 5, 7, 14, 0, tzinfo=datetime.UTC),
    )
    active = _registration(member, event=event)
    _registration(
        member,
        event=EventFactory(title="Vergangenes Treffen"),
        status=Registration.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    ApplicationFactory(user=member, organisation_name="Verein Nachbarschaft")
    other = _member("fremd@example.org")
    _registration(other, event=EventFactory(title="Fremde Veranstaltung"))
    ApplicationFactory(user=other, organisation_name="Fremder Verein")

    content = logged_in.get(reverse("account_overview")).content.decode()

    assert "Quartierswerkstatt" in content
    assert f'href="{event.get_absolute_url()}"' in content
    assert "7. Mai 2030" in content
    assert "Vergangenes Treffen" in content
    assert str(Registration.Status.CANCELLED.label) in content
    # A cancel link for the active registration only (the signed token holds a time stamp).
    cancel_prefix = registration_cancel_url(active).split("anmeldung/")[0] + "anmeldung/"
    assert content.count(f'href="{cancel_prefix}') == 1
    assert "Verein Nachbarschaft" in content
    assert "Fremde Veranstaltung" not in content
    assert "Fremder Verein" not in content
    assert "erika@example.org" in content


@pytest.mark.django_db
def test_the_overview_needs_the_same_queries_for_many_registrations(client):
    def queries(count):
        user = _member(f"person{count}@example.org")
        for _ in range(count):
            _registration(user)
            ApplicationFactory(user=user)
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("account_overview")).status_code == 200
        return len(captured)

    assert queries(1) == queries(8)


@pytest.mark.django_db
def test_the_name_can_be_changed(logged_in, member):
    response = logged_in.post(
        reverse("account_overview"), {"first_name": "Erika Maria", "last_name": "Muster"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.get_full_name() == "Erika Maria Muster"


# --- Data export -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_data_export_holds_everything_about_the_person_and_nothing_else(logged_in, member):
    _registration(
        member,
        event=EventFactory(title="Zukunftswerkstatt"),
        accessibility_needs="Rollstuhlgerechter Zugang",
        dietary_notes="vegetarisch",
    )
    ApplicationFactory(
        user=member,
        organisation_name="Verein Nachbarschaft",
        contact_name="Erika Mustermann",
        email="verein@example.org",
        offers="Räume und Ideen",
        privacy_notice_version="2025-02-01",
    )
    other = _member("fremd@example.org", first_name="Fritz")
    _registration(other, event=EventFactory(title="Fremde Veranstaltung"), dietary_notes="vegan")
    ApplicationFactory(
        user=other, organisation_name="Fremder Verein", email="fremd-verein@example.org"
    )

    response = logged_in.get(reverse("account_data_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    raw = response.content.decode("utf-8")
    assert "Räume und Ideen" in raw  # UTF-8, not \u escapes
    data = json.loads(raw)
    assert data["account"]["email"] == "erika@example.org"
    assert data["account"]["first_name"] == "Erika"
    assert data["account"]["date_joined"].startswith(str(timezone.localdate().year))
    assert data["email_addresses"] == [
        {"email": "erika@example.org", "verified": True, "primary": True}
    ]
    [registration] = data["registrations"]
    assert registration["event"]["title"] == "Zukunftswerkstatt"
    assert registration["accessibility_needs"] == "Rollstuhlgerechter Zugang"
    assert registration["dietary_notes"] == "vegetarisch"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", registration["registered_at"])
    [application] = data["applications"]
    assert application["organisation"] == "Verein Nachbarschaft"
    assert application["offers"] == "Räume und Ideen"
    assert application["privacy_notice_version"] == "2025-02-01"
    assert application["privacy_notice_accepted_at"]
    for foreign in ("fremd", "Fritz", "Fremde Veranstaltung", "Fremder Verein", "vegan"):
        assert foreign not in raw


@pytest.fixture
def sent_before_the_account(member):
    """What the member sent without an account, from the address the account has verified
    (written differently), and what someone sent from an address the account has not verified."""
    EmailAddress.objects.create(user=member, email="erika.privat@example.org", verified=False)
    registration = _registration(
        None, name="Erika Mustermann", email="Erika@Example.org", dietary_notes="vegan"
    )
    application = ApplicationFactory(
        user=None, organisation_name="Erikas Nachbarschaftsgarten", email="erika@example.org"
    )
    unverified = ApplicationFactory(
        user=None, organisation_name="Fremder Garten", email="erika.privat@example.org"
    )
    return registration, application, unverified


@pytest.mark.django_db
def test_the_data_export_holds_what_was_sent_before_the_account_from_a_verified_address(
    logged_in, sent_before_the_account
):
    data = logged_in.get(reverse("account_data_export")).json()

    assert [entry["name"] for entry in data["registrations"]] == ["Erika Mustermann"]
    assert data["registrations"][0]["dietary_notes"] == "vegan"
    # Not what came from an address the person has not shown to be theirs.
    assert [entry["organisation"] for entry in data["applications"]] == [
        "Erikas Nachbarschaftsgarten"
    ]


@pytest.mark.django_db
def test_deleting_the_account_anonymises_what_was_sent_before_it(
    logged_in, sent_before_the_account
):
    registration, application, unverified = sent_before_the_account

    logged_in.post(reverse("account_delete"), {"password": PASSWORD})

    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.dietary_notes) == ("", "", "")
    application.refresh_from_db()
    assert (application.contact_name, application.email) == ("", "")
    assert application.organisation_name == "Erikas Nachbarschaftsgarten"
    unverified.refresh_from_db()
    assert unverified.email == "erika.privat@example.org"


# --- Deleting the account --------------------------------------------------------------------


@pytest.fixture
def member_with_history(member):
    upcoming = _registration(member, dietary_notes="vegetarisch")
    application = ApplicationFactory(
        user=member, contact_name="Erika Mustermann", email="erika@example.org", phone="030 123"
    )
    return member, upcoming, application


@pytest.mark.django_db
def test_the_delete_page_explains_and_asks_for_the_password(logged_in):
    response = logged_in.get(reverse("account_delete"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'type="password"' in content
    assert reverse("account_data_export") in content


@pytest.mark.django_db
def test_deleting_with_a_wrong_password_is_refused_and_deletes_nothing(
    logged_in, member_with_history
):
    member, registration, application = member_with_history

    response = logged_in.post(reverse("account_delete"), {"password": "falsch"})

    assert response.status_code == 200
    assert 'class="kern-error"' in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()
    registration.refresh_from_db()
    assert registration.email == "erika@example.org"
    assert _is_logged_in(logged_in)


@pytest.mark.django_db
def test_deleting_the_account(logged_in, member_with_history):
    member, registration, application = member_with_history

    response = logged_in.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert not User.objects.filter(pk=member.pk).exists()
    assert not EmailAddress.objects.filter(email="erika@example.org").exists()
    registration.refresh_from_db()
    assert (registration.user, registration.name, registration.email) == (None, "", "")
    assert registration.dietary_notes == ""
    assert registration.anonymised_at is not None
    application.refresh_from_db()
    assert application.organisation_name  # kept for staff ...
    assert (application.contact_name, application.email, application.phone) == ("", "", "")
    assert application.user is None  # ... without the person
    assert not _is_logged_in(logged_in)
    assert len(response.context["messages"]) == 1


@pytest.mark.django_db
def test_password_guessing_on_the_delete_page_is_limited(logged_in, member):
    for _attempt in range(10):
        logged_in.post(reverse("account_delete"), {"password": "falsch"})

    response = logged_in.post(reverse("account_delete"), {"password": PASSWORD})

    assert response.status_code == 200
    assert response.context["too_many_attempts"]
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_staff_accounts_are_not_deleted_here(client):
    staff = _member("team@example.org", is_staff=True)
    client.force_login(staff)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert User.objects.filter(pk=staff.pk).exists()


# --- Bad input -------------------------------------------------------------------------------

ODD_VALUES = [
    "x" * 100_000,
    "Erika\x00Mustermann",
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    "💥" * 300,
]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize(
    ("name", "field", "logged_in_as_member"),
    [
        ("account_signup", "first_name", False),
        ("account_signup", "email", False),
        ("account_login", "login", False),
        ("account_reset_password", "email", False),
        ("account_overview", "first_name", True),
        ("account_overview", "last_name", True),
        ("account_change_password", "oldpassword", True),
        ("account_delete", "password", True),
        ("account_email", "email", True),
    ],
)
def test_odd_input_never_breaks_a_form(client, member, name, field, logged_in_as_member, value):
    if logged_in_as_member:
        client.force_login(member)
    data = {
        "email": "neu@example.org",
        "first_name": "Nora",
        "last_name": "Neumann",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "login": "erika@example.org",
        "password": "falsch",
        "oldpassword": "falsch",
        "action_add": "",
        field: value,
    }
    response = client.post(reverse(name), data)

    assert response.status_code in (200, 302)
    if response.status_code == 200 and "password" not in field:
        content = response.content.decode()
        assert 'class="kern-error"' in content
        # What the person typed is shown again (HTML-escaped, NUL bytes dropped by the browser).
        if "\x00" not in value and len(value) < 1000:
            assert f'value="{value}"' in content or value in content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["account_signup", "account_login", "account_reset_password"])
def test_wrong_types_and_missing_fields_never_break_a_form(client, name):
    response = client.post(reverse(name), {"email": ["a", "b"], "unexpected": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="kern-error"' in content
    assert "Dieses Feld ist zwingend erforderlich." in content or "gültige E-Mail" in content
