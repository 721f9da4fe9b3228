"""How allauth behaves on this portal."""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext

from quartier.client_address import client_address
from quartier.mail import send_message_after_commit


@dataclass(frozen=True)
class PortalSite:
    """Stands in for django.contrib.sites (not installed) in allauth's e-mail context."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(
        name=gettext("Gemeinsam für das Quartier"),
        domain=urlsplit(settings.PORTAL_BASE_URL).netloc,
    )


def portal_link(url: str) -> str:
    """An absolute link that allauth built from the request, on settings.PORTAL_BASE_URL instead.

    Links in e-mails never depend on the Host header of the request that caused them.
    """
    if not isinstance(url, str) or "://" not in url:
        return url
    parts = urlsplit(url)
    base = urlsplit(settings.PORTAL_BASE_URL)
    base_path = base.path.rstrip("/")
    return urlunsplit((base.scheme, base.netloc, base_path + parts.path, parts.query, ""))


def user_display(user) -> str:
    """How allauth names a person (settings.ACCOUNT_USER_DISPLAY): the name, else the address.

    allauth's default is the user name, which it generates at sign-up and nobody ever sees.
    """
    return user.get_full_name() or user.email


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        # allauth's own rate limits (login, failed logins, sign-up, password reset) count by the
        # same address as the portal's: behind the proxy the client's, not the proxy's, and an
        # IPv6 client by its /64 (quartier/client_address.py).
        return client_address(request)

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL

    def send_mail(self, template_prefix, email, context):
        # Templates in templates/account/email/: <prefix>_subject.txt, _message.txt and
        # _message.html (the HTML part, extending email/base.html like every portal e-mail).
        context = {
            **context,
            "email": context.get("email", email),
            "current_site": portal_site(),
            "portal_base_url": settings.PORTAL_BASE_URL,
        }
        for key, value in context.items():
            if key.endswith("_url"):
                context[key] = portal_link(value)
        message = self.render_mail(template_prefix, email, context)
        # Replies go to the initiative's office like those of every other portal e-mail.
        if settings.EMAIL_REPLY_TO:
            message.reply_to = list(settings.EMAIL_REPLY_TO)
        # Like every portal e-mail: queued after the commit, sent by the task worker, tried again
        # while the mail server fails (quartier/mail.py).
        send_message_after_commit(message, name=template_prefix)
