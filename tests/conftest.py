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
def signer():
    """What signs the web page's personal links in the tests."""
    from bot.web.tokens import Signer

    return Signer("test-secret-" + "x" * 20)


@pytest.fixture
def links(request, signer):
    """The engine's links: personal web links (the page in process) in modules marked `web_page`,
    else none."""
    if request.node.get_closest_marker("web_page") is None:
        return None
    from bot.engine.ports import Links
    from bot.web.tokens import with_web_links
    from devtools.people.web import BASE

    return with_web_links(Links(), signer, BASE, mini_app=True)


@pytest.fixture
def world(database, content, links):
    """Simulated people talking to the engine on a new database (see `devtools.people.engine`)."""
    from bot.app import compose_engine
    from devtools.people.engine import World

    guide, catalogs = content
    return World(compose_engine(guide, catalogs, database.unit_of_work, links))


@pytest.fixture
def web(world, signer):
    """The web page of the world's engine, in process, with a Starlette test client."""
    from starlette.testclient import TestClient

    from bot.app import web_app
    from devtools.people.web import BASE, BOT_TOKEN

    app = web_app(world.engine, signer, BASE, BOT_TOKEN)
    with TestClient(app.asgi(), base_url=BASE) as client:
        client.app_state = app  # type: ignore[attr-defined]
        yield client


@pytest.fixture
async def bot(tg, database, content):
    """The real PTB Application with reminders and no nudge delay, polling the fake Bot API (`tg`);
    yields its engine. Modules using it run on SQLite only (their `database_url`), as `spredning run`
    runs the engine inline on the event loop there."""
    import datetime as dt

    from devtools.people.telegram import running_bot

    async with running_bot(tg, content, database.unit_of_work, reminders=True,
                           nudge_delay=dt.timedelta(0)) as app:
        yield app.bot_data["adapter"].engine


@pytest.fixture
def tg():
    """The fake Bot API (devtools.fake_telegram), on a free port, for one test."""
    from devtools.fake_telegram import FakeTelegram

    with FakeTelegram() as server:
        yield server
