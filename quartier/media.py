"""Documents and photos with credits: the pieces events and projects share.

An app defines its own concrete models on top of ``PublicDocument`` and ``CreditedPhoto``
(adding the foreign key to what they belong to); validation of uploads, file names and image
variants live here once.

Where the files are kept:

- documents in ``STORAGES["documents"]``, outside MEDIA_ROOT: visitors fetch them through a
  view that checks that what they belong to is published;
- photo originals in ``STORAGES["photo_originals"]``, outside MEDIA_ROOT and reached by no
  address at all; visitors get the web variants under MEDIA_URL, which are drawn anew from
  the pixels and carry no metadata.

Originals are kept out of reach rather than cleaned of their metadata on upload: a camera's
file holds GPS positions, serial numbers and names in EXIF, XMP, IPTC, maker notes and
embedded preview images, and a stripping step that misses one of them (or a format added
later) would publish it. Nobody outside needs the original, and keeping it untouched lets
the variants be drawn again at other sizes. Originals uploaded before, when they were kept
under MEDIA_ROOT, are moved by the data migrations of the apps that have photos
(``photo_originals_move``).
"""

import io
import os
import uuid
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import document_inspection
from .content_version import changed_in_bulk
from .models import ImageLicence, PortalSettings
from .slugs import german_slugify
from .uploads import (
    ImageUploadField,
    bomb_safe,
    is_zip_archive,
    open_image,
    refuse_zip_polyglot,
    too_large,
    validate_zip_archive,
)


@dataclass(frozen=True)
class DocumentType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


