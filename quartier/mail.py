"""E-mails of the portal: German (or the recipient's language), plain text with an HTML part.

Every message is made of three templates under ``templates/email/``:
``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html`` (which extends ``email/base.html``).
Sender and reply-to come from settings (DEFAULT_FROM_EMAIL, EMAIL_REPLY_TO); links in e-mails are
built from settings.PORTAL_BASE_URL, never from the Host header of a request.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .links import absolute_url  # noqa: F401 - callers move to quartier.links


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def send_portal_mail(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict,
    language: str = "de",
    attachments: Iterable[Attachment] = (),
) -> None:
    """Render ``email/<template>`` in ``language`` and send it (after the transaction commits
    when called inside one is the caller's choice: see ``transaction.on_commit``)."""
    recipients = [to] if isinstance(to, str) else list(to)
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
        to=recipients,
        reply_to=settings.EMAIL_REPLY_TO or None,
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
