"""Storage on real SQLite and PostgreSQL: migrations, revisions, isolation, deletion."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from bot.engine.records import ANSWERED, LATER, InviteRecord
from storage import Database, normalize_url
from storage.models import ProcessedInput

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def seed(db: Database) -> dict[str, int]:
    with db.unit_of_work() as uow:
        anna = uow.people.add("tg:9223372036854775807", "Anna", "da", "tg:9223372036854775807", NOW)
        project = uow.projects.add("Digital post", anna.id, NOW)
        sharer = uow.projects.add_side(project.id, "sharer", "Aarhus Kommune")
        uow.members.add(sharer.id, anna.id, NOW)
        uow.answers.add(sharer.id, "check.describe.sharer.purpose", ANSWERED, {"text": "Færre fejl ✓ 😀"}, anna.id, NOW)
        uow.commit()
    return {"anna": anna.id, "project": project.id, "sharer": sharer.id}


def test_the_schema_comes_from_the_migrations_and_matches_the_models(database):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.models import Base

    assert database.current_revision() is not None
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert "answers" in inspect(connection).get_table_names()


def test_upgrading_again_keeps_the_data(database_url):
    db = Database(database_url)
    db.upgrade()
    ids = seed(db)
    db.dispose()
    again = Database(database_url)
    again.upgrade()
    with again.unit_of_work() as uow:
        answers = uow.answers.latest(ids["sharer"])
        assert answers["check.describe.sharer.purpose"].value == {"text": "Færre fejl ✓ 😀"}
        assert uow.people.get(ids["anna"]).external_id == "tg:9223372036854775807"
    again.dispose()


def test_a_process_reads_the_answers_another_process_committed_and_never_a_rolled_back_one(database_url):
    key = "check.describe.sharer.purpose"
    first, second = Database(database_url), Database(database_url)
    first.upgrade()
    ids = seed(first)

    def latest(db: Database) -> str:
        with db.unit_of_work() as uow:
            text = uow.answers.latest(ids["sharer"])[key].value["text"]
            uow.commit()
            return text

    assert latest(first) == latest(first) == "Færre fejl ✓ 😀"  # the second read may come from memory
    with second.unit_of_work() as uow:
        uow.answers.add(ids["sharer"], key, ANSWERED, {"text": "Kortere ventetid"}, ids["anna"], NOW)
        uow.commit()
    assert latest(first) == "Kortere ventetid"
    with first.unit_of_work() as uow:
        uow.answers.add(ids["sharer"], key, ANSWERED, {"text": "Fortrudt"}, ids["anna"], NOW)
        assert uow.answers.latest(ids["sharer"])[key].value["text"] == "Fortrudt"  # not committed
    assert latest(first) == latest(second) == "Kortere ventetid"
    with second.unit_of_work() as uow:  # the same id may be used again after a rollback (SQLite)
        uow.answers.add(ids["sharer"], key, ANSWERED, {"text": "Endelig"}, ids["anna"], NOW)
        uow.commit()
    assert latest(first) == "Endelig"
    first.dispose()
    second.dispose()


def test_a_turn_reads_the_members_sign_offs_and_authors_another_process_committed(database_url):
    """What a process keeps in memory is used only while the revisions in the database say it is current."""
    key = "check.describe.sharer.purpose"
    first, second = Database(database_url), Database(database_url)
    first.upgrade()
    ids = seed(first)
    anna_chat = "tg:9223372036854775807"
    with first.unit_of_work() as uow:
        uow.people.update(ids["anna"], current_project_id=ids["project"])
        uow.commit()

    def turn_reads(db: Database) -> tuple[list[tuple[int, bool]], list[str], int | None]:
        with db.unit_of_work() as uow:  # as a turn of Anna's in her private chat
            uow.lock_chat(anna_chat)
            assert uow.inputs.claim(None, anna_chat, anna_chat, NOW)
            members = [(m.person_id, m.muted) for m in uow.members.of_side(ids["sharer"])]
            signoffs = [s.verdict for s in uow.signoffs.of_phase(ids["project"], "check")]
            author = uow.answers.latest(ids["sharer"])[key].author_id
            uow.commit()
            return members, signoffs, author

    assert turn_reads(first) == turn_reads(first) == ([(ids["anna"], False)], [], ids["anna"])
    with second.unit_of_work() as uow:
        bo = uow.people.add("tg:2", "Bo", "da", "tg:2", NOW)
        uow.members.add(ids["sharer"], bo.id, NOW)
        uow.answers.add(ids["sharer"], key, ANSWERED, {"text": "Bo skrev"}, bo.id, NOW)
        uow.commit()
    assert turn_reads(first) == ([(ids["anna"], False), (bo.id, False)], [], bo.id)
    with second.unit_of_work() as uow:
        uow.members.update(ids["sharer"], bo.id, muted=True)
        uow.signoffs.add(ids["project"], "check", ids["sharer"], ids["anna"], "agree", None, (1,), NOW)
        uow.commit()
    assert turn_reads(first) == ([(ids["anna"], False), (bo.id, True)], ["agree"], bo.id)
    with second.unit_of_work() as uow:
        uow.people.delete(bo.id)
        uow.commit()
    assert turn_reads(first) == ([(ids["anna"], False)], ["agree"], None)
    first.dispose()
    second.dispose()


def test_answers_are_revisions_and_the_newest_counts(database):
    ids = seed(database)
    key = "check.describe.sharer.purpose"
    with database.unit_of_work() as uow:
        uow.answers.add(ids["sharer"], key, LATER, {}, ids["anna"], NOW + dt.timedelta(minutes=1))
        uow.answers.add(ids["sharer"], key, ANSWERED, {"text": "Ny"}, ids["anna"], NOW + dt.timedelta(minutes=2))
        uow.commit()
    with database.unit_of_work() as uow:
        assert [a.status for a in uow.answers.history(ids["sharer"], key)] == [ANSWERED, LATER, ANSWERED]
        latest = uow.answers.latest(ids["sharer"])[key]
        assert latest.value == {"text": "Ny"}
        assert latest.created_at == NOW + dt.timedelta(minutes=2)
        assert latest.created_at.tzinfo is not None
        assert uow.answers.last_activity(ids["sharer"]) == NOW + dt.timedelta(minutes=2)


def test_nothing_is_kept_without_commit(database):
    with database.unit_of_work() as uow:
        uow.people.add("tg:1", "Bo", None, None, NOW)
    with database.unit_of_work() as uow:
        assert uow.people.by_external_id("tg:1") is None


def claim(uow, key: str) -> bool:
    """What the engine does first with an input: lock its chat, then claim its key."""
    uow.lock_chat("tg:1")
    return uow.inputs.claim(key, "tg:1", "tg:1", NOW)


def test_an_input_is_claimed_once(database):
    with database.unit_of_work() as uow:
        assert claim(uow, "update:1")
        uow.commit()
    with database.unit_of_work() as uow:
        assert not claim(uow, "update:1")


def test_a_claim_that_slipped_past_the_chat_lock_is_refused_at_commit_and_changes_nothing(database):
    if database.backend == "sqlite":
        pytest.skip("on SQLite, BEGIN IMMEDIATE lets no second writer in before the first commits")
    with database.unit_of_work() as first, database.sessions() as other:
        assert first.inputs.claim("update:7", "tg:1", "tg:1", NOW)  # no lock taken: both see it as new
        other.execute(ProcessedInput.__table__.insert().values(key="update:7", processed_at=NOW))
        other.commit()
        first.people.add("tg:1", "Bo", None, "tg:1", NOW)
        with pytest.raises(IntegrityError):
            first.commit()
    with database.unit_of_work() as uow:
        assert uow.people.by_external_id("tg:1") is None


def test_concurrent_claims_of_one_input_let_exactly_one_through(database):
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def claim_in_a_thread() -> None:
        barrier.wait()
        with database.unit_of_work() as uow:
            claimed = claim(uow, "update:42")
            if claimed:
                uow.commit()
            results.append(claimed)

    threads = [threading.Thread(target=claim_in_a_thread) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_deleting_a_project_removes_all_its_data(database):
    ids = seed(database)
    with database.unit_of_work() as uow:
        uow.invites.add(InviteRecord("t" * 32, ids["project"], "reuser", "partner", ids["anna"], NOW,
                                    NOW + dt.timedelta(days=14)))
        uow.people.update(ids["anna"], current_project_id=ids["project"])
        uow.commit()
    with database.unit_of_work() as uow:
        uow.projects.delete(ids["project"])
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.projects.get(ids["project"]) is None
        assert uow.projects.side(ids["sharer"]) is None
        assert uow.answers.latest(ids["sharer"]) == {}
        assert uow.invites.get("t" * 32) is None
        assert uow.people.get(ids["anna"]).current_project_id is None


def test_deleting_a_person_keeps_their_answers_with_the_side(database):
    ids = seed(database)
    with database.unit_of_work() as uow:
        uow.people.delete(ids["anna"])
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.people.get(ids["anna"]) is None
        assert uow.members.of_side(ids["sharer"]) == []
        answer = uow.answers.latest(ids["sharer"])["check.describe.sharer.purpose"]
        assert answer.author_id is None and answer.value["text"].startswith("Færre")


def test_a_group_chat_belongs_to_one_side(database):
    ids = seed(database)
    with database.unit_of_work() as uow:
        uow.projects.update_side(ids["sharer"], group_chat="tg:-1001234567890")
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.projects.side_by_group_chat("tg:-1001234567890").id == ids["sharer"]
        project = uow.projects.add("Other", ids["anna"], NOW)
        other = uow.projects.add_side(project.id, "sharer", None)
        with pytest.raises(IntegrityError):
            uow.projects.update_side(other.id, group_chat="tg:-1001234567890")
            uow.commit()


def test_postgres_urls_use_psycopg_3():
    assert normalize_url("postgres://u:p@h/db").startswith("postgresql+psycopg://u:p@h/db")
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(sqlite_url):
    db = Database(sqlite_url)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    db.dispose()


def test_concurrent_edits_of_one_answer_by_two_teammates_keep_both_revisions(database):
    ids = seed(database)
    with database.unit_of_work() as uow:
        bo = uow.people.add("tg:2", "Bo", "da", "tg:2", NOW)
        uow.members.add(ids["sharer"], bo.id, NOW)
        uow.commit()
    barrier = threading.Barrier(2)

    def edit(author: int, text: str) -> None:
        barrier.wait()
        with database.unit_of_work() as uow:
            uow.answers.latest(ids["sharer"])
            uow.answers.add(ids["sharer"], "check.describe.sharer.purpose", ANSWERED, {"text": text}, author, NOW)
            uow.commit()

    threads = [threading.Thread(target=edit, args=(ids["anna"], "Annas version")),
               threading.Thread(target=edit, args=(bo.id, "Bos version"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.unit_of_work() as uow:
        history = [a.value["text"] for a in uow.answers.history(ids["sharer"], "check.describe.sharer.purpose")]
    assert sorted(history[1:]) == ["Annas version", "Bos version"]


def test_upgrading_from_the_first_schema_keeps_the_data_and_fills_in_side_activity(database_url):
    db = Database(database_url)
    db.upgrade("0001")
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO persons (id, external_id, name, unreachable, created_at) "
            "VALUES (1, 'tg:1', 'Anna', false, '2026-01-01 10:00:00')")
        connection.exec_driver_sql(
            "INSERT INTO projects (id, name, created_by, created_at) VALUES (1, 'P', 1, '2026-01-01 10:00:00')")
        connection.exec_driver_sql("INSERT INTO sides (id, project_id, role) VALUES (1, 1, 'sharer')")
        connection.exec_driver_sql(
            "INSERT INTO members (side_id, person_id, joined_at, muted) VALUES (1, 1, '2026-01-01 10:00:00', false)")
        connection.exec_driver_sql(
            "INSERT INTO answers (id, side_id, question_key, status, value, author_id, created_at) "
            "VALUES (1, 1, 'describe.purpose', 'answered', '{\"text\": \"Gammelt svar\"}', 1, '2026-01-05 10:00:00')")
    db.upgrade()
    with db.unit_of_work() as uow:
        assert uow.answers.latest(1)["describe.purpose"].value == {"text": "Gammelt svar"}
        assert uow.people.get(1).reminders is True and uow.projects.get(1).reminder_days == 3
        assert uow.projects.side(1).last_activity_at == dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
        idle = uow.outbox.idle_sides(dt.datetime(2026, 1, 7, tzinfo=dt.UTC), dt.datetime(2025, 12, 1, tzinfo=dt.UTC))
        assert [side.id for _, side, _ in idle] == [1]
    db.dispose()


def test_a_queued_message_is_found_by_the_start_of_its_key_and_only_by_that(database):
    with database.unit_of_work() as uow:
        uow.outbox.add(
            "tg:1", None, None, None, "card", {"text": "Tjek"}, NOW, NOW, debounce_key="card:10:check:tg:1:v3"
        )
        uow.outbox.add("tg:1", None, None, None, "card", {"text": "50%"}, NOW, NOW, debounce_key="card:2:50%_x")
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.outbox.has("card:10:check:")
        assert uow.outbox.has("card:10:check:tg:1:v3")
        assert not uow.outbox.has("card:1:")  # "card:10:…" only looks alike
        assert uow.outbox.has("card:2:50%_")
        assert not uow.outbox.has("card:2:50%x")
        assert not uow.outbox.has("card:10:check:tg:1:v3:")
