"""Experimental neighbourhood projects, the partners who run them and what they learned."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import GenericTaggedItemBase, TagBase

from actors.models import Actor
from events.models import Event
from quartier.media import (
    CreditedPhoto,
    CreditedPhotoQuerySet,
    PublicDocument,
    PublicDocumentQuerySet,
)
from quartier.models import (
    latitude_field,
    location_complete_constraint,
    location_errors,
    longitude_field,
)
from quartier.publishing import Publishable, PublishableQuerySet
from quartier.slugs import german_slugify

# Addresses in the app's URLs that are pages of their own, not an object's (urls.py).
RESERVED_SLUGS = {"orte"}

# The years a project may start in, as the database holds them; a planned project names a
# start in the next few years at most (Project.clean()).
FIRST_START_YEAR = 1950
LAST_START_YEAR = 2100
START_YEARS_AHEAD = 10

# Funding programmes editors are offered as they type (free text: any other may be named).
FUNDING_PROGRAMME_SUGGESTIONS = (
    "Sozialer Zusammenhalt",
    "Lebendige Zentren",
    "Wachstum und nachhaltige Erneuerung",
    "Zukunftsfähige Innenstädte und Zentren",
    "Nationale Projekte des Städtebaus",
    "Nationale Stadtentwicklungspolitik – Pilotprojekte",
    "Soziale Stadt",
    "Aktive Stadt- und Ortsteilzentren",
    "Städtebaulicher Denkmalschutz",
    "EFRE – Europäischer Fonds für regionale Entwicklung",
    "LEADER",
    "Landesprogramm",
    "Stiftungsmittel",
    "Eigenmittel",
)


class FederalState(models.TextChoices):
    """The sixteen federal states (Länder), by their ISO 3166-2 codes, in German order."""

    BADEN_WUERTTEMBERG = "BW", _("Baden-Württemberg")
    BAVARIA = "BY", _("Bavaria")
    BERLIN = "BE", _("Berlin")
    BRANDENBURG = "BB", _("Brandenburg")
    BREMEN = "HB", _("Bremen")
    HAMBURG = "HH", _("Hamburg")
    HESSE = "HE", _("Hesse")
    MECKLENBURG_VORPOMMERN = "MV", _("Mecklenburg-Western Pomerania")
    LOWER_SAXONY = "NI", _("Lower Saxony")
    NORTH_RHINE_WESTPHALIA = "NW", _("North Rhine-Westphalia")
    RHINELAND_PALATINATE = "RP", _("Rhineland-Palatinate")
    SAARLAND = "SL", _("Saarland")
    SAXONY = "SN", _("Saxony")
    SAXONY_ANHALT = "ST", _("Saxony-Anhalt")
    SCHLESWIG_HOLSTEIN = "SH", _("Schleswig-Holstein")
    THURINGIA = "TH", _("Thuringia")


class PlaceSize(models.TextChoices):
    """The BBSR's types of towns and municipalities (Stadt- und Gemeindetypen)."""

    LARGE_CITY = "large_city", _("Large city")
    MEDIUM_TOWN = "medium_town", _("Medium-sized town")
    SMALL_TOWN = "small_town", _("Small town")
    RURAL = "rural", _("Rural municipality")


class BudgetRange(models.TextChoices):
    UNDER_50K = "under_50k", _("under €50,000")
    FROM_50K = "50k_250k", _("€50,000–250,000")
    FROM_250K = "250k_1m", _("€250,000–1 million")
    OVER_1M = "over_1m", _("over €1 million")


class Approach(TagBase):
    """How a project works (e.g. "Zwischennutzung", "Beteiligung"), kept apart from topics."""

    class Meta:
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")


class TaggedApproach(GenericTaggedItemBase):
    tag = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("approach of a project")
        verbose_name_plural = _("approaches of projects")


