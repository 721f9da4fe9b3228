"""Concurrent registrations and applications through the real server: a step of `make bench`.

On a database of its own (``BENCH_DATABASE_URL`` plus ``_concurrency``, migrated, empty) it
creates a few published upcoming events with registration open and small capacities (every
event with a capacity has a waiting list; one has no limit), serves the portal with gunicorn
and production settings, and lets ``--concurrency-clients`` clients (threads of a second
process, the standard library's ``http.client``) do what people do, in rounds, for
``--concurrency-seconds``:

- apply to join (``/mitmachen/``): get the form, send it, open the confirmation link, confirm;
- register for the round's event: get the form, send it, open the confirmation link; then all
  clients confirm at the same moment (a barrier), so that they race for the last places. Two
  clients register the same address in each round, at the same time, and confirm it twice.

Each client takes the CSRF cookie and token from the page it got, as a browser does, and
sends a new address each time. The confirmation link is taken from the queued e-mail when its
arguments carry it, else made with the portal's own token function (``quartier.tokens``, the
same ``SECRET_KEY``): the e-mails are queued, and no worker runs during the benchmark.

Every response is recorded with what the page says (the portal's own markers: the redirect to
the "please check your e-mail" page, the texts of the confirmation pages, the error summary of
the form, status 429). Afterwards it checks the database: exactly the accepted registrations
and applications are stored, once each and with the state their page announced; no event has
more confirmed places than its capacity, and nobody waits while a place is free; no response
was a server error; every accepted one has its e-mails queued (``quartier.tasks.send_email``,
by recipient and template). It writes the section "Concurrent registrations and applications"
of ``bench/report.md``; the step fails when an invariant breaks.

The pure parts (the page classifier, the invariant checker, the report section) need no
server: see tests/quartier/test_bench_concurrency.py.
"""

import html
import http.client
import json
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode, urlsplit

SECTION_TITLE = "Concurrent registrations and applications"
# The benchmark's own database number of the machine's shared Redis (flushed before the run).
REDIS_DB = 8
MAIL_TASK_PATH = "quartier.tasks.send_email"
EMAIL_DOMAIN = "gleichzeitig.example.org"
STAFF_ADDRESS = f"redaktion@{EMAIL_DOMAIN}"
SLUG_PREFIX = "bench-gleichzeitig"
# Places of the events; None: no limit. Each event with a limit has a waiting list (the
# portal has no event without one): the places go first, then the waiting list.
EVENT_CAPACITIES = (3, 5, 8, 20, 40, None)
# What the server is told for the run, besides the benchmark's production settings.
SERVER_SETTINGS = {
    "FORM_MIN_FILL_SECONDS": "0",
    "FORM_RATE_LIMIT_PER_HOUR": "1000000",
    "PAGE_CACHE_SECONDS": "600",
    "STAFF_NOTIFICATION_EMAILS": STAFF_ADDRESS,
    # No mail server is needed: with the task queue the mails are only queued (no worker
    # runs); before it, they were sent within the request.
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}
REQUEST_TIMEOUT = 60
BARRIER_TIMEOUT = 300

# What a sent form led to.
SENT = "accepted"
RATE_LIMITED = "rate limited"
FORM_ERROR = "form error"
CLOSED = "registration closed"
MAIL_NOT_SENT = "e-mail not sent"
SERVER_ERROR = "server error"
NO_ANSWER = "no answer"
UNEXPECTED = "unexpected answer"
# What a confirmation page says.
PLACE = "place"
WAITING = "waiting list"
REFUSED = "refused"
CONFIRMED = "confirmed"
ALREADY = "confirmed before"

# Templates of the e-mails (the ``name`` of the mail task).
MAIL_CONFIRM_ADDRESS = "registration_confirm_address"
MAIL_PLACED = {"confirmed": "registration_confirmed", "waiting": "registration_waiting"}
MAIL_APPLICATION = "application_confirm"
MAIL_STAFF = "application_waiting"


# --- what a page says (pure; the texts come from the portal's own catalogue) ------------------


