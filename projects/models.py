"""Experimental neighbourhood projects, the partners who run them and what they learned."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import GenericTaggedItemBase, TagBase

from actors.models import Actor
from events.models import Event
from quartier.media import CreditedPhoto, CreditedPhotoQuerySet, PublicDocument
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
        ]
        indexes = [
            # The project list's order: a page is read from the index, not sorted out of every
            # published project joined with its lead.
            models.Index("title", "id", name="project_list_order", condition=Q(is_published=True)),
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
        errors.update(location_errors(self))
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address belongs to the list of places; please choose another.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_results(self) -> bool:
        return bool(self.lessons_learned or self.transferability)


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


class ProjectDocumentQuerySet(models.QuerySet):
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


class PublicationQuerySet(PublishableQuerySet):
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
