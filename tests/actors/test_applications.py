"""Applying to join at /mitmachen/: the form, double opt-in, the decision, and bad input."""

import re
import time

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from actors.models import Actor, Application
from actors.services import (
    application_approve,
    application_confirm,
    application_confirm_token,
    application_reject,
    application_submit,
    applications_delete_unconfirmed,
    applications_remove_personal_data,
)
from quartier.forms import HONEYPOT_FIELD, TIMESTAMP_FIELD
from quartier.models import privacy_notice_version
from quartier.tokens import token_for
from tests.factories import UserFactory

from .factories import ActorFactory, ApplicationFactory, SectorFactory

pytestmark = pytest.mark.django_db

APPLY = "/mitmachen/"
SENT = "/mitmachen/gesendet/"
CONFIRM_LINK = re.compile(r"https?://[^\s\"<]+/mitmachen/bestaetigen/[^\s\"<]+/")


@pytest.fixture
def sector():
    return SectorFactory(name="Zivilgesellschaft", slug="zivilgesellschaft")


@pytest.fixture
def form_data(sector):
    return {
        "organisation_name": "Nachbarschaftsverein Lindenau & Co.",
        "sector": str(sector.pk),
        "city": "Leipzig",
        "website": "www.lindenau.example",
        "contact_name": "Erika Mustermann",
        "email": "erika@lindenau.example",
        "phone": "0341 123456",
        "offers": "Räume für Treffen und viel Erfahrung mit Straßenfesten.",
        "seeks": "Partner aus der Wohnungswirtschaft.",
        "topics": "Nachbarschaft,  Kultur , nachbarschaft",
        "privacy_consent": "on",
    }


def confirm_link(message) -> str:
    """The confirmation link of an e-mail, the same in its text and HTML parts."""
    text_links = CONFIRM_LINK.findall(message.body)
    html_links = CONFIRM_LINK.findall(message.alternatives[0].content)
    assert text_links and set(html_links) == set(text_links)
    return text_links[0]


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


# --- the form -------------------------------------------------------------------------------


def test_the_form_explains_what_happens_next_and_links_the_privacy_notice(client, sector, find):
    response = client.get(APPLY)
    assert response.status_code == 200
    assertTemplateUsed(response, "actors/application_form.html")
    assert len(find(response, "h1")) == 1
    assert len(find(response, "ol")) == 1  # the steps: confirm, review, directory entry
    names = {node.attrs.get("name") for node in find(response, "input")} | {
        node.attrs.get("name") for node in find(response, "textarea")
    }
    assert {
        "organisation_name",
        "city",
        "website",
        "contact_name",
        "email",
        "phone",
        "offers",
        "seeks",
        "topics",
        "privacy_consent",
    } <= names
    options = find(response, "option")
    assert [o.attrs["value"] for o in options] == ["", str(sector.pk)]
    assert options[1].text == "Zivilgesellschaft"
    assert find(response, "a", href="/datenschutz/", **{"class": "kern-link"})
    assert find(response, "form", method="post", action=APPLY)


def test_sectors_are_offered_in_the_language_of_the_page(client, find):
    SectorFactory(name="Wohnungswirtschaft", name_en="Housing industry", slug="wohnen")
    SectorFactory(name="Kultur", slug="kultur")  # no English name: the German one
    english = [option.text for option in find(client.get(f"/en{APPLY}"), "option")]
    german = [option.text for option in find(client.get(APPLY), "option")]
    assert english == ["Please choose", "Housing industry", "Kultur"]
    assert german == ["Bitte wählen", "Wohnungswirtschaft", "Kultur"]


def test_the_home_page_invites_to_the_form(client, find):
    response = client.get("/")
    assert find(response, "a", href=APPLY, **{"class": "kern-btn kern-btn--primary"})


def test_with_an_account_contact_person_and_email_are_filled_in(client):
    user = UserFactory(email="erika@konto.example", first_name="Erika", last_name="Mustermann")
    client.force_login(user)
    response = client.get(APPLY)
    form = response.context["form"]
    assert form["contact_name"].value() == "Erika Mustermann"
    assert form["email"].value() == "erika@konto.example"
    assertContains(response, 'value="erika@konto.example"')


def test_an_application_with_an_account_is_linked_to_it(client, form_data):
    user = UserFactory(email="erika@konto.example")
    client.force_login(user)
    client.post(APPLY, form_data)
    assert Application.objects.get().user == user


# --- double opt-in --------------------------------------------------------------------------


def test_sending_stores_an_unconfirmed_application_and_sends_the_link(
    client, form_data, mailoutbox, sector
):
    response = client.post(APPLY, form_data)

    assertRedirects(response, SENT)
    application = Application.objects.get()
    assert application.status == Application.Status.UNCONFIRMED
    assert application.organisation_name == "Nachbarschaftsverein Lindenau & Co."
    assert application.sector == sector
    assert application.website == "https://www.lindenau.example"
    assert application.topics == "Nachbarschaft, Kultur"
    assert application.language == "de"
    assert application.user is None
    assert application.privacy_notice_version == privacy_notice_version() != "unknown"
    assert abs((timezone.now() - application.privacy_consent_at).total_seconds()) < 60
    # Not in the staff's queue until confirmed.
    assert not Application.objects.filter(status=Application.Status.PENDING).exists()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["erika@lindenau.example"]
    assert "Lindenau & Co." in message.body  # plain text is not HTML-escaped
    assert "Lindenau &amp; Co." in message.alternatives[0].content
    assert confirm_link(message).startswith("http://127.0.0.1:8000/mitmachen/bestaetigen/")


def test_the_sent_page(client):
    response = client.get(SENT)
    assert response.status_code == 200
    assertTemplateUsed(response, "actors/application_sent.html")


def test_the_link_opens_a_page_with_a_button_and_only_the_button_confirms(
    client, form_data, mailoutbox, find
):
    client.post(APPLY, form_data)
    path = path_of(confirm_link(mailoutbox[0]))

    response = client.get(path)
    assert response.status_code == 200
    assertTemplateUsed(response, "actors/application_confirm.html")
    assert find(response, "form", method="post")
    # A mail scanner that opens the link confirms nothing.
    assert Application.objects.get().status == Application.Status.UNCONFIRMED

    response = client.post(path)
    assert response.status_code == 200
    assertTemplateUsed(response, "actors/application_confirmed.html")
    assert response.context["already_confirmed"] is False
    application = Application.objects.get()
    assert application.status == Application.Status.PENDING
    assert application.confirmed_at is not None
    assert list(Application.objects.filter(status=Application.Status.PENDING)) == [application]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reused_link_says_already_confirmed(client, form_data, mailoutbox, method):
    client.post(APPLY, form_data)
    path = path_of(confirm_link(mailoutbox[0]))
    client.post(path)
    confirmed_at = Application.objects.get().confirmed_at

    response = getattr(client, method)(path)

    assert response.status_code == 200
    assertTemplateUsed(response, "actors/application_confirmed.html")
    assert response.context["already_confirmed"] is True
    assert Application.objects.get().confirmed_at == confirmed_at


class _Later:
    """``time`` as django.core.signing sees it, some seconds in the future."""

    def __init__(self, seconds):
        self.seconds = seconds

    def time(self):
        return time.time() + self.seconds


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_explains_and_leads_to_the_form(
    client, form_data, mailoutbox, monkeypatch, settings, method, find
):
    settings.CONFIRMATION_LINK_HOURS = 72
    client.post(APPLY, form_data)
    path = path_of(confirm_link(mailoutbox[0]))
    monkeypatch.setattr(signing, "time", _Later(72 * 3600 + 5))

    response = getattr(client, method)(path)

    assert response.status_code == 410
    assertTemplateUsed(response, "actors/application_link_invalid.html")
    assert response.context["expired"] is True
    assert find(response, "a", href=APPLY, **{"class": "kern-btn kern-btn--primary"})
    assert Application.objects.get().status == Application.Status.UNCONFIRMED


def test_an_expired_link_of_a_confirmed_application_says_already_confirmed(client, monkeypatch):
    application = ApplicationFactory()
    path = reverse(
        "applications:confirm", kwargs={"token": application_confirm_token(application=application)}
    )
    monkeypatch.setattr(signing, "time", _Later(1000 * 3600))
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["already_confirmed"] is True


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "MQ:1u0000:abcdefghijklmnopqrstuvwxyz0",
        token_for("registration-cancel", 1),  # a genuine token for something else
        "x" * 5000,
        "%00",
        "ä€",
    ],
    # Fixed ids: the genuine token changes every second, and parallel workers must collect
    # the same tests.
    ids=["word", "made-up", "other-purpose", "overlong", "nul", "umlauts"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_gives_a_not_found_page(client, method, token):
    ApplicationFactory(unconfirmed=True)
    response = getattr(client, method)(f"/mitmachen/bestaetigen/{token}/")
    assert response.status_code == 404
    assert Application.objects.get().status == Application.Status.UNCONFIRMED


def test_a_link_to_a_deleted_application_gives_a_not_found_page(client):
    application = ApplicationFactory(unconfirmed=True)
    path = reverse(
        "applications:confirm", kwargs={"token": application_confirm_token(application=application)}
    )
    application.delete()
    response = client.post(path)
    assert response.status_code == 404
    assertTemplateUsed(response, "actors/application_link_invalid.html")


def test_english_applicants_get_english_links(client, form_data, mailoutbox):
    response = client.post(f"/en{APPLY}", form_data)
    assertRedirects(response, f"/en{SENT}")
    assert Application.objects.get().language == "en"
    assert "/en/mitmachen/bestaetigen/" in confirm_link(mailoutbox[0])
    assert "Please confirm" in mailoutbox[0].subject


def test_confirm_is_idempotent():
    application = ApplicationFactory(unconfirmed=True)
    assert application_confirm(application=application) is True
    first = Application.objects.get().confirmed_at
    assert application_confirm(application=application) is False
    assert Application.objects.get().confirmed_at == first
    assert application.status == Application.Status.PENDING


# --- the decision ---------------------------------------------------------------------------


@pytest.fixture
def reviewer():
    return UserFactory(username="redaktion", is_staff=True)


def test_approval_creates_an_unpublished_draft_and_tells_the_applicant(reviewer, mailoutbox):
    ActorFactory(name="Stiftung Trias", slug="stiftung-trias")
    application = ApplicationFactory(
        organisation_name="Stiftung Trias",
        city="Hattingen",
        website="https://trias.example",
        offers="Boden für gemeinschaftliches Wohnen.",
        seeks="Kommunen, die Erbbaurecht vergeben.",
        topics="Boden, Gemeinwohl",
        language="en",
    )

    actor = application_approve(application=application, reviewer=reviewer, note="Passt gut.")

    actor = Actor.objects.get(pk=actor.pk)
    assert actor.is_published is False
    assert actor.name == "Stiftung Trias"
    assert actor.slug == "stiftung-trias-2"  # the first is taken
    assert actor.sector == application.sector
    assert actor.city == "Hattingen"
    assert actor.website == "https://trias.example"
    assert actor.role == Actor.Role.PARTICIPANT
    assert "Boden für gemeinschaftliches Wohnen." in actor.description
    assert "Kommunen, die Erbbaurecht vergeben." in actor.description
    assert sorted(actor.topics.names()) == ["Boden", "Gemeinwohl"]

    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.actor == actor
    assert application.reviewed_by == reviewer
    assert application.reviewed_at is not None
    assert application.review_note == "Passt gut."

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [application.email]
    assert "Welcome" in mailoutbox[0].subject  # in the applicant's language
    assert "Passt gut." not in mailoutbox[0].body


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_draft_is_written_in_german_whatever_the_language_of_the_reviewer(reviewer, language):
    """The directory is German; an English admin or applicant changes nothing in the draft."""
    application = ApplicationFactory(offers="Räume.", seeks="Partner.", language=language)
    with translation.override(language):
        actor = application_approve(application=application, reviewer=reviewer)
    assert actor.description == (
        "**Was die Organisation einbringt**\n\nRäume.\n\n**Was die Organisation sucht**\n\nPartner."
    )


def test_rejection_tells_the_applicant_politely_without_the_note(reviewer, mailoutbox):
    application = ApplicationFactory(contact_name="Erika Mustermann")

    application_reject(application=application, reviewer=reviewer, note="Kein Quartiersbezug.")

    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.review_note == "Kein Quartiersbezug."
    assert application.reviewed_by == reviewer
    assert application.actor is None
    assert not Actor.objects.exists()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [application.email]
    assert "Erika Mustermann" in message.body
    for part in (message.subject, message.body, message.alternatives[0].content):
        assert "Quartiersbezug" not in part


@pytest.mark.parametrize(
    "status",
    [Application.Status.UNCONFIRMED, Application.Status.APPROVED, Application.Status.REJECTED],
)
@pytest.mark.parametrize("decide", [application_approve, application_reject])
def test_only_applications_awaiting_review_can_be_decided(reviewer, mailoutbox, status, decide):
    application = ApplicationFactory(
        status=status, confirmed_at=None if status == "unconfirmed" else timezone.now()
    )
    with pytest.raises(ValidationError) as error:
        decide(application=application, reviewer=reviewer)
    assert "Nur" in error.value.messages[0] or "Only" in error.value.messages[0]
    assert Application.objects.get().status == status
    assert not Actor.objects.exists()
    assert mailoutbox == []


def test_an_application_without_personal_data_is_decided_without_mail(reviewer, mailoutbox):
    application = ApplicationFactory(email="", contact_name="")
    application_approve(application=application, reviewer=reviewer)
    assert mailoutbox == []


# --- spam and abuse -------------------------------------------------------------------------


def test_a_filled_honeypot_looks_like_success_but_stores_and_sends_nothing(
    client, form_data, mailoutbox
):
    response = client.post(APPLY, {**form_data, HONEYPOT_FIELD: "http://spam.example"})
    assertRedirects(response, SENT)
    assert not Application.objects.exists()
    assert mailoutbox == []


def test_the_rate_limit_per_address_keeps_the_input(client, form_data, settings, mailoutbox):
    settings.FORM_RATE_LIMIT_PER_HOUR = 3
    # Every form sent counts, a correction of one with errors as well (as on every form).
    assert client.post(APPLY, {**form_data, "email": "x"}).status_code == 200
    for number in range(2):
        response = client.post(APPLY, {**form_data, "email": f"person{number}@example.org"})
        assert response.status_code == 302

    response = client.post(APPLY, {**form_data, "email": "person3@example.org"})

    assert response.status_code == 429
    assertTemplateUsed(response, "actors/application_form.html")
    assert response.context["form"].non_field_errors()
    assertContains(response, 'value="person3@example.org"', status_code=429)
    assertContains(response, "Räume für Treffen", status_code=429)
    assert Application.objects.count() == 2
    assert len(mailoutbox) == 2


def test_the_rate_limit_per_email_address(client, form_data, settings, mailoutbox):
    settings.FORM_RATE_LIMIT_PER_HOUR = 100
    for number in range(3):
        response = client.post(APPLY, form_data, REMOTE_ADDR=f"10.0.0.{number}")
        assert response.status_code == 302
    # The same address in other letters is the same address.
    response = client.post(
        APPLY, {**form_data, "email": "ERIKA@lindenau.example"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assertContains(response, "ERIKA@lindenau.example", status_code=429)
    assert Application.objects.count() == 3
    assert len(mailoutbox) == 3


def test_a_form_sent_back_too_quickly_is_shown_again_with_the_input(client, form_data, settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    stamp = client.get(APPLY).context["form"][TIMESTAMP_FIELD].value()

    response = client.post(APPLY, {**form_data, TIMESTAMP_FIELD: stamp})

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == [
        "too_fast"
    ]
    assertContains(response, 'value="Leipzig"')
    assert not Application.objects.exists()


def test_a_form_sent_after_the_minimum_time_is_accepted(client, form_data, settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    stamp = signing.dumps(time.time() - 10, salt="quartier.forms.shown")
    response = client.post(APPLY, {**form_data, TIMESTAMP_FIELD: stamp})
    assertRedirects(response, SENT)


# --- bad input ------------------------------------------------------------------------------

TEXT_FIELDS = [
    "organisation_name",
    "city",
    "website",
    "contact_name",
    "email",
    "phone",
    "offers",
    "seeks",
    "topics",
]


def test_every_field_at_ten_thousand_characters_keeps_the_input(client, form_data, find):
    overlong = dict.fromkeys(TEXT_FIELDS, "ü" * 10000)
    response = client.post(APPLY, {**form_data, **overlong, "sector": "7" * 10000})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(TEXT_FIELDS) | {"sector"} <= set(form.errors)
    textareas = {node.attrs["name"]: node.text for node in find(response, "textarea")}
    assert textareas["offers"] == "ü" * 10000
    assert find(response, "input", name="city", value="ü" * 10000)
    assert not Application.objects.exists()


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_nul_bytes_are_refused_without_an_error_page(client, form_data, name):
    response = client.post(APPLY, {**form_data, name: "Lindenau\x00Leipzig"})
    assert response.status_code == 200
    assert name in response.context["form"].errors
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"website": "http://"}, "website"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "https://exa mple.org"}, "website"),
        ({"email": "keine-adresse"}, "email"),
        ({"sector": "abc"}, "sector"),
        ({"sector": "999999"}, "sector"),
        ({"sector": "-1"}, "sector"),
        ({"sector": "99999999999999999999999999999"}, "sector"),
        ({"sector": "1.5"}, "sector"),
        ({"privacy_consent": ""}, "privacy_consent"),
        ({"organisation_name": "   "}, "organisation_name"),
        ({"topics": ",".join(f"Thema {n}" for n in range(30))}, "topics"),
        ({"topics": "x" * 120}, "topics"),
    ],
)
def test_odd_input_is_answered_with_a_message_at_the_field(client, form_data, changes, field, find):
    response = client.post(APPLY, {**form_data, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert find(response, "div", id="form-errors", role="alert")  # the error summary
    assert find(response, "p", id=f"id_{field}_error")[0].text
    assertContains(response, 'value="Leipzig"')
    assert not Application.objects.exists()


def test_missing_fields_and_repeated_values_give_no_error_page(client, form_data):
    assert client.post(APPLY, {}).status_code == 200
    response = client.post(APPLY, {**form_data, "city": ["Leipzig", "Halle"], "sector": ["1", "x"]})
    assert response.status_code in (200, 302)
    response = client.post(APPLY, "not form data", content_type="application/octet-stream")
    assert response.status_code == 200


def test_only_get_and_post(client):
    assert client.put(APPLY).status_code == 405
    assert client.delete("/mitmachen/bestaetigen/x/").status_code == 405


# --- services for retention and account deletion ----------------------------------------------


def test_unconfirmed_applications_older_than_the_limit_are_deleted():
    old = ApplicationFactory(unconfirmed=True)
    Application.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=8)
    )
    recent = ApplicationFactory(unconfirmed=True)
    confirmed_old = ApplicationFactory()
    Application.objects.filter(pk=confirmed_old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=30)
    )

    deleted = applications_delete_unconfirmed(
        older_than=timezone.now() - timezone.timedelta(days=7)
    )

    assert deleted == 1
    assert set(Application.objects.all()) == {recent, confirmed_old}


