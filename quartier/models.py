"""Pieces every app shares: licences for images, bilingual fields, staff-editable pages."""

from datetime import UTC

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ImageLicence(models.TextChoices):
    """Licences under which the portal may show an image; the credit names the rights holder."""

    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved (used with permission)")
    CC_BY_4 = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_SA_4 = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    CC_BY_ND_4 = "cc-by-nd-4.0", _("CC BY-ND 4.0")
    CC0 = "cc0-1.0", _("CC0 1.0 (public domain)")


def in_current_language(obj, field_name: str) -> str:
    """The English variant of a bilingual field on English pages when filled, else German.

    Content is written in German first; an editor may add an English version in the field of the
    same name with the suffix ``_en``.
    """
    if language_shown(obj, field_name) == "en":
        return getattr(obj, f"{field_name}_en")
    return getattr(obj, field_name)


def language_shown(obj, field_name: str) -> str:
    """The language of what ``in_current_language(obj, field_name)`` shows: "en" or "de"."""
    if (get_language() or "de").startswith("en") and getattr(obj, f"{field_name}_en", ""):
        return "en"
    return "de"


class Page(models.Model):
    """A page whose text staff maintain in the admin (contact, legal notice, privacy notice)."""

    class Slug(models.TextChoices):
        CONTACT = "kontakt", _("Contact")
        IMPRINT = "impressum", _("Legal notice")
        PRIVACY = "datenschutz", _("Privacy notice")

    slug = models.SlugField(
        _("page"),
        choices=Slug.choices,
        unique=True,
        help_text=_("Which of the fixed pages this is; its address follows from it."),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The page's heading and the title in the browser.")
    )
    title_en = models.CharField(
        _("title (English)"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the English pages; the German title is shown while this is empty."),
    )
    body = models.TextField(
        _("text"), help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists with -.")
    )
    body_en = models.TextField(
        _("text (English)"),
        blank=True,
        help_text=_("Shown on the English pages; the German text is shown while this is empty."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"pages:{self.slug}")

    @property
    def display_title(self) -> str:
        return in_current_language(self, "title")

    @property
    def display_body(self) -> str:
        return in_current_language(self, "body")


class PortalSettings(models.Model):
    """Settings staff may change in the admin. There is one row; ``current()`` fetches it."""

    max_document_size_mb = models.PositiveSmallIntegerField(
        _("largest document in MB"),
        default=25,
        help_text=_("Uploads of documents larger than this are refused."),
    )

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "PortalSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings


class ContentVersion(models.Model):
    """The version of what public pages show, while no cache shared by all processes holds it
    (quartier/content_version.py). One row, with a new token after every change."""

    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls) -> str:
        """The current token; empty before the first change."""
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""

    @classmethod
    def store(cls, token: str) -> None:
        # An UPDATE of the one row; the row is made on the first change (or after a flush).
        if not cls.objects.filter(pk=1).update(token=token):
            cls.objects.update_or_create(pk=1, defaults={"token": token})


# --- Places on the map: actors and projects may have coordinates --------------------------


def latitude_field():
    return models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("For the map, e.g. 52.51234. Leave empty if the place should not be shown."),
    )


def longitude_field():
    return models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("For the map, e.g. 13.41234."),
    )


def location_complete_constraint(name: str) -> models.CheckConstraint:
    """Both coordinates or neither: a place with one of them cannot be drawn."""
    return models.CheckConstraint(
        condition=models.Q(latitude__isnull=True, longitude__isnull=True)
        | models.Q(latitude__isnull=False, longitude__isnull=False),
        name=name,
    )


def location_errors(obj) -> dict:
    """The form errors of an object whose coordinates are half given."""
    if (obj.latitude is None) != (obj.longitude is None):
        return {"longitude": _("Please give both latitude and longitude, or neither.")}
    return {}


def privacy_notice_version() -> str:
    """The version of the privacy notice a person agrees to: the time of its last change.

    Stored with every consent, so that staff can tell which text someone agreed to.
    """
    changed = (
        Page.objects.filter(slug=Page.Slug.PRIVACY).values_list("updated_at", flat=True).first()
    )
    return changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if changed else "unknown"


class ConsentRecordQuerySet(models.QuerySet):
    """Verbs of applications and registrations alike: what belongs to a person."""

    def of_user(self, user):
        return self.filter(user=user)

    def sent_by(self, user, *, emails=()):
        """What the person sent: with the account, and without one from one of ``emails`` (the
        account's verified addresses), e.g. before the account existed."""
        condition = models.Q(user=user)
        if emails:
            from_address = models.Q()
            for email in emails:
                from_address |= models.Q(email__iexact=email)
            condition |= models.Q(user__isnull=True) & from_address
        return self.filter(condition)


class ConsentRecord(models.Model):
    """What a form of the public keeps about the person who sent it (an application to join,
    a registration for an event): the address to write to and the language to write in, the
    consent to the privacy notice (when, and to which version of it), and when the address was
    confirmed through the signed link (double opt-in).

    Staff can so tell which text someone agreed to and that the address is theirs; the
    retention rules delete what was never confirmed.
    """

    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, default="de", editable=False)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted on"))
    privacy_notice_version = models.CharField(_("version of the privacy notice"), max_length=40)
    confirmed_at = models.DateTimeField(_("e-mail confirmed on"), null=True, blank=True)

    class Meta:
        abstract = True

    def record_consent(self, at=None) -> None:
        """The person agreed to the privacy notice as it reads now (callers ask for it first)."""
        self.privacy_consent_at = at or timezone.now()
        self.privacy_notice_version = privacy_notice_version()


class SearchEntry(models.Model):
    """What the site search looks through for one searchable row of an app (an actor, an event
    with its programme, a document …), kept current by ``quartier/search_index.py``.

    On PostgreSQL ``vector`` holds the row's weighted words in the German configuration, under
    a GIN index (made by the migration, as SQLite has no GIN). On SQLite the words live in an
    FTS5 table whose rows share the entry's id, and ``vector`` stays empty.
    Whether the public may see the row is asked of the app at query time, not stored here.
    """

    kind = models.CharField(_("kind of content"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object ID"))
    vector = SearchVectorField(_("search vector"), null=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_one_per_row")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