class ProjectQuerySet(PublishableQuerySet):
    def searchable(self):
        """What the site search looks through (projects/search.py)."""
        return self.published()

    def for_actor(self, actor):
        """Projects the actor leads or works in as a partner.

        The partnerships through a subquery read by its index on the actor: a join with OR
        (and DISTINCT) would read every project's partners.
        """
        return self.filter(
            Q(lead_actor=actor)
            | Q(pk__in=ProjectPartner.objects.filter(actor=actor).values("project"))
        )

    def for_event(self, event):
        return self.filter(related_events=event)

    def for_list(self):
        return (
            self.published()
            .select_related("lead_actor")
            .prefetch_related(
                Prefetch("topics", to_attr="topic_list"),
                Prefetch(
                    "photos", queryset=ProjectPhoto.objects.showable(), to_attr="public_photos"
                ),
            )
        )

    def for_detail(self):
        return self.select_related("lead_actor").prefetch_related(
            "topics",
            "approaches",
            Prefetch(
                "partnerships",
                queryset=ProjectPartner.objects.filter(
                    actor__in=Actor.objects.published()
                ).select_related("actor"),
            ),
            Prefetch("related_events", queryset=Event.objects.shown().order_by("-start")),
            "documents",
            Prefetch("photos", queryset=ProjectPhoto.objects.showable()),
        )

    def with_location(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def for_map(self):
        """Those with a location, with what a place on the map shows of them and nothing else."""
        return (
            self.with_location()
            .select_related(None)
            .prefetch_related(None)
            .only("title", "slug", "city", "latitude", "longitude")
            .order_by()
        )


class Project(Publishable):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(
        _("title"), max_length=200, help_text=_("Short and telling; shown in lists and search.")
    )
    slug = models.SlugField(
        _("short name in the address"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Part of the page address. Left empty, it is made from the title."),
    )
    city = models.CharField(
        _("city"),
        max_length=100,
        db_index=True,
        help_text=_("Where the project takes place; the list can be filtered by it."),
    )
    neighbourhood = models.CharField(
        _("neighbourhood"),
        max_length=150,
        blank=True,
        help_text=_("The district or neighbourhood, e.g. “Gropiusstadt”."),
    )
    latitude = latitude_field()
    longitude = longitude_field()
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PLANNED,
        help_text=_("Where the project stands; visitors can filter by it."),
    )
    start = models.DateField(_("start"), null=True, blank=True, help_text=_("Empty if not known."))
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Empty while the project is open-ended.")
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("One or two sentences for lists and search.")
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    approaches = TaggableManager(
        _("approaches"),
        through=TaggedApproach,
        blank=True,
        related_name="projects_with_approach",
        help_text=_(
            "How the project works, e.g. interim use, participation. Separate with commas."
        ),
    )
    topics = TaggableManager(_("topics"), blank=True, help_text=_("Separate topics with commas."))
    lead_actor = models.ForeignKey(
        Actor,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_projects",
        help_text=_("The actor who runs the project."),
    )
    partners = models.ManyToManyField(
        Actor,
        verbose_name=_("partners"),
        through="ProjectPartner",
        related_name="partner_projects",
        blank=True,
    )
    related_events = models.ManyToManyField(
        Event,
        verbose_name=_("related events"),
        related_name="projects",
        blank=True,
        help_text=_("Events where the project was presented or discussed."),
    )
    lessons_learned = models.TextField(
        _("what we learned"), blank=True, help_text=_("The project's results. Markdown.")
    )
    transferability = models.TextField(
        _("what others can take from it"),
        blank=True,
        help_text=_("What other neighbourhoods can reuse. Markdown."),
    )
    why_transferable = models.TextField(
        _("why it can be transferred"),
        blank=True,
        help_text=_(
            "Why the project is a good example for other places: the conditions it needs "
            "and the ones it does without. Markdown."
        ),
    )
    federal_state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=FederalState.choices,
        blank=True,
        help_text=_("The federal state of the place; visitors can filter by it."),
    )
    place_size = models.CharField(
        _("size of the place"),
        max_length=20,
        choices=PlaceSize.choices,
        blank=True,
        help_text=_(
            "The BBSR's type of town or municipality, by population: large city from 100,000 "
            "inhabitants, medium-sized town 20,000 to under 100,000, small town 5,000 to under "
            "20,000 (or a smaller place with at least a basic central function), rural "
            "municipality below that."
        ),
    )
    start_year = models.PositiveSmallIntegerField(
        _("year of start"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_START_YEAR), MaxValueValidator(LAST_START_YEAR)],
        help_text=_(
            "The year the project started or will start, e.g. 2021. Left empty, it is taken "
            "from the start date."
        ),
    )
    budget_range = models.CharField(
        _("budget"),
        max_length=20,
        choices=BudgetRange.choices,
        blank=True,
        help_text=_("The project's whole budget, all funding and own means together."),
    )
    funding_programme = models.CharField(
        _("funding programme"),
        max_length=200,
        blank=True,
        help_text=_(
            "The programme that funds the project, e.g. “Sozialer Zusammenhalt”; choose a "
            "suggestion or type another. Empty if it has none."
        ),
    )
    website = models.URLField(
        _("website"), blank=True, help_text=_("The full address, e.g. https://www.example.org/.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="project_ends_after_start",
            ),
            location_complete_constraint("project_location_complete"),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(start_year__gte=FIRST_START_YEAR, start_year__lte=LAST_START_YEAR),
                name="project_start_year_in_range",
            ),
        ]
        indexes = [
            # The project list's order: a page is read from the index, not sorted out of every
            # published project joined with its lead.
            models.Index("title", "id", name="project_list_order", condition=Q(is_published=True)),
            # The list's filters by the project's facts, over the published projects.
            *(
                models.Index(field, name=f"project_{field}", condition=Q(is_published=True))
                for field in ("federal_state", "place_size", "start_year", "budget_range")
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if not self.slug and self.title:
            self.slug = german_slugify(self.title)
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The project cannot end before it starts.")
        if self.start and self.start_year is None:
            self.start_year = self.start.year
        elif self.start and self.start_year != self.start.year:
            errors["start_year"] = _("The year of start must be the year of the start date.")
        if self.start_year and self.start_year > timezone.localdate().year + START_YEARS_AHEAD:
            errors["start_year"] = _(
                "A project more than %(years)d years ahead cannot be planned yet."
            ) % {"years": START_YEARS_AHEAD}
        errors.update(location_errors(self))
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address belongs to the list of places; please choose another.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_results(self) -> bool:
        return bool(self.lessons_learned or self.transferability or self.why_transferable)


class ProjectPartner(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="partnerships"
    )
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("actor"),
        on_delete=models.CASCADE,
        related_name="partnerships",
        help_text=_("The partner from the directory."),
    )
    role = models.CharField(
        _("role in the project"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “owner of the site”."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Partners are listed by this number.")
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "actor"], name="project_partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} – {self.project}"


class ProjectDocumentQuerySet(PublicDocumentQuerySet):
    def public(self):
        """Documents of published projects."""
        return self.filter(project__in=Project.objects.published())

    def searchable(self):
        """What the site search looks through, with the project a hit links to."""
        return self.public().select_related("project")


class ProjectDocument(PublicDocument):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="documents"
    )

    objects = ProjectDocumentQuerySet.as_manager()

    class Meta(PublicDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def get_download_url(self) -> str:
        """Where the file is fetched; the name at the end is checked against the file's own."""
        return reverse(
            "projects:document",
            kwargs={"slug": self.project.slug, "pk": self.pk, "filename": self.download_name},
        )


class ProjectPhotoQuerySet(CreditedPhotoQuerySet):
    def public(self):
        """Photos of published projects that may be shown."""
        return self.showable().filter(project__in=Project.objects.published())


class ProjectPhoto(CreditedPhoto):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="photos"
    )

    objects = ProjectPhotoQuerySet.as_manager()

    class Meta(CreditedPhoto.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class PublicationQuerySet(PublishableQuerySet, PublicDocumentQuerySet):
    def searchable(self):
        """What the site search looks through (projects/search.py)."""
        return self.published()


class Publication(Publishable, PublicDocument):
    """A document of the initiative that belongs to no single event or project, with its own page
    (e.g. a final report). Listed on the results overview."""

    slug = models.SlugField(
        _("short name in the address"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Part of the page address. Left empty, it is made from the title."),
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("One or two sentences for lists and search.")
    )
    published_on = models.DateField(
        _("published on"), help_text=_("The date the publication appeared; lists sort by it.")
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("results:publication", kwargs={"slug": self.slug})

    def get_download_url(self) -> str:
        """Where the file is fetched; the name at the end is checked against the file's own."""
        return reverse(
            "results:publication_file", kwargs={"slug": self.slug, "filename": self.download_name}
        )

    def clean(self) -> None:
        if not self.slug and self.title:
            self.slug = german_slugify(self.title)
        super().clean()
