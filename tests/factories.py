"""Factories the tests of every app use: people with an account."""

import factory
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import QuerySet

PASSWORD = "geheim-und-lang"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with an account and the password ``PASSWORD``.

    ``UserFactory(is_staff=True, permissions=["view_event"])`` is an editor who may do only
    that; ``permissions`` also takes a queryset of ``Permission``.
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
