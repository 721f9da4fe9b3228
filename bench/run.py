"""The benchmark of the public pages, as production serves them: `make bench`.

For each data size (``small``: the demo plus about 100 generated actors; ``large``: 10,000) it
recreates a PostgreSQL database (``BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/quartier_bench, plus ``_small`` or ``_large``), migrates,
loads the demo and the generated data (``bench/data.py``), and serves the portal with gunicorn
and production settings (``DEBUG=0``, 2 workers, ``CONN_MAX_AGE=60``) twice: with the page cache
in Redis (``PAGE_CACHE_SECONDS=600``) and without it (``PAGE_CACHE_SECONDS=0``). wrk, a second
process, loads each page for ``--seconds`` at each of ``--connections``, after a warm-up;
requests slower than 2 seconds count as errors (timeouts). In the same run against the same
server it measures ``/favicon.ico`` (the floor: a trivial Django view through every middleware, a
redirect the page cache never stores, measured before and after the pages; the ratios use the
mean) and a hashed stylesheet from ``/static/`` (the ceiling). SQL queries per page are counted
with Django's test client in a separate process on the same database and a Redis database of
its own, page cache off: "cold" with every cache empty, "warm" on a second request.

The load generator shares the machine's cores with the server and PostgreSQL, so absolute
figures depend on the machine and on what else runs: compare pages as ratios to the trivial
view of the same run. It writes ``bench/report.md`` (machine, date, commit, data sizes, a
table per size, cache mode and connection count, the targets met or missed) and
``.bench/results.json``, and prints the ratios. It exits non-zero only when the run itself
fails, not for a missed target. With the defaults it takes about 12 minutes.

Then, on a database of its own, it drives concurrent registrations and applications through
the real server for ``--concurrency-seconds`` (``bench/concurrency.py``) and writes their
section of the report; that step fails the run when one of its invariants breaks (a stored
row that was refused, an overbooked event, a server error, a mail not queued). ``--only
concurrency`` runs just that step and replaces its section in the existing report.

    .venv/bin/python -m bench.run [--seconds 5] [--sizes small,large] [--connections 16,64]
                                  [--keep] [--report bench/report.md]
                                  [--only pages|concurrency] [--concurrency-seconds 60]
                                  [--concurrency-clients 16] [--concurrency-threads 4]
"""

import argparse
import datetime
import importlib.util
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
PYTHON = sys.executable
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/quartier_bench"
# A database number of the benchmark's own on the machine's shared Redis, flushed before each
# server start.
REDIS_DB = 14
# The query-counting probe's own database: it empties its cache before every page.
PROBE_REDIS_DB = 15
WRK_TIMEOUT = "2s"
WARM_UP_SECONDS = 1

SIZES = ("small", "large")
# (key, PAGE_CACHE_SECONDS)
MODES = (("cached", 600), ("uncached", 0))
MODE_TITLES = {"cached": "page cache on (600 s)", "uncached": "page cache off"}

# Targets of the issue "Fast at any size".
TARGET_CONNECTIONS = 16
CACHED_SHARE_OF_TRIVIAL = 0.5
CACHED_P99_MS = 100
UNCACHED_SHARE_OF_TRIVIAL = 0.1
MAX_QUERIES = 12
MAX_MEDIAN_GROWTH = 1.5
MAX_LOAD_SECONDS = 120

TRIVIAL = "trivial"
STATIC = "static"
# (key, label); the paths of the starred ones are found in the database (see probe()).
PAGES = [
    ("home", "/"),
    ("directory", "/akteure/"),
    ("directory, sector", "*sector"),
    ("directory, page 5", "/akteure/?page=5"),
    ("actor", "*actor"),
    ("network", "/akteure/netzwerk/"),
    ("events", "/veranstaltungen/"),
    ("event, documented", "*event"),
    ("projects", "/projekte/"),
    ("project", "*project"),
    ("search", "/suche/?q=quartier"),
    ("sitemap", "/sitemap.xml"),
    ("sitemap section", "*sitemap_section"),
]
# A redirect to the icon: through every middleware, but never from the page cache (it stores
# only 200 responses), so that cached pages are compared with Django's own floor.
TRIVIAL_PATH = "/favicon.ico"