# The formats staff may publish, keyed by what the file's content says it is.
DOCUMENT_TYPES = {
    "pdf": DocumentType("PDF", "application/pdf", (".pdf",)),
    "docx": DocumentType(
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "pptx": DocumentType(
        "PPTX",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
    ),
    "xlsx": DocumentType(
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
    ),
    "odt": DocumentType("ODT", "application/vnd.oasis.opendocument.text", (".odt",)),
    "odp": DocumentType("ODP", "application/vnd.oasis.opendocument.presentation", (".odp",)),
}
ALLOWED_DOCUMENT_LABELS = ", ".join(kind.label for kind in DOCUMENT_TYPES.values())

# Office Open XML files are zip archives whose main part sits in one of these folders.
_OOXML_FOLDERS = {"word/": "docx", "ppt/": "pptx", "xl/": "xlsx"}
# OpenDocument files are zip archives that start with a "mimetype" entry.
_ODF_MIMETYPES = {
    DOCUMENT_TYPES["odt"].content_type: "odt",
    DOCUMENT_TYPES["odp"].content_type: "odp",
}


def detect_document_type(file) -> str | None:
    """The key of DOCUMENT_TYPES that the file's content matches, or None.

    Only the content counts: an executable renamed to ``.pdf`` is not a PDF.
    """
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                # At most what a mimetype needs, whatever the entry claims to hold.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, UnicodeError):
        return None
    finally:
        file.seek(0)
    return None


def validate_document_file(file) -> str:
    """Check an uploaded document; return its type key or raise a German ValidationError."""
    error = too_large(file, limit_mb=PortalSettings.current().max_document_size_mb)
    if error:
        raise error
    file.seek(0)
    if file.read(4) == b"PK\x03\x04" and is_zip_archive(file):
        # An office document: its table of contents is checked before any part is unpacked.
        # (A damaged one is not a document, which the check of the type says below.)
        validate_zip_archive(file)
    file.seek(0)
    kind = detect_document_type(file)
    if kind is None:
        raise ValidationError(
            _("This file is not a document we can publish. Allowed are %(types)s."),
            code="file_type",
            params={"types": ALLOWED_DOCUMENT_LABELS},
        )
    if kind == "pdf":
        refuse_zip_polyglot(file, label="PDF")
    extension = os.path.splitext(file.name)[1].lower()
    if extension not in DOCUMENT_TYPES[kind].extensions:
        raise ValidationError(
            _("The file is a %(actual)s file but is named “%(name)s”. Please rename it."),
            code="file_extension",
            params={"actual": DOCUMENT_TYPES[kind].label, "name": os.path.basename(file.name)},
        )
    return kind


def _safe_file_name(filename: str, *, default: str) -> str:
    base, extension = os.path.splitext(os.path.basename(filename))
    extension = "".join(ch for ch in extension.lower() if ch.isalnum() or ch == ".")[:10]
    return f"{german_slugify(base, max_length=60) or default}{extension}"


def upload_to(instance, filename: str) -> str:
    """``<app>/<model>/<random folder>/<readable-name>.<ext>``.

    The random folder keeps addresses unguessable and names unique; the readable name is what a
    visitor's download is called. Nothing of the uploaded name reaches the path unsanitised.
    """
    folder = f"{instance._meta.app_label}/{instance._meta.model_name}"
    return f"{folder}/{uuid.uuid4().hex}/{_safe_file_name(filename, default='datei')}"


def variant_upload_to(instance, filename: str) -> str:
    folder = f"{instance._meta.app_label}/{instance._meta.model_name}/varianten"
    return f"{folder}/{uuid.uuid4().hex}/{_safe_file_name(filename, default='bild')}"


class _ConfiguredStorage(LazyObject):
    """``STORAGES[alias]``, looked up on first use and again whenever STORAGES changes.

    A FileField calls its storage callable once, when models load; the indirection lets tests
    (and override_settings) point documents and originals elsewhere.
    """

    def __init__(self, alias: str):
        self.__dict__["_alias"] = alias
        super().__init__()

    def _setup(self):
        self._wrapped = storages[self._alias]


_document_storage = _ConfiguredStorage("documents")
_photo_original_storage = _ConfiguredStorage("photo_originals")


def document_storage():
    """Where documents are stored: STORAGES["documents"], not served under MEDIA_URL."""
    return _document_storage


def photo_original_storage():
    """Where photos are kept as uploaded: STORAGES["photo_originals"], not served at all."""
    return _photo_original_storage


def _reset_storages(*, setting, **kwargs):
    if setting == "STORAGES":
        _document_storage._wrapped = empty
        _photo_original_storage._wrapped = empty


setting_changed.connect(_reset_storages)


class DocumentLanguage(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other language")


class DocumentInspection(models.TextChoices):
    """Whether what a reader needs to know was read from the file (``document_inspection``)."""

    PENDING = "pending", _("not inspected yet")
    INSPECTED = document_inspection.INSPECTED, _("inspected")
    UNKNOWN = document_inspection.UNKNOWN, _("unknown: the file could not be read")


# Formats that keep their text and structure (headings, lists, reading order) by their nature;
# together with tagged PDFs that have a text layer, they count as accessible documents.
STRUCTURED_TYPES = ("docx", "pptx", "xlsx", "odt", "odp")


class PublicDocumentQuerySet(models.QuerySet):
    def accessible(self):
        """Documents a screen reader can follow: tagged PDFs with a text layer, and office
        formats, which keep their structure. (Whether their images have alternative texts
        cannot be read from the file.)"""
        return self.filter(
            models.Q(file_type="pdf", is_tagged=True, has_text=True)
            | models.Q(file_type__in=STRUCTURED_TYPES),
            inspection=DocumentInspection.INSPECTED,
        )


class PublicDocument(models.Model):
    """A file visitors can download: report, slides, results (PDF and office formats)."""

    title = models.CharField(
        _("title"), max_length=200, help_text=_("What visitors see as the link to the file.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the document contains, in a sentence.")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=DocumentLanguage.choices,
        default="de",
        help_text=_("The language the document is written in."),
    )
    file = models.FileField(
        _("file"),
        upload_to=upload_to,
        storage=document_storage,
        max_length=255,
        help_text=_("PDF, DOCX, PPTX, XLSX, ODT or ODP. The type is checked from the content."),
    )
    # Recorded at upload so that lists can show "PDF, 2,4 MB" without opening every file.
    file_type = models.CharField(
        _("file type"), max_length=10, choices=[(k, t.label) for k, t in DOCUMENT_TYPES.items()],
        editable=False,
    )  # fmt: skip
    file_size = models.PositiveBigIntegerField(_("file size in bytes"), default=0, editable=False)
    # Read from the file at upload (quartier/document_inspection.py), for the lists and the
    # editors' checklist; rows stored before are read by "manage.py inspect_documents".
    inspection = models.CharField(
        _("inspection"),
        max_length=10,
        choices=DocumentInspection.choices,
        default=DocumentInspection.PENDING,
        editable=False,
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, editable=False)
    file_title = models.CharField(
        _("title in the file"),
        max_length=document_inspection.TITLE_MAX_LENGTH,
        blank=True,
        editable=False,
    )
    file_language = models.CharField(
        _("language in the file"),
        max_length=document_inspection.LANGUAGE_MAX_LENGTH,
        blank=True,
        editable=False,
    )
    is_tagged = models.BooleanField(_("tagged PDF"), null=True, editable=False)
    has_text = models.BooleanField(_("has a text layer"), null=True, editable=False)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Documents are listed by this number.")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = PublicDocumentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.file and not getattr(self.file, "_committed", True):
            # A new upload: check it and record what it is.
            try:
                self.file_type = validate_document_file(self.file.file)
            except ValidationError as error:
                raise ValidationError({"file": error}) from error
            self.file_size = self.file.size
            self.inspection_record(
                document_inspection.inspect_document(self.file.file, kind=self.file_type)
            )

    def inspection_record(self, inspection: document_inspection.Inspection) -> None:
        """Keep what was read from the file on the row (not saved here)."""
        for name, value in inspection.as_fields().items():
            setattr(self, name, value)

    @property
    def is_accessible(self) -> bool:
        """The rule of ``PublicDocumentQuerySet.accessible``, for one document."""
        if self.inspection != DocumentInspection.INSPECTED:
            return False
        if self.file_type == "pdf":
            return bool(self.is_tagged and self.has_text)
        return self.file_type in STRUCTURED_TYPES

    @property
    def accessibility_label(self) -> str:
        """What a reader learns of the document's accessibility, in the active language."""
        if self.inspection != DocumentInspection.INSPECTED:
            return gettext("accessibility unknown")
        if self.file_type != "pdf":
            return gettext("accessible: office format") if self.is_accessible else ""
        if self.is_accessible:
            return gettext("accessible: tagged")
        parts = [gettext("tagged") if self.is_tagged else gettext("not tagged")]
        if not self.has_text:
            parts.append(gettext("no text layer"))
        return ", ".join(parts)

    @property
    def pages_label(self) -> str:
        if not self.page_count:
            return ""
        count = number_format(self.page_count, force_grouping=True)
        if self.file_type in ("pptx", "odp"):
            return ngettext("%(count)s slide", "%(count)s slides", self.page_count) % {
                "count": count
            }
        return ngettext("%(count)s page", "%(count)s pages", self.page_count) % {"count": count}

    @property
    def facts(self) -> str:
        """The line under a document's link: „PDF, 12 Seiten, 1,2 MB, Deutsch, barrierearm:
        getaggt“, in the active language and its number format."""
        parts = [
            self.type_label,
            self.pages_label,
            filesizeformat(self.file_size),
            self.get_language_display(),
            self.accessibility_label,
        ]
        return ", ".join(part for part in parts if part)

    @property
    def type_label(self) -> str:
        kind = DOCUMENT_TYPES.get(self.file_type)
        return kind.label if kind else ""

    @property
    def content_type(self) -> str:
        kind = DOCUMENT_TYPES.get(self.file_type)
        return kind.content_type if kind else "application/octet-stream"

    @property
    def download_name(self) -> str:
        return os.path.basename(self.file.name)


def document_models() -> list[type[PublicDocument]]:
    """Every concrete model of documents the apps define (the kernel names none of them)."""
    return [model for model in apps.get_models() if issubclass(model, PublicDocument)]


def stored_document_inspect(document: PublicDocument) -> str:
    """Read a stored document's file again and record what it says; returns the state.

    For documents stored before the portal read files at upload (``manage.py
    inspect_documents``). A missing or unreadable file is recorded as unknown. Updates only the
    inspection's fields: nothing else of the row, and no history entry, changes.
    """
    try:
        with document.file.open("rb") as file:
            kind = document.file_type or detect_document_type(file)
            inspection = (
                document_inspection.inspect_document(file, kind=kind)
                if kind
                else document_inspection.Inspection.unknown()
            )
    except (OSError, ValueError):  # no file at all, or one the storage cannot open
        inspection = document_inspection.Inspection.unknown()
    document.inspection_record(inspection)
    changed_in_bulk(type(document).objects.filter(pk=document.pk).update(**inspection.as_fields()))
    return inspection.state


class CreditedPhotoQuerySet(models.QuerySet):
    def showable(self):
        """Photos that may be shown: with consent where people are shown, and variants made.

        Whether the public sees them also depends on what they belong to: each app's
        ``public()`` adds that.
        """
        return self.filter(models.Q(shows_people=False) | models.Q(people_consented=True)).exclude(
            thumbnail=""
        )


class CreditedPhoto(models.Model):
    """A photo with what the law and good manners ask for: alt text, credit, licence, consent.

    Visitors get the generated variants, never the uploaded original: ``thumbnail`` for
    galleries and lists, ``display`` for the enlarged view. The original stays in a storage
    that no address leads to (``photo_original_storage``), as it was uploaded.
    """

    THUMBNAIL_WIDTH = 480
    DISPLAY_WIDTH = 1280

    image = ImageUploadField(
        _("image"),
        upload_to=upload_to,
        storage=photo_original_storage,
        max_length=255,
        width_field="width",
        height_field="height",
        help_text=_("JPEG or PNG; visitors get a smaller copy without the camera's metadata."),
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    thumbnail = models.ImageField(
        upload_to=variant_upload_to,
        max_length=255,
        editable=False,
        width_field="thumbnail_width",
        height_field="thumbnail_height",
    )
    # The gallery variant's size, for <img width height>: the page does not jump while loading.
    thumbnail_width = models.PositiveIntegerField(editable=False, null=True)
    thumbnail_height = models.PositiveIntegerField(editable=False, null=True)
    display = models.ImageField(upload_to=variant_upload_to, max_length=255, editable=False)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = models.CharField(
        _("caption"), max_length=300, blank=True, help_text=_("Shown below the photo.")
    )
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("For example “© DV, Heike Mages”.")
    )
    licence = models.CharField(
        _("licence"),
        max_length=40,
        choices=ImageLicence.choices,
        default=ImageLicence.ALL_RIGHTS_RESERVED,
        help_text=_("Under which licence the portal may show the photo."),
    )
    shows_people = models.BooleanField(
        _("shows recognisable people"),
        default=False,
        help_text=_("Tick when people in the photo can be recognised."),
    )
    people_consented = models.BooleanField(
        _("the people shown consented to publication"),
        default=False,
        help_text=_("Photos showing people are only published with their consent."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Photos are shown in the order of this number.")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.alt_text

    @property
    def needs_variants(self) -> bool:
        return bool(self.image) and not (self.thumbnail and self.display)


def _variant(source: Image.Image, width: int) -> tuple[ContentFile, tuple[int, int]]:
    """The image at most ``width`` wide, as WebP, and its size."""
    image = source.copy()
    if image.width > width:
        image.thumbnail((width, width * 4))
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=80, method=2)
    return ContentFile(buffer.getvalue()), image.size


def photo_variants_create(*, photo: CreditedPhoto) -> None:
    """Write the gallery and display sizes of a photo and save them on it.

    Called after a photo is saved with a new image (admin, demo data). Orientation from the
    camera is applied; metadata such as GPS positions is not carried over.
    """
    try:
        # The formats and the pixel limit of uploads again: demo data and data migrations
        # come here without a form.
        with photo.image.open("rb") as file, open_image(file) as original, bomb_safe():
            original = ImageOps.exif_transpose(original)
            original.load()
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("The image could not be read.")) from error
    base = os.path.splitext(os.path.basename(photo.image.name))[0]
    for field, width in (("thumbnail", photo.THUMBNAIL_WIDTH), ("display", photo.DISPLAY_WIDTH)):
        old = getattr(photo, field)
        if old:
            old.delete(save=False)
        content, size = _variant(original, width)
        getattr(photo, field).save(f"{base}-{width}.webp", content, save=False)
        if field == "thumbnail":
            # Stored, not left for Django to read from the file whenever a photo is loaded
            # (an image field with empty size fields opens its file on every load).
            photo.thumbnail_width, photo.thumbnail_height = size
    photo.save(update_fields=["thumbnail", "display", "thumbnail_width", "thumbnail_height"])


def stored_file_move(name: str, *, source: str, target: str, new_name: str = "") -> str:
    """Move a stored file to ``STORAGES[target]`` (as ``new_name``, if given); return its name.

    For data migrations that move files uploaded before. A file already moved is not copied
    again, and one that is missing stays as it is, so a second run does no harm.
    """
    source_storage, target_storage = storages[source], storages[target]
    new_name = new_name or name
    if (source, name) == (target, new_name) or not source_storage.exists(name):
        return name
    if not target_storage.exists(new_name):
        with source_storage.open(name, "rb") as file:
            new_name = target_storage.save(new_name, file)
    source_storage.delete(name)
    return new_name


def photo_originals_move(photo_model, *, source: str, target: str) -> None:
    """Move the originals of ``photo_model`` from ``STORAGES[source]`` to ``STORAGES[target]``.

    For the data migrations that took the originals out of MEDIA_ROOT (and back, in reverse).
    """
    # Names only: a model instance would read its image's size from the storage it expects.
    rows = photo_model.objects.exclude(image="").values_list("pk", "image")
    for pk, name in list(rows):
        moved = stored_file_move(name, source=source, target=target)
        if moved != name:
            photo_model.objects.filter(pk=pk).update(image=moved)


def photo_thumbnail_sizes_fill(photo_model) -> None:
    """Store the gallery variant's size where it is missing.

    For the data migrations after photos were made without it: an image field with empty size
    fields opens its file each time a row is loaded, on every page that shows the photo.
    """
    missing = photo_model.objects.filter(thumbnail_width__isnull=True).exclude(thumbnail="")
    for pk, name in list(missing.values_list("pk", "thumbnail")):
        storage = photo_model._meta.get_field("thumbnail").storage
        try:
            with storage.open(name, "rb") as file, Image.open(file) as image:
                width, height = image.size
        except (OSError, UnidentifiedImageError):
            continue  # a missing or unreadable file stays as it was
        photo_model.objects.filter(pk=pk).update(thumbnail_width=width, thumbnail_height=height)
