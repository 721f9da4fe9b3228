"""How allauth behaves on this portal."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL

    def send_mail(self, template_prefix, email, context):
        # allauth renders <prefix>_subject.txt, _message.txt and _message.html (the HTML part);
        # replies go to the initiative's office like those of every other portal e-mail.
        message = self.render_mail(template_prefix, email, context)
        if settings.EMAIL_REPLY_TO:
            message.reply_to = list(settings.EMAIL_REPLY_TO)
        message.send()
