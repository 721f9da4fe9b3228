"""The protection every public form shares: honeypot, minimum fill time, rate limits, markup."""

import datetime
import time

import pytest
from django import forms
from django.core import signing
from django.test import RequestFactory
from django.utils import timezone

from quartier.forms import HONEYPOT_FIELD, TIMESTAMP_FIELD, ProtectedForm
from quartier.ratelimit import (
    client_address,
    form_email_limited,
    form_post_limited,
    limit_exceeded,
    limit_reached,
)


class ContactForm(ProtectedForm):
    name = forms.CharField(label="Name", max_length=20)


def _stamp(seconds_ago: float) -> str:
    return signing.dumps(time.time() - seconds_ago, salt="quartier.forms.shown")


def test_a_form_sent_back_after_the_minimum_time_is_valid(settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    form = ContactForm({"name": "Erika", TIMESTAMP_FIELD: _stamp(5)})
    assert form.is_valid(), form.errors
    assert not form.honeypot_triggered


def test_a_form_sent_back_too_quickly_is_shown_again_with_the_input_kept(settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    form = ContactForm({"name": "Erika", TIMESTAMP_FIELD: _stamp(1)})
    assert not form.is_valid()
    assert "sehr schnell" in str(form.non_field_errors())
    html = str(form)
    assert 'value="Erika"' in html
    # The renewed stamp lets the person send it again at once.
    assert form.data[TIMESTAMP_FIELD] != _stamp(1)


@pytest.mark.parametrize(
    "stamp", ["", "forged", signing.dumps("x", salt="other")], ids=["empty", "forged", "other"]
)
def test_a_missing_or_forged_time_stamp_is_refused_without_an_error_page(settings, stamp):
    settings.FORM_MIN_FILL_SECONDS = 3
    form = ContactForm({"name": "Erika", TIMESTAMP_FIELD: stamp})
    assert not form.is_valid()


def test_the_honeypot_marks_the_form_but_leaves_it_valid():
    form = ContactForm({"name": "Bot", HONEYPOT_FIELD: "http://spam.example"})
    assert form.is_valid()
    assert form.honeypot_triggered


def test_the_honeypot_is_hidden_from_people_and_the_form_uses_kern_markup():
    html = str(ContactForm({"name": ""}))
    assert 'class="portal-honeypot" aria-hidden="true"' in html
    assert 'tabindex="-1"' in html
    # Error summary, German message, and the field linked to its error.
    assert "kern-alert--danger" in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_error"' in html
    assert 'id="id_name_error"' in html


def test_overlong_input_is_refused_by_the_length_limit():
    form = ContactForm({"name": "x" * 10_000})
    assert not form.is_valid()
    assert "name" in form.errors


def test_rate_limit_counts_per_address_and_scope():
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="192.0.2.1")
    second = factory.post("/", REMOTE_ADDR="192.0.2.2")
    assert [limit_exceeded(first, scope="a", limit=2) for _ in range(3)] == [False, False, True]
    assert limit_reached(first, scope="a", limit=2)
    assert not limit_exceeded(second, scope="a", limit=2)
    assert not limit_exceeded(first, scope="b", limit=2)


def test_behind_a_proxy_the_address_the_proxy_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    assert client_address(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"


def _open_event():
    from tests.events.factories import EventFactory

    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=21)
    return EventFactory(
        start=start, end=start + datetime.timedelta(hours=3), registration_enabled=True
    )


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["application", "registration"])
def test_every_public_form_counts_a_correction_like_a_new_try(client, settings, form):
    """The same counting on every form: each POST counts, whether valid or shown again."""
    settings.FORM_RATE_LIMIT_PER_HOUR = 2
    path = (
        "/mitmachen/"
        if form == "application"
        else f"/veranstaltungen/{_open_event().slug}/anmelden/"
    )
    with_errors = {"email": "keine-adresse", "privacy_consent": "on"}
    assert [client.post(path, with_errors).status_code for _ in range(3)] == [200, 200, 429]


def test_form_e_mail_limit_counts_per_address_whatever_its_case():
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    counted = [
        form_email_limited(request, form="a", email=email, limit=2)
        for email in ("Erika@example.org", "erika@EXAMPLE.org", "ERIKA@example.org")
    ]
    assert counted == [False, False, True]
    assert not form_email_limited(request, form="b", email="erika@example.org", limit=2)
    assert not form_post_limited(request, form="a", limit=2)
