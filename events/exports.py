"""The attendance list of an event, for staff: CSV for German Excel and XLSX.

People type the names and answers themselves, so every cell that a spreadsheet program could
read as a formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe
(OWASP's advice against CSV injection). The CSV is UTF-8 with a byte order mark and separated by
semicolons, which is what Excel with German settings opens correctly by double click.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from .models import Event, Registration

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: str) -> str:
    """The text as a spreadsheet shows it, never as a formula it runs."""
    value = str(value)
    if value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def attendance_registrations(event: Event):
    """Who is on the list: confirmed first, then the waiting list in its order; then the
    registrations awaiting confirmation and the cancelled ones, for the staff's information."""
    order = {
        Registration.Status.CONFIRMED: 0,
        Registration.Status.WAITING: 1,
        Registration.Status.UNCONFIRMED: 2,
        Registration.Status.CANCELLED: 3,
    }
    registrations = list(event.registrations.order_by("name", "pk"))
    return sorted(
        registrations,
        key=lambda registration: (
            order.get(registration.status, 9),
            registration.waiting_since or registration.created_at
            if registration.status == Registration.Status.WAITING
            else 0,
        ),
    )


def attendance_rows(event: Event) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the list, every cell neutralised."""
    header = [_("No."), _("Name"), _("Organisation"), _("E-mail address"), _("Status")]
    if event.asks_accessibility_needs:
        header.append(_("Accessibility needs"))
    if event.asks_dietary_notes:
        header.append(_("Dietary requirements"))
    header.append(_("Signature"))
    rows = []
    for number, registration in enumerate(attendance_registrations(event), start=1):
        row = [
            str(number),
            registration.name,
            registration.organisation,
            registration.email,
            registration.get_status_display(),
        ]
        if event.asks_accessibility_needs:
            row.append(registration.accessibility_needs)
        if event.asks_dietary_notes:
            row.append(registration.dietary_notes)
        row.append("")
        rows.append([neutralise(cell) for cell in row])
    return [neutralise(cell) for cell in header], rows


def _filename(event: Event, extension: str) -> str:
    return f"teilnahmeliste-{event.slug}.{extension}"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def attendance_csv(event: Event) -> HttpResponse:
    header, rows = attendance_rows(event)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    content = "\ufeff" + buffer.getvalue()
    return _attachment(
        HttpResponse(content.encode("utf-8"), content_type=CSV_CONTENT_TYPE),
        _filename(event, "csv"),
    )


def attendance_xlsx(event: Event) -> HttpResponse:
    header, rows = attendance_rows(event)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Attendance list")[:31]
    start = timezone.localtime(event.start)
    sheet.append([neutralise(f"{event.title}, {start:%d.%m.%Y %H:%M}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        # Control characters that people may paste are not allowed in the file format.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            # Text cells, never formulas: openpyxl reads a string starting with "=" as one.
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"A": 6, "B": 28, "C": 28, "D": 32, "E": 22}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for index in range(len(widths) + 1, len(header) + 1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = 30
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(
        HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE),
        _filename(event, "xlsx"),
    )
