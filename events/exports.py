"""The attendance list of an event, for staff: CSV for German Excel and XLSX.

People type the names and answers themselves, so every cell that a spreadsheet program could
read as a formula gets a leading apostrophe (``quartier.spreadsheets.neutralise``, as in every
export of the admin). The CSV is UTF-8 with a byte order mark and separated by semicolons, which
is what Excel with German settings opens correctly by double click.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from quartier.spreadsheets import neutralise

from .models import Event, Registration

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# What the list may add to the people who hold a place, when staff ask for it.
WAITING = "waiting"
CANCELLED = "cancelled"
EXTRA_STATUSES = {WAITING: Registration.Status.WAITING, CANCELLED: Registration.Status.CANCELLED}


def attendance_registrations(event: Event, *, include=()) -> list[Registration]:
    """Who is on the list: the people holding a place; with ``include`` also the waiting list
    in its order ("waiting") and the cancelled registrations ("cancelled").

    Registrations whose address was never confirmed are never on it (double opt-in): until then
    they are not the person's, as far as anyone can tell.
    """
    order = {
        Registration.Status.CONFIRMED: 0,
        Registration.Status.WAITING: 1,
        Registration.Status.CANCELLED: 2,
    }
    statuses = [Registration.Status.CONFIRMED]
    statuses += [EXTRA_STATUSES[name] for name in include if name in EXTRA_STATUSES]
    registrations = list(
        event.registrations.address_confirmed().filter(status__in=statuses).order_by("name", "pk")
    )
    return sorted(
        registrations,
        key=lambda registration: (
            order[registration.status],
            registration.waiting_since or registration.created_at
            if registration.status == Registration.Status.WAITING
            else 0,
        ),
    )


def attendance_rows(
    event: Event, *, include=(), health: bool = False
) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the list, every cell neutralised.

    The answers about accessibility needs and dietary requirements may tell of a person's
    health: they are columns only with ``health`` (for staff with the permission to see them).
    """
    accessibility = health and event.asks_accessibility_needs
    dietary = health and event.asks_dietary_notes
    header = [_("No."), _("Name"), _("Organisation"), _("E-mail address"), _("Status")]
    if accessibility:
        header.append(_("Accessibility needs"))
    if dietary:
        header.append(_("Dietary requirements"))
    header.append(_("Signature"))
    rows = []
    for number, registration in enumerate(
        attendance_registrations(event, include=include), start=1
    ):
        row = [
            str(number),
            registration.name,
            registration.organisation,
            registration.email,
            registration.get_status_display(),
        ]
        if accessibility:
            row.append(registration.accessibility_needs)
        if dietary:
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


def attendance_csv(event: Event, *, include=(), health: bool = False) -> HttpResponse:
    header, rows = attendance_rows(event, include=include, health=health)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    content = "\ufeff" + buffer.getvalue()
    return _attachment(
        HttpResponse(content.encode("utf-8"), content_type=CSV_CONTENT_TYPE),
        _filename(event, "csv"),
    )


def attendance_xlsx(event: Event, *, include=(), health: bool = False) -> HttpResponse:
    header, rows = attendance_rows(event, include=include, health=health)
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
