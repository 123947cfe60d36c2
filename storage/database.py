"""Opening the database: engine settings per backend, migrations, units of work."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from storage.read_cache import ReadCache
from storage.unit_of_work import SqlUnitOfWork

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_database_url() -> str:
    """The embedded SQLite file: `$SPREDNING_DATA_DIR/spredning.sqlite3` (default `./data`)."""
    directory = Path(os.environ.get("SPREDNING_DATA_DIR") or "data").resolve()
    return f"sqlite:///{directory / 'spredning.sqlite3'}"


def normalize_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` URLs and use psycopg 3 for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and write transactions that take the lock up front."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        # Every unit of work may write; BEGIN IMMEDIATE waits for the write lock (up to the busy
        # timeout) instead of failing with "database is locked" half-way through.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class MigrationError(RuntimeError):
    """A migration would leave rows pointing at rows that do not exist; nothing was changed."""


class Database:
    """One database: `upgrade()` it, then open a `unit_of_work()` per input."""

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.new = False
        if self.is_sqlite:
            self.new = not parsed.database or parsed.database == ":memory:" or not Path(parsed.database).exists()
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(
                self.url, echo=echo, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        # SQLite has one writer at a time, and every unit of work may write. Threads of this process
        # queue for it here, in turn, instead of in SQLite's busy handler, which sleeps and retries
        # and lets an unlucky thread wait for seconds. Other processes still meet the busy timeout.
        self.writer = threading.Lock() if self.is_sqlite else None
        self.cache = ReadCache()

    def where(self) -> str:
        """Where the data is, for the operator: the SQLite file (and whether it is new), or the URL
        without its password."""
        parsed = make_url(self.url)
        if self.is_sqlite:
            return f"{Path(parsed.database or ':memory:').resolve()} (SQLite{', new' if self.new else ''})"
        return parsed.render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema up to `revision` with Alembic (the only source of the schema)."""
        self._migrate(command.upgrade, revision)

    def downgrade(self, revision: str) -> None:
        self._migrate(command.downgrade, revision)

    def _migrate(self, step: Callable[[Config, str], None], revision: str) -> None:
        """Run migrations in one transaction; on SQLite with foreign keys off, checked before commit.

        SQLite alters a table by copying it and dropping the old one (Alembic's batch mode), and a
        drop with foreign keys on cascades: every membership would go with `persons`. The switch
        only takes effect outside a transaction, so it is set on the connection before `BEGIN`;
        `PRAGMA foreign_key_check` then refuses to commit a schema whose references are broken.
        """
        config = self.alembic_config()
        with self.engine.connect() as connection:
            raw = connection.connection.driver_connection if self.is_sqlite else None
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    step(config, revision)
                    if raw is not None:
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise MigrationError(f"migrating to {revision} broke references: {broken[:10]}")
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys = ON")

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.writer, self.cache)

    def dispose(self) -> None:
        self.engine.dispose()
