"""`python -m bench walk`: the files of the product one input passes through, in order.

Two walks: a typed answer in Telegram, from the update to the nudge delivered to the other
organisation (the real PTB `Application` against the fake Bot API, SQLite, the engine inline), and
an answer given in a web form, from the POST to the redirect. A hop is a call from code in one file of
`bot/` or `storage/` into another (the first entry from outside counts as one); a coroutine that
resumes is not a call. Printed: the files in the order first entered, how often each is entered, and
how many hops went back into a file already visited."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sys
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import bot

ROOT = Path(bot.__file__).resolve().parent.parent
PRODUCT = (str(ROOT / "bot") + "/", str(ROOT / "storage") + "/")


def ours(filename: str) -> bool:
    return filename.startswith(PRODUCT)


@dataclass
class Walk:
    """The hops recorded while `active` (set on every thread from the start, so worker threads count)."""

    active: bool = False
    hops: list[tuple[str | None, str]] = field(default_factory=list)
    _resumable: set[int] = field(default_factory=set)  # frames of coroutines and generators seen (ids)

    def profile(self, frame: FrameType, event: str, arg: Any) -> None:
        if event != "call" or not self.active or not ours(frame.f_code.co_filename):
            return
        if frame.f_code.co_flags & 0x3A0:  # a generator, coroutine or async generator: resumed after the first call
            if id(frame) in self._resumable:
                return
            self._resumable.add(id(frame))
        caller = frame.f_back
        while caller is not None and not ours(caller.f_code.co_filename):
            caller = caller.f_back
        source = caller.f_code.co_filename if caller is not None else None
        if source != frame.f_code.co_filename:
            self.hops.append((source, frame.f_code.co_filename))

    def __enter__(self) -> Walk:
        sys.setprofile(self.profile)
        threading.setprofile(self.profile)
        return self

    def __exit__(self, *_: object) -> None:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]

    def report(self, title: str) -> dict[str, Any]:
        entered = Counter(target for _, target in self.hops)
        order = list(dict.fromkeys(target for _, target in self.hops))
        seen: set[str] = set()
        back = 0
        for _, target in self.hops:
            back += target in seen
            seen.add(target)
        print(f"\n{title}: {len(self.hops)} hops over {len(order)} files, {back} back into a file already visited")
        for path in order:
            print(f"  {entered[path]:3d}  {Path(path).relative_to(ROOT)}")
        return {"hops": len(self.hops), "files": len(order), "back": back,
                "entered": {str(Path(p).relative_to(ROOT)): entered[p] for p in order}}


async def typed_answer_in_telegram(walk: Walk, url: str) -> None:
    from bot.app import load_content
    from devtools.fake_telegram import FakeTelegram
    from devtools.people.scenarios import two_organisations
    from devtools.people.telegram import running_bot
    from storage import Database

    database = Database(url)
    database.upgrade()
    with FakeTelegram() as tg:
        async with running_bot(tg, load_content(), database.unit_of_work, outbox_poll=60,
                               nudge_delay=dt.timedelta(0)):
            anna, carl, _, _ = await two_organisations(tg)
            await anna.says("Borgerne ventede for længe.")  # the first tool has three typed questions
            await anna.says("En app til genoptræning.")
            mark = tg.mark()
            walk.active = True
            tg.send_text(anna.user, "Vi byggede den med terapeuterne.")  # the third: the tool is finished
            await tg.await_for(chat=carl.chat_id, since=mark, timeout=20)
            walk.active = False
            assert "har udfyldt" in carl.got(mark), carl.got(mark)
    database.dispose()


async def answer_on_the_web(walk: Walk, url: str) -> None:
    import httpx

    from bot.app import compose_engine, load_content, web_app
    from bot.engine.ports import Links
    from bot.web.tokens import Signer, with_web_links
    from devtools.people.engine import World
    from devtools.people.scenarios import start_project
    from devtools.people.web import BASE, answer_fields, forms, link_of
    from storage import Database

    database = Database(url)
    database.upgrade()
    guide, catalogs = load_content()
    signer = Signer("walk-secret-" + "x" * 20)
    links = with_web_links(Links(), signer, BASE, mini_app=False)
    world = World(compose_engine(guide, catalogs, database.unit_of_work, links))
    anna, *_ = start_project(world)
    path = link_of(anna)
    app = web_app(world.engine, signer, BASE, None)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app.asgi()), base_url=BASE) as client:
        form = forms((await client.get(path)).text)[0]
        walk.active = True
        response = await client.post(form["action"], data=answer_fields(form, "Borgerne ventede for længe."))
        walk.active = False
        assert response.status_code == 303 and re.search(r"done=web:", response.headers["location"])
    database.dispose()


def measure_walks() -> dict[str, Any]:
    results = {}
    for title, run in (("typed answer in Telegram, update to delivered nudge", typed_answer_in_telegram),
                       ("answer in a web form, POST to redirect", answer_on_the_web)):
        with tempfile.TemporaryDirectory() as tmp, Walk() as walk:
            asyncio.run(run(walk, f"sqlite:///{Path(tmp) / 'walk.sqlite3'}"))
        results[title] = walk.report(title)
    return results
