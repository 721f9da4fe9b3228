"""A mail server that is down loses nothing: the visitor sees the usual page, what they sent is
stored, and the e-mail leaves once the server is back.

These tests use what the portal runs: the database task queue (django-tasks-db), its worker
(``manage.py db_worker``) and a real SMTP server (aiosmtpd) on a port of this machine, which is
first down (nothing listens) or refuses every recipient, then accepts. They commit for real
(``transaction=True``): the e-mail is queued by the commit, and the worker takes its tasks in
transactions of its own. The rest of the suite runs tasks at once (tests/conftest.py).
"""

import datetime
import io
import logging
import signal
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertRedirects

from actors.models import Application
from actors.services import application_submit
from events.models import Registration
from quartier.tasks import SEND_ATTEMPTS, retry_delay, send_email
from tests.actors.factories import SectorFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

TASK_PATH = "quartier.tasks.send_email"
PASSWORD = "ein-langes-Passwort-2024"


class MailServer:
    """An SMTP server on a port of its own: down until ``start()``; ``refusing`` answers every
    recipient "451, try again later"; ``received`` holds (recipients, message) of what it took."""

    def __init__(self, port: int):
        self.port = port
        self.refusing = False
        self.received = []
        self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "451 4.3.2 Please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    """The portal as deployed: the database queue, and SMTP to a server that is down."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = MailServer(_free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    yield server
    server.stop()


@pytest.fixture
def run_worker():
    """``run_worker()`` runs ``manage.py db_worker --batch``: every task that is due, then stops.

    The command sets its own signal handlers and log levels for the process; they are put back.
    """
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def queued_mails() -> list[DBTaskResult]:
    """The e-mails waiting in the queue, due or not."""
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY"))


def the_retry_time_has_come() -> None:
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def subject(message) -> str:
    """The subject as a mail program shows it (a long one arrives folded over lines)."""
    return " ".join(message["Subject"].split())


def german(text: str) -> str:
    with translation.override("de"):
        translated = gettext(text)
    assert translated != text, "the German catalogue has it"
    return translated


def assert_tried_again_later(queued: DBTaskResult, *, name: str, to: list[str]) -> None:
    """After a failed attempt: the same e-mail waits for its second attempt, a minute later."""
    (retry,) = queued_mails()
    assert retry.pk != queued.pk
    arguments = retry.args_kwargs["kwargs"]
    assert (arguments["name"], arguments["to"], arguments["attempt"]) == (name, to, 2)
    assert arguments["subject"] == queued.args_kwargs["kwargs"]["subject"]
    now = timezone.now()
    assert now + datetime.timedelta(seconds=50) < retry.run_after <= now + retry_delay(1)


def test_an_application_sent_while_the_mail_server_is_down(client, mail_server, run_worker):
    data = {
        "organisation_name": "Nachbarschaftsverein Lindenau",
        "sector": str(SectorFactory().pk),
        "city": "Leipzig",
        "website": "",
        "contact_name": "Erika Mustermann",
        "email": "erika@lindenau.example",
        "phone": "",
        "offers": "Räume für Treffen",
        "seeks": "Partner",
        "topics": "",
        "privacy_consent": "on",
    }
    response = client.post("/mitmachen/", data)

    # The usual page, and the application stored.
    assertRedirects(response, "/mitmachen/gesendet/")
    (application,) = Application.objects.all()
    assert application.status == Application.Status.UNCONFIRMED
    (queued,) = queued_mails()
    assert queued.args_kwargs["kwargs"]["to"] == ["erika@lindenau.example"]
    assert queued.args_kwargs["kwargs"]["name"] == "application_confirm"

    # The worker cannot reach the mail server: nothing sent, the e-mail waits.
    run_worker()
    assert mail_server.received == []
    assert_tried_again_later(queued, name="application_confirm", to=["erika@lindenau.example"])

    # The server is back; before the retry's time nothing happens, then the e-mail leaves.
    mail_server.start()
    run_worker()
    assert mail_server.received == []
    the_retry_time_has_come()
    run_worker()
    ((recipients, message),) = mail_server.received
    assert recipients == ["erika@lindenau.example"]
    assert subject(message) == german(
        "Please confirm your application to “Gemeinsam für das Quartier”"
    )
    assert "/mitmachen/bestaetigen/" in message.get_body(("plain",)).get_content()
    assert queued_mails() == []


def test_a_registration_while_the_mail_server_refuses(client, mail_server, run_worker):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=21)
    event = EventFactory(
        title="Werkstattgespräch",
        start=start,
        end=start + datetime.timedelta(hours=3),
        registration_enabled=True,
    )
    mail_server.refusing = True
    mail_server.start()

    response = client.post(
        f"/veranstaltungen/{event.slug}/anmelden/",
        {"name": "Erika Beispiel", "email": "erika@example.org", "privacy_consent": "on"},
    )

    assertRedirects(response, f"/veranstaltungen/{event.slug}/anmelden/gesendet/")
    (registration,) = Registration.objects.all()
    assert registration.status == Registration.Status.UNCONFIRMED
    (queued,) = queued_mails()

    run_worker()
    assert mail_server.received == []
    assert_tried_again_later(queued, name="registration_confirm_address", to=["erika@example.org"])

    mail_server.refusing = False
    the_retry_time_has_come()
    run_worker()
    ((recipients, message),) = mail_server.received
    assert recipients == ["erika@example.org"]
    with translation.override("de"):
        expected = gettext("Please confirm your registration: %(title)s") % {
            "title": "Werkstattgespräch"
        }
    assert subject(message) == expected != "Please confirm your registration: Werkstattgespräch"


