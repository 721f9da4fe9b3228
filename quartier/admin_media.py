"""Admin pieces for documents and credited photos, shared by every app that has them.

An app subclasses the two inlines with its concrete model and adds ``MediaFilesAdminMixin`` to
the admin of the object they belong to::

    class ProjectPhotoInline(CreditedPhotoInline):
        model = ProjectPhoto

    class ProjectAdmin(MediaFilesAdminMixin, admin.ModelAdmin):
        inlines = [ProjectDocumentInline, ProjectPhotoInline]

Uploaded documents are checked by ``PublicDocument.clean()`` (type from the content, size limit
from the portal settings), which model forms call: a rejected file shows its message beside the
field and nothing is stored. Photos get their web variants as soon as they are saved, so the
public never receives an original; the original itself is stored where no address leads (see
``quartier.media``), and its file input links to the largest variant instead.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .media import (
    DOCUMENT_TYPES,
    CreditedPhoto,
    DocumentInspection,
    PublicDocument,
    photo_variants_create,
)

# Offered by the browser's file chooser; what counts is the check of the content on upload.
ACCEPTED_EXTENSIONS = ",".join(
    extension for kind in DOCUMENT_TYPES.values() for extension in kind.extensions
)
SMALL_TEXTAREA = {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})}


class _LinkedFile:
    """A stored file as the file input shows it: its name, linked to where staff can fetch it."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class DocumentFileInput(AdminFileWidget):
    """The file input of a document, its "Currently" link going to ``url_for(document)``.

    Documents are not under MEDIA_URL (their storage has no public address): the link goes to
    the view that serves them, which lets staff fetch unpublished ones too. Photo originals
    have no address at all: their link goes to the largest web variant.
    """

    def __init__(self, *args, url_for=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.url_for = url_for

    def format_value(self, value):
        value = super().format_value(value)
        document = getattr(value, "instance", None)
        if self.url_for is None or document is None or not document.pk:
            return value
        # Without an address the file is not offered as "Currently" (a link would lead nowhere).
        return _LinkedFile(value.name, self.url_for(document) or "")


class PublicDocumentInline(admin.TabularInline):
    """Documents of an object: title, file, description, language and position.

    What the file turned out to be and how large it is are shown once it is saved. A subclass
    says in ``download_url`` where staff can fetch a stored document.
    """

    fields = [
        "title",
        "file",
        "type_and_size",
        "accessibility",
        "description",
        "language",
        "position",
    ]
    readonly_fields = ["type_and_size", "accessibility"]
    formfield_overrides = {models.TextField: SMALL_TEXTAREA}
    extra = 0

    def download_url(self, document: PublicDocument) -> str | None:
        return None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = DocumentFileInput(
                url_for=self.download_url, attrs={"accept": ACCEPTED_EXTENSIONS}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("type and size"))
    def type_and_size(self, document: PublicDocument) -> str:
        if not document.pk or not document.file_type:
            return "–"
        return f"{document.type_label}, {filesizeformat(document.file_size)}"

    @admin.display(description=_("accessibility"))
    def accessibility(self, document: PublicDocument) -> str:
        return accessibility_summary(document)


def accessibility_summary(document: PublicDocument) -> str:
    """What was read from the file, for staff: pages, tags, text layer, declared title and
    language ("–" before a file is saved)."""
    if not document.pk or not document.file_type:
        return "–"
    parts = [document.pages_label, document.accessibility_label]
    if document.inspection == DocumentInspection.INSPECTED:
        parts.append(
            gettext("title in the file: %(title)s") % {"title": document.file_title}
            if document.file_title
            else gettext("no title in the file")
        )
        parts.append(
            gettext("language in the file: %(language)s") % {"language": document.file_language}
            if document.file_language
            else gettext("no language in the file")
        )
    return "; ".join(part for part in parts if part)


def _display_url(photo: CreditedPhoto) -> str | None:
    return photo.display.url if photo.display else None


class CreditedPhotoInline(admin.StackedInline):
    """Photos of an object with alt text, caption, credit, licence and consent.

    Stacked, two fields a line: a table of nine columns would not fit an editor's screen.
    """

    fields = [
        ("image", "preview"),
        ("alt_text", "caption"),
        ("credit", "licence"),
        ("shows_people", "people_consented"),
        "position",
    ]
    readonly_fields = ["preview"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "image":
            kwargs["widget"] = DocumentFileInput(url_for=_display_url)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("preview"))
    def preview(self, photo: CreditedPhoto) -> str:
        if not photo.pk or not photo.thumbnail:
            return "–"
        return format_html(
            '<img src="{}" alt="{}" width="120" loading="lazy">',
            photo.thumbnail.url,
            photo.alt_text,
        )


def _delete_on_commit(field_file) -> None:
    """Remove a stored file once the transaction that stopped using it has committed."""
    storage, name = field_file.storage, field_file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class MediaFilesAdminMixin:
    """For the admin of an object with document and photo inlines.

    After the inlines are saved: photos with a new image (or without variants) get their web
    variants; files of deleted rows and files replaced by a new upload are removed from storage,
    so that nothing withdrawn stays reachable.
    """

    def save_formset(self, request, form, formset, change):
        model = formset.model
        is_document = issubclass(model, PublicDocument)
        is_photo = issubclass(model, CreditedPhoto)
        if not (is_document or is_photo):
            return super().save_formset(request, form, formset, change)

        file_field = "file" if is_document else "image"
        replaced = [
            inline_form.initial[file_field]
            for inline_form in formset.initial_forms
            if file_field in inline_form.changed_data
            and inline_form not in formset.deleted_forms
            and inline_form.initial.get(file_field)
        ]
        super().save_formset(request, form, formset, change)

        for old_file in replaced:
            _delete_on_commit(old_file)
        for deleted in formset.deleted_objects:
            _delete_on_commit(getattr(deleted, file_field))
            if is_photo:
                _delete_on_commit(deleted.thumbnail)
                _delete_on_commit(deleted.display)
        if is_photo:
            for inline_form in formset.forms:
                photo = inline_form.instance
                if inline_form in formset.deleted_forms or not photo.pk:
                    continue
                if "image" in inline_form.changed_data or photo.needs_variants:
                    photo_variants_create(photo=photo)
        return None

    def _media_files_of(self, objects) -> list:
        """The stored files of documents and photos that belong to these objects."""
        files = []
        for inline in self.inlines:
            model = inline.model
            if issubclass(model, PublicDocument):
                names = ["file"]
            elif issubclass(model, CreditedPhoto):
                names = ["image", "thumbnail", "display"]
            else:
                continue
            fk = next(
                field
                for field in model._meta.fields
                if field.is_relation and field.related_model is self.model
            )
            for row in model.objects.filter(**{f"{fk.name}__in": objects}).only(*names):
                files.extend(getattr(row, name) for name in names)
        return files

    def delete_model(self, request, obj):
        files = self._media_files_of([obj])
        super().delete_model(request, obj)
        for field_file in files:
            _delete_on_commit(field_file)

    def delete_queryset(self, request, queryset):
        files = self._media_files_of(queryset.values("pk"))
        super().delete_queryset(request, queryset)
        for field_file in files:
            _delete_on_commit(field_file)
