"""The machine's PostgreSQL and Redis for the tests that run the portal as production does.

These tests start the portal's own processes (gunicorn, manage.py, the backup scripts) against
a PostgreSQL database of their own, whichever database the rest of the suite uses, and the
Redis database 9, emptied before and after. They are skipped only when the server is not
reachable at all.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_SERVER = os.environ.get("CHECK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = "redis://127.0.0.1:6379/9"


def _postgres_admin():
    import psycopg

    return psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=3)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The server's URL without a database; skips when nothing answers there."""
    try:
        _postgres_admin().close()
    except Exception as error:  # noqa: BLE001 - any failure means there is no server to use
        pytest.skip(f"no PostgreSQL at {POSTGRES_SERVER} ({error})")
    return POSTGRES_SERVER


@pytest.fixture(scope="module")
def scratch_database(postgres_server):
    """A new, empty database for the module, dropped afterwards; yields its URL."""
    name = f"quartier_deploy_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{postgres_server}/{name}"
    with _postgres_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_database():
    """Redis database 9, emptied before and after; skips when Redis does not answer."""
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at 127.0.0.1:6379 ({error})")
    server.flushdb()
    yield REDIS_URL
    server.flushdb()


def run(command: list[str], environment: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """Run one of the portal's commands in the project folder; fails with its output."""
    result = subprocess.run(  # noqa: S603 - our own commands, fixed arguments
        command,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=kwargs.pop("timeout", 300),
        check=False,
        **kwargs,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def manage(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *arguments], environment)
