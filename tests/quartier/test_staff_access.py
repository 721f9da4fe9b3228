"""One login for everyone, and the admin only with a verified address and a second factor.

Staff sign in on the portal's login page (allauth) with their e-mail address, password and a
code from their authenticator app; the admin's own login form logs nobody in. A staff member
without a verified address or a second factor is led to set them up before any admin page shows.
"""

import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertRedirects

from tests.factories import PASSWORD, UserFactory, totp_code
from tests.quartier.test_settings import PRODUCTION, start

pytestmark = pytest.mark.django_db

# Pages of the admin in both languages: the index, lists, forms, the user admin, its own pages.
ADMIN_PAGES = [
    "/admin/",
    "/admin/actors/actor/",
    "/admin/events/event/add/",
    "/admin/auth/user/",
    "/admin/password_change/",
    "/admin/jsi18n/",
    "/en/admin/",
    "/en/admin/projects/project/",
]


def log_in(client, email: str, password: str = PASSWORD, *, next_url: str = "/admin/"):
    return client.post(
        f"/konto/login/?next={quote(next_url, safe='')}",
        {"login": email, "password": password},
    )


# --- The second factor is enforced ------------------------------------------------------------


def staff_without_second_factor():
    editor = UserFactory(is_staff=True, is_superuser=True, mfa_ready=False)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    return editor


def prefix(path: str) -> str:
    return "/en" if path.startswith("/en/") else ""


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_staff_without_a_second_factor_never_reach_an_admin_page(client, path):
    client.force_login(staff_without_second_factor())
    response = client.get(path)
    assertRedirects(
        response, f"{prefix(path)}/konto/2fa/totp/activate/", fetch_redirect_response=False
    )


def test_staff_without_a_second_factor_are_told_why_and_shown_the_set_up(client):
    editor = staff_without_second_factor()
    log_in(client, editor.email, next_url="/konto/")
    response = client.get("/en/admin/", follow=True)
    # Setting up a second factor is a change to the account: allauth asks for the password.
    activate = "/en/konto/2fa/totp/activate/"
    assertRedirects(response, f"/en/konto/reauthenticate/?next={quote(activate, safe='')}")
    assertContains(response, "The admin opens only with a second factor.")
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assertRedirects(response, activate)
    assertContains(response, 'src="data:image/svg+xml;base64,')


@pytest.mark.parametrize("path", ["/admin/", "/admin/actors/actor/", "/en/admin/"])
def test_staff_without_a_verified_address_are_led_to_confirm_it(client, path):
    editor = UserFactory(is_staff=True, mfa_ready=False)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=False, primary=True)
    client.force_login(editor)

    response = client.get(path, follow=True)

    assertRedirects(response, f"{prefix(path)}/konto/email/")
    if prefix(path):
        assertContains(response, "The admin opens only once your e-mail address is confirmed.")
    # The page offers to send the confirmation again (a POST: nothing is sent on GET).
    assertContains(response, 'name="action_send"')
    assert not mail.outbox


def test_a_second_factor_without_a_verified_address_is_not_enough(client):
    editor = UserFactory(is_staff=True, is_superuser=True)
    EmailAddress.objects.filter(user=editor).update(verified=False)
    client.force_login(editor)
    assertRedirects(client.get("/admin/"), "/konto/email/", fetch_redirect_response=False)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_staff_with_a_verified_address_and_a_second_factor_reach_the_admin(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_the_demand_may_be_relaxed_for_local_development(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True, mfa_ready=False))
    assert client.get("/admin/actors/actor/").status_code == 200


