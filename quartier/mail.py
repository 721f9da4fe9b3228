"""E-mails of the portal: German (or the recipient's language), plain text with an HTML part.

Every message is made of three templates under ``templates/email/``:
``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html`` (which extends ``email/base.html``).
Sender and reply-to come from settings (DEFAULT_FROM_EMAIL, EMAIL_REPLY_TO); links in e-mails are
built with ``quartier.links.absolute_url``, never from the Host header of a request.

When an e-mail leaves, and what happens when it cannot
------------------------------------------------------
``send_after_commit`` is the only way the portal sends an e-mail (allauth's account e-mails,
rendered by allauth, go through its second half, ``send_message_after_commit``). It renders the
message at once (so it says what the caller saw) and hands it to the mail server only once the
current transaction has committed (``transaction.on_commit``; outside a transaction, at once):

- a change that is rolled back sends nothing, and an e-mail never announces what was not saved;
- no row lock is held while a mail server answers.

A mail server that refuses a message or cannot be reached loses nothing: what was saved stays
saved, the failure is logged with its exception at ERROR level (so that it reaches the
administrators through the logging set-up) and nothing is raised, so no request ends in a server
error. Data is never deleted or rolled back because an e-mail failed: the commit has happened.

Where a person has to act on an e-mail (the link that confirms an application or a registration)
the caller passes ``on_failure``; it is called after the commit when the message could not be
sent, so that the page can tell the person and say how to go on, keeping what they entered.
Staff who decided something in the admin are warned the same way. Everyone else learns nothing
from a failure they could not act on; the log holds it.
"""

import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

# What a mail server that refuses or cannot be reached raises: the SMTP errors, and OSError for
# refused connections, timeouts and TLS failures.
MAIL_SERVER_ERRORS = (smtplib.SMTPException, OSError)

# Called with the mail server's error, after the commit, when an e-mail could not be sent.
MailFailureHandler = Callable[[Exception], None]


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
    on_failure: MailFailureHandler | None = None,
) -> None:
    """Render ``email/<template>`` in ``language`` now and send it once the transaction commits.

    A mail server error is logged, never raised (see the module's docstring); ``on_failure`` is
    then called with the error, after the commit.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    message = _message(
        to=recipients,
        template=template,
        context=context,
        language=language,
        attachments=attachments,
    )
    send_message_after_commit(message, name=template, on_failure=on_failure)


def send_message_after_commit(
    message: EmailMultiAlternatives,
    *,
    name: str,
    on_failure: MailFailureHandler | None = None,
) -> None:
    """Send a message rendered elsewhere (allauth's own e-mails) under the same policy: after
    the commit, a mail server error logged and never raised. ``name`` identifies it in the log."""

    def send() -> None:
        try:
            message.send()
        except MAIL_SERVER_ERRORS as error:
            logger.exception(
                "The e-mail %s to %d recipient(s) could not be sent", name, len(message.to)
            )
            if on_failure is not None:
                on_failure(error)

    # robust: an unforeseen error in one e-mail neither stops the others nor fails the request
    # whose data is committed already; Django logs it.
    transaction.on_commit(send, robust=True)
