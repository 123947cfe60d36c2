"""Nudges through the real PTB Application and a fake Bot API: a long nudge is delivered part by
part exactly once through 5xx and timeouts; a 429 for one chat holds back only that chat; a worker
killed mid-send leaves a short lease and the parts already sent."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest

from bot.engine.outbox import LEASE, Outbox


@pytest.fixture
def database_url(sqlite_url) -> str:
    """SQLite only: the engine runs inline on the event loop, as `spredning run` runs it there."""
    return sqlite_url


LINES = [f"Linje {i:04d} " + "x" * 60 for i in range(150)]  # about 10,000 characters: three chunks


def queue(database, chat: int, text: str) -> int:
    now = dt.datetime.now(dt.UTC)
    with database.unit_of_work() as uow:
        row = uow.outbox.add(f"tg:{chat}", None, None, None, "nudge", {"text": text, "buttons": []}, now, now)
        uow.commit()
    return row.id


def state_of(database, outbox_id: int) -> str:
    with database.engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT state FROM outbox WHERE id = {outbox_id}").scalar()


async def delivered(database, outbox_id: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while state_of(database, outbox_id) != "sent":
        assert time.monotonic() < deadline, "not delivered in time"
        await asyncio.sleep(0.1)


def lines_received(tg, chat: int) -> list[str]:
    return [line for m in tg.messages_to(chat) for line in (m.text or "").split("\n") if line.startswith("Linje")]


async def test_a_long_nudge_survives_a_5xx_between_its_chunks_without_a_duplicate(bot, tg, database):  # noqa: F811
    tg.user(2002, "Carl", "da")
    tg.fail_next("sendMessage", status=502, count=4, chat=2002, after=1)  # chunk 2 fails, and all its retries
    row = queue(database, 2002, "\n".join(LINES))
    await delivered(database, row, timeout=20)
    assert lines_received(tg, 2002) == LINES  # each line once, in order


async def test_a_long_nudge_goes_on_after_a_chunk_that_timed_out_after_sending(bot, tg, database):  # noqa: F811
    tg.user(2002, "Carl", "da")
    tg.delay_next("sendMessage", 7.0, chat=2002, after=1)  # chunk 2 arrives, but its answer is too late
    row = queue(database, 2002, "\n".join(LINES))
    await delivered(database, row, timeout=25)
    deadline = time.monotonic() + 10
    while len(lines_received(tg, 2002)) < len(LINES) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert sorted(lines_received(tg, 2002)) == LINES  # chunk 3 was sent too, and nothing twice


async def test_a_429_for_one_chat_holds_back_only_that_chat(bot, tg, database):  # noqa: F811
    tg.user(2002, "Carl", "da")
    tg.user(2003, "Dina", "da")
    tg.fail_next("sendMessage", status=429, retry_after=20, chat=2002)
    start = time.monotonic()
    held = queue(database, 2002, "Til Carl")
    other = queue(database, 2003, "Til Dina")
    await delivered(database, other, timeout=5)
    assert time.monotonic() - start < 3  # Dina's nudge is not late because of Carl's 429
    assert state_of(database, held) == "pending" and not tg.messages_to(2002)
    later = queue(database, 2002, "Også til Carl")  # the chat stays held: in order, after the first
    await asyncio.sleep(1)
    assert state_of(database, later) == "pending" and not tg.messages_to(2002)


def test_a_worker_killed_mid_send_leaves_a_short_lease_and_the_parts_already_sent(database):  # noqa: F811
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    outbox = Outbox(database.unit_of_work, lambda: now)
    with database.unit_of_work() as uow:
        uow.outbox.add("tg:2002", None, None, None, "nudge", {"text": "\n".join(LINES), "buttons": []}, now, now)
        uow.commit()
    (claimed,) = outbox.claim(now=now)
    outbox.delivered(claimed.id, 1)  # chunk 1 accepted; then the process is killed
    assert outbox.claim(now=now + LEASE - dt.timedelta(seconds=1)) == []
    (again,) = outbox.claim(now=now + LEASE + dt.timedelta(seconds=1))
    assert again.id == claimed.id and again.parts_sent == 1  # resumes with chunk 2
    assert LEASE <= dt.timedelta(seconds=60)


def test_a_part_begun_by_a_killed_worker_is_not_sent_again(database):  # noqa: F811
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    outbox = Outbox(database.unit_of_work, lambda: now)
    with database.unit_of_work() as uow:
        uow.outbox.add("tg:2002", None, None, None, "nudge", {"text": "\n".join(LINES), "buttons": []}, now, now)
        uow.commit()
    (claimed,) = outbox.claim(now=now)
    outbox.delivered(claimed.id, 1)
    outbox.starting(claimed.id, 2)  # chunk 2 goes out; the process is killed before it is recorded
    (again,) = outbox.claim(now=now + LEASE + dt.timedelta(seconds=1))
    assert again.parts_sent == 2  # chunk 2 may have arrived: the next worker resumes with chunk 3
    outbox.retry(again.id, dt.timedelta(0), "HTTP 502", parts_sent=2)  # chunk 3 got a 5xx: sent again
    (third,) = outbox.claim(now=now + 2 * LEASE)
    assert third.parts_sent == 2
