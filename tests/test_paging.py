"""Long lists through the real PTB Application: /projects in 200 projects comes a page at a time
(Telegram allows 100 buttons), and a tool's answers with 300 files send ten and offer the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.app import load_content
from devtools.fake_telegram import FakeTelegram
from devtools.people.telegram import TgPerson, running_bot
from storage import Database

CONTENT = load_content(default_locale="en")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def database_url(sqlite_url) -> str:
    return sqlite_url


@pytest.fixture
async def bot(tg: FakeTelegram, database: Database) -> AsyncIterator[None]:
    async with running_bot(tg, CONTENT, database.unit_of_work):
        yield


def seed_projects(database: Database, count: int, current: int) -> list[int]:
    """Anna (Telegram user 1001) in `count` projects, on the sharing side; returns their ids."""
    with database.unit_of_work() as uow:
        anna = uow.people.add("tg:1001", "Anna", "da", "tg:1001", NOW)
        ids = []
        for n in range(count):
            project = uow.projects.add(f"Projekt {n + 1:03d}", anna.id, NOW)
            side = uow.projects.add_side(project.id, "sharer", "Aarhus Kommune")
            uow.projects.add_side(project.id, "reuser", None)
            uow.members.add(side.id, anna.id, NOW)
            ids.append(project.id)
        uow.people.update(anna.id, current_project_id=ids[current])
        uow.commit()
    return ids


def keyboard_size(person: TgPerson) -> int:
    return len(person.last().buttons)


async def test_projects_of_someone_in_200_projects_come_a_page_at_a_time(bot, tg, database):
    seed_projects(database, 200, current=149)
    anna = TgPerson(tg, tg.user(1001, "Anna", "da"))
    first = await anna.says("/projects")
    assert "(141–150 af 200)" in first and "▶ Projekt 150" in first  # the page with the current project
    assert keyboard_size(anna) <= 100 and "Skift til Projekt 141" in anna.buttons()
    seen = set()
    page = await anna.presses("◀ Forrige")
    while "◀ Forrige" in anna.buttons():
        page = await anna.presses("◀ Forrige")
    assert "(1–10 af 200)" in page
    while True:
        seen |= {line.split(" – ")[0].lstrip("▶ ") for line in page.splitlines() if line.startswith(("Projekt", "▶"))}
        assert keyboard_size(anna) <= 100
        if "Næste ▶" not in anna.buttons():
            break
        page = await anna.presses("Næste ▶")
    assert seen == {f"Projekt {n:03d}" for n in range(1, 201)} and "(191–200 af 200)" in page
    assert "Du arbejder nu i Projekt 200" in await anna.presses("Skift til Projekt 200")


async def test_answers_with_300_files_send_ten_and_offer_the_rest(bot, tg, database):
    guide, _ = CONTENT
    seed_projects(database, 1, current=0)
    tool = guide.phases[0].tools[0]
    question = tool.questions_for("sharer")[0]
    files = [{"kind": "document", "file_id": tg.upload(f"bilag{n:03d}.pdf", b"%PDF " + bytes(str(n), "ascii")),
              "name": f"bilag{n:03d}.pdf"} for n in range(300)]
    with database.unit_of_work() as uow:
        side = uow.projects.sides(1)[0]
        uow.answers.add(side.id, question.key, "answered", {"text": "Se bilagene", "attachments": files}, 1, NOW)
        uow.commit()
    anna = TgPerson(tg, tg.user(1001, "Anna", "da"))
    await anna.says("/mine")
    mark = tg.mark()
    shown = await anna.presses("Beskriv innovationen")

    def documents() -> list[str]:
        return [m.document.file_name for m in tg.sent[mark:] if m.chat_id == anna.chat_id and m.document]

    assert "Se bilagene" in shown
    assert documents() == [f"bilag{n:03d}.pdf" for n in range(10)]
    assert "Filer 1–10 af 300 er sendt" in shown and "📎 Flere filer (290)" in anna.buttons()
    mark = tg.mark()
    more = await anna.presses("Flere filer")
    assert "Filer 11–20 af 300 er sendt" in more and documents() == [f"bilag{n:03d}.pdf" for n in range(10, 20)]
    assert "📎 Flere filer (280)" in anna.buttons()