def test_a_sign_up_and_a_password_reset_while_the_mail_server_is_down(
    client, mail_server, run_worker
):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "first_name": "Nora",
            "last_name": "Neumann",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assertRedirects(response, reverse("account_email_verification_sent"))
    assert get_user_model().objects.filter(email="neu@example.org").exists()
    response = client.post(reverse("account_reset_password"), {"email": "neu@example.org"})
    assertRedirects(response, reverse("account_reset_password_done"))
    names = sorted(queued.args_kwargs["kwargs"]["name"] for queued in queued_mails())
    assert names == [
        "account/email/email_confirmation_signup",
        "account/email/password_reset_key",
    ]

    run_worker()
    assert mail_server.received == []
    assert [queued.args_kwargs["kwargs"]["attempt"] for queued in queued_mails()] == [2, 2]

    mail_server.start()
    the_retry_time_has_come()
    run_worker()
    subjects = {subject(message) for _recipients, message in mail_server.received}
    assert subjects == {
        german("Please confirm your e-mail address"),
        german("Reset your password"),
    }
    assert {tuple(recipients) for recipients, _message in mail_server.received} == {
        ("neu@example.org",)
    }


class Rollback(Exception):
    """Raised by a test to roll back the transaction it opened."""


def test_a_rolled_back_application_queues_nothing(mail_server):
    fields = {
        "organisation_name": "Verein Lindenau",
        "sector": None,
        "city": "Leipzig",
        "website": "",
        "contact_name": "Erika Mustermann",
        "email": "erika@lindenau.example",
        "phone": "",
        "offers": "Räume",
        "seeks": "Partner",
        "topics": "",
    }
    with pytest.raises(Rollback), transaction.atomic():
        application_submit(**fields)
        # Not before the commit either.
        assert queued_mails() == []
        raise Rollback
    assert not Application.objects.exists()
    assert queued_mails() == []

    application_submit(**fields)
    assert len(queued_mails()) == 1


def test_an_e_mail_is_given_up_after_its_last_attempt(mail_server, run_worker, caplog):
    send_email.enqueue(
        name="application_approved",
        to=["erika@example.org"],
        subject="Ihre Bewerbung",
        text="Willkommen",
        attempt=SEND_ATTEMPTS,
    )

    run_worker()

    (given_up,) = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert given_up.status == "FAILED"
    assert queued_mails() == []
    assert any(
        record.levelno == logging.ERROR and "application_approved" in record.getMessage()
        for record in caplog.records
    )


def test_the_attempts_spread_over_about_a_day():
    delays = [retry_delay(attempt) for attempt in range(1, SEND_ATTEMPTS)]
    assert delays[:3] == [datetime.timedelta(minutes=minutes) for minutes in (1, 2, 4)]
    assert delays == sorted(delays)
    assert max(delays) <= datetime.timedelta(hours=6)
    assert (
        datetime.timedelta(hours=18)
        < sum(delays, datetime.timedelta())
        < datetime.timedelta(hours=26)
    )


def test_the_daily_purge_deletes_finished_e_mail_tasks_after_two_weeks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.RETENTION_FINISHED_TASKS_DAYS = 14
    mail = {"name": "application_approved", "to": ["erika@example.org"], "subject": "", "text": ""}
    now = timezone.now()
    for days_ago in (15, 13):
        send_email.enqueue(**mail)
        DBTaskResult.objects.filter(finished_at__isnull=True, status="READY").update(
            status="SUCCESSFUL", finished_at=now - datetime.timedelta(days=days_ago)
        )
    waiting = send_email.enqueue(**mail)

    call_command("purge_personal_data", stdout=io.StringIO())

    remaining = DBTaskResult.objects.order_by("finished_at")
    assert [task.finished_at.date() for task in remaining if task.finished_at] == [
        (now - datetime.timedelta(days=13)).date()
    ]
    assert remaining.filter(pk=waiting.id, status="READY").exists()


def test_an_e_mail_whose_worker_was_killed_is_sent_after_all(mail_server, run_worker):
    """A worker killed while it sent (SIGKILL, a machine that went down) leaves its task
    "running"; ``requeue_stalled_tasks`` puts it back in line once it has run too long, and
    the next worker sends it. A task that has just started is left to its worker."""
    mail = {"name": "application_approved", "subject": "Ihre Bewerbung", "text": "Willkommen"}
    send_email.enqueue(to=["erika@example.org"], **mail)
    send_email.enqueue(to=["max@example.org"], **mail)
    stalled, busy = DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at")
    now = timezone.now()
    for task, started_minutes_ago in ((stalled, 45), (busy, 2)):
        task.claim("killed-worker")
        DBTaskResult.objects.filter(pk=task.pk).update(
            started_at=now - datetime.timedelta(minutes=started_minutes_ago)
        )
    mail_server.start()

    run_worker()
    assert mail_server.received == [], "a running task is nobody else's"

    output = io.StringIO()
    call_command("requeue_stalled_tasks", stdout=output)
    assert output.getvalue().startswith("1 ")
    run_worker()

    assert [recipients for recipients, _message in mail_server.received] == [["erika@example.org"]]
    stalled.refresh_from_db()
    busy.refresh_from_db()
    assert stalled.status == "SUCCESSFUL"
    assert busy.status == "RUNNING"