def test_the_demand_cannot_be_relaxed_with_debug_off():
    result = start({"DEBUG": "0", **PRODUCTION, "STAFF_MFA_REQUIRED": "0"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "STAFF_MFA_REQUIRED" in result.stderr


def test_public_pages_ask_no_second_factor_of_staff(client):
    client.force_login(UserFactory(is_staff=True, mfa_ready=False))
    assert client.get("/akteure/").status_code == 200
    assert client.get("/konto/").status_code == 200


# --- One login, through the portal's forms ----------------------------------------------------


def test_staff_log_in_through_the_portal_with_a_code_from_their_app(client):
    editor = UserFactory(is_staff=True, is_superuser=True, email="redaktion@example.org")

    response = log_in(client, "redaktion@example.org")
    assertRedirects(response, "/konto/2fa/authenticate/", fetch_redirect_response=False)
    # The password alone has logged nobody in.
    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302

    prompt = client.get("/konto/2fa/authenticate/")
    assertContains(prompt, 'autocomplete="one-time-code"')
    wrong = client.post("/konto/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert SESSION_KEY not in client.session

    response = client.post("/konto/2fa/authenticate/", {"code": totp_code()})
    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    assert client.session[SESSION_KEY] == str(editor.pk)
    index = client.get("/admin/")
    assert index.status_code == 200
    assertContains(index, editor.email)


def test_the_admins_own_login_form_logs_nobody_in(client):
    editor = UserFactory(username="redaktion", is_staff=True, is_superuser=True)

    for credentials in (
        {"username": "redaktion", "password": PASSWORD},
        {"username": editor.email, "password": PASSWORD},
    ):
        response = client.post("/admin/login/?next=/admin/", credentials)
        assertRedirects(
            response,
            f"/konto/login/?next={quote('/admin/', safe='')}",
            fetch_redirect_response=False,
        )
        assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302
    # The English admin sends staff to the English login.
    assertRedirects(
        client.get("/en/admin/login/?next=/en/admin/"),
        f"/en/konto/login/?next={quote('/en/admin/', safe='')}",
        fetch_redirect_response=False,
    )


def test_failed_logins_of_staff_are_limited_like_everyones(client):
    """allauth's login limits (settings.ACCOUNT_RATE_LIMITS) take the old admin limit's place."""
    UserFactory(is_staff=True, email="redaktion@example.org")
    for _ in range(5):
        assert log_in(client, "redaktion@example.org", "falsch").status_code == 200
    # Even the right password is refused now: the form says to try again later.
    blocked = log_in(client, "redaktion@example.org")
    assertContains(blocked, "Zu viele gescheiterte Anmeldeversuche")
    assert SESSION_KEY not in client.session
    assert "mfa_authenticate" not in blocked.get("Location", "")


def test_a_logged_in_visitor_without_staff_status_is_refused(client):
    client.force_login(UserFactory())
    assert client.get("/admin/", follow=True).status_code == 403


# --- createsuperuser and the first administrator ------------------------------------------------


def test_a_superuser_from_createsuperuser_confirms_the_address_and_sets_up_totp(
    client, monkeypatch
):
    """The path of the README: createsuperuser, log in, confirm the address, set up the app."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "erste-Verwalterin-2025")
    call_command(
        "createsuperuser", interactive=False, username="verwaltung", email="chefin@example.org"
    )
    response = client.get("/admin/", follow=True)
    assertRedirects(response, f"/konto/login/?next={quote('/admin/', safe='')}")

    # The first login sends the confirmation e-mail instead of logging in.
    response = log_in(client, "chefin@example.org", "erste-Verwalterin-2025")
    assertRedirects(response, "/konto/confirm-email/", fetch_redirect_response=False)
    assert SESSION_KEY not in client.session
    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+(/konto/confirm-email/\S+/)", message.body)
    assertRedirects(client.post(link), "/konto/login/", fetch_redirect_response=False)

    # Now the login works, and the admin asks for the authenticator app first.
    response = log_in(client, "chefin@example.org", "erste-Verwalterin-2025")
    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    activate = "/konto/2fa/totp/activate/"
    response = client.get("/admin/", follow=True)
    assertRedirects(response, f"/konto/reauthenticate/?next={quote(activate, safe='')}")
    response = client.post(
        response.redirect_chain[-1][0], {"password": "erste-Verwalterin-2025"}, follow=True
    )
    assertRedirects(response, activate)

    secret = response.context["form"].secret
    response = client.post("/konto/2fa/totp/activate/", {"code": totp_code(secret)})
    assertRedirects(response, "/konto/2fa/recovery-codes/", fetch_redirect_response=False)
    codes = client.get("/konto/2fa/recovery-codes/")
    assertContains(codes, 'href="/admin/"')
    superuser = get_user_model().objects.get(username="verwaltung")
    assert Authenticator.objects.filter(user=superuser, type="totp").exists()
    assert client.get("/admin/").status_code == 200


def test_the_totp_set_up_page_shows_the_qr_code_and_the_key(client):
    editor = UserFactory(is_staff=True, mfa_ready=False)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    client.force_login(editor)
    client.post("/konto/reauthenticate/", {"password": PASSWORD})

    response = client.get("/konto/2fa/totp/activate/")

    assert response.status_code == 200
    secret = response.context["form"].secret
    assertContains(response, 'src="data:image/svg+xml;base64,')
    assertContains(response, f'value="{secret}"')


# --- The session and changes to the account ----------------------------------------------------


def test_staff_sessions_expire_after_the_idle_time(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 20
    client.force_login(UserFactory(is_staff=True))
    client.get("/admin/")
    assert client.session.get_expiry_age() == 20 * 60
    # Any request of a staff member, also outside the admin, counts as activity.
    client.get("/akteure/")
    assert client.session.get_expiry_age() == 20 * 60


def test_visitors_sessions_keep_their_length(client):
    client.force_login(UserFactory())
    client.get("/akteure/")
    client.get("/konto/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_a_new_e_mail_address_asks_for_the_password_again(client):
    person = UserFactory(email="nora@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.force_login(person)  # a session whose login allauth has not seen: no recent password

    response = client.post("/konto/email/", {"action_add": "", "email": "neu@example.org"})
    assertRedirects(
        response,
        f"/konto/reauthenticate/?next={quote('/konto/email/', safe='')}",
        fetch_redirect_response=False,
    )
    assert not EmailAddress.objects.filter(email="neu@example.org").exists()

    confirmed = client.post(response["Location"], {"password": PASSWORD})
    assertRedirects(confirmed, "/konto/email/", fetch_redirect_response=False)
    client.post("/konto/email/", {"action_add": "", "email": "neu@example.org"})
    assert EmailAddress.objects.filter(user=person, email="neu@example.org").exists()


def test_a_changed_password_is_told_to_the_person(client):
    person = UserFactory(email="nora@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.force_login(person)

    changed = client.post(
        "/konto/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "Neues-Passwort-2025",
            "password2": "Neues-Passwort-2025",
        },
    )

    assert changed.status_code == 302
    [notice] = mail.outbox
    assert notice.to == ["nora@example.org"]
    assert notice.subject == "Passwort geändert"
    [(html, _type)] = notice.alternatives
    assert "Gemeinsam für das Quartier" in html


def test_switching_off_the_second_factor_asks_for_it_again(client):
    editor = UserFactory(is_staff=True)
    client.force_login(editor)
    response = client.get("/konto/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/reauthenticate/")
    assert Authenticator.objects.filter(user=editor, type="totp").exists()


# --- The demo editor of `make run` --------------------------------------------------------------


def test_the_demo_editor_is_made_only_while_developing_with_a_password_shown_once(settings):
    from quartier.accounts.demo import demo_editor_create

    assert demo_editor_create() == ("", "")
    settings.DEBUG = True
    email, password = demo_editor_create()
    editor = get_user_model().objects.get(email=email)
    assert editor.is_staff and not editor.is_superuser
    assert editor.check_password(password)
    assert EmailAddress.objects.get(user=editor).verified
    # Made once: a second run shows no password, and nobody else has the same one.
    assert demo_editor_create() == (email, "")
    get_user_model().objects.filter(pk=editor.pk).delete()
    assert demo_editor_create()[1] != password


def test_the_admin_never_shows_a_second_factors_secret(client):
    from allauth.mfa.models import Authenticator

    from tests.factories import TOTP_SECRET, UserFactory

    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    authenticator = Authenticator.objects.get(user=administrator, type=Authenticator.Type.TOTP)
    page = client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/")
    assert page.status_code == 200
    assert TOTP_SECRET not in page.content.decode()
    assert client.get("/admin/mfa/authenticator/add/").status_code == 403
