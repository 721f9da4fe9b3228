"""Every field an editor fills in says what goes into it (its help text on the admin's form)."""

import pytest

from actors.models import Actor, Sector
from events.models import Event, EventDocument, EventPhoto, ProgrammeItem, Speaker
from projects.models import Project, ProjectDocument, ProjectPartner, ProjectPhoto, Publication
from quartier.models import Page, PortalSettings

# What editors write: not what the public sends (applications, registrations), which staff
# only decide or correct.
CONTENT = [
    Sector,
    Actor,
    Event,
    ProgrammeItem,
    Speaker,
    EventDocument,
    EventPhoto,
    Project,
    ProjectPartner,
    ProjectDocument,
    ProjectPhoto,
    Publication,
    Page,
    PortalSettings,
]
# Filled in by the page they are edited on: the event of its programme, the project of its
# partners; a project's partners are edited as ProjectPartner rows.
NOT_TYPED = {
    "programmeitem.event",
    "speaker.programme_item",
    "eventdocument.event",
    "eventphoto.event",
    "projectpartner.project",
    "projectdocument.project",
    "projectphoto.project",
    "project.partners",
}


def editor_fields() -> list:
    fields = []
    for model in CONTENT:
        for field in model._meta.get_fields():
            name = f"{model._meta.model_name}.{field.name}"
            typed = getattr(field, "editable", False) and not field.auto_created
            if typed and name not in NOT_TYPED:
                fields.append(pytest.param(field, id=name))
    return fields


@pytest.mark.parametrize("field", editor_fields())
def test_the_field_has_a_help_text(field):
    assert str(field.help_text).strip()
