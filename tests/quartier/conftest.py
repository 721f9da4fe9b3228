import pytest

from tests.actors.factories import varied_directory


@pytest.fixture
def populate():
    """``populate(count)`` adds that many published actors, as varied as the real directory
    (see ``varied_directory``); it returns their group."""
    return varied_directory()
