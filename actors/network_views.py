"""/akteure/netzwerk/: who works with whom, as a drawing and as a table (actors/network.py)."""

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from quartier.content_version import cached_for_content

from .models import Sector
from .network import network_graph, network_years


def _sector_choices() -> list[tuple[str, str]]:
    return cached_for_content(
        "network:sectors",
        lambda: [
            (sector.slug, sector.display_name)
            for sector in Sector.objects.order_by("position", "name")
        ],
    )


class NetworkFilterForm(forms.Form):
    """Sector and year, sent with GET; a value that does not exist is ignored with a message."""

    sector = forms.ChoiceField(label=_("Sector"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *_sector_choices()]
        self.fields["year"].choices = [("", _("All years"))] + [
            (str(year), str(year)) for year in network_years()
        ]

    def filters(self) -> dict:
        if not self.is_bound:
            return {"sector": None, "year": None}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"sector": data.get("sector") or None, "year": data.get("year")}


class NetworkView(TemplateView):
    template_name = "actors/actor_network.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = NetworkFilterForm(self.request.GET or None)
        filters = form.filters()
        is_filtered = any(value is not None for value in filters.values())

        def render() -> str:
            return render_to_string(
                "actors/includes/network_body.html",
                {"graph": network_graph(**filters), "is_filtered": is_filtered},
            )

        # Hundreds of links and shapes take a while to render: done once per content version,
        # filter and language (the filters are checked, so the keys are few).
        context.update(
            {
                "form": form,
                "is_filtered": is_filtered,
                "network_html": cached_for_content(
                    f"network:html:{filters['sector']}:{filters['year']}", render
                ),
            }
        )
        return context
