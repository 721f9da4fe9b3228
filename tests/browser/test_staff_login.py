"""Staff log in through the portal's login with a second factor before the admin opens.

axe-core runs on the login page, the prompt for the code, the set-up of an authenticator app
and the recovery codes, also with their errors shown.
"""

import pytest
from allauth.account.models import EmailAddress

from tests.browser.actions import submit
from tests.factories import PASSWORD, UserFactory, totp_code


def _submit(page):
    submit(page, page.locator("main form.portal-form button[type='submit']").first)


def log_in_staff(page, user, *, password: str = PASSWORD) -> None:
    """From the portal's login page: e-mail address, password, then the app's code."""
    page.fill("#id_login", user.email)
    page.fill("#id_password", password)
    _submit(page)
    page.wait_for_url("**/konto/2fa/authenticate/")
    page.fill("#id_code", totp_code())
    _submit(page)


@pytest.mark.django_db(transaction=True)
def test_staff_log_in_with_password_and_code_before_the_admin_opens(
    live_server, page, request_log, assert_accessible, default_pages
):
    editor = UserFactory(is_staff=True, is_superuser=True, email="redaktion@example.org")

    page.goto("/admin/actors/actor/")
    page.wait_for_url("**/konto/login/?next=*")
    assert_accessible(page)
    page.fill("#id_login", editor.email)
    page.fill("#id_password", PASSWORD)
    _submit(page)

    # The prompt for the code, first with a wrong one.
    page.wait_for_url("**/konto/2fa/authenticate/")
    assert page.locator("h1").count() == 1
    assert page.locator("#id_code").get_attribute("autocomplete") == "one-time-code"
    assert_accessible(page)
    page.fill("#id_code", "000000")
    _submit(page)
    assert page.locator(".kern-error").is_visible()
    assert_accessible(page)
    page.fill("#id_code", totp_code())
    _submit(page)

    page.wait_for_url(f"{live_server.url}/admin/actors/actor/")
    assert page.locator("#changelist").is_visible()
    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
def test_new_staff_set_up_an_authenticator_app_before_the_admin_opens(
    live_server, page, request_log, assert_accessible, default_pages
):
    editor = UserFactory(is_staff=True, mfa_ready=False, email="neu@example.org")
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)

    page.goto("/admin/")
    page.wait_for_url("**/konto/login/?next=*")
    page.fill("#id_login", editor.email)
    page.fill("#id_password", PASSWORD)
    _submit(page)

    # The admin sends the editor to the set-up, which asks for the password once more.
    page.wait_for_url("**/konto/reauthenticate/?next=*")
    assert page.locator(".portal-messages .kern-alert--warning").is_visible()
    assert_accessible(page)
    page.fill("#id_password", PASSWORD)
    _submit(page)

    page.wait_for_url("**/konto/2fa/totp/activate/")
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    assert_accessible(page)
    page.fill("#id_code", "000000")
    _submit(page)
    assert page.locator(".kern-error").is_visible()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", totp_code(secret))
    _submit(page)

    # The recovery codes, then on to the admin.
    page.wait_for_url("**/konto/2fa/recovery-codes/")
    assert page.locator("#recovery_codes").input_value().count("\n") == 9
    assert_accessible(page)
    page.locator("main a[href='/admin/']").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").is_visible()

    page.goto("/konto/2fa/")
    assert_accessible(page)
    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []
