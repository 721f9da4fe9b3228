"""The German pages of accounts say „Sie“, as the rest of the portal, also where allauth speaks."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from quartier.accounts.allauth_texts import TEXTS

PASSWORD = "Quartier-Passwort-2025"
# allauth's German addresses people as „du“: its pronouns and the imperatives it uses.
DU = re.compile(
    r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|hast|bist|kannst|musst|"
    r"gib|versuche|wähle|habe)\b",
    re.IGNORECASE,
)


def du_forms(response) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return DU.findall(text)


@pytest.fixture
def member(db):
    user = get_user_model().objects.create_user(
        username="erika", email="erika@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("msgid", TEXTS)
def test_allauths_texts_say_sie_in_german(msgid):
    with translation.override("de"):
        german = gettext(msgid)
    assert german != msgid  # translated by the portal's catalogue
    assert not DU.findall(german), german


def test_login_with_a_wrong_password(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "falsch"})
    assert response.status_code == 200
    assert "falsch" in response.content.decode()
    assert du_forms(response) == []


@pytest.mark.django_db
def test_sign_up_page_and_its_errors(client):
    assert du_forms(client.get(reverse("account_signup"))) == []
    response = client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "first_name": "Nora",
            "last_name": "Neumann",
            "password1": PASSWORD,
            "password2": PASSWORD + "x",
        },
    )
    assert "Bitte geben Sie zweimal dasselbe Passwort ein." in response.content.decode()
    assert du_forms(response) == []


@pytest.mark.django_db
def test_the_message_after_confirming_the_address(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "first_name": "Nora",
            "last_name": "Neumann",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    (link,) = re.findall(
        r"https?://[^\s\"'<>]+/konto/confirm-email/[^\s\"'<>]+", mail.outbox[0].body
    )
    path = "/" + link.split("/", 3)[3]
    response = client.post(path, follow=True)
    assert "Sie haben die Adresse neu@example.org bestätigt." in response.content.decode()
    assert du_forms(response) == []


def test_the_message_after_logging_out(client, member):
    client.force_login(member)
    response = client.post(reverse("account_logout"), follow=True)
    assert "Sie haben sich abgemeldet." in response.content.decode()
    assert du_forms(response) == []


def test_a_wrong_current_password_on_the_change_page(client, member):
    client.force_login(member)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "falsch",
            "password1": "Neues-Passwort-2026",
            "password2": "Neues-Passwort-2026",
        },
    )
    assert "Bitte geben Sie Ihr aktuelles Passwort ein." in response.content.decode()
    assert du_forms(response) == []
