"""Factories the tests of every app use: people with an account."""

import factory
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import QuerySet

PASSWORD = "geheim-und-lang"
# The TOTP secret of every staff user the factory makes (base32), for tests that compute a code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with an account and the password ``PASSWORD``.

    ``UserFactory(is_staff=True, permissions=["view_event"])`` is an editor who may do only
    that; ``permissions`` also takes a queryset of ``Permission``. Staff get what the admin
    demands of them: a verified e-mail address and a second factor (TOTP with ``TOTP_SECRET``);
    ``UserFactory(is_staff=True, mfa_ready=False)`` makes one who has neither yet.
    """

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        if create and extracted is not None:
            if not isinstance(extracted, QuerySet):
                extracted = Permission.objects.filter(codename__in=extracted)
            self.user_permissions.set(extracted)

    @factory.post_generation
    def mfa_ready(self, create, extracted, **kwargs):
        ready = self.is_staff if extracted is None else extracted
        if create and ready:
            make_mfa_ready(self)


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows for ``secret`` now (RFC 6238: time steps of
    settings.MFA_TOTP_PERIOD seconds), as a person would type it."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def make_mfa_ready(user) -> None:
    """Give ``user`` a verified primary e-mail address and a TOTP authenticator."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    TOTP.activate(user, TOTP_SECRET)
