"""The form with which a contact proposes changes to their organisation's profile."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quartier.models import ImageLicence
from quartier.uploads import ImageUploadFormField

from .forms import website_field
from .models import OFFER_TEXT_MAX_LENGTH, OFFER_TITLE_MAX_LENGTH, Actor, OfferOrNeed
from .services import TOPIC_MAX_LENGTH, TOPICS_MAX, split_topics

# The database holds any length of these texts; a profile is read on one page.
DESCRIPTION_MAX_LENGTH = 10000
MISSION_MAX_LENGTH = 3000
TOPICS_FIELD_MAX_LENGTH = 1000


def _max_length(name: str) -> int:
    return Actor._meta.get_field(name).max_length


class ProfileProposalForm(forms.Form):
    """The profile's fields with the actor's limits, and a new logo with what must go with it.

    Topics are typed separated by commas, as on the application form.
    """

    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=_max_length("name"),
        help_text=_("The organisation's full name, as it writes it."),
    )
    short_name = forms.CharField(
        label=_("Short name or acronym"),
        max_length=_max_length("short_name"),
        required=False,
        help_text=_("For example “DV”."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "What the organisation does, in a few paragraphs. Markdown: **bold**, *italic*, "
            "[link](https://…); an empty line starts a new paragraph."
        ),
    )
    mission = forms.CharField(
        label=_("Mission statement"),
        max_length=MISSION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In the organisation’s own words: what drives it to take part, what it adds."),
    )
    website = website_field(max_length=_max_length("website"))
    city = forms.CharField(
        label=_("City"),
        max_length=_max_length("city"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=TOPICS_FIELD_MAX_LENGTH,
        required=False,
        help_text=_("Separated by commas, for example: housing, culture, neighbourhood."),
    )
    logo = ImageUploadFormField(
        label=_("New logo"),
        required=False,
        widget=forms.FileInput,
        help_text=_("Only if the logo should change: an image file (PNG, JPEG, WebP or GIF)."),
    )
    logo_alt_text = forms.CharField(
        label=_("Logo: alternative text"),
        max_length=_max_length("logo_alt_text"),
        required=False,
        help_text=_("What the logo shows, for people who cannot see it. Required with a logo."),
    )
    logo_credit = forms.CharField(
        label=_("Logo: credit"),
        max_length=_max_length("logo_credit"),
        required=False,
        help_text=_("For example “© DV”."),
    )
    logo_licence = forms.ChoiceField(
        label=_("Logo: licence"),
        choices=[("", _("Please choose")), *ImageLicence.choices],
        required=False,
    )
    logo_permission = forms.BooleanField(
        label=_(
            "I confirm that the organisation holds the rights to this logo and that the "
            "portal may publish it."
        ),
        required=False,
    )

    # When the profile the form was filled from was last changed: a proposal made from an
    # older form is marked as made against an older version (actors/proposals.py).
    based_on = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def clean_topics(self) -> list[str]:
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
        return topics

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("logo"):
            required = {
                "logo_alt_text": _("Please describe the logo for people who cannot see it."),
                "logo_licence": _("Please choose under which licence the logo may be shown."),
                "logo_permission": _("Please confirm that the portal may publish the logo."),
            }
            for name, message in required.items():
                if not cleaned_data.get(name):
                    self.add_error(name, message)
        return cleaned_data

    def profile_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in (
                "name",
                "short_name",
                "description",
                "mission",
                "website",
                "city",
                "topics",
            )
        }

    @staticmethod
    def initial_from(values: dict, *, based_on) -> dict:
        return {
            **values,
            "topics": ", ".join(values.get("topics", [])),
            "based_on": based_on.isoformat(),
        }


class OfferOrNeedProposalForm(forms.Form):
    """One of the actor's offers and needs, or a new one; staff publish what they accept."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        label=_("Offer or need"),
        choices=[("", _("Please choose")), *OfferOrNeed.Direction.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("offer or need", "Kind"),
        choices=OfferOrNeed.Kind.choices,
        required=False,
        initial=OfferOrNeed.Kind.OTHER,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=OFFER_TITLE_MAX_LENGTH,
        required=False,
        help_text=_("A few words, e.g. “Rooms for workshops in Berlin-Mitte”."),
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=OFFER_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few sentences: what exactly, when, for whom. Plain text, no Markdown."),
    )
    remove = forms.BooleanField(label=_("Remove this entry"), required=False)

    def clean(self):
        cleaned_data = super().clean()
        filled = cleaned_data.get("title") or cleaned_data.get("text")
        if not cleaned_data.get("remove") and (filled or cleaned_data.get("id")):
            if not cleaned_data.get("title"):
                self.add_error("title", _("Please give the entry a title."))
            if not cleaned_data.get("direction"):
                self.add_error("direction", _("Please choose whether it is an offer or a need."))
        return cleaned_data

    def entry(self) -> dict | None:
        """The entry as the proposal keeps it; None for an empty new one."""
        data = self.cleaned_data
        if not data.get("id") and not (data.get("title") or data.get("text")):
            return None
        return {
            "id": data.get("id"),
            "direction": data.get("direction") or "",
            "kind": data.get("kind") or OfferOrNeed.Kind.OTHER,
            "title": data.get("title") or "",
            "text": data.get("text") or "",
            "remove": bool(data.get("remove")),
        }


# Entries a profile may list in the form at once; one more, empty, for a new entry.
OfferOrNeedFormSet = forms.formset_factory(
    OfferOrNeedProposalForm, extra=1, max_num=30, validate_max=True, absolute_max=30
)