def test_account_deletion_removes_the_personal_data_and_keeps_the_organisation():
    user, other = UserFactory(username="erika"), UserFactory(username="max")
    kept = ApplicationFactory(user=user, phone="0341 1", organisation_name="Verein Lindenau")
    ApplicationFactory(user=user, unconfirmed=True)
    others = ApplicationFactory(user=other)

    assert applications_remove_personal_data(user=user) == 2

    kept.refresh_from_db()
    assert (kept.contact_name, kept.email, kept.phone, kept.user) == ("", "", "", None)
    assert kept.personal_data_removed_at is not None
    assert kept.organisation_name == "Verein Lindenau"
    assert kept.status == Application.Status.PENDING
    # The unconfirmed one never reached staff: it is gone.
    assert set(Application.objects.all()) == {kept, others}
    others.refresh_from_db()
    assert others.email and others.user == other


def test_submit_service_refuses_invalid_data(mailoutbox):
    with pytest.raises(ValidationError):
        application_submit(
            organisation_name="",
            sector=None,
            city="Leipzig",
            website="",
            contact_name="Erika",
            email="keine-adresse",
            phone="",
            offers="x",
            seeks="y",
            topics="",
        )
    assert not Application.objects.exists()
    assert mailoutbox == []


@pytest.mark.usefixtures("mail_server_down")
def test_when_the_mail_server_is_down_the_sender_sees_the_normal_page(
    client, form_data, mailoutbox, caplog
):
    """The e-mail only waits (tests/quartier/test_mail_queue.py tries it again later)."""
    response = client.post(APPLY, form_data)
    assertRedirects(response, SENT)
    (application,) = Application.objects.all()
    assert application.status == Application.Status.UNCONFIRMED
    assert application.city == "Leipzig"
    assert mailoutbox == []
    assert "application_confirm" in caplog.text


@pytest.mark.usefixtures("mail_server_down")
def test_a_decision_stands_when_the_mail_server_is_down(reviewer, caplog):
    application = ApplicationFactory()
    application_approve(application=application, reviewer=reviewer)
    assert "application_approved" in caplog.text
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.actor is not None
