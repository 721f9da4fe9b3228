"""The key pages are valid HTML, in German and in English, as the Nu HTML Checker reads them.

Each page is rendered with the demo data, forms also with their errors shown, written to a
temporary folder and checked in one run of npm's vnu-jar on the machine's Java (starting the
JVM takes most of the time). Java is needed: without it these tests fail rather than skip, so
that no machine passes the suite without checking; `.ci/run` installs it.
"""

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actors.contacts import invitation_token
from actors.demo import RUNNERS
from actors.models import Actor, ActorContact, ContactInvitation, ProfileProposal
from events import demo as events_demo
from events.models import Event
from projects import demo as projects_demo
from projects.models import Project, Publication
from tests.actors.factories import ApplicationFactory
from tests.events.factories import RegistrationFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.java]

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class Visit:
    path: str
    data: dict | None = None  # sent as a POST, which must answer with the form's errors
    status: int = 200
    signed_in: bool = False


def _event(**lookup) -> Event:
    return Event.objects.get(**lookup)


def _invitation_page() -> str:
    """An invitation to become a contact person, to an address the member has not verified:
    the page names the address needed (actors/contact_views.py)."""
    invitation = ContactInvitation.objects.create(
        actor=Actor.objects.get(name=RUNNERS[0][0]), email="jemand@example.org"
    )
    return reverse("organisation:invitation", args=[invitation_token(invitation=invitation)])


# What to render, each in both languages; called with the language active.
VISITS: dict[str, Callable[[], Visit]] = {
    "home": lambda: Visit(reverse("home")),
    "initiative": lambda: Visit(reverse("initiative")),
    "actor list": lambda: Visit(reverse("actors:list")),
    "actor list, filtered": lambda: Visit(
        reverse("actors:list") + "?sector=stiftungen&city=Berlin&q=Stiftung"
    ),
    "actor": lambda: Visit(Actor.objects.get(name=RUNNERS[0][0]).get_absolute_url()),
    "network": lambda: Visit(reverse("actors:network")),
    "network, filtered": lambda: Visit(reverse("actors:network") + "?sector=stiftungen&year=2020"),
    # With offers, needs and the actors that fit (actors/demo_offers.py).
    "actor with matches": lambda: Visit(Actor.objects.get(name="degewo AG").get_absolute_url()),
    "offers and needs": lambda: Visit(reverse("offers:list")),
    "offers and needs, filtered": lambda: Visit(
        reverse("offers:list") + "?direction=offer&kind=space&city=Berlin"
    ),
    "event list": lambda: Visit(reverse("events:list")),
    "event list, filtered": lambda: Visit(
        reverse("events:list") + "?kind=werkstattgespraech&year=2020"
    ),
    "event with documentation": lambda: Visit(
        _event(title="Beispiel: Werkstattgespräch Wohnen und Kreativwirtschaft").get_absolute_url()
    ),
    "event of the record, time and place not known": lambda: Visit(
        _event(title=events_demo.REVIEW.title).get_absolute_url()
    ),
    "event with registration": lambda: Visit(
        _event(title=events_demo.REGISTRATION_EXAMPLE_TITLE).get_absolute_url()
    ),
    "registration form": lambda: Visit(
        reverse(
            "events:register",
            kwargs={"slug": _event(title=events_demo.REGISTRATION_EXAMPLE_TITLE).slug},
        )
    ),
    "registration form with errors": lambda: Visit(
        reverse(
            "events:register",
            kwargs={"slug": _event(title=events_demo.REGISTRATION_EXAMPLE_TITLE).slug},
        ),
        data={"name": "", "email": "keine-adresse"},
    ),
    "project list": lambda: Visit(reverse("projects:list")),
    "project list, filtered": lambda: Visit(reverse("projects:list") + "?status=completed"),
    "project": lambda: Visit(
        Project.objects.get(slug=projects_demo.GROUND_FLOORS.slug).get_absolute_url()
    ),
    "results": lambda: Visit(reverse("results:overview")),
    "publication": lambda: Visit(Publication.objects.get().get_absolute_url()),
    "search": lambda: Visit(reverse("search") + "?q=Quartier"),
    "search without results": lambda: Visit(reverse("search") + "?q=Xylophon"),
    "image credits and map": lambda: Visit(reverse("image_credits")),
    "contact": lambda: Visit(reverse("pages:kontakt")),
    "legal notice": lambda: Visit(reverse("pages:impressum")),
    "privacy": lambda: Visit(reverse("pages:datenschutz")),
    "application form": lambda: Visit(reverse("applications:apply")),
    "application form with errors": lambda: Visit(
        reverse("applications:apply"), data={"organisation_name": "", "email": "keine-adresse"}
    ),
    "login with errors": lambda: Visit(
        reverse("account_login"), data={"login": "niemand@example.org", "password": "falsch"}
    ),
    "sign-up with errors": lambda: Visit(
        reverse("account_signup"), data={"email": "keine-adresse", "password1": "kurz"}
    ),
    "password reset": lambda: Visit(reverse("account_reset_password")),
    "account": lambda: Visit(reverse("account_overview"), signed_in=True),
    "contact invitation": lambda: Visit(_invitation_page(), signed_in=True),
    "contact invitation, link not valid": lambda: Visit(
        reverse("organisation:invitation", args=["kein-gueltiger-link"]), status=404
    ),
    # The member is a contact of degewo AG, with a proposal returned with a note (below).
    "my organisations": lambda: Visit(reverse("organisation:list"), signed_in=True),
    "organisation form": lambda: Visit(
        reverse("organisation:edit", kwargs={"slug": "degewo-ag"}), signed_in=True
    ),
    "organisation form with errors": lambda: Visit(
        reverse("organisation:edit", kwargs={"slug": "degewo-ag"}),
        data={"name": "", "website": "kein web", "description": "**Neu**"},
        signed_in=True,
    ),
    "leaving an organisation": lambda: Visit(
        reverse("organisation:leave", kwargs={"slug": "degewo-ag"}), signed_in=True
    ),
    "page not found": lambda: Visit(f"{reverse('home')}gibt-es-nicht/", status=404),
}


