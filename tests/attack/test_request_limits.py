"""Requests too large to read: a 20 MB form, thousands of fields.

Django refuses to read more than the settings' "Request limits" allow; the visitor gets the
portal's page "Too much data sent" in German (413, or 400 for too many fields), nothing is
saved, and the server keeps answering.
"""

import datetime
import http.client
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from actors.models import Application
from events.models import Registration
from tests.events.factories import EventFactory

TWENTY_MEGABYTES = 20 * 1024 * 1024
GERMAN_HEADING = ">Zu viele Daten gesendet</h1>"
GERMAN_EXPLANATION = "nichts gespeichert"


@pytest.fixture
def visitor():
    """A browser as visitors have it: with the CSRF cookie of the form's page, and the
    portal's error page instead of the exception."""
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get("/mitmachen/")
    return client


def csrf_token(client) -> str:
    return client.cookies["csrftoken"].value


def application_data(**fields) -> dict:
    return {
        "organisation_name": "Nachbarschaftsverein",
        "city": "Leipzig",
        "contact_name": "Erika Mustermann",
        "email": "erika@example.org",
        "offers": "Räume",
        "seeks": "Partner",
        "privacy_consent": "on",
        **fields,
    }


def assert_too_much_data_page(response, status: int):
    assert response.status_code == status
    content = response.content.decode()
    assert GERMAN_HEADING in content
    assert GERMAN_EXPLANATION in content
    # The portal's page, not Django's bare one.
    assert 'class="portal-footer"' in content


def test_the_limits_are_stated_in_the_settings():
    # A public form sends a few kilobytes; 20 MB is far beyond what Django is allowed to read.
    assert 100_000 <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE < TWENTY_MEGABYTES
    assert 1000 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS < 5000


@pytest.mark.django_db
def test_a_20_megabyte_application_gets_the_too_much_data_page_and_nothing_is_saved(visitor):
    data = application_data(offers="x" * TWENTY_MEGABYTES, csrfmiddlewaretoken=csrf_token(visitor))
    response = visitor.post("/mitmachen/", data)
    assert_too_much_data_page(response, 413)
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_a_20_megabyte_multipart_form_gets_the_too_much_data_page(visitor):
    data = application_data(offers="x" * TWENTY_MEGABYTES, csrfmiddlewaretoken=csrf_token(visitor))
    response = visitor.post("/mitmachen/", data, format="multipart")
    assert_too_much_data_page(response, 413)
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_an_event_registration_of_20_megabytes_gets_the_too_much_data_page(visitor):
    start = timezone.now() + datetime.timedelta(days=14)
    event = EventFactory(
        start=start, end=start + datetime.timedelta(hours=2), registration_enabled=True
    )
    url = f"/veranstaltungen/{event.slug}/anmelden/"
    visitor.get(url)
    response = visitor.post(
        url,
        {"name": "Erika", "email": "erika@example.org", "organisation": "x" * TWENTY_MEGABYTES},
        HTTP_X_CSRFTOKEN=csrf_token(visitor),
    )
    assert_too_much_data_page(response, 413)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_form_with_5000_fields_gets_the_too_much_data_page(visitor):
    data = application_data(csrfmiddlewaretoken=csrf_token(visitor))
    data.update({f"field{number}": "1" for number in range(5000)})
    response = visitor.post("/mitmachen/", data)
    assert_too_much_data_page(response, 400)
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_a_form_with_5000_values_of_one_field_gets_the_too_much_data_page(visitor):
    body = urlencode(
        [("csrfmiddlewaretoken", csrf_token(visitor)), *[("topics", "a")] * 5000], doseq=True
    )
    response = visitor.post("/mitmachen/", body, content_type="application/x-www-form-urlencoded")
    assert_too_much_data_page(response, 400)


@pytest.mark.django_db
def test_the_english_site_says_it_in_english(visitor):
    visitor.get("/en/mitmachen/")
    data = application_data(offers="x" * TWENTY_MEGABYTES, csrfmiddlewaretoken=csrf_token(visitor))
    response = visitor.post("/en/mitmachen/", data)
    assert response.status_code == 413
    assert ">Too much data sent</h1>" in response.content.decode()


@pytest.mark.django_db
def test_a_form_of_normal_size_is_still_read(visitor, settings):
    # The longest text the form accepts, well within the limit: the form answers as usual.
    settings.FORM_MIN_FILL_SECONDS = 0
    longest = Application._meta.get_field("offers").max_length
    data = application_data(offers="x" * (longest + 1), csrfmiddlewaretoken=csrf_token(visitor))
    response = visitor.post("/mitmachen/", data)
    assert response.status_code == 200
    assert "höchstens" in response.content.decode()  # Django's German length message


def test_a_20_megabyte_post_to_the_running_server_gets_an_answer(live_server):
    """Through a real HTTP connection: the server reads past the refused body and answers,
    instead of resetting the connection while the browser is still sending."""
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request("GET", "/mitmachen/")
        page = connection.getresponse()
        page.read()
        cookies = SimpleCookie()
        for header in page.msg.get_all("Set-Cookie"):
            cookies.load(header)
        token = cookies["csrftoken"].value
        cookie = f"csrftoken={token}"
        body = urlencode({"csrfmiddlewaretoken": token, "offers": "x" * TWENTY_MEGABYTES})
        connection.request(
            "POST",
            "/mitmachen/",
            body=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = connection.getresponse()
        content = response.read().decode()
    finally:
        connection.close()
    assert response.status == 413
    assert GERMAN_HEADING in content
    assert not Application.objects.exists()
