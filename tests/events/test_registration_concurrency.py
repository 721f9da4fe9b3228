"""Never more confirmed places than the event has, also when many confirm at the same moment.

The services lock the event's row (SELECT ... FOR UPDATE) while they count and place; this test
proves it against PostgreSQL with real parallel connections. SQLite locks no rows (it allows
one writer at a time anyway), so the test runs in the PostgreSQL pass only.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Registration
from events.services import registration_confirm, registration_create

from .factories import EventFactory

PEOPLE = 20
CAPACITY = 5


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_never_overbook():
    start = timezone.now() + datetime.timedelta(days=14)
    event = EventFactory(
        start=start,
        end=start + datetime.timedelta(hours=2),
        registration_enabled=True,
        capacity=CAPACITY,
    )
    barrier = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def register_and_confirm(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            registration = registration_create(
                event=event, name=f"Person {number}", email=f"person{number}@example.org"
            )
            registration_confirm(registration=registration)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register_and_confirm, args=(number,)) for number in range(PEOPLE)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert event.registrations.confirmed().count() == CAPACITY
    assert event.registrations.waiting().count() == PEOPLE - CAPACITY
    assert not event.registrations.filter(status=Registration.Status.UNCONFIRMED).exists()
    # The waiting list has a strict order.
    waiting_since = list(event.registrations.waiting().values_list("waiting_since", flat=True))
    assert waiting_since == sorted(waiting_since)
