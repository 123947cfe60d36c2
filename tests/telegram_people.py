"""People talking to the real bot through the fake Bot API: send, press, and read what they got."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from telegram.ext import Application

from bot.app import compose_engine
from bot.engine.ports import UnitOfWork
from bot.guide.model import Guide
from bot.i18n import Catalogs
from bot.telegram.application import build_application
from devtools.fake_telegram import FakeChat, FakeTelegram, FakeUser, SentMessage

QUIET = 0.15  # seconds without a Bot API call after which a turn counts as finished


@contextlib.asynccontextmanager
async def running_bot(tg: FakeTelegram, content: tuple[Guide, Catalogs], unit_of_work: Callable[[], UnitOfWork],
                      *, reminders: bool = False, outbox_poll: float = 0.05, inline: bool = True,
                      **engine_options: Any) -> AsyncIterator[Application]:
    """The real PTB Application as `spredning run` builds it (on SQLite the engine runs inline),
    polling the fake Bot API until the block ends; `engine_options` go to `compose_engine`."""
    guide, catalogs = content
    app = build_application(lambda links: compose_engine(guide, catalogs, unit_of_work, links, **engine_options),
                            tg.token, tg.api_base, reminders=reminders, outbox_poll=outbox_poll, inline=inline)
    async with app:
        await app.post_init(app)  # run_polling() does this; here the test drives the lifecycle
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_stop(app)


def invite_tokens(text: str) -> list[str]:
    """Tokens of the invite links in a message (?start=… and ?startgroup=…)."""
    return re.findall(r"\?start(?:group)?=([A-Za-z0-9_-]+)", text)


@dataclass
class TgPerson:
    tg: FakeTelegram
    user: FakeUser

    @property
    def chat_id(self) -> int:
        return self.user.id

    async def settle(self, mark: int | None = None, chat: int | None = None) -> None:
        """Wait until the bot has answered (a message to `chat` after `mark`) and gone quiet."""
        if mark is not None:
            await self.tg.await_for(chat=chat if chat is not None else self.chat_id, since=mark, timeout=20)
        await self.tg.await_until_idle(timeout=20, quiet=QUIET)

    def got(self, mark: int, chat: int | None = None) -> str:
        target = chat if chat is not None else self.chat_id
        return "\n".join(m.plain_text or "" for m in self.tg.sent[mark:] if m.chat_id == target)

    async def says(self, text: str, chat: FakeChat | None = None, reply_to: SentMessage | None = None,
                   expect_reply: bool = True) -> str:
        mark = self.tg.mark()
        self.tg.send_text(self.user, text, chat=chat, reply_to=reply_to)
        await self.settle(mark if expect_reply else None, chat.id if chat else None)
        return self.got(mark, chat.id if chat else None)

    def last(self, chat: int | None = None, with_button: str | None = None) -> SentMessage:
        target = chat if chat is not None else self.chat_id
        for message in reversed(self.tg.messages_to(target)):
            if with_button is None or any(with_button in b.get("text", "") for b in message.buttons):
                return message
        raise AssertionError(f"no message with a button {with_button!r} in chat {target}")

    def buttons(self, chat: int | None = None) -> list[str]:
        return [b.get("text", "") for b in self.last(chat).buttons]

    async def presses(self, label: str, chat: FakeChat | None = None) -> str:
        target = chat.id if chat else self.chat_id
        message = self.last(target, with_button=label)
        mark = self.tg.mark()
        pressed = self.tg.press(self.user, message, message.callback_data(label), chat=chat)
        await self.tg.await_for_answer(pressed, timeout=20)
        await self.settle()
        return self.got(mark, target)

    async def answer_phase(self, limit: int = 120) -> str:
        """Answer every question asked until the bot stops asking (choices: the first option)."""
        text = ""
        for _ in range(limit):
            last = self.last()
            data = [b.get("callback_data", "") for b in last.buttons]
            mark = self.tg.mark()
            if choice := next((d for d in data if d.startswith(("a:", "sf:"))), None):
                await self.tg.await_for_answer(self.tg.press(self.user, last, choice), timeout=20)
            elif any(d.startswith("k:") for d in data):
                hint = last.plain_text or ""
                typed = "250.000 DKK" if "beløb" in hint else "31-12-2026" if "dato" in hint else "Svar"
                self.tg.send_text(self.user, typed)
            else:
                return text
            await self.settle(mark)
            text = self.got(mark)
        raise AssertionError("the bot kept asking")
