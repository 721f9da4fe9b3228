"""The public form to apply to join the initiative (/mitmachen/)."""

from operator import attrgetter

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quartier.forms import ProtectedForm

from .models import Application, Sector
from .services import TOPIC_MAX_LENGTH, TOPICS_MAX, split_topics


def _max_length(name: str) -> int:
    return Application._meta.get_field(name).max_length


def website_field(*, max_length: int) -> forms.URLField:
    """An organisation's optional website, as the application and the contacts' form ask it:
    "www.example.org" is enough (https is assumed), with a German message for anything else."""
    return forms.URLField(
        label=_("Website"),
        max_length=max_length,
        required=False,
        assume_scheme="https",
        help_text=_("For example www.example.org"),
        widget=forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url"}),
        error_messages={"invalid": _("Please enter a web address such as www.example.org.")},
    )


class ApplicationForm(ProtectedForm):
    """What an organisation tells about itself; the lengths are those the database holds."""

    organisation_name = forms.CharField(
        label=_("Name of the organisation"), max_length=_max_length("organisation_name")
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        empty_label=_("Please choose"),
        error_messages={"invalid_choice": _("Please choose a sector from the list.")},
    )
    city = forms.CharField(
        label=_("City"),
        max_length=_max_length("city"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    website = website_field(max_length=_max_length("website"))
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=_max_length("contact_name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=_max_length("email"),
        help_text=_("We send a link to this address to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=_max_length("phone"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    offers = forms.CharField(
        label=_("What does your organisation bring to the network?"),
        max_length=_max_length("offers"),
        help_text=_("For example experience, places, contacts or projects."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    seeks = forms.CharField(
        label=_("What is your organisation looking for?"),
        max_length=_max_length("seeks"),
        help_text=_("For example partners, exchange or support."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=_max_length("topics"),
        required=False,
        help_text=_("Separated by commas, for example: housing, culture, neighbourhood."),
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree that my details are stored and used to process this application."),
        error_messages={
            "required": _("Please agree to the privacy notice, otherwise we cannot process it.")
        },
    )

    def __init__(self, data=None, *args, user=None, **kwargs):
        if data is None and user is not None and user.is_authenticated:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("contact_name", user.get_full_name())
            initial.setdefault("email", user.email)
        super().__init__(data, *args, **kwargs)
        # Labelled when the choices are rendered, so in the language of the page.
        self.fields["sector"].label_from_instance = attrgetter("display_name")
        # A link in the help text (not in the label, which the error summary puts in a link).
        self.fields["privacy_consent"].help_text = format_html(
            gettext("How we handle your data is explained in the {link}."),
            link=format_html(
                '<a class="kern-link" href="{}">{}</a>',
                reverse("pages:datenschutz"),
                gettext("privacy notice"),
            ),
        )

    def clean_topics(self) -> str:
        topics = split_topics(self.cleaned_data["topics"])
        if len(topics) > TOPICS_MAX:
            raise forms.ValidationError(
                _("Please name at most %(count)d topics."), params={"count": TOPICS_MAX}
            )
        if any(len(topic) > TOPIC_MAX_LENGTH for topic in topics):
            raise forms.ValidationError(
                _("Each topic may be at most %(count)d characters long."),
                params={"count": TOPIC_MAX_LENGTH},
            )
        return ", ".join(topics)