# --- figures and targets (pure: no server, no database) ----------------------------------------


@dataclass
class Measurement:
    requests: int
    seconds: float
    median_ms: float
    p99_ms: float
    errors: int  # failed connections, reads, writes; responses other than 2xx/3xx; timeouts
    timeouts: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @classmethod
    def from_wrk(cls, data: dict) -> "Measurement":
        errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
        return cls(
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            median_ms=data["median_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            errors=errors,
            timeouts=data["timeout"],
        )

    @classmethod
    def combined(cls, first: "Measurement", second: "Measurement") -> "Measurement":
        """Two runs of one page as one: summed requests and errors, mean median, worse p99."""
        return cls(
            requests=first.requests + second.requests,
            seconds=first.seconds + second.seconds,
            median_ms=(first.median_ms + second.median_ms) / 2,
            p99_ms=max(first.p99_ms, second.p99_ms),
            errors=first.errors + second.errors,
            timeouts=first.timeouts + second.timeouts,
        )


# results[size][mode][connections][page key] -> Measurement
Results = dict[str, dict[str, dict[int, dict[str, Measurement]]]]
# queries[size][page key] -> {"cold": n, "warm": n, "status": http status}
Queries = dict[str, dict[str, dict[str, int]]]


@dataclass
class Target:
    title: str
    met: bool | None  # None: not measured in this run
    misses: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return {True: "met", False: "missed", None: "not measured"}[self.met]


def page_keys(by_page: dict[str, Measurement]) -> list[str]:
    return [key for key in by_page if key not in (TRIVIAL, STATIC)]


def ratio(page: Measurement, trivial: Measurement) -> float:
    return page.rps / trivial.rps if trivial.rps else 0.0


def _verdict(misses: list[str], measured: bool) -> bool | None:
    return (not misses) if measured else None


def evaluate_targets(
    results: Results, queries: Queries, *, load_seconds: float | None = None
) -> list[Target]:
    """Each target of the issue, met or missed, with the pages that miss it; ``load_seconds``
    is how long the generator took for the large data set."""
    at = TARGET_CONNECTIONS

    def share_target(mode: str, share: float, title: str) -> Target:
        misses, measured = [], False
        for size, modes in results.items():
            by_page = modes.get(mode, {}).get(at)
            if not by_page or TRIVIAL not in by_page:
                continue
            measured = True
            for key in page_keys(by_page):
                value = ratio(by_page[key], by_page[TRIVIAL])
                if value < share:
                    misses.append(f"{size}: {key} {value:.0%}")
        return Target(title, _verdict(misses, measured), misses)

    targets = [
        share_target(
            "cached",
            CACHED_SHARE_OF_TRIVIAL,
            f"Cached: every page ≥ {CACHED_SHARE_OF_TRIVIAL:.0%} of the trivial view's "
            f"requests per second at {at} connections",
        )
    ]

    misses, measured = [], False
    for size, modes in results.items():
        by_page = modes.get("cached", {}).get(at)
        if not by_page:
            continue
        measured = True
        misses += [
            f"{size}: {key} {by_page[key].p99_ms:.0f} ms"
            for key in page_keys(by_page)
            if by_page[key].p99_ms >= CACHED_P99_MS
        ]
    targets.append(
        Target(
            f"Cached: p99 under {CACHED_P99_MS} ms at {at} connections",
            _verdict(misses, measured),
            misses,
        )
    )
    targets.append(
        share_target(
            "uncached",
            UNCACHED_SHARE_OF_TRIVIAL,
            f"Uncached: every page ≥ {UNCACHED_SHARE_OF_TRIVIAL:.0%} of the trivial view's "
            f"requests per second at {at} connections",
        )
    )

    misses = [
        f"{size}: {key} {counts['cold']} queries"
        for size, by_page in queries.items()
        for key, counts in by_page.items()
        if key not in (TRIVIAL, STATIC) and counts["cold"] > MAX_QUERIES
    ]
    targets.append(
        Target(
            f"Uncached: at most {MAX_QUERIES} SQL queries per page (every cache empty)",
            _verdict(misses, bool(queries)),
            misses,
        )
    )

    small = results.get("small", {}).get("uncached", {}).get(at)
    large = results.get("large", {}).get("uncached", {}).get(at)
    misses = []
    if small and large:
        for key in page_keys(large):
            if key in small and small[key].median_ms:
                growth = large[key].median_ms / small[key].median_ms
                if growth > MAX_MEDIAN_GROWTH:
                    misses.append(f"{key} {growth:.2f}×")
    targets.append(
        Target(
            f"Uncached: median latency with the large data set ≤ {MAX_MEDIAN_GROWTH}× the "
            f"median with the small one at {at} connections",
            _verdict(misses, bool(small and large)),
            misses,
        )
    )

    misses = [
        f"{size}, {mode}, {connections} connections: {key} {measurement.errors} errors"
        f" ({measurement.timeouts} timeouts)"
        for size, modes in results.items()
        for mode, levels in modes.items()
        for connections, by_page in levels.items()
        for key, measurement in by_page.items()
        if measurement.errors
    ]
    targets.append(
        Target(
            "No errors: every request answered 2xx or 3xx within 2 seconds",
            _verdict(misses, bool(results)),
            misses,
        )
    )
    targets.append(
        Target(
            f"The large data set loads in under {MAX_LOAD_SECONDS // 60} minutes",
            None if load_seconds is None else load_seconds < MAX_LOAD_SECONDS,
            [f"{load_seconds:.0f} s"] if load_seconds and load_seconds >= MAX_LOAD_SECONDS else [],
        )
    )
    return targets


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def report_markdown(run: dict, results: Results, queries: Queries) -> str:
    """The report: machine, date, commit, data sizes, a table per size, mode and connections,
    the median growth, the targets."""
    lines = [
        "# Benchmark of the public pages",
        "",
        f"Made by `make bench` (`python -m bench.run {run['arguments']}`) on {run['date']}, "
        f"commit {run['commit']}.",
        "",
        "## Machine",
        "",
        f"- {run['machine']['cpu_count']} CPUs: {run['machine']['cpu_model']}; "
        f"{run['machine']['memory']} memory",
        f"- load average {run['machine']['load_before']} before the run, "
        f"{run['machine']['load_after']} after (the load generator, the server and "
        "PostgreSQL share these cores)",
        f"- {run['versions']}",
        f"- gunicorn with {run['workers']} sync workers, `DEBUG=0`, `CONN_MAX_AGE=60`; wrk "
        f"with {run['wrk_threads']} threads, {run['seconds']:g} s per page after a "
        f"{WARM_UP_SECONDS} s warm-up, timeout {WRK_TIMEOUT}; cache: {run['cache']}",
        "",
        "## Data",
        "",
    ]
    sizes = list(run["data"])
    lines.append("| rows | " + " | ".join(sizes) + " |")
    lines.append("| --- |" + " ---: |" * len(sizes))
    names = list(next(iter(run["data"].values()))["rows"]) if sizes else []
    for name in names:
        cells = [f"{run['data'][size]['rows'].get(name, 0):,}" for size in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    generated = [f"{size}: {run['data'][size]['generation']}" for size in sizes]
    if generated:
        lines += ["", "Generator (`bench/data.py`, on top of the demo): " + "; ".join(generated)]

    for size, modes in results.items():
        paths = run["data"][size]["paths"]
        for mode, levels in modes.items():
            for connections, by_page in levels.items():
                lines += [
                    "",
                    f"## {size}, {MODE_TITLES[mode]}, {connections} connections",
                    "",
                    "| page | path | req/s | × trivial | median ms | p99 ms | errors "
                    "| queries cold/warm | cache |",
                    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
                ]
                trivial = by_page.get(TRIVIAL)
                for key, measurement in by_page.items():
                    counts = queries.get(size, {}).get(key)
                    counted = f"{counts['cold']}/{counts['warm']}" if counts else "–"
                    cache = run["data"][size]["cache_headers"].get(mode, {}).get(key, "")
                    lines.append(
                        f"| {key} | `{paths.get(key, '')}` | {_number(measurement.rps)} | "
                        f"{ratio(measurement, trivial) if trivial else 0:.2f} | "
                        f"{measurement.median_ms:.1f} | {measurement.p99_ms:.1f} | "
                        f"{measurement.errors} | "
                        f"{counted} | {cache} |"
                    )

    small = results.get("small", {}).get("uncached", {})
    large = results.get("large", {}).get("uncached", {})
    for connections in sorted(set(small) & set(large)):
        lines += [
            "",
            f"## Median latency, small → large, page cache off, {connections} connections",
            "",
            "| page | small ms | large ms | growth |",
            "| --- | ---: | ---: | ---: |",
        ]
        for key, measurement in large[connections].items():
            before = small[connections].get(key)
            if before and before.median_ms:
                lines.append(
                    f"| {key} | {before.median_ms:.1f} | {measurement.median_ms:.1f} | "
                    f"{measurement.median_ms / before.median_ms:.2f}× |"
                )

    lines += ["", "## Targets", ""]
    for target in evaluate_targets(results, queries, load_seconds=large_load_seconds(run)):
        detail = f": {', '.join(target.misses)}" if target.misses else ""
        lines.append(f"- **{target.verdict}** — {target.title}{detail}")
    if run.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {note}" for note in run["notes"]]
    return "\n".join(lines) + "\n"


def large_load_seconds(run: dict) -> float | None:
    return run["data"].get("large", {}).get("load_seconds")


# --- the run ------------------------------------------------------------------------------------


def database_url(base: str, size: str) -> str:
    parts = urlsplit(base)
    return parts._replace(path=f"{parts.path.rstrip('/')}_{size}").geturl()


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as db:
        name = sql.Identifier(parts.path.lstrip("/"))
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        db.execute(sql.SQL("CREATE DATABASE {}").format(name))


def postgresql_problem(url: str) -> str:
    """Why the benchmark cannot use the PostgreSQL server of ``url``, or nothing."""
    import psycopg

    server = urlsplit(url)._replace(path="/postgres").geturl()
    try:
        psycopg.connect(server, connect_timeout=5).close()
    except psycopg.Error as error:
        return (
            f"PostgreSQL does not answer at {urlsplit(url).netloc} ({error}). Start it, e.g. "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or "
            "name another server in BENCH_DATABASE_URL.\n"
        )
    return ""


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as db:
        name = sql.Identifier(parts.path.lstrip("/"))
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def base_environment(database: str, size: str, secret_key: str) -> dict[str, str]:
    # Nothing of the caller's portal configuration leaks in (a .env file is read only for
    # variables not set here).
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "CACHE_URL", "REDIS_URL", "PAGE_CACHE_SECONDS")
    }
    environment.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "DATABASE_URL": database,
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "60",
            "PORTAL_BASE_URL": "http://127.0.0.1:8000",
            "MEDIA_ROOT": str(WORK / size / "media"),
            "DOCUMENTS_ROOT": str(WORK / size / "documents"),
            "PHOTO_ORIGINALS_ROOT": str(WORK / size / "originals"),
            "CACHE_URL": "locmemcache://",
            # gunicorn.conf.py (which gunicorn reads from the working folder) would replace
            # each worker after 5,000 requests: within a run of wrk, a pause that is not the
            # page's. Its access log stays on, as in production.
            "GUNICORN_MAX_REQUESTS": "0",
        }
    )
    return environment


