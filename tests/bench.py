"""Benchmark of the public pages: `make bench`.

Serves the portal the way production does (gunicorn, DEBUG off, whitenoise with compressed
static files) on a SQLite copy in .bench/ (or, with ``--database-url postgres://…``, on a
PostgreSQL database of that name, dropped and created anew), loads the demo data plus generated
example actors, and puts each page under concurrent load from this machine. The load generator
shares the CPU with the server, so absolute numbers vary between machines: compare each page
with the trivial response measured in the same run (the "ratio" column).

It also reports what the home page transfers (HTML, CSS, fonts; compressed as served),
against the budget of 100 KB.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
PYTHON = sys.executable
HOST = "127.0.0.1"
WEIGHT_BUDGET = 100 * 1024

PAGES = [
    ("trivial (redirect)", "/favicon.ico"),
    ("home", "/"),
    ("initiative", "/initiative/"),
    ("directory", "/akteure/"),
    ("directory, filtered", "/akteure/?sector=stiftungen&q=stiftung"),
    ("directory, page 3", "/akteure/?page=3"),
    ("actor (group)", "/akteure/initiativen-des-kreativen-beruflichen-nachwuchses/"),
    ("events", "/veranstaltungen/"),
    (
        "event (documented)",
        "/veranstaltungen/bilanzveranstaltung-gemeinsam-fuer-das-quartier-2020/",
    ),
    ("calendar, all events", "/veranstaltungen/kalender.ics"),
    ("events feed", "/veranstaltungen/feed/"),
    ("image credits", "/bildnachweise/"),
    ("projects", "/projekte/"),
    ("project", "/projekte/beispiel-erdgeschosse-fuer-die-nachbarschaft/"),
    ("results", "/ergebnisse/"),
    ("search", "/suche/?q=quartier"),
    ("sitemap", "/sitemap.xml"),
    ("contact", "/kontakt/"),
    ("apply to join (form)", "/mitmachen/"),
    ("login (form)", "/konto/login/"),
    ("English directory", "/en/akteure/"),
]


def server_environment(port: int, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(
        {
            "DEBUG": "0",
            # Only for this local, throw-away benchmark server.
            "SECRET_KEY": "benchmark-only-not-a-secret",  # noqa: S105
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def recreate_postgres_database(url: str) -> None:
    """An empty database of the URL's name: the benchmark's data is made anew every run."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(env: dict[str, str], extra_actors: int) -> None:
    WORK.mkdir(exist_ok=True)
    (WORK / "bench.sqlite3").unlink(missing_ok=True)
    if env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        recreate_postgres_database(env["DATABASE_URL"])
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run([*manage, *command], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    script = (
        "from actors.models import Actor, Sector\n"
        "sectors = list(Sector.objects.all())\n"
        f"for n in range({extra_actors}):\n"
        "    actor = Actor.objects.create(name=f'Beispielorganisation {n:03d}',"
        " slug=f'beispielorganisation-{n:03d}', sector=sectors[n % len(sectors)],"
        " city=['Berlin', 'Leipzig', 'Mannheim'][n % 3], is_published=True,"
        " description='Beispiel für den Lasttest. ' * 5)\n"
        "    actor.topics.add(['Quartier', 'Kultur', 'Wohnen'][n % 3])\n"
    )
    subprocess.run([*manage, "shell", "-c", script], env=env, check=True, cwd=ROOT)


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "quartier.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("The benchmark server did not start.")


def load(port: int, path: str, *, seconds: float, concurrency: int) -> dict:
    """Closed-loop load: each of `concurrency` clients sends the next request when one returns."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    return {
        "path": path,
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": round(len(latencies) / seconds, 1),
        "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(percentile(0.95), 1) if latencies else None,
    }


def fetch(port: int, path: str, encoding: str) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": encoding})
    response = connection.getresponse()
    body = response.read()
    headers = {key.lower(): value for key, value in response.getheaders()}
    connection.close()
    return response.status, body, headers


def home_page_weight(port: int) -> dict:
    """Bytes on the wire for the home page and what it loads (stylesheets, fonts, icon)."""
    encoding = "br, gzip"
    _, html, _ = fetch(port, "/", "identity")
    _, compressed_html, _ = fetch(port, "/", encoding)
    items = {"/": len(compressed_html)}
    text = html.decode()
    assets = re.findall(r'<link[^>]+href="(/static/[^"]+)"', text)
    assets += re.findall(r'<script[^>]+src="(/static/[^"]+)"', text)
    for asset in assets:
        status, body, _headers = fetch(port, asset, encoding)
        items[asset] = len(body)
        if asset.endswith(".css"):
            _, plain, _ = fetch(port, asset, "identity")
            for url in re.findall(r'url\("?([^")]+)"?\)', plain.decode()):
                if url.startswith("data:"):
                    continue
                font = urljoin(asset, url)
                if font not in items and font.endswith(".woff2"):
                    items[urlsplit(font).path] = len(fetch(port, font, encoding)[1])
    # The preload and the stylesheet name the same font file; count each file once.
    total = sum(items.values())
    return {"items": items, "total_bytes": total, "budget_bytes": WEIGHT_BUDGET}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page (default 5)")
    parser.add_argument("--concurrency", type=int, default=8, help="parallel clients (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--actors", type=int, default=200, help="example actors added to the demo")
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{WORK / 'bench.sqlite3'}",
        help="the database to serve from (default: a SQLite file in .bench/); a PostgreSQL "
        "database named here is dropped and created anew",
    )
    arguments = parser.parse_args()

    if not shutil.which("gunicorn", path=str(Path(PYTHON).parent)):
        raise SystemExit("gunicorn is missing: run `make setup` first.")
    env = server_environment(arguments.port, arguments.database_url)
    prepare(env, arguments.actors)
    server = start_server(env, arguments.port, arguments.workers)
    try:
        weight = home_page_weight(arguments.port)
        results = []
        for label, path in PAGES:
            load(arguments.port, path, seconds=1, concurrency=2)  # warm-up
            result = load(
                arguments.port, path, seconds=arguments.seconds, concurrency=arguments.concurrency
            )
            result["page"] = label
            results.append(result)
    finally:
        server.terminate()
        server.wait(timeout=10)

    baseline = results[0]["requests_per_second"] or 1
    lines = [
        f"{'page':24} {'req/s':>8} {'ratio':>6} {'median ms':>10} {'p95 ms':>8} {'errors':>7}",
    ]
    for result in results:
        result["ratio_to_trivial"] = round(result["requests_per_second"] / baseline, 2)
        lines.append(
            f"{result['page']:24} {result['requests_per_second']:>8} "
            f"{result['ratio_to_trivial']:>6} {result['median_ms']:>10} "
            f"{result['p95_ms']:>8} {result['errors']:>7}"
        )
    lines.append("")
    lines.append(
        f"Home page transferred: {weight['total_bytes'] / 1024:.1f} KB "
        f"(budget {WEIGHT_BUDGET / 1024:.0f} KB)"
    )
    for path, size in weight["items"].items():
        lines.append(f"  {size / 1024:7.1f} KB  {path}")
    report = "\n".join(lines)
    sys.stdout.write(report + "\n")
    summary = {
        "settings": vars(arguments),
        "pages": results,
        "home_page_weight": weight,
        "cpu_count": os.cpu_count(),
    }
    (WORK / "results.json").write_text(json.dumps(summary, indent=2))
    sys.stdout.write(f"Written to {WORK / 'results.json'}\n")
    failed = any(result["errors"] for result in results)
    return 1 if failed or weight["total_bytes"] > WEIGHT_BUDGET else 0


if __name__ == "__main__":
    sys.exit(main())
