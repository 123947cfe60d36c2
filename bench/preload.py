"""Fill a database with fully answered projects, fast: one made by the engine, then bulk copies.

The template project is played through every phase by the engine itself (two organisations, the
adapt branch so that all six phases are answered and agreed, answers of realistic length), so
its rows are exactly what the bot writes. It is then copied N times with SQLAlchemy Core
``executemany``: ids are shifted per copy, references (answers in sign-offs and agreements
included) follow, unique keys (Telegram ids, invite tokens, input keys) get a per-copy prefix,
and times are moved back by up to a year so that idle-time queries see a realistic spread. Last,
the bot's 10-minute housekeeping runs once (a reminder scan, forgetting input keys older than a
week), so the database is in the state a running bot keeps it in.

    python -m bench preload --database-url sqlite:///data/bench.sqlite3 --projects 10000
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, text

from bot.app import build_engine
from storage import Database
from storage.models import Base

# Typed answers are paragraphs in real projects; the guide asks for short but concrete text.
ANSWER_TEXT = (
    "Vi startede, fordi borgerne ventede for længe på genoptræning. Løsningen kombinerer "
    "videokonsultationer med øvelser i en app, så terapeuten kan følge borgerens fremskridt. "
    "Det kræver en tablet, en kort introduktion og en fast kontaktperson i hjemmeplejen."
)
COPY_BATCH = 200  # projects per executemany round

# Columns that refer to other tables' ids (table -> column -> referred table).
REFERENCES: dict[str, dict[str, str]] = {
    "persons": {"id": "persons", "current_project_id": "projects"},
    "projects": {"id": "projects", "created_by": "persons"},
    "sides": {"id": "sides", "project_id": "projects"},
    "members": {"side_id": "sides", "person_id": "persons"},
    "answers": {"id": "answers", "side_id": "sides", "author_id": "persons"},
    "signoffs": {"id": "signoffs", "project_id": "projects", "side_id": "sides", "person_id": "persons"},
    "agreements": {"id": "agreements", "project_id": "projects"},
    "invites": {"project_id": "projects", "created_by": "persons"},
    "chat_states": {"person_id": "persons"},
    "outbox": {"id": "outbox", "person_id": "persons", "project_id": "projects", "side_id": "sides"},
    "processed_inputs": {},
}
ID_LISTS = {("signoffs", "revision_ids"): "answers", ("agreements", "revision_ids"): "answers",
            ("agreements", "signoff_ids"): "signoffs"}
CHAT_COLUMNS = {("persons", "external_id"), ("persons", "private_chat"), ("sides", "group_chat"),
                ("chat_states", "chat"), ("outbox", "chat")}
TIME_COLUMNS = ("created_at", "joined_at", "processed_at", "due_at", "sent_at", "claimed_until",
                "expires_at", "revoked_at", "closed_at", "last_activity_at", "changed_at", "reminders_checked_at")


def play_template(url: str, observe: Callable[[Any, Database], None] | None = None) -> None:
    """Two organisations answer every phase of the guide (adapt branch) and agree on each;
    `observe(engine, database)` may wrap the engine before the first input (bench/replay.py)."""
    from devtools.people.buttons import adapting
    from devtools.people.engine import World, invite_token
    from devtools.people.scenarios import agree

    database = Database(url)
    database.upgrade()
    engine = build_engine(database)
    if observe is not None:
        observe(engine, database)
    world = World(engine)
    anna, carl = world.person("anna"), world.person("carl")
    anna.says("/new")
    anna.says("Digital genoptræning")
    anna.presses("Vi vil dele")
    created = anna.says("Aarhus Kommune")
    carl.says(f"/start {invite_token(created, 0)}")
    carl.says("Odense Kommune")
    for _ in range(6):
        for person in (anna, carl):
            person.says("/continue")
            person.answer_all(ANSWER_TEXT, prefer=adapting)  # typed answers get a paragraph
        agreed = agree(anna, carl)
        if "Alle faser er gennemført" in agreed:
            break
    else:
        raise RuntimeError("the template project did not finish the guide")
    database.dispose()


def read_template(url: str) -> dict[str, list[dict[str, Any]]]:
    database = Database(url)
    rows: dict[str, list[dict[str, Any]]] = {}
    with database.engine.connect() as connection:
        for name in REFERENCES:
            table = Base.metadata.tables[name]
            rows[name] = [dict(r._mapping) for r in connection.execute(select(table))]
    database.dispose()
    return rows


def _strides(template: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """How far each copy's ids move: the template's largest id, per table."""
    strides = {}
    for name, rows in template.items():
        ids = [r["id"] for r in rows if "id" in r] if name != "members" else []
        strides[name] = max(ids, default=0)
    return strides


def _copy_rows(template: dict[str, list[dict[str, Any]]], strides: dict[str, int], base: dict[str, int],
               copy: int, shift: dt.timedelta) -> Iterator[tuple[str, dict[str, Any]]]:
    def moved(table: str, value: int | None) -> int | None:
        return None if value is None else value + base[table] + copy * strides[table]

    prefix = f"b{copy}-"
    for name, rows in template.items():
        for row in rows:
            new = dict(row)
            for column, referred in REFERENCES[name].items():
                new[column] = moved(referred, row[column])
            for (table, column), referred in ID_LISTS.items():
                if table == name:
                    new[column] = [moved(referred, v) for v in row[column]]
            for table, column in CHAT_COLUMNS:
                if table == name and row.get(column):
                    new[column] = prefix + row[column]
            if name == "invites":
                new["token"] = prefix + row["token"]
            if name == "processed_inputs":
                new["key"] = prefix + row["key"]
            for column in TIME_COLUMNS:
                if new.get(column) is not None:
                    new[column] = new[column] - shift
            yield name, new


def copy_template(url: str, template: dict[str, list[dict[str, Any]]], projects: int, seed: int = 1) -> None:
    """Insert `projects` copies of the template into the (migrated) database at `url`."""
    database = Database(url)
    database.upgrade()
    strides = _strides(template)
    rng = random.Random(seed)
    tables: dict[str, Table] = {name: Base.metadata.tables[name] for name in template}
    with database.engine.begin() as connection:
        base = {name: (connection.scalar(select(func.max(table.c.id))) or 0) if "id" in table.c else 0
                for name, table in tables.items()}
    for start in range(0, projects, COPY_BATCH):
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in template}
        for copy in range(start, min(start + COPY_BATCH, projects)):
            shift = dt.timedelta(days=rng.uniform(0, 365))
            for name, row in _copy_rows(template, strides, base, copy, shift):
                batch[name].append(row)
        with database.engine.begin() as connection:
            for name in REFERENCES:  # parents before children
                if batch[name]:
                    connection.execute(insert(tables[name]), batch[name])
    if not database.is_sqlite:
        with database.engine.begin() as connection:
            for name, table in tables.items():
                if "id" in table.c:
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))
            connection.execute(text("ANALYZE"))
    else:
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    database.dispose()


def preload(url: str, projects: int) -> dict[str, float]:
    """Fill `url` with `projects` fully answered projects; returns counts and seconds taken."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="spredning-template-") as directory:
        template_url = f"sqlite:///{Path(directory) / 'template.sqlite3'}"
        play_template(template_url)
        template = read_template(template_url)
    played = time.perf_counter()
    copy_template(url, template, projects)
    copied = time.perf_counter()
    settle(url)
    return {"projects": projects, "answers_per_project": len(template["answers"]),
            "template_seconds": played - started, "copy_seconds": copied - played,
            "settle_seconds": time.perf_counter() - copied}


def settle(url: str) -> None:
    """What the running bot does every 10 minutes (a reminder scan, forgetting old input keys):
    the state it keeps a database in."""
    from bot.app import build_reminders

    database = Database(url)
    engine = build_engine(database)
    build_reminders(engine).schedule()
    engine.forget_old_inputs()
    database.dispose()
