import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

CATALOGUES = sorted(
    path for locale_path in settings.LOCALE_PATHS for path in locale_path.glob("*/LC_MESSAGES/*.po")
)


def compile_catalogue(po: Path, mo: Path) -> subprocess.CompletedProcess:
    """Compile as `make messages` (Django's compilemessages) does."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (gettext) is needed to compile the catalogues"
    return subprocess.run(  # noqa: S603 - fixed arguments
        [msgfmt, "--check-format", "-o", str(mo), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_german_and_english_catalogues_exist():
    languages = {path.parent.parent.name for path in CATALOGUES}
    assert languages >= {"de", "en"}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_catalogue_compiles(catalogue, tmp_path):
    """What `make messages` runs: placeholders such as %(count)d must match their msgid."""
    result = compile_catalogue(catalogue, tmp_path / "django.mo")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_compiled_catalogue_is_up_to_date(catalogue, tmp_path):
    """The site reads the .mo file: one compiled from an older .po shows yesterday's texts."""
    compiled = catalogue.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run `make messages`"
    fresh = compile_catalogue(catalogue, tmp_path / "django.mo")
    assert fresh.returncode == 0, fresh.stderr
    with open(compiled, "rb") as current, open(tmp_path / "django.mo", "rb") as expected:
        current_messages = gettext.GNUTranslations(current)._catalog
        expected_messages = gettext.GNUTranslations(expected)._catalog
    assert current_messages == expected_messages, "run `make messages`"


def test_german_catalogue_translates_navigation():
    with translation.override("de"):
        assert translation.gettext("Actors") == "Akteure"
    with translation.override("en"):
        assert translation.gettext("Actors") == "Actors"


@pytest.mark.django_db
def test_german_pages_use_the_german_navigation(client):
    response = client.get("/akteure/")
    assert ">Akteure</a>" in response.content.decode()
    response = client.get("/en/akteure/")
    assert ">Actors</a>" in response.content.decode()
