"""Shared fixtures: a migrated SQLite file per test, and a throwaway PostgreSQL server per run.

Tests that take `database_url` run twice, on SQLite and on PostgreSQL. Without PostgreSQL server
binaries those runs are skipped locally and fail in CI (`CI` set), so CI never silently drops them.
"""

from __future__ import annotations

import os
import signal

import pytest

from devtools.postgres import PostgresServer, find_bindir


def _interrupt(signum, frame):  # type: ignore[no-untyped-def]
    raise KeyboardInterrupt


@pytest.fixture(scope="session")
def postgres_server():
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries not found, and CI needs them")
        pytest.skip("PostgreSQL server binaries not found (set PG_BIN)")
    server = PostgresServer(bindir)
    server.start()
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _interrupt)  # a terminated run still stops its cluster
    try:
        yield server
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A new, empty PostgreSQL database."""
    return postgres_server.create_database()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A new, empty SQLite file."""
    return f"sqlite:///{tmp_path / 'spredning.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """A new, empty database on each backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def content():
    """The guide and its catalogs (English for people whose language the bot does not speak)."""
    from bot.app import load_content

    return load_content(default_locale="en")


@pytest.fixture
def database(database_url):
    """A new database at the newest revision, on each backend."""
    from storage import Database

    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def world(database, content):
    """Simulated people talking to the engine on a new database (see `devtools.people.engine`)."""
    from bot.app import compose_engine
    from devtools.people.engine import World

    guide, catalogs = content
    return World(compose_engine(guide, catalogs, database.unit_of_work))


@pytest.fixture
def tg():
    """The fake Bot API (devtools.fake_telegram), on a free port, for one test."""
    from devtools.fake_telegram import FakeTelegram

    with FakeTelegram() as server:
        yield server