def run_python(environment: dict[str, str], *arguments: str, log) -> str:
    """``python <arguments>`` in the project with ``environment``, its output logged; its stdout.

    A failure stops the run with the end of what the command wrote to stderr."""
    result = subprocess.run(
        [PYTHON, *arguments],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    command = " ".join(arguments)
    log.write(f"$ python {command}\n{result.stdout}{result.stderr}\n")
    if result.returncode:
        raise RuntimeError(f"python {command} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def manage(environment: dict[str, str], *arguments: str, log) -> str:
    return run_python(environment, "manage.py", *arguments, log=log)


def prepare(environment: dict[str, str], size: str, log) -> tuple[str, float | None]:
    """A new database with the demo and the generated data; what the generator took."""
    shutil.rmtree(WORK / size, ignore_errors=True)
    (WORK / size).mkdir(parents=True)
    recreate_database(environment["DATABASE_URL"])
    manage(environment, "migrate", "--noinput", "-v0", log=log)
    manage(environment, "load_demo", log=log)
    output = run_python(environment, "-m", "bench.data", "--scale", size, log=log)
    rows = re.search(r"^Generated in ([\d.]+) s", output, re.MULTILINE)
    done = re.search(r"^Done in ([\d.]+) s", output, re.MULTILINE)
    if not (rows and done):
        return "timing not reported", None
    seconds = float(done.group(1))
    return f"rows in {rows.group(1)} s, {seconds:.1f} s with statistics and search index", seconds


def probe() -> None:
    """In a process of its own with the benchmark's environment: the paths of the pages that
    are found in the database, the row counts, and each page's SQL queries (page cache off),
    printed as one JSON line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    django.setup()
    import xml.etree.ElementTree as ElementTree  # noqa: S405 - the portal's own sitemap

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from actors.models import Actor, Sector
    from events.models import Event, EventDocument, EventPhoto, ProgrammeItem, Registration, Speaker
    from projects.models import Project, ProjectDocument, ProjectPartner, ProjectPhoto

    # The same objects at both sizes: the demo's, loaded first (lowest keys).
    actor = Actor.objects.published().filter(members__isnull=False).order_by("pk").first()
    event = (
        Event.objects.documented()
        .filter(programme_items__isnull=False, photos__isnull=False)
        .order_by("pk")
        .first()
    )
    project = Project.objects.published().filter(partnerships__isnull=False).order_by("pk").first()
    sector = Sector.objects.filter(actors__is_published=True).order_by("position", "pk").first()
    client = Client()
    paths = {
        "actor": actor.get_absolute_url(),
        "event": event.get_absolute_url(),
        "project": project.get_absolute_url(),
        "sector": f"/akteure/?sector={sector.slug}",
    }
    response = client.get("/sitemap.xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - the portal's own sitemap
    if root.tag.endswith("sitemapindex"):
        locations = [element.text for element in root.iter() if element.tag.endswith("loc")]
        # The actors' section: the largest.
        chosen = next((loc for loc in locations if "akteure" in loc or "actor" in loc), None)
        chosen = urlsplit(chosen or locations[0])
        paths["sitemap_section"] = chosen.path + (f"?{chosen.query}" if chosen.query else "")

    pages = {}
    for key, path in PAGES:
        if path.startswith("*"):
            path = paths.get(path[1:])
        if path:
            pages[key] = path
    pages[TRIVIAL] = TRIVIAL_PATH

    queries = {}
    for key, path in pages.items():
        cache.clear()
        counts = {}
        for state in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                response = Client().get(path)
            counts[state] = len(captured.captured_queries)
        counts["status"] = response.status_code
        queries[key] = counts

    rows = {
        "actors (published)": Actor.objects.published().count(),
        "actors": Actor.objects.count(),
        "groups with members": Actor.objects.filter(members__isnull=False).distinct().count(),
        "events (public)": Event.objects.published().count(),
        "events": Event.objects.count(),
        "programme items": ProgrammeItem.objects.count(),
        "speakers": Speaker.objects.count(),
        "documents": EventDocument.objects.count() + ProjectDocument.objects.count(),
        "photos": EventPhoto.objects.count() + ProjectPhoto.objects.count(),
        "projects (published)": Project.objects.published().count(),
        "projects": Project.objects.count(),
        "project partners": ProjectPartner.objects.count(),
        "registrations": Registration.objects.count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    sys.stdout.write(
        "BENCH-JSON "
        + json.dumps(
            {
                "pages": pages,
                "queries": queries,
                "rows": rows,
                "postgresql": server_version,
            }
        )
        + "\n"
    )


def run_probe(environment: dict[str, str], log, *, redis_db: int | None = None) -> dict:
    """Queries are counted as production serves: with Redis, if there is one, the content
    version is read from it; with the per-process cache it would cost a query of its own."""
    probe_environment = {**environment, "PAGE_CACHE_SECONDS": "0"}
    if redis_db is not None:
        flush_redis(redis_db)
        probe_environment["REDIS_URL"] = f"redis://{HOST}:6379/{redis_db}"
    return _bench_json(run_python(probe_environment, "-m", "bench.run", "--probe", log=log))


def _bench_json(output: str) -> dict:
    for line in output.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line.removeprefix("BENCH-JSON "))
    raise RuntimeError(f"No result in the output:\n{output[-2000:]}")


def flush_redis(db: int) -> None:
    with socket.create_connection((HOST, 6379), timeout=5) as connection:
        connection.sendall(f"SELECT {db}\r\nFLUSHDB\r\n".encode())
        answer = b""
        while answer.count(b"\r\n") < 2:
            chunk = connection.recv(1024)
            if not chunk:
                break
            answer += chunk
    if answer != b"+OK\r\n+OK\r\n":
        raise RuntimeError(f"Redis did not flush database {db}: {answer!r}")


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind((HOST, 0))
        return probe_socket.getsockname()[1]


def start_server(
    environment: dict[str, str], port: int, workers: int, log, *, threads: int = 1
) -> subprocess.Popen:
    """gunicorn on ``port``; with ``threads`` > 1 each worker serves that many requests at once."""
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "quartier.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        env=environment,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn ended while starting: see .bench/run.log")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{TRIVIAL_PATH}", timeout=2):  # noqa: S310 - our own server
                return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 60 seconds")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def cache_header(port: int, path: str) -> str:
    """What the page cache says about the page (``X-Page-Cache``), after the warm-up."""
    request = urllib.request.Request(f"http://{HOST}:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server
            return response.headers.get("X-Page-Cache", "")
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except OSError:
        return "no answer"


def drain(port: int) -> None:
    """Wait until the server has answered what the last run left in its queue.

    wrk stops with a request open on every connection; sync workers still render those, one
    after the other, and a slow page at 64 connections leaves seconds of work that the next
    page's run would wait behind. The accept queue is first come, first served: once a new
    request is answered, the old ones are done.
    """
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{TRIVIAL_PATH}", timeout=60):  # noqa: S310 - our own server
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    raise RuntimeError("The server did not answer for 5 minutes after a run")


def wrk(port: int, path: str, *, seconds: float, connections: int) -> Measurement:
    drain(port)
    threads = min(2, connections)
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            WRK_TIMEOUT,
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    measurement = Measurement.from_wrk(_bench_json(result.stdout))
    if not measurement.requests:
        # wrk counts a timeout only when it checks (every 2 seconds): in a short run nothing
        # answered may count as nothing failed. Every connection waited in vain.
        measurement.errors += connections
        measurement.timeouts += connections
    return measurement


def measure_server(port: int, pages: dict[str, str], arguments, mode: str, size: str):
    """Every page at every connection count: the floor before and after the pages."""
    levels: dict[int, dict[str, Measurement]] = {}
    headers: dict[str, str] = {}
    for number, connections in enumerate(arguments.connections):
        by_page: dict[str, Measurement] = {}
        order = [(TRIVIAL, pages[TRIVIAL])] + [
            (key, path) for key, path in pages.items() if key != TRIVIAL
        ]
        before = None
        for key, path in order:
            if number == 0:
                wrk(port, path, seconds=WARM_UP_SECONDS, connections=2)
                headers[key] = cache_header(port, path)
            measurement = wrk(port, path, seconds=arguments.seconds, connections=connections)
            if key == TRIVIAL:
                before = measurement
            else:
                by_page[key] = measurement
        after = wrk(port, pages[TRIVIAL], seconds=arguments.seconds, connections=connections)
        trivial = Measurement.combined(before, after)
        levels[connections] = {**by_page, TRIVIAL: trivial}
        print_ratios(size, mode, connections, levels[connections], before, after)
    return levels, headers


def print_ratios(size, mode, connections, by_page, before, after) -> None:
    trivial = by_page[TRIVIAL]
    sys.stdout.write(
        f"\n{size}, {MODE_TITLES[mode]}, {connections} connections — trivial "
        f"{before.rps:,.0f} / {after.rps:,.0f} req/s (before/after)\n"
    )
    for key, measurement in by_page.items():
        sys.stdout.write(
            f"  {key:20} {measurement.rps:9,.1f} req/s  {ratio(measurement, trivial):6.2f}× "
            f"trivial  median {measurement.median_ms:7.1f} ms  p99 {measurement.p99_ms:7.1f} ms"
            f"  errors {measurement.errors}\n"
        )
    sys.stdout.flush()


def static_path() -> str:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return f"/static/{manifest['paths']['css/portal.css']}"


def machine() -> dict[str, str]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split()[1])
        memory = f"{kilobytes / 1024 / 1024:.1f} GB"
    return {"cpu_count": str(os.cpu_count()), "cpu_model": model, "memory": memory}


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def commit() -> str:
    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"{head} (with uncommitted changes)" if changed else head


def versions(postgresql: str) -> str:
    from importlib.metadata import version

    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    wrk_line = (wrk_version.stdout or wrk_version.stderr).splitlines()[0].split(" [")[0]
    return (
        f"Python {platform.python_version()}, Django {version('django')}, gunicorn "
        f"{version('gunicorn')}, PostgreSQL {postgresql}, {wrk_line}"
    )


def benchmark(arguments) -> int:
    import psycopg

    if not shutil.which("wrk"):
        sys.stderr.write("wrk is missing: apt-get install -y wrk (or run `make bench`).\n")
        return 2
    problem = postgresql_problem(arguments.database_url)
    if problem:
        sys.stderr.write(problem)
        return 2
    WORK.mkdir(exist_ok=True)
    secret_key = secrets.token_urlsafe(50)
    redis_client = importlib.util.find_spec("redis") is not None
    notes = []
    if not redis_client:
        notes.append(
            "The Python package `redis` is missing: the cached runs keep the page cache in "
            "each worker's memory instead of Redis."
        )
    run = {
        "arguments": " ".join(sys.argv[1:]),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "machine": {**machine(), "load_before": load_average()},
        "workers": arguments.workers,
        "wrk_threads": min(2, min(arguments.connections)),
        "seconds": arguments.seconds,
        "cache": f"Redis database {REDIS_DB}" if redis_client else "local memory per worker",
        "data": {},
        "notes": notes,
    }
    results: Results = {}
    queries: Queries = {}
    started = time.monotonic()
    databases = []
    postgresql = "unknown"
    with open(WORK / "run.log", "w") as log:
        try:
            base_env = base_environment("", "", secret_key)
            base_env["DATABASE_URL"] = database_url(arguments.database_url, arguments.sizes[0])
            manage(base_env, "collectstatic", "--noinput", "-v0", log=log)
            static = static_path()
            for size in arguments.sizes:
                url = database_url(arguments.database_url, size)
                databases.append(url)
                environment = base_environment(url, size, secret_key)
                sys.stdout.write(f"\n== {size}: preparing {urlsplit(url).path.lstrip('/')} ...\n")
                sys.stdout.flush()
                generation, load_seconds = prepare(environment, size, log)
                found = run_probe(
                    environment, log, redis_db=PROBE_REDIS_DB if redis_client else None
                )
                postgresql = found["postgresql"]
                pages = {**found["pages"], STATIC: static}
                queries[size] = found["queries"]
                run["data"][size] = {
                    "rows": found["rows"],
                    "generation": generation,
                    "load_seconds": load_seconds,
                    "paths": pages,
                    "cache_headers": {},
                }
                sys.stdout.write(
                    f"   {generation}\n   queries (cold/warm): "
                    + ", ".join(f"{k} {v['cold']}/{v['warm']}" for k, v in queries[size].items())
                    + "\n"
                )
                results[size] = {}
                for mode, seconds in MODES:
                    server_environment = {**environment, "PAGE_CACHE_SECONDS": str(seconds)}
                    if redis_client:
                        flush_redis(REDIS_DB)
                        server_environment["REDIS_URL"] = f"redis://{HOST}:6379/{REDIS_DB}"
                    port = free_port()
                    server = start_server(server_environment, port, arguments.workers, log)
                    try:
                        levels, headers = measure_server(port, pages, arguments, mode, size)
                    finally:
                        stop_server(server)
                    results[size][mode] = levels
                    run["data"][size]["cache_headers"][mode] = headers
                if run["data"][size]["cache_headers"].get("cached", {}).get(TRIVIAL) == "hit":
                    notes.append(
                        f"{size}: with the page cache on, {TRIVIAL_PATH} is served from the cache "
                        "too: the cached runs compare each page with a cached trivial response."
                    )
                if "cached" in run["data"][size]["cache_headers"] and not any(
                    run["data"][size]["cache_headers"]["cached"].values()
                ):
                    notes.append(
                        f"{size}: no response carried `X-Page-Cache`: the cached and the uncached "
                        "runs served the same way (the page cache is not in this commit, or "
                        "it did not cache these pages)."
                    )
        except (RuntimeError, OSError, subprocess.CalledProcessError, psycopg.Error) as error:
            sys.stderr.write(f"\nThe benchmark failed: {error}\n")
            return 1
        finally:
            if not arguments.keep:
                for url in databases:
                    drop_database(url)
    run["machine"]["load_after"] = load_average()
    run["versions"] = versions(postgresql)
    notes.append(f"The run took {(time.monotonic() - started) / 60:.1f} minutes.")
    report = report_markdown(run, results, queries)
    Path(arguments.report).write_text(report)
    raw = {
        "run": run,
        "results": {
            size: {
                mode: {
                    str(c): {k: vars(m) for k, m in by_page.items()} for c, by_page in lv.items()
                }
                for mode, lv in modes.items()
            }
            for size, modes in results.items()
        },
        "queries": queries,
    }
    (WORK / "results.json").write_text(json.dumps(raw, indent=2))
    sys.stdout.write("\nTargets:\n")
    for target in evaluate_targets(results, queries, load_seconds=large_load_seconds(run)):
        detail = f" ({', '.join(target.misses)})" if target.misses else ""
        sys.stdout.write(f"  {target.verdict:13} {target.title}{detail}\n")
    sys.stdout.write(f"\nWritten to {arguments.report} and {WORK / 'results.json'}\n")
    return 0


def _list(kind):
    def parse(text: str):
        return [kind(item) for item in text.split(",") if item.strip()]

    return parse


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page (default 5)")
    parser.add_argument(
        "--sizes", type=_list(str), default=list(SIZES), help="small,large (default both)"
    )
    parser.add_argument("--connections", type=_list(int), default=[16, 64], help="default 16,64")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL URL whose name gets _small and _large (default BENCH_DATABASE_URL or "
        f"{DEFAULT_DATABASE_URL}); those databases are dropped and created anew",
    )
    parser.add_argument("--report", default=str(ROOT / "bench" / "report.md"))
    parser.add_argument(
        "--only",
        choices=("pages", "concurrency"),
        help="run only the page benchmark or only the concurrent registrations and "
        "applications (default both; the latter replaces its section of the report)",
    )
    parser.add_argument(
        "--concurrency-seconds",
        type=float,
        default=60.0,
        help="concurrent registrations and applications for so long (default 60)",
    )
    parser.add_argument(
        "--concurrency-clients", type=int, default=16, help="concurrent clients (default 16)"
    )
    parser.add_argument(
        "--concurrency-threads",
        type=int,
        default=4,
        help="threads per gunicorn worker in that step (default 4)",
    )
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.probe:
        probe()
        return 0
    unknown = set(arguments.sizes) - set(SIZES)
    if unknown:
        parser.error(f"unknown sizes: {', '.join(sorted(unknown))}")
    if arguments.only != "concurrency":
        code = benchmark(arguments)
        if code or arguments.only == "pages":
            return code
    return concurrency_step(arguments)


def concurrency_step(arguments) -> int:
    """bench/concurrency.py through the real server; non-zero when an invariant broke."""
    import psycopg

    from bench import concurrency

    problem = postgresql_problem(arguments.database_url)
    if problem:
        sys.stderr.write(problem)
        return 2
    WORK.mkdir(exist_ok=True)
    with open(WORK / "concurrency.log", "w") as log:
        try:
            summary, section = concurrency.run_step(
                arguments, secret_key=secrets.token_urlsafe(50), log=log
            )
        except (RuntimeError, OSError, subprocess.CalledProcessError, psycopg.Error) as error:
            sys.stderr.write(f"\nThe concurrency step failed: {error}\n")
            return 1
    report = Path(arguments.report)
    previous = report.read_text() if report.exists() else ""
    report.write_text(concurrency.with_section(previous, section))
    (WORK / "concurrency.json").write_text(json.dumps(summary, indent=2))
    concurrency.print_summary(summary)
    sys.stdout.write(f"\nWritten to {arguments.report} and {WORK / 'concurrency.json'}\n")
    if not summary["held"]:
        sys.stderr.write("An invariant of the concurrent registrations and applications broke.\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
