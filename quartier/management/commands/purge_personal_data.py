"""Deletes and anonymises personal data that is no longer needed. Run it daily, e.g. by cron:

    15 3 * * *  cd /srv/quartier && .venv/bin/python manage.py purge_personal_data

- Applications and event registrations whose e-mail address was never confirmed are deleted
  after settings.RETENTION_UNCONFIRMED_DAYS (7 days).
- Registrations of events that ended more than settings.RETENTION_REGISTRATIONS_DAYS ago (365
  days) are anonymised: name, e-mail, organisation and answers are removed, the counts stay.
- Applications decided more than settings.RETENTION_DECIDED_APPLICATIONS_DAYS ago (365 days)
  lose the contact person's name, address and phone; the organisation and the decision stay.
- Accounts whose e-mail address was not verified within settings.RETENTION_UNVERIFIED_ACCOUNTS_DAYS
  (7 days) are deleted.
- Invitations of contact persons that were not accepted are deleted once their link has expired,
  after settings.CONTACT_INVITATION_DAYS (14 days).
- The task queue's finished tasks, which hold the e-mails sent (or given up), are deleted after
  settings.RETENTION_FINISHED_TASKS_DAYS (14 days).

What the admin's change log and a version history hold about these records goes with them
(quartier/retention.py).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from actors.contacts import invitations_delete_expired
from actors.services import applications_anonymise_decided, applications_delete_unconfirmed
from events.services import registrations_anonymise_past, registrations_delete_unconfirmed
from quartier.accounts.services import accounts_delete_unverified
from quartier.tasks import finished_tasks_delete


def _days_ago(now: datetime.datetime, days: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


class Command(BaseCommand):
    help = (
        "Deletes unconfirmed applications, registrations and accounts and anonymises "
        "registrations of past events and decided applications, after the periods set in the "
        "settings (RETENTION_*). Run it daily."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        unconfirmed_before = _days_ago(now, settings.RETENTION_UNCONFIRMED_DAYS)
        applications = applications_delete_unconfirmed(older_than=unconfirmed_before)
        registrations = registrations_delete_unconfirmed(older_than=unconfirmed_before)
        anonymised = registrations_anonymise_past(
            ended_before=_days_ago(now, settings.RETENTION_REGISTRATIONS_DAYS)
        )
        decided = applications_anonymise_decided(
            decided_before=_days_ago(now, settings.RETENTION_DECIDED_APPLICATIONS_DAYS)
        )
        accounts = accounts_delete_unverified(
            joined_before=_days_ago(now, settings.RETENTION_UNVERIFIED_ACCOUNTS_DAYS)
        )
        invitations = invitations_delete_expired(
            invited_before=_days_ago(now, settings.CONTACT_INVITATION_DAYS)
        )
        tasks = finished_tasks_delete(
            finished_before=_days_ago(now, settings.RETENTION_FINISHED_TASKS_DAYS)
        )
        self.stdout.write(
            f"Deleted {applications} unconfirmed application(s) and {registrations} unconfirmed "
            f"registration(s); anonymised {anonymised} registration(s) of past events and "
            f"{decided} decided application(s); deleted {accounts} unverified account(s), "
            f"{invitations} expired invitation(s) of contact persons and {tasks} finished "
            "task(s) of the queue."
        )
