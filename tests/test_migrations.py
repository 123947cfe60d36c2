"""Every migration keeps every row and reference, up from each older revision and down again.

A realistic project (both sides, a team, answers with revisions, sign-offs, an agreement, invites,
chat states, handled inputs, outbox rows) is written as plain rows into the schema of an older
revision – only the columns that revision has – and must come out of the upgrade unchanged. A new
migration is tested the same way without a new test: give `PROJECT` values for the columns it adds
(the test fails when a revision has a required column `PROJECT` does not fill).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, select

from storage import Database
from storage.database import MigrationError


def _at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 1, day, hour, 0)


ANNA, BO, CARL = 1, 2, 3
PROJECT: dict[str, list[dict[str, Any]]] = {
    "persons": [
        {"id": ANNA, "external_id": "tg:101", "name": "Anna", "locale": "da", "private_chat": "tg:101",
         "current_project_id": 1, "unreachable": False, "created_at": _at(1), "timezone": "Europe/Copenhagen",
         "reminders": True},
        {"id": BO, "external_id": "tg:102", "name": "Bo", "locale": "da", "private_chat": "tg:102",
         "current_project_id": 1, "unreachable": False, "created_at": _at(1, 11), "timezone": None,
         "reminders": False},
        {"id": CARL, "external_id": "tg:103", "name": "Carl", "locale": "nb", "private_chat": "tg:103",
         "current_project_id": 1, "unreachable": True, "created_at": _at(2), "timezone": "Europe/Oslo",
         "reminders": True},
    ],
    "projects": [
        {"id": 1, "name": "Digital genoptræning", "created_by": ANNA, "created_at": _at(1), "closed_at": None,
         "closed_reason": None, "reminder_days": 4, "reminder_repeat_days": 5, "reminder_max": 2,
         "changed_at": _at(6), "revision": 7},
    ],
    "sides": [
        {"id": 1, "project_id": 1, "role": "sharer", "organisation": "Aarhus Kommune",
         "group_chat": "tg:-1001", "group_locale": "da", "last_activity_at": _at(6),
         "reminders_checked_at": None, "revision": 12},
        {"id": 2, "project_id": 1, "role": "reuser", "organisation": "Oslo kommune", "group_chat": None,
         "group_locale": None, "last_activity_at": _at(5), "reminders_checked_at": _at(6, 12), "revision": 3},
    ],
    "members": [
        {"side_id": 1, "person_id": ANNA, "joined_at": _at(1), "muted": False, "paused": False, "in_group": True,
         "notify_where": None},
        {"side_id": 1, "person_id": BO, "joined_at": _at(1, 12), "muted": True, "paused": False, "in_group": False,
         "notify_where": "both"},
        {"side_id": 2, "person_id": CARL, "joined_at": _at(2), "muted": False, "paused": True, "in_group": False,
         "notify_where": "private"},
    ],
    "answers": [
        {"id": 1, "side_id": 1, "question_key": "check.describe.sharer.purpose", "status": "answered",
         "value": {"text": "Færre fejl ✓"}, "author_id": ANNA, "created_at": _at(3)},
        {"id": 2, "side_id": 1, "question_key": "check.describe.sharer.purpose", "status": "answered",
         "value": {"text": "Færre fejl og kortere ventetid"}, "author_id": BO, "created_at": _at(4)},
        {"id": 3, "side_id": 1, "question_key": "check.describe.sharer.proof", "status": "answered",
         "value": {"text": "Se rapporten", "attachments": [
             {"kind": "document", "file_id": "BQACAgQAAx0", "name": "rapport.pdf"}]},
         "author_id": ANNA, "created_at": _at(4, 11)},
        {"id": 4, "side_id": 2, "question_key": "check.describe.reuser.need", "status": "answered",
         "value": {"choice": "yes"}, "author_id": CARL, "created_at": _at(5)},
        {"id": 5, "side_id": 2, "question_key": "check.describe.reuser.budget", "status": "later",
         "value": {}, "author_id": CARL, "created_at": _at(5, 11)},
    ],
    "web_visits": [
        {"person_id": CARL, "project_id": 1, "seen_at": _at(6, 13)},
    ],
    "signoffs": [
        {"id": 1, "project_id": 1, "phase_id": "check", "side_id": 1, "person_id": BO, "verdict": "agree",
         "note": None, "revision_ids": [2, 3, 4, 5], "created_at": _at(6)},
        {"id": 2, "project_id": 1, "phase_id": "check", "side_id": 2, "person_id": CARL, "verdict": "agree",
         "note": "Fint", "revision_ids": [2, 3, 4, 5], "created_at": _at(6, 11)},
    ],
    "agreements": [
        {"id": 1, "project_id": 1, "phase_id": "check", "revision_ids": [2, 3, 4, 5], "signoff_ids": [1, 2],
         "created_at": _at(6, 11)},
    ],
    "invites": [
        {"token": "p" * 32, "project_id": 1, "role": "reuser", "kind": "partner", "created_by": ANNA,
         "created_at": _at(1), "expires_at": _at(15), "revoked_at": None},
        {"token": "t" * 32, "project_id": 1, "role": "sharer", "kind": "team", "created_by": BO,
         "created_at": _at(1, 12), "expires_at": _at(15, 12), "revoked_at": _at(2)},
    ],
    "invite_failures": [
        {"id": 1, "person_id": CARL, "at": _at(2)},
        {"id": 2, "person_id": CARL, "at": _at(2, 11)},
    ],
    "chat_states": [
        {"person_id": ANNA, "chat": "tg:101", "pending": {"mode": "answer", "project": 1}},
        {"person_id": CARL, "chat": "tg:103", "pending": {}},
    ],
    "processed_inputs": [
        {"key": "tg:update:1000", "processed_at": _at(6), "person_id": CARL,
         "reply": {"messages": [{"chat": "tg:103", "text": "✓ Gemt."}], "notice": None}},
    ],
    "outbox": [
        {"id": 1, "chat": "tg:103", "person_id": CARL, "project_id": 1, "side_id": 2, "kind": "tools_done",
         "debounce_key": "tools_done:1:2", "payload": {"text": "Aarhus Kommune har besvaret", "buttons": []},
         "state": "sent", "due_at": _at(4), "created_at": _at(4), "claimed_until": None, "attempts": 1,
         "sent_at": _at(4, 11), "error": None, "parts_sent": 1, "parts_started": 1},
        {"id": 2, "chat": "tg:-1001", "person_id": None, "project_id": 1, "side_id": 1, "kind": "reminder",
         "debounce_key": None, "payload": {"text": "⏰ Digital genoptræning", "buttons": [["▶", "c:1"]]},
         "state": "pending", "due_at": _at(9), "created_at": _at(6), "claimed_until": None, "attempts": 0,
         "sent_at": None, "error": None, "parts_sent": 0, "parts_started": 0},
    ],
    "uploads": [
        {"id": 1, "project_id": 1, "name": "rapport.pdf", "mime": "application/pdf", "size": 9,
         "data": b"%PDF-1.7\n", "created_at": _at(4)},
    ],
    "sent_questions": [
        {"chat": "tg:-1001", "message_ref": "-1001:77", "project_id": 1, "question_key": "describe.purpose",
         "answer_id": None, "sent_at": _at(3)},
        {"chat": "tg:101", "message_ref": "101:78", "project_id": 1, "question_key": "describe.solution",
         "answer_id": 2, "sent_at": _at(4)},
    ],
}


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(Database("sqlite://").alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


OLDER = revisions()[:-1]


def _plain(value: Any) -> Any:
    """Values as both backends return them: naive UTC datetimes, plain booleans."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def fill(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Write `PROJECT` into the schema as it is now: the columns that exist; the rows written."""
    written: dict[str, list[dict[str, Any]]] = {}
    aware = db.backend != "sqlite"
    with db.engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        for name, rows in PROJECT.items():  # in order of their references
            if name not in metadata.tables:
                continue
            table = metadata.tables[name]
            missing = [c.name for c in table.columns if not c.nullable and c.server_default is None
                       and c.autoincrement is not True and c.name not in rows[0]]
            assert not missing, f"give PROJECT[{name!r}] values for {missing}"
            kept = [{k: (v.replace(tzinfo=dt.UTC) if aware and isinstance(v, dt.datetime) else v)
                     for k, v in row.items() if k in table.columns} for row in rows]
            connection.execute(table.insert(), kept)
            written[name] = [{k: v for k, v in row.items() if k in table.columns} for row in rows]
    return written


