"""What every public form of the portal shares: KERN markup, spam protection, rate limits.

Public forms (applying to join, registering for an event) inherit ``ProtectedForm``:

- a honeypot field that people never see and bots fill in,
- a signed time stamp of when the form was shown; a form sent back sooner than
  ``settings.FORM_MIN_FILL_SECONDS`` is shown again with a request to send it once more,
- ``max_length`` on every text field, so that no input reaches the database unchecked.

Rate limits per client address are in ``quartier.ratelimit``; views call them.
No third party is involved: no captcha service, nothing loaded from another host.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "fax_number"
TIMESTAMP_FIELD = "form_shown"
_TIMESTAMP_SALT = "quartier.forms.shown"


class PortalFormRenderer(TemplatesSetting):
    """Renders ``{{ form }}`` and ``{{ field }}`` with the KERN design system's markup."""

    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"


class ProtectedForm(forms.Form):
    """Base of the public forms: honeypot and minimum fill time (see the module docstring)."""

    too_fast_message = _(
        "Please check your entries and send the form again. "
        "(It came back very quickly, as it does from programs that send spam.)"
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False, max_length=200, label=_("Please leave this field empty")
        )
        self.fields[TIMESTAMP_FIELD] = forms.CharField(
            required=False, max_length=200, widget=forms.HiddenInput
        )
        # When the browser showed the form; a fresh stamp goes into every rendering, so that
        # a form shown again after an error may be sent back at once.
        self._shown_at = self.data.get(TIMESTAMP_FIELD) if self.is_bound else None
        fresh_stamp = signing.dumps(time.time(), salt=_TIMESTAMP_SALT)
        self.initial[TIMESTAMP_FIELD] = fresh_stamp
        if self.is_bound:
            self.data = self.data.copy()
            self.data[TIMESTAMP_FIELD] = fresh_stamp
        self.honeypot_triggered = False

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    @property
    def honeypot(self):
        """The bound honeypot field, which templates render hidden from people."""
        return self[HONEYPOT_FIELD]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get(HONEYPOT_FIELD):
            # The view answers as if all went well, so that a bot learns nothing.
            self.honeypot_triggered = True
        elif not self._sent_after_minimum_time():
            raise forms.ValidationError(self.too_fast_message, code="too_fast")
        return cleaned_data

    def _sent_after_minimum_time(self) -> bool:
        minimum = settings.FORM_MIN_FILL_SECONDS
        if minimum <= 0:
            return True
        try:
            shown_at = float(
                signing.loads(self._shown_at or "", salt=_TIMESTAMP_SALT, max_age=24 * 3600)
            )
        except (signing.BadSignature, TypeError, ValueError):
            # Missing, forged or older than a day: the person is asked to send it again.
            return False
        return time.time() - shown_at >= minimum


class SuggestionsInput(forms.TextInput):
    """A text field that offers ``suggestions`` as its user types (an HTML ``<datalist>``): any
    other text may be entered. Works without JavaScript; browsers without datalist show a plain
    text field."""

    def __init__(self, suggestions, attrs=None):
        super().__init__(attrs)
        self.suggestions = tuple(suggestions)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = self._list_id(context["widget"]["attrs"], name)
        return context

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        list_id = self._list_id(self.build_attrs(self.attrs, attrs), name)
        options = format_html_join(
            "", '<option value="{}"></option>', ((text,) for text in self.suggestions)
        )
        return field + format_html('<datalist id="{}">{}</datalist>', list_id, options)

    @staticmethod
    def _list_id(attrs, name) -> str:
        return f"{attrs.get('id') or f'id_{name}'}_suggestions"