def page_markers() -> dict[str, list[str]]:
    """The German texts by which the portal's pages say what happened (Django must be set up).

    Taken from the same message catalogue the pages are rendered with, so that the classifier
    follows a reworded page instead of guessing."""
    from django.utils import translation
    from django.utils.translation import gettext

    from actors import views as application_views
    from events import views as registration_views

    with translation.override("de"):
        return {
            "form_errors": [gettext("Please correct the following:")],
            # Only while e-mail is sent within the request: the task queue cannot fail so.
            "mail_not_sent": [
                str(message)
                for views in (registration_views, application_views)
                if (message := getattr(views, "MAIL_NOT_SENT_MESSAGE", None))
            ],
            "rate_limited": [
                gettext(
                    "Too many registrations have been sent from your connection. "
                    "Please try again in an hour."
                ),
                str(application_views.RATE_LIMITED_MESSAGE),
                str(application_views.EMAIL_RATE_LIMITED_MESSAGE),
            ],
            "closed": [
                gettext("This event has been cancelled; registration is no longer possible."),
                gettext("Registration for this event is not open."),
                gettext("The registration deadline for this event has passed."),
                gettext("The event has already started; registration is no longer possible."),
            ],
            "place": [
                gettext(
                    "You are registered. We have sent you a confirmation with a calendar entry."
                ),
                gettext("You have confirmed this registration already: you are registered."),
            ],
            "waiting": [
                gettext(
                    "All places are taken: you are on the waiting list. We will write to you as "
                    "soon as a place becomes free."
                )
            ],
            "confirmed": [gettext("Thank you for confirming")],
            "already": [gettext("Already confirmed")],
        }


def page_text(body: str) -> str:
    """The page's text as a reader sees it: entities resolved, white space collapsed."""
    return " ".join(html.unescape(body).split())


def _says(text: str, markers: list[str]) -> bool:
    return any(" ".join(marker.split()) in text for marker in markers)


def classify_sent_form(
    status: int, location: str, body: str, *, sent_path: str, markers: dict
) -> str:
    """What the answer to a sent form (registration or application) says."""
    if status >= 500:
        return SERVER_ERROR
    if status in (301, 302, 303):
        return SENT if urlsplit(location).path == sent_path else UNEXPECTED
    text = page_text(body)
    if status == 429 or (status == 200 and _says(text, markers["rate_limited"])):
        return RATE_LIMITED
    if status == 200 and _says(text, markers["mail_not_sent"]):
        return MAIL_NOT_SENT
    if status == 200 and _says(text, markers["closed"]):
        return CLOSED
    if status == 200 and _says(text, markers["form_errors"]):
        return FORM_ERROR
    return UNEXPECTED


def classify_registration_confirmation(status: int, body: str, *, markers: dict) -> str:
    """What the page after the "confirm registration" button says: a place or the waiting
    list (also when confirmed before), refused (409: closed meanwhile)."""
    if status >= 500:
        return SERVER_ERROR
    text = page_text(body)
    if status == 409 and _says(text, markers["closed"]):
        return REFUSED
    if status == 200 and _says(text, markers["place"]):
        return PLACE
    if status == 200 and _says(text, markers["waiting"]):
        return WAITING
    return UNEXPECTED


def classify_application_confirmation(status: int, body: str, *, markers: dict) -> str:
    if status >= 500:
        return SERVER_ERROR
    text = page_text(body)
    if status == 200 and _says(text, markers["confirmed"]):
        return CONFIRMED
    if status == 200 and _says(text, markers["already"]):
        return ALREADY
    return UNEXPECTED


def form_fields(body: str) -> dict[str, str]:
    """The hidden inputs of the page's form (CSRF token, time stamp) by name."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", body):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name:
            fields[html.unescape(name.group(1))] = html.unescape(value.group(1) if value else "")
    return fields


# --- the invariants (pure: given what was sent and what is stored) ------------------------------


@dataclass
class Attempt:
    """One person's registration or application, as the client saw it."""

    kind: str  # "registration" or "application"
    email: str
    event: str = ""  # the event's slug, for a registration
    sent: str = ""  # what the answer to the form said
    confirmation: str = ""  # what the confirmation page said; empty: not confirmed
    link_source: str = ""  # where the confirmation link came from


@dataclass
class Stored:
    """What the database holds after the run."""

    # (event slug, e-mail, status) of every registration of the benchmark's events
    registrations: list[tuple[str, str, str]]
    # (e-mail, status) of every application sent with the benchmark's addresses
    applications: list[tuple[str, str]]
    # event slug -> places (None: no limit)
    capacities: dict[str, int | None]
    # (template, recipients) of every queued mail task; None: no task queue in this commit
    mails: list[tuple[str, tuple[str, ...]]] | None


