"""Deletes and anonymises personal data that is no longer needed. Run it daily, e.g. by cron:

    15 3 * * *  cd /srv/quartier && .venv/bin/python manage.py purge_personal_data

- Applications and event registrations whose e-mail address was never confirmed are deleted
  after settings.RETENTION_UNCONFIRMED_DAYS (7 days).
- Registrations of events that ended more than settings.RETENTION_REGISTRATIONS_DAYS ago (365
  days) are anonymised: name, e-mail, organisation and answers are removed, the counts stay.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from actors.services import applications_delete_unconfirmed
from events.services import registrations_anonymise_past, registrations_delete_unconfirmed


class Command(BaseCommand):
    help = (
        "Deletes unconfirmed applications and registrations and anonymises registrations of "
        "past events, after the periods set in the settings (RETENTION_*). Run it daily."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        unconfirmed_before = now - datetime.timedelta(days=settings.RETENTION_UNCONFIRMED_DAYS)
        ended_before = now - datetime.timedelta(days=settings.RETENTION_REGISTRATIONS_DAYS)
        applications = applications_delete_unconfirmed(older_than=unconfirmed_before)
        registrations = registrations_delete_unconfirmed(older_than=unconfirmed_before)
        anonymised = registrations_anonymise_past(ended_before=ended_before)
        self.stdout.write(
            f"Deleted {applications} unconfirmed application(s) and {registrations} unconfirmed "
            f"registration(s); anonymised {anonymised} registration(s) of past events."
        )
