"""Nothing typed by accident, and ↩ Undo, end to end: the real PTB Application against the fake Bot
API, with its real timing (parts of a long paste back to back, a double tap 20 ms apart)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.app import load_content
from bot.engine import intents
from bot.engine.records import ANSWERED, UNANSWERED
from devtools.people.scenarios import two_organisations
from devtools.people.telegram import running_bot

CONTENT = load_content(default_locale="en")
PURPOSE, SOLUTION, PROCESS = "describe.purpose", "describe.solution", "describe.process"


@pytest.fixture
def database_url(sqlite_url) -> str:
    """SQLite only: the engine runs inline on the event loop, as `spredning run` runs it there."""
    return sqlite_url


def undoing(intent: intents.Intent) -> bool:
    return isinstance(intent, intents.Undo)


def pausing(intent: intents.Intent) -> bool:
    return isinstance(intent, intents.Pause)


def sharer_answers(database) -> dict[str, str]:
    with database.unit_of_work() as uow:
        side = next(s for s in uow.projects.sides(1) if s.role == "sharer")
        return {k: a.value.get("text", "") for k, a in uow.answers.latest(side.id).items() if a.status == ANSWERED}


def sharer_history(database, key: str) -> list[str]:
    with database.unit_of_work() as uow:
        side = next(s for s in uow.projects.sides(1) if s.role == "sharer")
        return [a.status for a in uow.answers.history(side.id, key)]


async def test_after_pause_text_is_not_filed_and_invisible_text_is_refused(bot, tg, database):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    assert "Svaret er tomt" in await anna.says("\u200b")
    await anna.says("Borgerne ventede for længe.")
    await anna.presses(pausing)
    told = await anna.says("hej")
    assert "ikke gemt endnu" in told and "Hvad går løsningen ud på?" in told
    assert sharer_answers(database) == {PURPOSE: "Borgerne ventede for længe."}
    assert "har udfyldt" not in carl.received()


async def test_a_split_paste_is_joined_and_a_quick_short_line_is_not(bot, tg, database):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    first = ("Borgerne træner hjemme. " * 171)[:4096].rsplit(" ", 1)[0]  # Telegram's first part: cut at a space
    mark = tg.mark()
    tg.send_text(anna.user, first)
    tg.send_text(anna.user, "og resten af teksten.")  # back to back, as a client sends the parts
    await anna.settle(mark)
    await asyncio.sleep(0.3)
    await anna.settle()
    assert "Resten af din lange tekst er føjet til svaret" in anna.got(mark)
    assert sharer_answers(database)[PURPOSE].endswith("og resten af teksten.")
    # A long answer Telegram sent whole, and a quick "thanks": two inputs.
    long_answer = ("En app til genoptræning. " * 140).strip()  # 3,499 characters
    mark = tg.mark()
    tg.send_text(anna.user, long_answer)
    tg.send_text(anna.user, "Tak!")
    await anna.settle(mark)
    await asyncio.sleep(0.3)
    await anna.settle()
    saved = sharer_answers(database)
    assert saved[SOLUTION] == long_answer and saved[PROCESS] == "Tak!"
    assert "Resten af din lange tekst" not in anna.got(mark)


async def test_undo_after_the_nudge_went_out_tells_the_other_side_once_and_a_double_tap_undoes_once(bot, tg, database):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    await anna.says("Borgerne ventede for længe.")
    await anna.says("En app til genoptræning.")
    await anna.says("Vi startede i 2019.")  # the tool is finished; Carl is told at once (no nudge delay here)
    await carl.settle()
    assert carl.received().count("har udfyldt værktøjet") == 1
    mark = await anna.double_taps(undoing)
    assert anna.got(mark).count("↩ Fortrudt.") == 1
    assert "Allerede fortrudt." in [a.text for a in tg.callback_answers]
    assert sharer_history(database, PROCESS) == [ANSWERED, UNANSWERED]
    assert carl.got(mark).count("Anna har fortrudt sit svar på »Hvordan forløb processen?«") == 1


async def test_undo_within_the_nudge_delay_withdraws_the_nudge(tg, database):
    async with running_bot(tg, CONTENT, database.unit_of_work, nudge_delay=dt.timedelta(seconds=2)):
        anna, carl, eve, _ = await two_organisations(tg)
        await anna.says("/continue")
        await anna.says("Borgerne ventede for længe.")
        await anna.says("/back")
        await anna.says("Noget helt andet")
        assert "står igen som før" in await anna.presses(undoing)
        assert sharer_answers(database)[PURPOSE] == "Borgerne ventede for længe."
        await anna.says("En app til genoptræning.")
        await anna.says("Vi startede i 2019.")  # Carl is to be told in two seconds …
        await anna.presses(undoing)  # … but the answer is taken back at once
        await asyncio.sleep(3)
        await carl.settle()
        assert "har udfyldt værktøjet" not in carl.received() and "fortrudt" not in carl.received()