@dataclass
class Check:
    title: str
    violations: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return not self.violations


APPLICATION_STATUS_AFTER = {CONFIRMED: "pending", ALREADY: "pending", "": "unconfirmed"}
REGISTRATION_STATUS_AFTER = {PLACE: "confirmed", WAITING: "waiting", "": "unconfirmed"}


def check_invariants(
    attempts: list[Attempt], stored: Stored, statuses: list[int], *, unanswered: int = 0
) -> list[Check]:
    """Each invariant of the run with what breaks it (empty: it held)."""
    checks = []

    server_errors = Counter(status for status in statuses if status >= 500)
    checks.append(
        Check(
            "No request failed with a server error (5xx), and every request was answered",
            [f"{count} × HTTP {status}" for status, count in sorted(server_errors.items())]
            + ([f"{unanswered} requests without an answer"] if unanswered else []),
        )
    )

    unknown = Counter(
        (attempt.kind, attempt.sent if attempt.sent == UNEXPECTED else attempt.confirmation)
        for attempt in attempts
        if UNEXPECTED in (attempt.sent, attempt.confirmation)
    )
    checks.append(
        Check(
            "Every answer said one of the portal's known outcomes",
            [f"{kind}: {count} × {what}" for (kind, what), count in sorted(unknown.items())],
        )
    )

    accepted = [attempt for attempt in attempts if attempt.sent == SENT]
    nothing = [
        f"no {kind} was accepted"
        for kind in ("registration", "application")
        if not any(attempt.kind == kind for attempt in accepted)
    ]
    checks.append(Check("Registrations and applications were accepted at all", nothing))

    # Registrations: one row per accepted (event, address), none for a refused one, and the
    # state the confirmation page announced.
    expected: dict[tuple[str, str], set[str]] = defaultdict(set)
    for attempt in attempts:
        if attempt.kind == "registration" and attempt.sent == SENT:
            expected[(attempt.event, attempt.email.casefold())].add(attempt.confirmation)
    rows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for slug, email, status in stored.registrations:
        rows[(slug, email.casefold())].append(status)
    violations = []
    for key, said in sorted(expected.items()):
        found = rows.get(key, [])
        if len(found) != 1:
            violations.append(f"{key[1]} at {key[0]}: {len(found)} rows instead of 1")
            continue
        announced = {REGISTRATION_STATUS_AFTER.get(outcome) for outcome in said - {REFUSED}}
        if REFUSED in said and not announced:
            announced = {"unconfirmed"}
        if len(announced) > 1 or found[0] not in announced:
            pages = ", ".join(sorted(outcome or "not confirmed" for outcome in said))
            violations.append(f"{key[1]} at {key[0]}: stored {found[0]}, the page said {pages}")
    violations += [
        f"{key[1]} at {key[0]}: {len(found)} rows, but no form was accepted"
        for key, found in sorted(rows.items())
        if key not in expected
    ]
    checks.append(
        Check(
            "The database holds exactly the accepted registrations, each once, in the state "
            "its page announced",
            violations,
        )
    )

    violations = []
    per_event: dict[str, Counter] = defaultdict(Counter)
    for slug, _email, status in stored.registrations:
        per_event[slug][status] += 1
    for slug, capacity in sorted(stored.capacities.items()):
        counts = per_event.get(slug, Counter())
        if capacity is not None and counts["confirmed"] > capacity:
            violations.append(f"{slug}: {counts['confirmed']} confirmed for {capacity} places")
        if counts["waiting"] and (capacity is None or counts["confirmed"] < capacity):
            violations.append(
                f"{slug}: {counts['waiting']} waiting while {counts['confirmed']} of "
                f"{capacity if capacity is not None else 'unlimited'} places are taken"
            )
    checks.append(
        Check(
            "No event is overbooked, and nobody waits while a place is free",
            violations,
        )
    )

    expected_applications: dict[str, list[str]] = defaultdict(list)
    for attempt in attempts:
        if attempt.kind == "application" and attempt.sent == SENT:
            expected_applications[attempt.email.casefold()].append(attempt.confirmation)
    stored_applications: dict[str, list[str]] = defaultdict(list)
    for email, status in stored.applications:
        stored_applications[email.casefold()].append(status)
    violations = []
    for email in sorted(set(expected_applications) | set(stored_applications)):
        said = expected_applications.get(email, [])
        found = stored_applications.get(email, [])
        if len(found) != len(said):
            violations.append(f"{email}: {len(found)} rows for {len(said)} accepted forms")
        elif sorted(found) != sorted(APPLICATION_STATUS_AFTER.get(s, "?") for s in said):
            violations.append(f"{email}: stored {', '.join(found)}")
    checks.append(
        Check(
            "The database holds exactly the accepted applications, each once, confirmed when "
            "its page said so",
            violations,
        )
    )

    checks.append(
        Check("Every accepted one has its e-mails queued", _mail_violations(attempts, stored))
    )
    return checks


