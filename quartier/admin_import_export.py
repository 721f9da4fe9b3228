"""Import and export of spreadsheets in the admin, built on django-import-export.

An admin adds a mixin and names its resources::

    class ActorAdmin(PublishActionsMixin, ImportExportMixin, VersionAdmin, admin.ModelAdmin):
        resource_classes = [ActorResource]

What the portal adds to the library:

- CSV and Excel (XLSX) only. A CSV is read in UTF-8, UTF-8 with byte order mark or
  Windows-1252, separated by semicolons or commas (``quartier.spreadsheets``): the library
  decodes with one fixed encoding per admin.
- Exported cells never run as formulas; an exported CSV opens in German Excel by double click
  (byte order mark, semicolons), as the attendance lists do.
- The preview of an import lists every row with what will happen to it (created, changed,
  unchanged, rejected) and why. Rejected rows do not stop the others: staff may import the
  valid rows and correct the rest later; the library would refuse the whole file.
- Every imported row is in the admin's change log and, for a model under version control, in
  a version that can be reverted, as a save in the form is.
- ``export_permission`` names a permission of its own for an export (e.g. of registrations),
  where the model's view permission is not enough.
"""

import reversion
import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from import_export import admin as import_export_admin
from import_export.formats import base_formats
from import_export.forms import ImportForm as LibraryImportForm
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult

from .slugs import german_slugify
from .spreadsheets import csv_delimiter, decode_text_file, neutralise
from .uploads import too_large, validate_zip_archive


def _neutralised(dataset: tablib.Dataset) -> tablib.Dataset:
    def cell(value):
        return neutralise(value) if isinstance(value, str) else value

    safe = tablib.Dataset(headers=[neutralise(header) for header in dataset.headers or []])
    for row in dataset:
        safe.append([cell(value) for value in row])
    return safe


class CSV(base_formats.CSV):
    """CSV read as bytes and decoded here, whatever the encoding; written for German Excel."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode_text_file(in_stream) if isinstance(in_stream, bytes) else in_stream
        return tablib.import_set(text, format="csv", delimiter=csv_delimiter(text))

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + _neutralised(dataset).export("csv", delimiter=";")


class XLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_neutralised(dataset), **kwargs)


FORMATS = [CSV, XLSX]


class ExportForm(SelectableFieldsExportForm):
    """The columns to export, labelled by their headers (the library shows attribute names)."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return str(field.column_name) if field else field_name


class ExportMixin(import_export_admin.ExportMixin):
    formats = FORMATS
    export_form_class = ExportForm
    #: A permission such as "events.export_registration"; unset, the model's permission named
    #: by IMPORT_EXPORT_EXPORT_PERMISSION_CODE.
    export_permission = None

    def has_export_permission(self, request):
        if self.export_permission:
            return request.user.has_perm(self.export_permission)
        return super().has_export_permission(request)

    def get_export_filename(self, request, queryset, file_format):
        """E.g. ``akteure-2026-03-01.xlsx``."""
        name = german_slugify(str(self.model._meta.verbose_name_plural))
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


class ImportForm(LibraryImportForm):
    """The upload of a file to import, refused before the library stores or reads it when it
    is too large or (an Excel file being a zip archive) would unpack to too much."""

    def clean_import_file(self):
        file = self.cleaned_data["import_file"]
        error = too_large(file, limit_mb=settings.UPLOAD_IMPORT_MAX_SIZE_MB)
        if error:
            raise error
        file.seek(0)
        if file.read(4) == b"PK\x03\x04":
            validate_zip_archive(file)
        file.seek(0)
        return file


OUTCOMES = {
    RowResult.IMPORT_TYPE_NEW: _("will be created"),
    RowResult.IMPORT_TYPE_UPDATE: _("will be changed"),
    RowResult.IMPORT_TYPE_SKIP: _("unchanged"),
    RowResult.IMPORT_TYPE_DELETE: _("will be deleted"),
    RowResult.IMPORT_TYPE_INVALID: _("rejected"),
    RowResult.IMPORT_TYPE_ERROR: _("rejected"),
}


