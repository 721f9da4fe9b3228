"""The public registration form of an event."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.forms import ProtectedForm

from .models import Event, Registration


def _max_length(field_name: str) -> int:
    return Registration._meta.get_field(field_name).max_length


class RegistrationForm(ProtectedForm):
    """Name, address and, when the event asks, accessibility needs and dietary requirements.

    Consent to the privacy notice is required; the service records its time and version.
    """

    name = forms.CharField(
        label=_("Name"),
        max_length=_max_length("name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=_max_length("email"),
        help_text=_("We send you a link to confirm your registration."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=_max_length("organisation"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        help_text=_(
            "For example step-free access, sign language interpreting or a hearing loop. "
            "At most 1,000 characters."
        ),
        max_length=_max_length("accessibility_needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dietary_notes = forms.CharField(
        label=_("Dietary requirements"),
        help_text=_("For example vegetarian, vegan or allergies. At most 1,000 characters."),
        max_length=_max_length("dietary_notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree to the privacy notice"),
        help_text=_("My details are stored and used for this event only."),
        error_messages={"required": _("Please agree to the privacy notice to register.")},
    )

    def __init__(self, data=None, *args, event: Event, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.event = event
        if not event.asks_accessibility_needs:
            del self.fields["accessibility_needs"]
        if not event.asks_dietary_notes:
            del self.fields["dietary_notes"]
        # The honeypot and the time stamp (added by ProtectedForm) go last.
        self.order_fields(
            [
                "name",
                "email",
                "organisation",
                "accessibility_needs",
                "dietary_notes",
                "privacy_consent",
            ]
        )