def _mail_violations(attempts: list[Attempt], stored: Stored) -> list[str]:
    if stored.mails is None:
        return [f"no task queue: no mail task {MAIL_TASK_PATH} can be queued in this commit"]
    queued: Counter = Counter()
    for name, recipients in stored.mails:
        for recipient in recipients:
            queued[(recipient.casefold(), name)] += 1
    expected: Counter = Counter()
    for attempt in attempts:
        if attempt.sent != SENT:
            continue
        email = attempt.email.casefold()
        if attempt.kind == "application":
            expected[(email, MAIL_APPLICATION)] += 1
        else:
            expected[(email, MAIL_CONFIRM_ADDRESS)] += 1
    for _slug, email, status in stored.registrations:
        if status in MAIL_PLACED:
            expected[(email.casefold(), MAIL_PLACED[status])] = 1
    confirmed_applications = sum(1 for _email, status in stored.applications if status == "pending")
    if confirmed_applications:
        expected[(STAFF_ADDRESS, MAIL_STAFF)] = confirmed_applications
    violations = []
    missing = {key: count - queued[key] for key, count in expected.items() if queued[key] < count}
    extra = {
        key: count - expected[key]
        for key, count in queued.items()
        if count > expected[key] and key[0].endswith(EMAIL_DOMAIN)
    }
    for (email, name), count in sorted(missing.items()):
        violations.append(f"{email}: {count} × {name} missing")
    for (email, name), count in sorted(extra.items()):
        violations.append(f"{email}: {count} × {name} more than expected")
    if len(violations) > 20:
        violations = [
            *violations[:20],
            f"… {len(violations) - 20} more ({sum(missing.values())} mails missing, "
            f"{sum(extra.values())} too many in all)",
        ]
    return violations


# --- the report section (pure) ------------------------------------------------------------------