def assert_kept(db: Database, written: dict[str, list[dict[str, Any]]]) -> None:
    """Every written row is there, with every value (and so every reference) as written."""
    with db.engine.connect() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        for name, rows in written.items():
            table: Table = metadata.tables[name]
            stored = [dict(r._mapping) for r in connection.execute(select(table))]
            assert len(stored) == len(rows), f"{name}: {len(stored)} rows of {len(rows)}"
            key = [c.name for c in table.primary_key.columns]
            by_key = {tuple(r[k] for k in key): r for r in stored}
            for row in rows:
                found = by_key.get(tuple(row[k] for k in key))
                assert found is not None, f"{name}: row {row} is gone"
                for column, value in row.items():
                    if column not in found:
                        continue  # a column a migration dropped
                    assert _plain(found[column]) == _plain(value), f"{name}.{column}: {found[column]!r} != {value!r}"


@pytest.mark.parametrize("revision", OLDER)
def test_upgrading_from_each_older_revision_keeps_every_row_and_reference(database_url, revision):
    db = Database(database_url)
    db.upgrade(revision)
    written = fill(db)
    db.upgrade()
    assert db.current_revision() == revisions()[-1]
    assert_kept(db, written)
    db.dispose()


@pytest.mark.parametrize("revision", OLDER)
def test_downgrading_to_each_older_revision_keeps_the_rows_that_revision_can_hold(database_url, revision):
    db = Database(database_url)
    db.upgrade()
    written = fill(db)
    db.downgrade(revision)
    with db.engine.connect() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
    kept = {name: [{k: v for k, v in row.items() if k in metadata.tables[name].columns} for row in rows]
            for name, rows in written.items() if name in metadata.tables}
    assert_kept(db, kept)
    db.dispose()


def test_a_migration_that_leaves_broken_references_on_sqlite_is_refused_and_changes_nothing(sqlite_url):
    db = Database(sqlite_url)
    db.upgrade()
    fill(db)
    db.dispose()
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:  # foreign keys off: a dangling reference, as a faulty migration leaves
        raw.execute("DELETE FROM persons WHERE id = 3")
    head = db.current_revision()
    with pytest.raises(MigrationError, match="broke references"):
        db.downgrade(OLDER[-1])
    assert db.current_revision() == head
    db.dispose()