def preview_rows(result, resource) -> list[dict]:
    """Each row of the file: its number, what will happen to it, why, and its cells.

    The resource keeps unchanged rows in the result (``report_skipped``), so that the numbers are
    the file's, and its instances (``store_instance``, ``store_row_values``), so that a change
    names its columns and a rejected row shows its cells.
    """
    import_fields = resource.get_import_fields()
    columns = {field.attribute: str(field.column_name) for field in import_fields}
    rows = []
    for number, row in enumerate(result.rows, start=1):
        reasons = []
        if row.validation_error is not None:
            for attribute, errors in row.validation_error.message_dict.items():
                column = columns.get(attribute, attribute)
                prefix = "" if attribute == NON_FIELD_ERRORS else f"{column}: "
                reasons.extend(f"{prefix}{error}" for error in errors)
        reasons.extend(str(error.error) for error in row.errors)
        if row.import_type == RowResult.IMPORT_TYPE_UPDATE and row.instance and row.original:
            changed = [
                str(field.column_name)
                for field in import_fields
                if field.export(row.instance) != field.export(row.original)
            ]
            reasons.append(_("Changed: %(columns)s") % {"columns": ", ".join(changed)})
        if row.diff is not None:
            cells = row.diff
        else:
            values = row.row_values or {}
            cells = [values.get(header, "") for header in result.diff_headers]
        rows.append(
            {
                "number": number,
                "import_type": row.import_type,
                "outcome": OUTCOMES.get(row.import_type, row.import_type),
                "reasons": reasons,
                "cells": cells,
            }
        )
    return rows


LOG_MESSAGES = {
    RowResult.IMPORT_TYPE_NEW: (ADDITION, _("Added by an import from a file.")),
    RowResult.IMPORT_TYPE_UPDATE: (CHANGE, _("Changed by an import from a file.")),
}

# The library's texts that staff may see, kept in the portal's catalogue (see
# quartier/accounts/allauth_texts.py for why): its German says „du“, or has no translation.
LIBRARY_TEXTS = [
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct "
        "format for the file."
    ),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    gettext_noop("Select all"),
]


def _in_site_language(text) -> str:
    """Stored texts (change log, version comments) are in the site's language, as a save's."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


class ImportExportMixin(import_export_admin.ImportMixin, ExportMixin):
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_template_name = "admin/import_preview.html"
    import_form_class = ImportForm
    #: What staff should know before they upload a file (shown above the form).
    import_help_text = ""

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["import_help_text"] = self.import_help_text
        return context

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context and context.get("form") is not None:
            self._remove_unreadable_upload(context["form"])
        result = context.get("result") if context else None
        if result is None:
            return response
        form = context["form"]
        resource = self.choose_import_resource_class(form, request)(
            **self.get_import_resource_kwargs(request, form=form)
        )
        context["preview_rows"] = preview_rows(result, resource)
        changes = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
        importable = any(row.import_type in changes for row in result.rows)
        if "confirm_form" not in context and not result.has_errors() and importable:
            # Rejected rows are left out; the valid ones may go in.
            context["confirm_form"] = self.create_confirm_form(request, import_form=form)
        return response

    def _remove_unreadable_upload(self, form) -> None:
        """The library keeps a file it could not read in its temporary storage; it goes."""
        # The uploaded file itself: an error at the field takes it out of cleaned_data.
        upload = form.files.get(form.add_prefix("import_file"))
        name = getattr(upload, "tmp_storage_name", None)
        if name and form.errors:
            storage = self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())
            try:
                storage.remove()
            except FileNotFoundError:
                pass

    def process_dataset(self, dataset, form, request, **kwargs):
        if not reversion.is_registered(self.model):
            return super().process_dataset(dataset, form, request, **kwargs)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_in_site_language(_("Imported from a file.")))
            return super().process_dataset(dataset, form, request, **kwargs)

    def generate_log_entries(self, result, request):
        """Each created or changed row in the change log, saying that it came from a file."""
        if self.get_skip_admin_log():
            return
        for import_type, (action_flag, message) in LOG_MESSAGES.items():
            objects = [row.instance for row in result if row.import_type == import_type]
            if objects:
                LogEntry.objects.log_actions(
                    request.user.pk,
                    objects,
                    action_flag,
                    change_message=_in_site_language(message),
                    single_object=len(objects) == 1,
                )

    def add_success_message(self, result, request):
        super().add_success_message(result, request)
        if result.invalid_rows:
            count = len(result.invalid_rows)
            messages.warning(
                request,
                ngettext(
                    "%(count)d row was rejected and not imported.",
                    "%(count)d rows were rejected and not imported.",
                    count,
                )
                % {"count": count},
            )