def section_markdown(summary: dict) -> str:
    """The report's section: the run, requests, outcomes, events, mails, the invariants."""
    lines = [
        f"## {SECTION_TITLE}",
        "",
        f"Made by `python -m bench.run {summary['arguments']}` on {summary['date']}, commit "
        f"{summary['commit']}: {summary['clients']} clients for {summary['seconds']:g} s "
        f"({summary['rounds']} rounds) against gunicorn with {summary['workers']} workers × "
        f"{summary['threads']} threads, `DEBUG=0`, on a database of its own; "
        + ", ".join(f"`{key}={value}`" for key, value in summary["settings"].items())
        + ". Each round every client applies to join, registers for the round's event and "
        "then all confirm at once; two clients register the same address at the same time.",
        "",
        f"{summary['requests']:,} requests in {summary['elapsed']:.1f} s: "
        f"{summary['requests'] / summary['elapsed'] if summary['elapsed'] else 0:.1f} per "
        f"second; {summary['accepted_per_second']:.1f} accepted registrations and applications "
        "per second.",
        "",
        "| request | count | median ms | p99 ms | statuses |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for kind, figures in summary["by_request"].items():
        statuses = ", ".join(f"{status}: {count}" for status, count in figures["statuses"].items())
        lines.append(
            f"| {kind} | {figures['count']:,} | {figures['median_ms']:.0f} | "
            f"{figures['p99_ms']:.0f} | {statuses} |"
        )
    lines += ["", "| outcome | registrations | applications |", "| --- | ---: | ---: |"]
    for outcome in summary["outcomes"]:
        counts = summary["outcomes"][outcome]
        lines.append(
            f"| {outcome} | {counts.get('registration', 0):,} | {counts.get('application', 0):,} |"
        )
    lines += [
        "",
        "Outcomes count pages: both clients of a shared address see theirs, the database holds "
        "one registration for the two.",
        "",
        "| event | places | confirmed | waiting | unconfirmed |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for slug, counts in summary["events"].items():
        places = "no limit" if counts["capacity"] is None else counts["capacity"]
        lines.append(
            f"| {slug} | {places} | {counts['confirmed']} | {counts['waiting']} | "
            f"{counts['unconfirmed']} |"
        )
    mails = summary["mails"]
    lines += [""]
    if mails is None:
        lines.append(f"Mails queued: none — there is no task `{MAIL_TASK_PATH}` in this commit.")
    else:
        lines.append(
            f"Mails queued (`{MAIL_TASK_PATH}`, no worker running): "
            + (", ".join(f"{name} {count:,}" for name, count in mails.items()) or "none")
            + "."
        )
    lines.append(
        "Confirmation links: "
        + ", ".join(f"{source} {count:,}" for source, count in summary["link_sources"].items())
        + "."
    )
    lines += ["", "Invariants:", ""]
    for check in summary["checks"]:
        verdict = "held" if not check["violations"] else "**broken**"
        detail = f": {'; '.join(check['violations'])}" if check["violations"] else ""
        lines.append(f"- {verdict} — {check['title']}{detail}")
    return "\n".join(lines) + "\n"


def with_section(report: str, section: str) -> str:
    """``report`` with its section of this step replaced by ``section``, or with it appended."""
    heading = f"## {SECTION_TITLE}"
    if heading not in report:
        return report.rstrip("\n") + "\n\n" + section if report.strip() else section
    before, rest = report.split(heading, 1)
    following = re.search(r"^## ", rest, re.MULTILINE)
    after = rest[following.start() :] if following else ""
    return before + section + ("\n" + after if after else "")


# --- the clients (in the driver process, with Django set up for the links and the checks) -----


@dataclass
class Response:
    kind: str
    status: int  # 0: no answer
    milliseconds: float


class Browser:
    """One person's browser: its cookies, one request at a time, no redirects followed."""

    def __init__(self, port: int, record):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.record = record

    def request(self, kind: str, method: str, path: str, data: dict | None = None):
        headers = {"Host": "127.0.0.1", "Accept-Language": "de"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError:
            self.record(Response(kind, 0, (time.monotonic() - started) * 1000))
            return 0, "", ""
        finally:
            connection.close()
        self.record(Response(kind, response.status, (time.monotonic() - started) * 1000))
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text

    def get_form(self, kind: str, path: str) -> dict[str, str] | None:
        status, _location, body = self.request(kind, "GET", path)
        return form_fields(body) if status == 200 else None


class Driver:
    """The clients, their rounds and what they saw."""

    def __init__(self, *, port: int, clients: int, seconds: float, events: list):
        self.port = port
        self.clients = clients
        self.seconds = seconds
        self.events = events
        self.markers = page_markers()
        self.responses: list[Response] = []
        self.attempts: list[Attempt] = []
        self.lock = threading.Lock()
        self.round = 0
        self.stop = False
        self.sequence = 0
        self.ready = threading.Barrier(clients, timeout=BARRIER_TIMEOUT)
        self.done = threading.Barrier(clients, action=self._next_round, timeout=BARRIER_TIMEOUT)
        self.twin_addresses: dict[int, str] = {}
        self.twin_links: dict[int, tuple[str, str]] = {}

    def _next_round(self) -> None:
        self.round += 1
        self.stop = time.monotonic() >= self.deadline

    def record(self, response: Response) -> None:
        with self.lock:
            self.responses.append(response)

    def address(self, client: int, kind: str) -> str:
        with self.lock:
            self.sequence += 1
            return f"{kind}-{client}-{self.sequence}@{EMAIL_DOMAIN}"

    def run(self) -> float:
        self.deadline = time.monotonic() + self.seconds
        started = time.monotonic()
        threads = [
            threading.Thread(target=self.client, args=(number,), daemon=True)
            for number in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - started

    def client(self, number: int) -> None:
        from django.db import connections

        rng = random.Random(number)  # noqa: S311 - test data, not secrets
        try:
            while not self.stop:
                event = self.events[self.round % len(self.events)]
                self.apply(number, rng)
                pending = self.register(number, event)
                self.ready.wait()
                if pending:
                    self.confirm_registration(*pending)
                self.done.wait()
        except threading.BrokenBarrierError:
            sys.stderr.write(f"client {number}: a barrier broke (another client failed)\n")
        except Exception:
            # One client's failure breaks the rounds of all: stop them rather than hang.
            self.ready.abort()
            self.done.abort()
            raise
        finally:
            connections.close_all()

    def apply(self, number: int, rng: random.Random) -> None:
        from django.urls import reverse

        browser = Browser(self.port, self.record)
        email = self.address(number, "antrag")
        attempt = Attempt("application", email)
        with self.lock:
            self.attempts.append(attempt)
        fields = browser.get_form("application form", reverse("applications:apply"))
        if fields is None:
            attempt.sent = NO_ANSWER
            return
        status, location, body = browser.request(
            "application sent",
            "POST",
            reverse("applications:apply"),
            {
                **fields,
                "organisation_name": f"Initiative {number}-{rng.randint(1, 10**6)}",
                "sector": "",
                "city": "Berlin",
                "website": "",
                "contact_name": f"Person {number}",
                "email": email,
                "phone": "",
                "offers": "Räume und Erfahrung",
                "seeks": "Partner im Quartier",
                "topics": "Wohnen, Kultur",
                "privacy_consent": "on",
            },
        )
        attempt.sent = classify_sent_form(
            status,
            location,
            body,
            sent_path=reverse("applications:sent"),
            markers=self.markers,
        )
        if attempt.sent != SENT:
            return
        path, attempt.link_source = application_link(email)
        if path is None:
            attempt.confirmation = UNEXPECTED
            return
        fields = browser.get_form("application confirmation page", path)
        if fields is None:
            attempt.confirmation = UNEXPECTED
            return
        status, _location, body = browser.request("application confirmed", "POST", path, fields)
        attempt.confirmation = classify_application_confirmation(status, body, markers=self.markers)

    def register(self, number: int, event) -> tuple | None:
        """Register for the event and open the confirmation page: (browser, attempt, path,
        form fields) to confirm after the barrier, or None."""
        from django.urls import reverse

        browser = Browser(self.port, self.record)
        twin = number in (0, 1)
        if twin:
            # Both twins take the address that the first of them makes for the round.
            with self.lock:
                email = self.twin_addresses.get(self.round)
                if email is None:
                    self.sequence += 1
                    email = f"zwilling-{self.sequence}@{EMAIL_DOMAIN}"
                    self.twin_addresses[self.round] = email
        else:
            email = self.address(number, "anmeldung")
        attempt = Attempt("registration", email, event=event.slug)
        with self.lock:
            self.attempts.append(attempt)
        form_path = reverse("events:register", kwargs={"slug": event.slug})
        fields = browser.get_form("registration form", form_path)
        if fields is None:
            attempt.sent = NO_ANSWER
            return None
        status, location, body = browser.request(
            "registration sent",
            "POST",
            form_path,
            {
                **fields,
                "name": f"Teilnehmerin {number}",
                "email": email,
                "organisation": "Nachbarschaftshaus",
                "accessibility_needs": "",
                "privacy_consent": "on",
            },
        )
        attempt.sent = classify_sent_form(
            status,
            location,
            body,
            sent_path=reverse("events:registration_sent", kwargs={"slug": event.slug}),
            markers=self.markers,
        )
        if attempt.sent != SENT:
            return None
        path, attempt.link_source = registration_link(email, event)
        if path is None:
            attempt.confirmation = UNEXPECTED
            return None
        fields = browser.get_form("registration confirmation page", path)
        if fields is None:
            attempt.confirmation = UNEXPECTED
            return None
        return browser, attempt, path, fields

    def confirm_registration(self, browser, attempt, path, fields) -> None:
        status, _location, body = browser.request("registration confirmed", "POST", path, fields)
        attempt.confirmation = classify_registration_confirmation(
            status, body, markers=self.markers
        )


def _queued_link(email: str, pattern: str) -> str | None:
    """The path in the queued mail to ``email`` that matches ``pattern``, if its task's
    arguments carry the text or the link."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return None
    queued = DBTaskResult.objects.filter(
        task_path=MAIL_TASK_PATH, args_kwargs__kwargs__to__icontains=email
    )
    for arguments in queued.values_list("args_kwargs", flat=True):
        kwargs = (arguments or {}).get("kwargs", {})
        if email not in (kwargs.get("to") or []):
            continue
        found = re.search(pattern, json.dumps(arguments, ensure_ascii=False))
        if found:
            return found.group(0)
    return None


def registration_link(email: str, event) -> tuple[str | None, str]:
    from events.models import Registration
    from events.services import registration_confirm_url

    queued = _queued_link(email, r"/veranstaltungen/anmeldung/[^/\"\s]+/bestaetigen/")
    if queued:
        return queued, "from the queued mail"
    registration = Registration.objects.filter(event=event, email=email).order_by("pk").first()
    if registration is None:
        return None, "no registration stored"
    return registration_confirm_url(registration), "from the token function"


def application_link(email: str) -> tuple[str | None, str]:
    from django.urls import reverse

    from actors.models import Application
    from actors.services import application_confirm_token

    confirm_path = reverse("applications:confirm", kwargs={"token": "TOKEN"})
    queued = _queued_link(email, re.escape(confirm_path).replace("TOKEN", r"[^/\"\s]+"))
    if queued:
        return queued, "from the queued mail"
    application = Application.objects.filter(email=email).order_by("-pk").first()
    if application is None:
        return None, "no application stored"
    return reverse(
        "applications:confirm",
        kwargs={"token": application_confirm_token(application=application)},
    ), "from the token function"


def create_events() -> list:
    """The benchmark's events: published, upcoming, registration open, small capacities."""
    import datetime

    from django.utils import timezone

    from events import demo as events_demo
    from events.models import Event

    start = timezone.now() + datetime.timedelta(days=30)
    events = []
    for number, capacity in enumerate(EVENT_CAPACITIES, 1):
        places = "ohne-grenze" if capacity is None else f"{capacity}-plaetze"
        event, _created = Event.objects.update_or_create(
            slug=f"{SLUG_PREFIX}-{number}-{places}",
            defaults={
                "title": f"Nachbarschaftstreffen {number}",
                "kind": events_demo.formats_ensure()["netzwerktreffen"],
                "status": Event.Status.PUBLISHED,
                "start": start + datetime.timedelta(days=number),
                "end": start + datetime.timedelta(days=number, hours=2),
                "venue_name": "Nachbarschaftssaal",
                "street": "Littenstraße 10",
                "postcode": "10179",
                "city": "Berlin",
                "summary": "Ein Treffen für die Nachbarschaft.",
                "registration_enabled": True,
                "capacity": capacity,
            },
        )
        events.append(event)
    return events


def stored_state(events) -> Stored:
    from actors.models import Application
    from events.models import Registration

    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        mails = None
    else:
        mails = []
        for arguments in DBTaskResult.objects.filter(task_path=MAIL_TASK_PATH).values_list(
            "args_kwargs", flat=True
        ):
            kwargs = (arguments or {}).get("kwargs", {})
            recipients = kwargs.get("to") or []
            if isinstance(recipients, str):
                recipients = [recipients]
            mails.append((kwargs.get("name", ""), tuple(recipients)))
    return Stored(
        registrations=list(
            Registration.objects.filter(event__in=events).values_list(
                "event__slug", "email", "status"
            )
        ),
        applications=list(
            Application.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list(
                "email", "status"
            )
        ),
        capacities={event.slug: event.capacity for event in events},
        mails=mails,
    )


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(driver: Driver, elapsed: float, stored: Stored, checks: list[Check]) -> dict:
    by_request = {}
    for kind in dict.fromkeys(response.kind for response in driver.responses):
        mine = [response for response in driver.responses if response.kind == kind]
        times = [response.milliseconds for response in mine]
        by_request[kind] = {
            "count": len(mine),
            "median_ms": statistics.median(times),
            "p99_ms": _percentile(times, 0.99),
            "statuses": dict(sorted(Counter(r.status for r in mine).items())),
        }
    outcomes: dict[str, Counter] = defaultdict(Counter)
    for attempt in driver.attempts:
        outcomes[f"form: {attempt.sent or NO_ANSWER}"][attempt.kind] += 1
        if attempt.confirmation:
            outcomes[f"confirmation: {attempt.confirmation}"][attempt.kind] += 1
    events = {}
    for slug, capacity in stored.capacities.items():
        counts = Counter(status for s, _email, status in stored.registrations if s == slug)
        events[slug] = {
            "capacity": capacity,
            "confirmed": counts["confirmed"],
            "waiting": counts["waiting"],
            "unconfirmed": counts["unconfirmed"],
        }
    accepted = sum(1 for attempt in driver.attempts if attempt.sent == SENT)
    return {
        "clients": driver.clients,
        "seconds": driver.seconds,
        "rounds": driver.round,
        "elapsed": elapsed,
        "requests": len(driver.responses),
        "accepted_per_second": accepted / elapsed if elapsed else 0.0,
        "by_request": by_request,
        "outcomes": {key: dict(value) for key, value in sorted(outcomes.items())},
        "events": events,
        "mails": None
        if stored.mails is None
        else dict(sorted(Counter(name for name, _to in stored.mails).items())),
        "link_sources": dict(
            Counter(a.link_source for a in driver.attempts if a.link_source).most_common()
        ),
        "checks": [asdict(check) for check in checks],
        "held": all(check.held for check in checks),
    }


def drive(port: int, clients: int, seconds: float) -> None:
    """In the driver process (Django set up on the server's database): the run and the checks,
    printed as one JSON line."""
    import django

    django.setup()
    events = create_events()
    driver = Driver(port=port, clients=clients, seconds=seconds, events=events)
    elapsed = driver.run()
    stored = stored_state(events)
    statuses = [response.status for response in driver.responses if response.status]
    unanswered = sum(1 for response in driver.responses if not response.status)
    checks = check_invariants(driver.attempts, stored, statuses, unanswered=unanswered)
    summary = summarise(driver, elapsed, stored, checks)
    sys.stdout.write("BENCH-JSON " + json.dumps(summary) + "\n")


# --- the step of bench.run ----------------------------------------------------------------------


def run_step(arguments, *, secret_key: str, log) -> tuple[dict, str]:
    """Prepare the database, serve, drive the clients, check; (summary, report section)."""
    import importlib.util

    from bench import run

    url = run.database_url(arguments.database_url, "concurrency")
    environment = run.base_environment(url, "concurrency", secret_key)
    environment.update(SERVER_SETTINGS)
    shown = ("FORM_MIN_FILL_SECONDS", "FORM_RATE_LIMIT_PER_HOUR")
    settings = {key: SERVER_SETTINGS[key] for key in shown}
    if importlib.util.find_spec("redis") is not None:
        run.flush_redis(REDIS_DB)
        environment["REDIS_URL"] = f"redis://{run.HOST}:6379/{REDIS_DB}"
        settings["REDIS_URL"] = environment["REDIS_URL"]
    environment["DJANGO_SETTINGS_MODULE"] = "quartier.settings"
    sys.stdout.write(f"\n== concurrency: preparing {urlsplit(url).path.lstrip('/')} ...\n")
    sys.stdout.flush()
    run.recreate_database(url)
    try:
        run.manage(environment, "migrate", "--noinput", "-v0", log=log)
        # The pages name their hashed static files: without the manifest they could not render.
        run.manage(environment, "collectstatic", "--noinput", "-v0", log=log)
        port = run.free_port()
        server = run.start_server(
            environment, port, arguments.workers, log, threads=arguments.concurrency_threads
        )
        try:
            sys.stdout.write(
                f"   {arguments.concurrency_clients} clients for "
                f"{arguments.concurrency_seconds:g} s ...\n"
            )
            sys.stdout.flush()
            output = run.run_python(
                environment,
                "-m",
                "bench.concurrency",
                "--port",
                str(port),
                "--clients",
                str(arguments.concurrency_clients),
                "--seconds",
                str(arguments.concurrency_seconds),
                log=log,
            )
        finally:
            run.stop_server(server)
    finally:
        if not arguments.keep:
            run.drop_database(url)
    summary = run._bench_json(output)
    summary.update(
        arguments=" ".join(sys.argv[1:]),
        date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        commit=run.commit(),
        workers=arguments.workers,
        threads=arguments.concurrency_threads,
        settings=settings,
    )
    return summary, section_markdown(summary)


def print_summary(summary: dict) -> None:
    sys.stdout.write(
        f"   {summary['requests']:,} requests in {summary['elapsed']:.1f} s, "
        f"{summary['rounds']} rounds\n"
    )
    for outcome, counts in summary["outcomes"].items():
        sys.stdout.write(f"   {outcome:32} {counts}\n")
    for check in summary["checks"]:
        verdict = "held" if not check["violations"] else "BROKEN"
        sys.stdout.write(f"   {verdict:7} {check['title']}\n")
        for violation in check["violations"][:10]:
            sys.stdout.write(f"           {violation}\n")
    sys.stdout.flush()


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="The driver of bench.run's concurrency step.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    arguments = parser.parse_args(argv)
    drive(arguments.port, arguments.clients, arguments.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
