"""An editor looks at an event's history, reads what a save changed and restores the earlier
version, programme included, as in a browser (with axe-core on the history's pages)."""

import pytest

from events.models import Event
from tests.browser.test_staff_login import log_in_staff
from tests.events.factories import EventFactory, ProgrammeItemFactory
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_an_editor_restores_an_event_with_its_programme(
    page, live_server, assert_accessible, default_pages
):
    editor = UserFactory(is_staff=True, is_superuser=True, email="redaktion@example.org")
    event = EventFactory(title="Quartierskonferenz")
    ProgrammeItemFactory(event=event, title="Begrüßung")
    change = f"/admin/events/event/{event.pk}/change/"

    page.goto(change)
    log_in_staff(page, editor)
    page.wait_for_url(f"**{change}")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**{change}")
    page.fill("#id_title", "Quartierskonferenz 2026")
    page.check("input[name=programme_items-0-DELETE]")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**{change}")

    page.goto(f"/admin/events/event/{event.pk}/history/")
    assert_accessible(page)
    page.locator("#change-history a").first.click()  # the changes of the latest save
    page.wait_for_url("**/changes/")
    assert_accessible(page)
    assert page.locator("caption", has_text="Begrüßung").count() == 1

    page.goto(f"/admin/events/event/{event.pk}/history/")
    page.locator("#change-history tbody tr").last.locator("a").last.click()  # restore the first
    page.wait_for_selector("#event_form")
    assert page.input_value("#id_title") == "Quartierskonferenz"
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/events/event/")

    event.refresh_from_db()
    assert event.title == "Quartierskonferenz"
    assert list(event.programme_items.values_list("title", flat=True)) == ["Begrüßung"]
    assert Event.objects.count() == 1
