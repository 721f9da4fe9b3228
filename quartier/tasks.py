"""Work that leaves the request: the portal's tasks, run by the task worker.

The portal uses Django's Tasks API (``django-tasks``, the backport of what Django 6.0 ships as
``django.tasks``). Which queue holds the tasks is a setting (``TASKS``, from ``TASKS_BACKEND``):
by default the database (``django-tasks-db``), worked off by ``manage.py db_worker``, so that
nothing else has to run; for more traffic a Redis-backed RQ worker (README, "E-mail and the task
queue"). A task's arguments are JSON: whatever it needs is passed as plain values, never as a
model instance that might have changed by the time it runs.

``send_email`` is the one that leaves every e-mail of the portal (``quartier.mail`` queues it):
a mail server that refuses a message or cannot be reached only delays it. The task then queues
itself again for later, 1, 2, 4 … minutes after (at most ``MAX_RETRY_DELAY`` apart), up to
``SEND_ATTEMPTS`` attempts in all, the last about 20 hours after the first; only then is the
message given up, logged at ERROR (so that it reaches the administrators) and the task marked
as failed.
"""

import base64
import datetime
import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# What a mail server that refuses or cannot be reached raises: the SMTP errors, and OSError for
# refused connections, timeouts and TLS failures.
MAIL_SERVER_ERRORS = (smtplib.SMTPException, OSError)

SEND_ATTEMPTS = 12
FIRST_RETRY_DELAY = datetime.timedelta(minutes=1)
MAX_RETRY_DELAY = datetime.timedelta(hours=6)


class EmailNotSent(Exception):
    """An e-mail given up after its last attempt (or one that could not be tried again)."""


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long after its ``attempt``-th failed attempt an e-mail is tried again."""
    return min(FIRST_RETRY_DELAY * 2 ** (attempt - 1), MAX_RETRY_DELAY)


def encode_attachment(filename: str, content: bytes | str, mimetype: str) -> dict:
    """An attachment as the task's JSON: its content base64-encoded."""
    if isinstance(content, str):
        content = content.encode()
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


def _message(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str,
    from_email: str,
    reply_to: list[str],
    headers: dict[str, str],
    attachments: list[dict],
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or None,
        to=to,
        reply_to=reply_to or None,
        headers=headers or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message


@task()
def send_email(
    *,
    name: str,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    from_email: str = "",
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[dict] | None = None,
    attempt: int = 1,
) -> dict:
    """Send a message rendered when it was queued (``quartier.mail``); ``name`` is its template,
    which identifies it in the log (which never holds an address). A mail server error queues
    the message again for later, until the last attempt."""
    fields = {
        "name": name,
        "to": to,
        "subject": subject,
        "text": text,
        "html": html,
        "from_email": from_email,
        "reply_to": reply_to or [],
        "headers": headers or {},
        "attachments": attachments or [],
    }
    message = _message(**{key: value for key, value in fields.items() if key != "name"})
    try:
        message.send()
    except MAIL_SERVER_ERRORS as error:
        return _try_again_later(fields, attempt=attempt, error=error)
    logger.info("The e-mail %s to %d recipient(s) was sent (attempt %d)", name, len(to), attempt)
    return {"sent": True, "attempt": attempt}


def finished_tasks_delete(*, finished_before: datetime.datetime) -> int:
    """Delete the tasks of the database queue that finished (an e-mail sent or given up) before
    ``finished_before``: their arguments hold the e-mails, personal data. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    deleted, _per_model = (
        DBTaskResult.objects.finished().filter(finished_at__lt=finished_before).delete()
    )
    return deleted


def stalled_tasks_requeue(*, started_before: datetime.datetime) -> int:
    """Put the tasks of the database queue back in line that a worker took before
    ``started_before`` and never finished: the worker was killed (a restart, the machine went
    down) and would otherwise leave them "running" for ever, the e-mail unsent. Returns how many.

    An e-mail's attempt takes at most ``EMAIL_TIMEOUT`` per step of the conversation with the
    mail server, so a task running for many minutes has no worker left. One whose worker died
    after the mail server took the message but before the queue heard of it is sent twice:
    better than not at all."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=started_before)
        .update(status=TaskResultStatus.READY, started_at=None)
    )


def _try_again_later(fields: dict, *, attempt: int, error: Exception) -> dict:
    name, recipients = fields["name"], len(fields["to"])
    can_defer = send_email.get_backend().supports_defer
    if attempt >= SEND_ATTEMPTS or not can_defer:
        logger.error(
            "The e-mail %s to %d recipient(s) could not be sent and is given up after %d "
            "attempt(s)%s",
            name,
            recipients,
            attempt,
            "" if can_defer else " (this task backend cannot try again later)",
            exc_info=error,
        )
        raise EmailNotSent(f"{name}: given up after {attempt} attempt(s)") from error
    next_attempt_at = timezone.now() + retry_delay(attempt)
    send_email.using(run_after=next_attempt_at).enqueue(**fields, attempt=attempt + 1)
    logger.warning(
        "The e-mail %s to %d recipient(s) could not be sent (attempt %d of %d: %s); "
        "trying again at %s",
        name,
        recipients,
        attempt,
        SEND_ATTEMPTS,
        # The class only: the texts of some SMTP errors name the recipients.
        type(error).__name__,
        next_attempt_at.isoformat(timespec="seconds"),
    )
    return {"sent": False, "attempt": attempt, "next_attempt_at": next_attempt_at.isoformat()}
