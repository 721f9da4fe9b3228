"""Importing actors from spreadsheets in the admin, and exporting them.

Staff bring the lists they keep in Excel: CSV in UTF-8 or Windows-1252, with or without a byte
order mark, separated by semicolons, sometimes with broken umlauts; or an Excel file.
"""

import csv
import io

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from reversion.models import Version

from actors.models import Actor
from tests.factories import UserFactory

from .factories import ActorFactory, SectorFactory

pytestmark = pytest.mark.django_db

IMPORT = "/admin/actors/actor/import/"
PROCESS = "/admin/actors/actor/process_import/"
EXPORT = "/admin/actors/actor/export/"
CHANGELIST = "/admin/actors/actor/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"
EDITOR_PERMISSIONS = ["view_actor", "add_actor", "change_actor"]


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(is_staff=True, permissions=EDITOR_PERMISSIONS))
    return client


@pytest.fixture
def stiftungen():
    return SectorFactory(name="Stiftungen", slug="stiftungen")


def _csv(rows, *, encoding="utf-8", delimiter=";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _preview(client, content: bytes, *, name="akteure.csv", file_format=CSV_FORMAT):
    upload = SimpleUploadedFile(name, content)
    return client.post(IMPORT, {"import_file": upload, "format": file_format})


def _import(client, content: bytes, **kwargs):
    """Upload, look at the preview, confirm: as staff do."""
    preview = _preview(client, content, **kwargs)
    assert preview.status_code == 200
    confirm_form = preview.context["confirm_form"]
    data = {name: field.initial for name, field in confirm_form.fields.items()}
    data.update(confirm_form.initial)
    return client.post(PROCESS, data, follow=True)


def _outcomes(response) -> dict[int, str]:
    return {row["number"]: row["import_type"] for row in response.context["preview_rows"]}


def _reasons(response, number: int) -> str:
    return " ".join(response.context["preview_rows"][number - 1]["reasons"])


HEADER = ["Name", "Bereich", "Gruppe oder Netzwerk", "Themen", "Ort", "Website"]


def test_the_preview_says_per_row_what_will_happen_and_why_and_changes_nothing(editor, stiftungen):
    ActorFactory(name="degewo AG", sector=stiftungen, city="Berlin", is_published=True)
    unchanged = ActorFactory(name="HOWOGE", sector=stiftungen, city="Berlin", website="")
    content = _csv(
        [
            HEADER,
            ["Stiftung Trias", "Stiftungen", "", "Boden, Wohnen", "Hattingen", "stiftung-trias.de"],
            ["degewo AG", "stiftungen", "", "", "Berlin-Mitte", ""],
            ["HOWOGE", "Stiftungen", "", "", "Berlin", ""],
            ["Unbekannt e. V.", "Raumfahrt", "", "", "Kiel", ""],
        ]
    )

    response = _preview(editor, content)

    assert response.status_code == 200
    assert _outcomes(response) == {1: "new", 2: "update", 3: "skip", 4: "invalid"}
    assert "Ort" in _reasons(response, 2)  # what changes: the city
    with translation.override("de"):
        expected = gettext("Unknown sector “%(value)s”. Known sectors: %(known)s.") % {
            "value": "Raumfahrt",
            "known": "Stiftungen",
        }
    assert expected in _reasons(response, 4)
    # A preview only: nothing was saved; the valid rows may be imported.
    assert Actor.objects.count() == 2
    assert Actor.objects.get(name="degewo AG").city == "Berlin"
    assert "confirm_form" in response.context
    assert unchanged.slug in response.content.decode()


def test_confirming_imports_the_valid_rows_as_drafts_and_rejects_the_unknown_sector(
    editor, stiftungen
):
    group = ActorFactory(name="Netzwerk Immovielien", sector=stiftungen)
    content = _csv(
        [
            HEADER,
            ["Stiftung Trias", "Stiftungen", "Netzwerk Immovielien", "Boden, Wohnen", "", ""],
            ["Unbekannt e. V.", "Raumfahrt", "", "", "Kiel", ""],
            ["Montag Stiftung Urbane Räume", "stiftungen", "", "", "Bonn", "www.montag.de"],
        ]
    )

    response = _import(editor, content)

    assert response.redirect_chain[-1][0] == CHANGELIST
    trias = Actor.objects.get(slug="stiftung-trias")
    assert (trias.sector, trias.parent, trias.is_published) == (stiftungen, group, False)
    assert sorted(trias.topics.names()) == ["Boden", "Wohnen"]
    montag = Actor.objects.get(slug="montag-stiftung-urbane-raeume")
    assert montag.website == "https://www.montag.de"
    assert not Actor.objects.filter(name="Unbekannt e. V.").exists()
    warnings = [str(message) for message in response.context["messages"]]
    assert any("1" in message for message in warnings[1:])
    # Each imported actor has its entry in the change log and a version, as a save does.
    entry = LogEntry.objects.get(object_id=str(trias.pk), action_flag=ADDITION)
    with translation.override("de"):
        assert entry.change_message == gettext("Added by an import from a file.")
    assert Version.objects.get_for_object(trias).get().revision.user is not None


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1252", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")],
    ids=["windows-1252", "utf-8-with-bom", "utf-8"],
)
def test_umlauts_and_german_quotes_are_read_in_every_encoding(editor, stiftungen, encoding, prefix):
    name = "Bürgerstiftung „Große Öffnung“ für Straßen"
    content = prefix + _csv(
        [["Name", "Bereich", "Ort"], [name, "Stiftungen", "Düsseldorf"]], encoding=encoding
    )

    _import(editor, content)

    actor = Actor.objects.get()
    assert (actor.name, actor.city) == (name, "Düsseldorf")
    assert actor.slug == "buergerstiftung-grosse-oeffnung-fuer-strassen"


