"""Documents and credited photos (quartier/media.py), tested through the events' models."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.models import EventDocument, EventPhoto
from quartier.media import (
    detect_document_type,
    photo_originals_move,
    photo_thumbnail_sizes_fill,
    photo_variants_create,
    upload_to,
    validate_document_file,
)
from quartier.models import PortalSettings
from tests.events.factories import EventFactory, EventPhotoFactory, pdf_bytes

ORIENTATION = 0x0112
GPS_INFO = 0x8825


def zip_bytes(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


OOXML = "[Content_Types].xml"
SAMPLES = {
    "pdf": pdf_bytes(),
    "docx": zip_bytes({OOXML: "<Types/>", "word/document.xml": "<w:document/>"}),
    "pptx": zip_bytes({OOXML: "<Types/>", "ppt/presentation.xml": "<p:presentation/>"}),
    "xlsx": zip_bytes({OOXML: "<Types/>", "xl/workbook.xml": "<workbook/>"}),
    "odt": zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}
    ),
    "odp": zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.presentation", "content.xml": "<x/>"}
    ),
}
NOT_DOCUMENTS = {
    "exe": b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
    "html": b"<html><body>Bericht</body></html>",
    "empty": b"",
    "broken zip": b"PK\x03\x04 this is no archive",
    "plain zip": zip_bytes({"bericht.txt": "Text"}),
    "spreadsheet of another kind": zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}
    ),
    "ooxml without a main part": zip_bytes({OOXML: "<Types/>", "docProps/core.xml": "<x/>"}),
    "pdf in the middle": b"junk" + pdf_bytes(),
}


# --- Recognising documents by their content ---------------------------------------------------


@pytest.mark.parametrize("kind", SAMPLES)
def test_documents_are_recognised_by_content(kind):
    file = io.BytesIO(SAMPLES[kind])
    file.seek(3)
    assert detect_document_type(file) == kind
    assert file.tell() == 0  # ready to be stored after the check


@pytest.mark.parametrize("name", NOT_DOCUMENTS)
def test_other_files_are_not_documents(name):
    assert detect_document_type(io.BytesIO(NOT_DOCUMENTS[name])) is None


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", SAMPLES)
def test_valid_documents_pass(kind):
    assert validate_document_file(upload(f"Datei.{kind.upper()}", SAMPLES[kind])) == kind


@pytest.mark.django_db
@pytest.mark.parametrize("name", NOT_DOCUMENTS)
def test_validation_refuses_what_is_not_a_document(name):
    with pytest.raises(ValidationError) as raised:
        validate_document_file(upload("bericht.pdf", NOT_DOCUMENTS[name]))
    assert raised.value.code == "file_type"


@pytest.mark.django_db
def test_validation_refuses_a_misleading_extension():
    with pytest.raises(ValidationError) as raised:
        validate_document_file(upload("folien.pdf", SAMPLES["pptx"]))
    assert raised.value.code == "file_extension"
    assert raised.value.params == {"actual": "PPTX", "name": "folien.pdf"}


@pytest.mark.django_db
def test_validation_applies_the_size_limit_of_the_portal_settings():
    limits = PortalSettings.current()
    assert limits.max_document_size_mb == 25
    limits.max_document_size_mb = 1
    limits.save()
    exactly = SAMPLES["pdf"] + b"%" * (1024 * 1024 - len(SAMPLES["pdf"]))
    assert validate_document_file(upload("bericht.pdf", exactly)) == "pdf"
    with pytest.raises(ValidationError) as raised:
        validate_document_file(upload("bericht.pdf", exactly + b"%"))
    assert raised.value.code == "file_too_large"
    assert raised.value.params["limit"] == 1


@pytest.mark.django_db
def test_the_size_is_checked_before_the_content():
    limits = PortalSettings.current()
    limits.max_document_size_mb = 1
    limits.save()
    with pytest.raises(ValidationError) as raised:
        validate_document_file(upload("setup.pdf", NOT_DOCUMENTS["exe"] * 20000))
    assert raised.value.code == "file_too_large"


@pytest.mark.django_db
def test_clean_records_type_and_size_of_a_new_upload():
    document = EventDocument(
        event=EventFactory(), title="Bericht", file=upload("Bericht.pdf", SAMPLES["pdf"])
    )
    document.full_clean()
    assert (document.file_type, document.file_size) == ("pdf", len(SAMPLES["pdf"]))
    document.save()
    # A stored file is not checked again (its content is not read on every save).
    stored = EventDocument.objects.get()
    stored.full_clean()
    assert stored.type_label == "PDF"
    assert stored.content_type == "application/pdf"


@pytest.mark.django_db
def test_clean_puts_the_error_at_the_file_field():
    document = EventDocument(
        event=EventFactory(), title="Bericht", file=upload("Bericht.pdf", NOT_DOCUMENTS["exe"])
    )
    with pytest.raises(ValidationError) as raised:
        document.full_clean()
    assert list(raised.value.message_dict) == ["file"]


# --- File names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("../../etc/Bericht Über Alles.PDF", "bericht-ueber-alles.pdf"),
        ("C:\\Users\\dv\\Präsentation.pptx", "cusersdvpraesentation.pptx"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("???.pdf", "datei.pdf"),
        ("Straße.p<d>f", "strasse.pdf"),
        ("Protokoll", "protokoll"),
    ],
)
def test_upload_names_are_sanitised(uploaded, stored):
    path = upload_to(EventDocument(), uploaded)
    folder, random, name = path.rsplit("/", 2)
    assert folder == "events/eventdocument"
    assert re.fullmatch(r"[0-9a-f]{32}", random)
    assert name == stored


def test_every_upload_gets_its_own_folder():
    assert upload_to(EventDocument(), "a.pdf") != upload_to(EventDocument(), "a.pdf")


def test_long_names_are_shortened():
    name = upload_to(EventPhoto(), "Ein sehr langer Dateiname " * 10 + ".jpg").rsplit("/", 1)[1]
    assert len(name) <= 64
    assert name.endswith(".jpg")


# --- Photo variants ---------------------------------------------------------------------------


def jpeg(size, *, orientation=None, gps=False, mode="RGB") -> bytes:
    image = Image.new(mode, size, "steelblue" if mode == "RGB" else 0)
    # A red top-left corner, to follow the rotation.
    if mode == "RGB":
        image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_INFO] = {1: "N", 2: (52.0, 31.0, 0.0), 3: "E", 4: (13.0, 24.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG" if mode != "P" else "PNG", exif=exif)
    return buffer.getvalue()


def make_photo(content: bytes, name="foto.jpg") -> EventPhoto:
    return EventPhotoFactory(image=ContentFile(content, name=name), variants=False)


def opened(field_file) -> Image.Image:
    with field_file.open("rb") as file:
        image = Image.open(io.BytesIO(file.read()))
    image.load()
    return image


@pytest.mark.django_db
def test_variants_are_webp_of_bounded_width():
    photo = make_photo(jpeg((3000, 2000)))
    assert photo.needs_variants
    photo_variants_create(photo=photo)
    photo.refresh_from_db()
    assert not photo.needs_variants
    thumbnail, display = opened(photo.thumbnail), opened(photo.display)
    assert thumbnail.format == display.format == "WEBP"
    assert thumbnail.size == (480, 320)
    assert display.size == (1280, 853)
    assert photo.thumbnail.name.endswith("/foto-480.webp")
    assert photo.display.name.startswith("events/eventphoto/varianten/")


@pytest.mark.django_db
def test_the_gallery_size_is_stored_so_that_loading_a_photo_opens_no_file(monkeypatch):
    photo = make_photo(jpeg((3000, 2000)))
    photo_variants_create(photo=photo)
    assert EventPhoto.objects.values_list("thumbnail_width", "thumbnail_height").get(
        pk=photo.pk
    ) == (480, 320)

    def no_file(*args, **kwargs):
        raise AssertionError("a file was opened to load the photo")

    monkeypatch.setattr(FileSystemStorage, "_open", no_file)
    loaded = EventPhoto.objects.get(pk=photo.pk)
    assert (loaded.thumbnail_width, loaded.thumbnail_height) == (480, 320)


@pytest.mark.django_db
def test_photos_without_a_stored_gallery_size_get_it_from_the_file():
    photo = make_photo(jpeg((3000, 2000)))
    photo_variants_create(photo=photo)
    EventPhoto.objects.filter(pk=photo.pk).update(thumbnail_width=None, thumbnail_height=None)
    photo_thumbnail_sizes_fill(EventPhoto)
    assert EventPhoto.objects.values_list("thumbnail_width", "thumbnail_height").get(
        pk=photo.pk
    ) == (480, 320)


@pytest.mark.django_db
def test_small_photos_are_not_enlarged():
    photo = make_photo(jpeg((300, 200)))
    photo_variants_create(photo=photo)
    assert opened(photo.thumbnail).size == (300, 200)
    assert opened(photo.display).size == (300, 200)


@pytest.mark.django_db
def test_the_camera_orientation_is_applied():
    # Stored lying on its side, 600×400; the camera says "rotate 90° clockwise to view".
    photo = make_photo(jpeg((600, 400), orientation=6))
    photo_variants_create(photo=photo)
    thumbnail = opened(photo.thumbnail)
    assert thumbnail.size == (400, 600)
    # The red corner, top left when stored, is now top right.
    red, green, blue = thumbnail.convert("RGB").getpixel((thumbnail.width - 10, 10))
    assert red > 200 and green < 60 and blue < 60
    assert ORIENTATION not in thumbnail.getexif()


@pytest.mark.django_db
def test_gps_positions_are_not_carried_over():
    content = jpeg((2000, 1500), gps=True)
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_INFO)  # the original has them
    photo = make_photo(content)
    photo_variants_create(photo=photo)
    for variant in (photo.thumbnail, photo.display):
        image = opened(variant)
        assert not image.getexif().get_ifd(GPS_INFO)
        assert "exif" not in image.info
        with variant.open("rb") as file:
            assert b"Exif" not in file.read()


@pytest.mark.django_db
def test_other_image_modes_are_converted():
    photo = make_photo(jpeg((800, 600), mode="P"), name="grafik.png")
    photo_variants_create(photo=photo)
    assert opened(photo.thumbnail).mode in ("RGB", "RGBA")


@pytest.mark.django_db
def test_transparency_is_kept():
    buffer = io.BytesIO()
    Image.new("RGBA", (600, 300), (0, 0, 0, 0)).save(buffer, format="PNG")
    photo = make_photo(buffer.getvalue(), name="logo.png")
    photo_variants_create(photo=photo)
    assert opened(photo.thumbnail).mode == "RGBA"


@pytest.mark.django_db
def test_new_variants_replace_the_old_ones():
    photo = make_photo(jpeg((1000, 800)))
    photo_variants_create(photo=photo)
    old = [photo.thumbnail.name, photo.display.name]
    storage = photo.thumbnail.storage
    photo_variants_create(photo=photo)
    assert photo.thumbnail.name not in old
    assert not any(storage.exists(name) for name in old)


@pytest.mark.django_db
def test_an_unreadable_image_is_reported():
    photo = make_photo(b"not an image at all")
    with pytest.raises(ValidationError):
        photo_variants_create(photo=photo)


# --- Originals stay out of public reach -------------------------------------------------------


def public_files(settings) -> list:
    """Every file stored under MEDIA_ROOT, i.e. everything a visitor may fetch under MEDIA_URL."""
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def assert_no_gps_under_media(settings) -> None:
    files = public_files(settings)
    assert files  # the variants are public
    for path in files:
        with Image.open(path) as image:
            assert GPS_INFO not in image.getexif()
            assert not image.getexif().get_ifd(GPS_INFO)
        assert b"Exif" not in path.read_bytes()


@pytest.mark.django_db
def test_the_original_with_its_camera_data_is_not_under_media(settings):
    content = jpeg((2000, 1500), gps=True)
    photo = make_photo(content, name="Auftakt im Saal.jpg")
    photo_variants_create(photo=photo)
    assert_no_gps_under_media(settings)
    # The original is kept as uploaded, outside MEDIA_ROOT; the variants are made from it.
    assert not (settings.MEDIA_ROOT / photo.image.name).exists()
    with photo.image.open("rb") as file:
        assert file.read() == content
    assert opened(photo.display).size == (1280, 960)
    assert opened(photo.thumbnail).size == (480, 360)


@pytest.mark.django_db
def test_originals_kept_under_media_before_are_moved_out(settings):
    """What the data migrations of events and projects do with the originals uploaded so far."""
    photo = make_photo(jpeg((800, 600), gps=True))
    photo_variants_create(photo=photo)
    public, private = storages["default"], storages["photo_originals"]
    # As uploaded before: the original under MEDIA_ROOT.
    with private.open(photo.image.name, "rb") as file:
        public.save(photo.image.name, file)
    private.delete(photo.image.name)

    photo_originals_move(EventPhoto, source="default", target="photo_originals")
    assert not public.exists(photo.image.name)
    assert private.exists(photo.image.name)
    assert_no_gps_under_media(settings)
    # A second run finds nothing to do.
    photo_originals_move(EventPhoto, source="default", target="photo_originals")
    assert private.exists(photo.image.name)
    photo.refresh_from_db()
    assert photo.image.storage.exists(photo.image.name)
