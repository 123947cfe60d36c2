"""Invites, end to end through the real PTB Application: who is on a side, removing someone who came
in through a forwarded link, and failed invite codes rate-limited per person (kept in the database)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from telegram.ext import Application

from bot.app import load_content
from devtools.fake_telegram import FakeTelegram
from devtools.people.telegram import TgPerson, invite_tokens, running_bot
from storage import Database

CONTENT = load_content(default_locale="en")


@pytest.fixture
def database_url(sqlite_url) -> str:
    return sqlite_url


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def bot(tg: FakeTelegram, database: Database, clock: Clock) -> contextlib.AbstractAsyncContextManager[Application]:
    return running_bot(tg, CONTENT, database.unit_of_work, clock=clock, nudge_delay=dt.timedelta(0))


async def project_with_partner_link(tg: FakeTelegram) -> tuple[TgPerson, str]:
    anna = TgPerson(tg, tg.user(1001, "Anna", "da"))
    await anna.says("/new")
    await anna.says("Digital genoptræning")
    await anna.presses("Vi vil dele")
    partner = invite_tokens(await anna.says("Aarhus Kommune"))[0]
    return anna, partner


async def test_members_see_who_is_on_each_side_and_someone_who_used_a_forwarded_link_is_removed(tg, database):
    clock = Clock()
    async with bot(tg, database, clock):
        anna, partner = await project_with_partner_link(tg)
        carl = TgPerson(tg, tg.user(2002, "Carl", "da"))
        mallory = TgPerson(tg, tg.user(6666, "Mallory", "da"))
        clock.now += dt.timedelta(minutes=5)
        await carl.says(f"/start {partner}")
        await carl.says("Odense Kommune")
        clock.now += dt.timedelta(minutes=5)
        # The partner link was forwarded: anyone with it gets in, and everyone can see who did.
        assert "Velkommen" in await mallory.says(f"/start {partner}")
        await anna.says("/invite")
        team = await anna.presses("Hvem er med")
        assert "Anna (dig)" in team and "Carl" in team and "Mallory" in team
        assert anna.buttons() == ["✖ Fjern Carl", "✖ Fjern Mallory", "▶ Fortsæt"]  # the creator: anyone else
        await carl.says("/team")
        assert carl.buttons() == ["✖ Fjern Mallory", "▶ Fortsæt"]  # Carl came first on his side
        assert "Mallory (dig)" in await mallory.says("/team")
        assert mallory.buttons() == ["▶ Fortsæt"]  # the newcomer removes nobody
        asked = await carl.presses("Fjern Mallory")
        assert "Vil du fjerne Mallory" in asked
        mark = tg.mark()
        done = await carl.presses("Ja, fjern")
        assert "Mallory er fjernet" in done and "Mallory" not in done.split("er fjernet", 1)[1]
        await tg.await_for(chat=mallory.chat_id, since=mark, timeout=10)
        await tg.await_for(chat=anna.chat_id, since=mark, timeout=10)  # both are told, by the outbox
        await anna.settle()
        assert "Carl har fjernet dig fra Digital genoptræning" in mallory.got(mark)
        assert "Carl har fjernet Mallory fra Odense Kommune" in anna.got(mark)
        # Mallory reads nothing more, and the link she came in with no longer works.
        assert "ikke med i et projekt" in await mallory.says("/theirs")
        assert "trukket tilbage" in await mallory.says(f"/start {partner}")
        # A removal button pressed again, or by someone not allowed, changes nothing.
        assert "gælder ikke længere" in await carl.presses("Ja, fjern")


async def test_failed_invite_codes_are_rate_limited_per_person_across_restarts(tg, database):
    clock = Clock()
    async with bot(tg, database, clock):
        _, partner = await project_with_partner_link(tg)
        eve = TgPerson(tg, tg.user(3003, "Eve", "da"))
        for n in range(5):
            assert "findes ikke" in await eve.says(f"/start guess{n}AAAAAAAAAAAAAAAAAAAA")
        refused = await eve.says(f"/start {partner}")  # even the right code: she must wait
        assert "for mange invitationer" in refused and "om 60 min." in refused
    clock.now += dt.timedelta(minutes=30)
    async with bot(tg, database, clock):  # a restart forgets nothing: the count is in the database
        assert "om 30 min." in await eve.says(f"/start {partner}")
        frank = TgPerson(tg, tg.user(4004, "Frank", "da"))
        assert "Velkommen" in await frank.says(f"/start {partner}")  # per person: others are not held back
        group = tg.group(-5001, "Eves gruppe")
        tg.add_bot_to_group(eve.user, group)
        assert "for mange invitationer" in await eve.says(f"/link {partner}", chat=group)
        clock.now += dt.timedelta(minutes=31)
        assert "Velkommen" in await eve.says(f"/start {partner}")