def test_mojibake_is_repaired(editor):
    content = _csv(
        [["Name", "Beschreibung"], ["GEMEINSAM FÃœR DAS QUARTIER", "Ã–ffentliche RÃ¤ume"]]
    )

    _import(editor, content)

    actor = Actor.objects.get()
    assert actor.name == "GEMEINSAM FÜR DAS QUARTIER"
    assert actor.description == "Öffentliche Räume"


def test_an_excel_file_is_imported(editor, stiftungen):
    content = _xlsx([HEADER, ["Wiechers-Stiftung", "Stiftungen", None, "Städte", "Köln", None]])

    _import(editor, content, name="akteure.xlsx", file_format=XLSX_FORMAT)

    actor = Actor.objects.get()
    assert (actor.name, actor.sector, actor.city) == ("Wiechers-Stiftung", stiftungen, "Köln")
    assert list(actor.topics.names()) == ["Städte"]


def test_importing_the_same_file_again_changes_nothing(editor, stiftungen):
    group = ActorFactory(name="Netzwerk Zukunftsorte", sector=stiftungen)
    content = _csv(
        [
            HEADER,
            ["Stiftung Trias", "Stiftungen", "Netzwerk Zukunftsorte", "Wohnen, Boden", "", ""],
            ["Hof Prädikow", "", "", "", "Prädikow", "https://hof.example.org"],
        ]
    )
    _import(editor, content)
    before = {actor.pk: actor.updated_at for actor in Actor.objects.all()}

    preview = _preview(editor, content)
    assert _outcomes(preview) == {1: "skip", 2: "skip"}
    response = _import(editor, content)

    assert {actor.pk: actor.updated_at for actor in Actor.objects.all()} == before
    assert Actor.objects.exclude(pk=group.pk).count() == 2
    [message] = [str(message) for message in response.context["messages"]]
    assert " 0 " in message and " 2 " in message  # 0 new, 0 updated, 2 skipped


def test_an_exported_file_can_be_imported_again_without_changes(editor, stiftungen):
    group = ActorFactory(name="Netzwerk Immovielien", sector=stiftungen, topics=["Boden"])
    ActorFactory(name="=HYPERLINK(1)", sector=stiftungen, parent=group, city="Kiel")

    response = editor.post(EXPORT, {"format": CSV_FORMAT, **_all_export_fields()})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="akteure-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Name",
        "Kurzname oder Abkürzung",
        "Kurzname in der Adresse",
        "Bereich",
        "Gruppe oder Netzwerk",
        "Themen",
        "Ort",
        "Website",
        "Beschreibung",
        "Mission",
        "Veröffentlicht",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    # A spreadsheet shows the text; it never runs it as a formula.
    assert by_name["'=HYPERLINK(1)"][4] == "Netzwerk Immovielien"
    assert by_name["Netzwerk Immovielien"][5] == "Boden"
    assert by_name["Netzwerk Immovielien"][10] == "ja"

    preview = _preview(editor, response.content)
    assert _outcomes(preview) == {1: "skip", 2: "skip"}


def _all_export_fields() -> dict:
    from actors.resources import ActorResource

    return {f"actorresource_{name}": "on" for name in ActorResource().get_export_order()}


def test_the_changelist_offers_import_and_export_to_editors_only_with_the_permissions(client):
    client.force_login(UserFactory(is_staff=True, permissions=EDITOR_PERMISSIONS))
    page = client.get(CHANGELIST).content.decode()
    assert IMPORT in page and EXPORT in page
    # Beside the history's own button: deleted actors can be recovered.
    assert f"{CHANGELIST}recover/" in page

    client.force_login(UserFactory(is_staff=True, permissions=["view_actor"]))
    page = client.get(CHANGELIST).content.decode()
    assert IMPORT not in page and EXPORT in page
    assert client.get(IMPORT).status_code == 403


def test_the_import_pages_speak_german_and_say_what_the_file_needs(editor, stiftungen):
    page = editor.get(IMPORT).content.decode()
    assert "Importieren" in page and "Zu importierende Datei" in page
    assert "Kurzname in der Adresse" in page  # the columns the file may have

    content = _csv([HEADER, ["Stiftung Trias", "Raumfahrt", "", "", "", ""]])
    preview = _preview(editor, content).content.decode()

    assert "Vorschau" in preview
    assert "klicke" not in preview  # the library's German says „du“; the portal „Sie“