def _render(client: Client, visit: Visit) -> bytes:
    if visit.data is None:
        response = client.get(visit.path)
    else:
        response = client.post(visit.path, visit.data)
        assert response.context["form"].errors, visit.path
    assert response.status_code == visit.status, visit.path
    assert response["Content-Type"].startswith("text/html"), visit.path
    return response.content


def _check(files: list[Path]) -> list[dict]:
    """The Nu checker's messages about ``files``, in one run."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is missing, needed by the Nu HTML Checker: apt-get install default-jre-headless",
            pytrace=False,
        )
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (make setup).", pytrace=False)
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    # The checker writes its report to standard error.
    return json.loads(result.stderr)["messages"]


@pytest.fixture(scope="module")
def messages(demo_db, django_db_blocker, tmp_path_factory) -> dict[str, list[dict]]:
    """The checker's messages for each page, by test id ("de-home"), checked in one run."""
    folder = tmp_path_factory.mktemp("html")
    visitor, member = Client(), Client()
    files = {}
    cache.clear()  # no rate limit left by another module
    with django_db_blocker.unblock():
        # Someone with an account who registered for an event and applied to join.
        user = UserFactory(username="erika", first_name="Erika")
        RegistrationFactory(
            event=_event(title="Beispiel: Netzwerktreffen der Partner"),
            user=user,
            email=user.email,
        )
        ApplicationFactory(user=user, email=user.email)
        degewo = Actor.objects.get(name="degewo AG")
        ActorContact.objects.create(actor=degewo, user=user, source=ActorContact.Source.STAFF)
        ProfileProposal.objects.create(
            actor=degewo,
            proposed_by=user,
            values={"city": "Potsdam"},
            based_on=degewo.updated_at,
            status=ProfileProposal.Status.RETURNED,
            staff_note="Bitte die Stadt prüfen:\nder Sitz ist in Berlin.",
        )
        member.force_login(user)
        for language in LANGUAGES:
            for name, visit in VISITS.items():
                with translation.override(language):
                    visit = visit()
                    content = _render(member if visit.signed_in else visitor, visit)
                page_id = f"{language}-{name}"
                files[page_id] = folder / f"{page_id.replace(' ', '-').replace(',', '')}.html"
                files[page_id].write_bytes(content)
    cache.clear()
    found = {page_id: [] for page_id in files}
    by_name = {path.name: page_id for page_id, path in files.items()}
    for message in _check(list(files.values())):
        page_id = by_name.get(message.get("url", "").rpartition("/")[2])
        if page_id is None:  # a message about the run itself, e.g. a file it could not read
            pytest.fail(f"The Nu checker: {message}", pytrace=False)
        found[page_id].append({**message, "file": files[page_id]})
    return found


def _describe(message: dict) -> str:
    where = f"{message['file']}:{message.get('lastLine', '?')}"
    extract = message.get("extract", "").strip().replace("\n", " ")
    return f"{where}: {message['message']}\n    {extract}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", VISITS)
def test_page_is_valid_html(messages, language, name):
    errors = [
        message
        for message in messages[f"{language}-{name}"]
        if message["type"] in ("error", "non-document-error")
    ]
    assert not errors, "\n".join(
        [f"{len(errors)} HTML error(s):", *(_describe(error) for error in errors)]
    )
