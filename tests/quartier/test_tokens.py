"""From a signed link to its object: one way for applications and registrations alike."""

import pytest
from django.core import signing

from events.models import Registration
from quartier.tokens import InvalidToken, object_from_token, token_for
from tests.events.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_a_genuine_token_leads_to_its_object():
    registration = RegistrationFactory()
    token = token_for("registration-cancel", registration.pk)
    found = object_from_token(
        Registration.objects.all(), purpose="registration-cancel", token=token
    )
    assert found == registration


@pytest.mark.parametrize(
    "token",
    ["", "abc", "1:forged:signature", token_for("registration-confirm", 1)],
    ids=["empty", "garbage", "forged", "other-purpose"],
)
def test_a_token_that_is_not_genuine_is_refused(token):
    with pytest.raises(InvalidToken) as error:
        object_from_token(Registration.objects.all(), purpose="registration-cancel", token=token)
    assert not error.value.expired


def test_an_object_that_is_gone_or_filtered_out_is_none():
    registration = RegistrationFactory()
    token = token_for("registration-cancel", registration.pk)
    others = Registration.objects.exclude(pk=registration.pk)
    assert object_from_token(others, purpose="registration-cancel", token=token) is None


def test_an_expired_token_says_so_and_names_its_object(monkeypatch):
    registration = RegistrationFactory()
    token = token_for("registration-confirm", registration.pk)
    real_loads = signing.loads

    def later(value, *, max_age=None, **kwargs):
        if max_age is not None:
            raise signing.SignatureExpired("too old")
        return real_loads(value, **kwargs)

    monkeypatch.setattr(signing, "loads", later)
    with pytest.raises(InvalidToken) as error:
        object_from_token(
            Registration.objects.all(),
            purpose="registration-confirm",
            token=token,
            max_age_seconds=60,
        )
    assert error.value.expired
    assert error.value.instance == registration
