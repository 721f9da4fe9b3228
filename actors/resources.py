"""Actors from and to spreadsheets (django-import-export), for staff in the admin.

The columns carry the German labels of the actor form, so that a file exported from the admin
can be edited and imported again. An actor is identified by its short name in the address
(slug); a row without one is matched by name, else gets a slug made from the name the German
way. Unchanged rows are reported and left alone, so importing the same file twice changes
nothing. Imported actors are drafts unless the column "Veröffentlicht" says "ja".
"""

import ftfy
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from quartier.slugs import german_slugify
from quartier.spreadsheets import deneutralise

from .models import Actor, Sector

# The column headers are a file format, the same in every language of the interface.
NAME = "Name"
SHORT_NAME = "Kurzname oder Abkürzung"
SLUG = "Kurzname in der Adresse"
SECTOR = "Bereich"
GROUP = "Gruppe oder Netzwerk"
TOPICS = "Themen"
CITY = "Ort"
WEBSITE = "Website"
DESCRIPTION = "Beschreibung"
MISSION = "Mission"
PUBLISHED = "Veröffentlicht"


def repaired(value):
    """A cell's text with mojibake repaired ("FÃœR" -> "FÜR") and outer spaces removed.

    ftfy undoes the classic mix-ups of UTF-8 and Windows-1252; German quotation marks („…“) are
    kept as they are. The apostrophe an export puts before a formula-like text is taken off.
    """
    if isinstance(value, str):
        return deneutralise(ftfy.fix_text(value, uncurl_quotes=False).strip())
    return value


class SectorWidget(widgets.ForeignKeyWidget):
    """A sector by its name or its short name in the address; an unknown one rejects the row."""

    def __init__(self):
        super().__init__(Sector, field="name")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        value = str(value)
        sector = Sector.objects.filter(Q(slug=value) | Q(name__iexact=value)).first()
        if sector is None:
            known = ", ".join(Sector.objects.values_list("name", flat=True))
            raise ValueError(
                _("Unknown sector “%(value)s”. Known sectors: %(known)s.")
                % {"value": value, "known": known or "–"}
            )
        return sector


class GroupWidget(widgets.ForeignKeyWidget):
    """The group or network by its name or short name in the address: in the directory already
    or in an earlier row of the same file."""

    def __init__(self):
        super().__init__(Actor, field="name")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        value = str(value)
        groups = list(Actor.objects.filter(Q(slug=value) | Q(name__iexact=value))[:2])
        if len(groups) == 1:
            return groups[0]
        if groups:
            raise ValueError(
                _(
                    "“%(value)s” names more than one actor; please give its short name in "
                    "the address."
                )
                % {"value": value}
            )
        raise ValueError(
            _(
                "Unknown group or network “%(value)s”: it must be in the directory already or "
                "in an earlier row of the file."
            )
            % {"value": value}
        )


class WebsiteWidget(widgets.CharWidget):
    """``www.example.org`` is read as ``https://www.example.org``, as the actor form does."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs).strip()
        if value and "://" not in value:
            value = f"https://{value}"
        return value


class YesNoWidget(widgets.BooleanWidget):
    """ "ja" or "nein" (also 1/0, true/false); an empty cell leaves the value as it is."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "ja", "Ja", "JA", "x", "X"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "nein", "Nein", "NEIN"]

    def render(self, value, obj=None, **kwargs):
        return "ja" if value else "nein"


class TopicsField(fields.Field):
    """The topics as one cell, separated by commas; compared as a set, saved after the actor."""

    def get_value(self, instance):
        if hasattr(instance, "_imported_topics"):
            return instance._imported_topics
        if instance.pk is None:
            return []
        return sorted(tag.name for tag in instance.topics.all())

    def save(self, instance, row, is_m2m=False, **kwargs):
        cell = row.get(self.column_name) or ""
        instance._imported_topics = sorted(
            {topic.strip() for topic in str(cell).split(",") if topic.strip()}
        )

    def export(self, instance, **kwargs):
        return ", ".join(self.get_value(instance))


class ActorResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name=NAME, widget=widgets.CharWidget())
    short_name = fields.Field(
        attribute="short_name", column_name=SHORT_NAME, widget=widgets.CharWidget()
    )
    slug = fields.Field(attribute="slug", column_name=SLUG, widget=widgets.CharWidget())
    sector = fields.Field(attribute="sector", column_name=SECTOR, widget=SectorWidget())
    parent = fields.Field(attribute="parent", column_name=GROUP, widget=GroupWidget())
    topics = TopicsField(attribute="topics", column_name=TOPICS)
    city = fields.Field(attribute="city", column_name=CITY, widget=widgets.CharWidget())
    website = fields.Field(attribute="website", column_name=WEBSITE, widget=WebsiteWidget())
    description = fields.Field(
        attribute="description", column_name=DESCRIPTION, widget=widgets.CharWidget()
    )
    mission = fields.Field(attribute="mission", column_name=MISSION, widget=widgets.CharWidget())
    is_published = fields.Field(
        attribute="is_published",
        column_name=PUBLISHED,
        widget=YesNoWidget(),
        saves_null_values=False,
    )

    class Meta:
        model = Actor
        fields = [
            "name",
            "short_name",
            "slug",
            "sector",
            "parent",
            "topics",
            "city",
            "website",
            "description",
            "mission",
            "is_published",
        ]
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        # For the preview: what changed in a row, and the cells of a rejected one.
        store_instance = True
        store_row_values = True

    def get_queryset(self):
        return Actor.objects.select_related("sector", "parent").prefetch_related("topics")

    def before_import(self, dataset, **kwargs):
        dataset.headers = [repaired(header) for header in dataset.headers]
        if SLUG not in dataset.headers:
            dataset.append_col([""] * len(dataset), header=SLUG)

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = repaired(value)
        if not row.get(SLUG) and row.get(NAME):
            # An actor of that name keeps its address; a new one gets one from the name.
            row[SLUG] = Actor.objects.filter(name__iexact=row[NAME]).values_list(
                "slug", flat=True
            ).first() or german_slugify(row[NAME])

    def after_save_instance(self, instance, row, **kwargs):
        if hasattr(instance, "_imported_topics") and instance.pk:
            instance.topics.set(instance._imported_topics)
