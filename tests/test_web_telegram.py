"""The web page beside the real bot: an answer and a sign-off given on the page reach the other
side's member in Telegram (the fake Bot API), exactly as if typed in the chat."""

from __future__ import annotations

import re

import httpx
import pytest

from bot.app import web_app
from bot.web.tokens import Signer
from devtools.people.buttons import agreeing
from devtools.people.scenarios import two_organisations
from devtools.people.telegram import TgPerson, invite_tokens
from devtools.people.web import BASE, agree_on_the_page, answer_all_on_the_page


@pytest.fixture
def database_url(sqlite_url) -> str:
    """SQLite only: the engine runs inline on the event loop, as `spredning run` runs it there."""
    return sqlite_url


async def test_a_sign_off_on_the_web_nudges_the_other_side_in_telegram(bot, tg, database):
    anna, carl, eve, _ = await two_organisations(tg)
    await carl.says("/continue")
    await carl.answer_all()
    await anna.says("/continue")
    signer = Signer("telegram-web-test-secret-0123")
    app = web_app(bot, signer, BASE)
    with bot.unit_of_work() as uow:
        person = uow.people.by_external_id(f"tg:{anna.user.id}")
        project, side = uow.members.memberships(person.id)[0]
        joined = next(m for m in uow.members.of_side(side.id) if m.person_id == person.id).joined_at
    path = f"/p/{signer.sign(person.id, project.id, joined, bot.clock())}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app.asgi()), base_url=BASE) as web:
        # Anna answers her whole phase on the page; Carl is told in Telegram as she finishes tools.
        await answer_all_on_the_page(web, path, at_most=60)
        mark = tg.mark()
        await agree_on_the_page(web, path)
    await carl.settle(mark)
    assert "har udfyldt værktøjet" in carl.got(0)
    assert "har godkendt Fase 1: Tjek" in carl.got(mark)


async def test_a_person_without_telegram_joins_and_takes_part_in_a_whole_phase_on_the_web(bot, tg, database):
    """Wanda never uses Telegram: she joins by the invite link on the web, answers her whole phase and
    signs off there; Anna, in Telegram, is told each step and agrees; nothing is sent to Wanda."""
    anna = TgPerson(tg, tg.user(1001, "Anna", "da"))
    await anna.says("/start")
    await anna.presses("Start et projekt")
    await anna.says("Digital genoptræning")
    await anna.presses("Vi vil dele")
    partner = invite_tokens(await anna.says("Aarhus Kommune"))[0]
    await anna.says("/continue")
    await anna.answer_all()  # Anna's side first, in Telegram
    app = web_app(bot, Signer("telegram-web-test-secret-0123"), BASE)
    headers = {"accept-language": "da"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app.asgi()), base_url=BASE, headers=headers) as web:
        join = (await web.get(f"/join/{partner}")).text
        csrf, nonce = re.search(
            r'name="csrf" value="([^"]+)">\s*<input type="hidden" name="nonce" value="([^"]+)"', join
        ).groups()
        mark = tg.mark()
        joined = await web.post(f"/join/{partner}", data={"csrf": csrf, "nonce": nonce, "name": "Wanda",
                                                          "organisation": "Odense Kommune"})
        assert joined.status_code == 303
        path = joined.headers["location"].split("?")[0]
        await anna.settle(mark)
        assert "Wanda er kommet med i Digital genoptræning for Odense Kommune" in anna.got(mark)
        await answer_all_on_the_page(web, path, at_most=80)
        mark = tg.mark()
        await agree_on_the_page(web, path)
        await anna.settle(mark)
        assert "Odense Kommune (Vi vil genbruge) har godkendt Fase 1: Tjek" in anna.got(mark)
        await anna.presses(agreeing)
        page = (await web.get(path)).text
        assert "Aftalt" in page and '<strong class="new">Nyt</strong>' in page
    assert "Odense Kommune (Vi vil genbruge) har udfyldt" in anna.got(0)
