"""E-mails of the portal: German (or the recipient's language), plain text with an HTML part.

Every message is made of three templates under ``templates/email/``:
``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html`` (which extends ``email/base.html``).
Sender and reply-to come from settings (DEFAULT_FROM_EMAIL, EMAIL_REPLY_TO); links in e-mails are
built with ``quartier.links.absolute_url``, never from the Host header of a request.

When an e-mail leaves, and what happens when it cannot
------------------------------------------------------
``send_after_commit`` is the only way the portal sends an e-mail (allauth's account e-mails,
rendered by allauth, go through its second half, ``send_message_after_commit``). It renders the
message at once (so it says what the caller saw) and, once the current transaction has
committed (``transaction.on_commit``; outside a transaction, at once), queues the task
``quartier.tasks.send_email`` with the rendered message as its arguments; the task worker
(``manage.py db_worker``) hands it to the mail server:

- a change that is rolled back queues nothing, and an e-mail never announces what was not saved;
- no request waits for a mail server, and no row lock is held while one answers.

A mail server that refuses a message or cannot be reached loses nothing and delays nothing but
the message: what was saved stays saved, the person sees the same page as when all goes well,
and the task tries again later, for about a day, before it gives the message up and logs it at
ERROR level (``quartier.tasks``). Nothing about e-mail is ever raised into a request.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from quartier.tasks import encode_attachment, send_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def _message(
    *, to: list[str], template: str, context: dict, language: str, attachments: Iterable[Attachment]
) -> EmailMultiAlternatives:
    """``email/<template>`` rendered in ``language``."""
    with translation.override(language or "de"):
        context = {"portal_base_url": settings.PORTAL_BASE_URL, **context}
        subject = render_to_string(f"email/{template}_subject.txt", context)
        # One line, whatever the template's whitespace.
        subject = " ".join(subject.split())
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=settings.EMAIL_REPLY_TO or None,
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_after_commit(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict,
    language: str = "de",
    attachments: Iterable[Attachment] = (),
) -> None:
    """Render ``email/<template>`` in ``language`` now and queue it once the transaction
    commits (see the module's docstring)."""
    recipients = [to] if isinstance(to, str) else list(to)
    message = _message(
        to=recipients,
        template=template,
        context=context,
        language=language,
        attachments=attachments,
    )
    send_message_after_commit(message, name=template)


def send_message_after_commit(message: EmailMessage, *, name: str) -> None:
    """Queue a message rendered elsewhere (allauth's own e-mails) under the same policy: after
    the commit, sent by the task worker, tried again while the mail server fails. ``name``
    identifies it in the log and the queue."""
    fields = task_arguments(message, name=name)

    def enqueue() -> None:
        try:
            send_email.enqueue(**fields)
        except Exception:
            # The data is committed: a queue that cannot be reached must not fail the request.
            logger.exception("The e-mail %s could not be queued", name)

    transaction.on_commit(enqueue)


def task_arguments(message: EmailMessage, *, name: str) -> dict:
    """The message as the JSON arguments of ``quartier.tasks.send_email``."""
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", ())
            if mimetype == "text/html"
        ),
        "",
    )
    text = message.body
    if message.content_subtype == "html":  # an HTML-only message (allauth may send one)
        html, text = message.body, ""
    return {
        "name": name,
        "to": list(message.to),
        "subject": str(message.subject),
        "text": text,
        "html": html,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "reply_to": list(message.reply_to),
        "headers": {str(key): str(value) for key, value in message.extra_headers.items()},
        "attachments": [encode_attachment(*attachment) for attachment in message.attachments],
    }
