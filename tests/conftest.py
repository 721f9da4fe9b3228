import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads made by a test land in a temporary folder, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
