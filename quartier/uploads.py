"""What every uploaded file must pass before anything of it is stored.

Uploads come from staff (logos, photos, documents, spreadsheets to import), but an account can
be taken over and a file can come from anywhere, so each is checked by its content, never by
its name or by the type the browser claims:

- **Images** are opened by Pillow with an allow-list of formats (``IMAGE_FORMATS``): no
  format whose plugin calls an external program (EPS and PostScript run Ghostscript) and
  none that the portal does not need. The number of pixels is capped well below Pillow's own
  limit (``settings.UPLOAD_IMAGE_MAX_PIXELS``): a small file can declare a picture that
  takes gigabytes to decode, and Pillow only warns between its limit and twice that; here a
  ``DecompressionBombWarning`` is an error.
- **Zip archives** (DOCX, PPTX, XLSX, ODT, ODP and spreadsheets to import) are looked at
  through their table of contents before any member is read: too many members, too many
  bytes once unpacked, or a ratio no real document reaches, and the file is refused
  (``settings.UPLOAD_ZIP_MAX_*``). Python's zipfile never unpacks more than a member's
  declared size, so the declared sizes are the ones that count.
- **Polyglots**, files that are valid as two types, are refused where the second type could
  do harm: an image that also holds markup or script, a zip archive or a PDF (logos are
  served as uploaded, under MEDIA_URL); a PDF that is also a zip archive. A PDF that quotes
  markup is a normal PDF and is kept; it is served as ``application/pdf`` with ``nosniff``
  and a sandboxing CSP (``quartier.downloads``), so no browser runs it.

Every refusal is a ``ValidationError`` with a German message at the field, so the form shows
it and keeps what else was typed; nothing reaches a storage before the form is valid.
File names are reduced to safe slugs by ``quartier.media.upload_to``; Django's upload
handler has already dropped any folder part, control and bidirectional characters.
"""

import io
import os
import re
import warnings
import zipfile
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# The formats Pillow may open for the portal, with the extensions each may be named with.
IMAGE_FORMATS = {
    "JPEG": (".jpg", ".jpeg"),
    "PNG": (".png",),
    "WEBP": (".webp",),
    "GIF": (".gif",),
}
IMAGE_FORMAT_LABELS = "JPEG, PNG, WebP, GIF"

# Markup that a browser or a sniffing program would run or render; no real image contains it.
_MARKUP = re.compile(
    rb"<\s*(?:script|html|svg|body|iframe|object|embed|!doctype|\?xml-stylesheet)\b"
    rb"|javascript:",
    re.IGNORECASE,
)
_ZIP_LOCAL_HEADER = b"PK\x03\x04"


def too_large(file, *, limit_mb: int, code: str = "file_too_large") -> ValidationError | None:
    """The error for a file larger than ``limit_mb`` megabytes, or None."""
    if file.size <= limit_mb * 1024 * 1024:
        return None
    return ValidationError(
        _("The file is %(size)s; at most %(limit)s MB are allowed."),
        code=code,
        params={"size": filesizeformat(file.size), "limit": limit_mb},
    )


def _read_all(file) -> bytes:
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def is_zip_archive(file) -> bool:
    """Whether the file is (also) a zip archive: one with a table of contents at its end."""
    file.seek(0)
    try:
        return zipfile.is_zipfile(file)
    finally:
        file.seek(0)


def validate_zip_archive(file) -> None:
    """Refuse a zip archive that would unpack to too much, before a member is read."""
    max_members = settings.UPLOAD_ZIP_MAX_MEMBERS
    max_bytes = settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_MB * 1024 * 1024
    max_ratio = settings.UPLOAD_ZIP_MAX_RATIO
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(
            _("The file is damaged: its contents cannot be read."), code="zip_damaged"
        ) from error
    finally:
        file.seek(0)
    unpacked = sum(member.file_size for member in members)
    if (
        len(members) > max_members
        or unpacked > max_bytes
        or unpacked > max_ratio * max(file.size, 1)
    ):
        raise ValidationError(
            _(
                "The file would unpack to %(unpacked)s in %(count)s parts; at most %(limit)s "
                "and %(members)s parts are accepted. Please save it again or split it."
            ),
            code="zip_bomb",
            params={
                "unpacked": filesizeformat(unpacked),
                "count": len(members),
                "limit": filesizeformat(min(max_bytes, max_ratio * max(file.size, 1))),
                "members": max_members,
            },
        )


def refuse_zip_polyglot(file, *, label: str) -> None:
    """Refuse a file that is also a zip archive (a zip appended to a PDF or an image)."""
    if is_zip_archive(file):
        raise ValidationError(
            _(
                "This %(type)s file also contains a zip archive. Please save it again from the "
                "program that made it."
            ),
            code="polyglot",
            params={"type": label},
        )


@contextmanager
def bomb_safe():
    """Within: a DecompressionBombWarning is raised as an error, not only logged."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def open_image(file) -> Image.Image:
    """The image in ``file``, opened with the allowed formats only and its size checked.

    Raises ValidationError for anything else. Only the header is read; the caller loads it.
    """
    limit = settings.UPLOAD_IMAGE_MAX_PIXELS
    file.seek(0)
    try:
        with bomb_safe():
            image = Image.open(file, formats=list(IMAGE_FORMATS))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise _too_many_pixels(limit) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            _("This file is not an image we can show. Allowed are %(types)s."),
            code="image_type",
            params={"types": IMAGE_FORMAT_LABELS},
        ) from error
    if image.width * image.height > limit:
        image.close()
        raise _too_many_pixels(limit)
    return image


def _too_many_pixels(limit: int) -> ValidationError:
    return ValidationError(
        _("The image has too many pixels; at most %(megapixels)s megapixels are allowed."),
        code="image_too_many_pixels",
        params={"megapixels": limit // 1_000_000},
    )


def validate_image_upload(file) -> str:
    """Check an uploaded image; return its Pillow format or raise a German ValidationError."""
    error = too_large(file, limit_mb=settings.UPLOAD_IMAGE_MAX_SIZE_MB)
    if error:
        raise error
    data = _read_all(file)
    if _MARKUP.search(data) or b"%PDF-" in data[:1024] or is_zip_archive(file):
        raise ValidationError(
            _(
                "This image also contains markup, a script, a PDF or a zip archive. Please "
                "save it again from an image program."
            ),
            code="polyglot",
        )
    # Pillow closes what it was handed; the upload itself stays open for the storage.
    image = open_image(io.BytesIO(data))
    try:
        with bomb_safe():
            image.verify()
    except Exception as error:  # Pillow raises whatever its parser met
        raise ValidationError(
            _("The image is damaged and cannot be read."), code="image_damaged"
        ) from error
    finally:
        image.close()
        file.seek(0)
    extension = os.path.splitext(file.name or "")[1].lower()
    if extension not in IMAGE_FORMATS[image.format]:
        raise ValidationError(
            _("The file is a %(actual)s image but is named “%(name)s”. Please rename it."),
            code="file_extension",
            params={"actual": image.format, "name": os.path.basename(file.name or "")},
        )
    return image.format


class ImageUploadFormField(forms.ImageField):
    """Django's image field with the portal's checks instead of "whatever Pillow opens"."""

    default_validators = []  # the extension is checked against the content below

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        image_format = validate_image_upload(file)
        file.content_type = Image.MIME.get(image_format)
        return file

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = ",".join(ext for exts in IMAGE_FORMATS.values() for ext in exts)
        return attrs


class ImageUploadField(models.ImageField):
    """An image field whose forms check uploads with ``validate_image_upload``."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadFormField, **kwargs})
